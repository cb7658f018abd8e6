import { emailChangeConfirmationEmail, type EmailChangeConfirmationVars } from './emailChangeConfirmation';
import { emailChangeNoticeEmail, type EmailChangeNoticeVars } from './emailChangeNotice';
import { nameChangedEmail, type NameChangedVars } from './nameChanged';
import { nameCorrectedEmail, type NameCorrectedVars } from './nameCorrected';
import type { RenderedEmail } from './renderedEmail';
import { welcomeEmail, type WelcomeVars } from './welcome';

export type { RenderedEmail };

/** The emails the notifier sends. A name is part of each ledger key and Message-ID: never rename one. */
export const TemplateName = Object.freeze({
  Welcome: 'welcome',
  EmailChangeConfirmation: 'email-change-confirmation',
  EmailChangeNotice: 'email-change-notice',
  NameChanged: 'name-changed',
  NameCorrected: 'name-corrected',
} as const);

export type TemplateName = (typeof TemplateName)[keyof typeof TemplateName];

/** What each template needs to be rendered. */
export interface TemplateVars {
  [TemplateName.Welcome]: WelcomeVars;
  [TemplateName.EmailChangeConfirmation]: EmailChangeConfirmationVars;
  [TemplateName.EmailChangeNotice]: EmailChangeNoticeVars;
  [TemplateName.NameChanged]: NameChangedVars;
  [TemplateName.NameCorrected]: NameCorrectedVars;
}

const templates: { readonly [T in TemplateName]: (vars: TemplateVars[T]) => RenderedEmail } = {
  [TemplateName.Welcome]: welcomeEmail,
  [TemplateName.EmailChangeConfirmation]: emailChangeConfirmationEmail,
  [TemplateName.EmailChangeNotice]: emailChangeNoticeEmail,
  [TemplateName.NameChanged]: nameChangedEmail,
  [TemplateName.NameCorrected]: nameCorrectedEmail,
};

export const templateNames: readonly TemplateName[] = Object.freeze(Object.values(TemplateName));

/** Renders one template: subject, text and HTML (every user-supplied value escaped in the HTML). */
export function renderEmail<T extends TemplateName>(template: T, vars: TemplateVars[T]): RenderedEmail {
  return (templates[template] as (v: TemplateVars[T]) => RenderedEmail)(vars);
}
