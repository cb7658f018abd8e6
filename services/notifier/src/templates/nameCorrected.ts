import { escapeHtml, headerText, htmlDocument, textDocument } from './html';
import type { RenderedEmail } from './renderedEmail';

export interface NameCorrectedVars {
  readonly oldName: string;
  readonly newName: string;
  readonly reason: string;
}

/** Sent on UserNameCorrected (a fix of how the name was recorded, not a new name), to the current address. */
export function nameCorrectedEmail({ oldName, newName, reason }: NameCorrectedVars): RenderedEmail {
  return {
    subject: headerText(`We corrected your name on eventfold: ${newName}`),
    text: textDocument([
      `Hello ${newName},`,
      `we corrected how your name is recorded on eventfold: ${oldName} is now ${newName}.`,
      `Reason: ${reason}`,
      'If this is not right, please contact us.',
    ]),
    html: htmlDocument('We corrected your name on eventfold', [
      `Hello ${escapeHtml(newName)},`,
      `we corrected how your name is recorded on eventfold: <strong>${escapeHtml(oldName)}</strong> is now <strong>${escapeHtml(newName)}</strong>.`,
      `Reason: ${escapeHtml(reason)}`,
      'If this is not right, please contact us.',
    ]),
  };
}
