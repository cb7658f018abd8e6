import { escapeHtml, headerText, htmlDocument, textDocument } from './html';
import type { RenderedEmail } from './renderedEmail';

export interface NameChangedVars {
  readonly oldName: string;
  readonly newName: string;
  readonly reason: string | null;
}

/** Sent on UserNameChanged, to the user's current address. */
export function nameChangedEmail({ oldName, newName, reason }: NameChangedVars): RenderedEmail {
  const why = reason ? [`Reason given: ${reason}`] : [];
  return {
    subject: headerText(`Your eventfold name is now ${newName}`),
    text: textDocument([
      `Hello ${newName},`,
      `the name on your eventfold account was changed from ${oldName} to ${newName}.`,
      ...why,
      'If you did not ask for this change, please contact us.',
    ]),
    html: htmlDocument('Your eventfold name was changed', [
      `Hello ${escapeHtml(newName)},`,
      `the name on your eventfold account was changed from <strong>${escapeHtml(oldName)}</strong> to <strong>${escapeHtml(newName)}</strong>.`,
      ...why.map(escapeHtml),
      'If you did not ask for this change, please contact us.',
    ]),
  };
}
