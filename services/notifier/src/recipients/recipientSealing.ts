import type { Recipient } from './recipient';

/** What the projection needs of the personal data cipher: one string at a time, under the user's data key. */
export interface TextCipher {
  sealText(streamId: string, path: string, plaintext: string): Promise<string>;
  openText(streamId: string, path: string, text: string): Promise<string>;
}

const PERSONAL = ['email', 'name'] as const;

async function mapPersonal(
  recipient: Recipient,
  map: (path: string, value: string) => Promise<string>,
): Promise<Recipient> {
  const changed: Partial<Record<(typeof PERSONAL)[number], string>> = {};
  for (const field of PERSONAL) {
    const value = recipient[field];
    if (value !== null) changed[field] = await map(`recipient.${field}`, value);
  }
  return { ...recipient, ...changed };
}

/**
 * The recipient as stored: its address and name sealed under the user's data key (crypto-shredding, like the log),
 * so that forgetting the user erases them from the notifier's files too, with nothing to overwrite there.
 */
export const sealRecipient = (recipient: Recipient, cipher: TextCipher): Promise<Recipient> =>
  mapPersonal(recipient, (path, value) => cipher.sealText(recipient.streamId, path, value));

/** The recipient as stored, opened: plaintext, or `[erased]` once the user is forgotten. */
export const openRecipient = (recipient: Recipient, cipher: TextCipher): Promise<Recipient> =>
  mapPersonal(recipient, (path, value) => cipher.openText(recipient.streamId, path, value));
