import { escapeHtml, headerText, htmlDocument, textDocument } from './html';
import type { RenderedEmail } from './renderedEmail';

export interface WelcomeVars {
  readonly name: string;
  readonly email: string;
}

/** Sent on UserRegistered, to the address registered. */
export function welcomeEmail({ name, email }: WelcomeVars): RenderedEmail {
  return {
    subject: headerText(`Welcome to eventfold, ${name}`),
    text: textDocument([
      `Hello ${name},`,
      `welcome to eventfold. Your account is registered with the address ${email}.`,
      'If you did not register, you can ignore this message.',
    ]),
    html: htmlDocument('Welcome to eventfold', [
      `Hello ${escapeHtml(name)},`,
      `welcome to eventfold. Your account is registered with the address <strong>${escapeHtml(email)}</strong>.`,
      'If you did not register, you can ignore this message.',
    ]),
  };
}
