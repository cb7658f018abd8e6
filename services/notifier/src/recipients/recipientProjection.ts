import type { RecordedUserEvent } from '@eventfold/users-domain';
import { evolveRecipient, type Recipient, type RecipientOutcome } from './recipient';
import type { RecipientDocuments } from './recipientDocuments';
import { openRecipient, sealRecipient, type TextCipher } from './recipientSealing';

/** The recipients projection, as the event processor uses it. */
export interface RecipientStore {
  /** Applies an event to its user's recipient (version-guarded) and answers the recipient as it now is. */
  apply(
    event: RecordedUserEvent,
    now: number,
  ): Promise<{ recipient: Recipient | null; outcome: RecipientOutcome }>;
}

/**
 * Applies events to the stored recipients: read the stream's document, open its sealed fields, evolve under the
 * version guard, seal and write back (again from the read when another writer got there first). One writer per
 * stream (the owner of its partition) applies events in stream order.
 */
export class RecipientProjection implements RecipientStore {
  constructor(
    private readonly documents: RecipientDocuments,
    private readonly cipher: TextCipher,
  ) {}

  async apply(event: RecordedUserEvent, now: number) {
    for (;;) {
      const stored = await this.documents.find(event.metadata.streamId);
      const current = stored && (await openRecipient(stored.recipient, this.cipher));
      const { recipient, outcome } = evolveRecipient(current, event);
      if (outcome === 'duplicate' || recipient === null) return { recipient, outcome };
      const sealed = await sealRecipient(recipient, this.cipher);
      if (await this.documents.save(sealed, stored?.revision ?? null, now)) return { recipient, outcome };
    }
  }
}
