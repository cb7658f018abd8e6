import { escapeHtml, greeting, htmlDocument, maskEmail, textDocument } from './html';
import type { RenderedEmail } from './renderedEmail';

export interface EmailChangeNoticeVars {
  readonly name: string | null;
  readonly newEmail: string;
}

/**
 * Sent on UserEmailChanged, to the old address, so that an owner who did not ask for the change learns of it. The
 * new address is masked: whoever reads the old mailbox may not be the user any more.
 */
export function emailChangeNoticeEmail({ name, newEmail }: EmailChangeNoticeVars): RenderedEmail {
  const masked = maskEmail(newEmail);
  return {
    subject: 'Your eventfold email address was changed',
    text: textDocument([
      greeting(name),
      `the email address of your eventfold account was changed to ${masked}. We will no longer write to this address.`,
      'If you did not ask for this change, please contact us at once.',
    ]),
    html: htmlDocument('Your eventfold email address was changed', [
      escapeHtml(greeting(name)),
      `the email address of your eventfold account was changed to <strong>${escapeHtml(masked)}</strong>. We will no longer write to this address.`,
      'If you did not ask for this change, please contact us at once.',
    ]),
  };
}
