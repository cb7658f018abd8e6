import { escapeHtml, greeting, htmlDocument, textDocument } from './html';
import type { RenderedEmail } from './renderedEmail';

export interface EmailChangeConfirmationVars {
  /** Null when the notifier does not know the user's name (it missed the registration). */
  readonly name: string | null;
  readonly newEmail: string;
}

/** Sent on UserEmailChanged, to the new address: it is now the one we write to. */
export function emailChangeConfirmationEmail({ name, newEmail }: EmailChangeConfirmationVars): RenderedEmail {
  return {
    subject: 'Your eventfold email address was changed',
    text: textDocument([
      greeting(name),
      `this confirms that ${newEmail} is now the email address of your eventfold account.`,
      'If you did not ask for this change, please contact us.',
    ]),
    html: htmlDocument('Your eventfold email address was changed', [
      escapeHtml(greeting(name)),
      `this confirms that <strong>${escapeHtml(newEmail)}</strong> is now the email address of your eventfold account.`,
      'If you did not ask for this change, please contact us.',
    ]),
  };
}
