import type { DocumentTable } from '@eventfold/embedded';
import type { RecordedUserEvent } from '@eventfold/users-domain';
import { evolveRecipient, type Recipient } from '@eventfold/notifier-service/src/recipients/recipient';
import type { RecipientStore } from '@eventfold/notifier-service/src/recipients/recipientStore';

/**
 * The recipients projection in a SQLite table, for the single-process mode; version-guarded like in MongoDB. A
 * UserForgotten, applied or redelivered, also truncates the WAL: the address and name it nulled are still there
 * in earlier images of the page.
 */
export class SqliteRecipientStore implements RecipientStore {
  constructor(private readonly table: DocumentTable<Recipient>) {}

  async apply(event: RecordedUserEvent) {
    const applied = this.write(event);
    if (event.type === 'UserForgotten') this.table.truncateWal();
    return applied;
  }

  private write(event: RecordedUserEvent) {
    for (;;) {
      const stored = this.table.find(event.metadata.streamId);
      const { recipient, outcome } = evolveRecipient(stored?.doc ?? null, event);
      if (outcome === 'duplicate' || recipient === null) return { recipient, outcome };
      const revision = (stored?.revision ?? 0) + 1;
      if (this.table.save(recipient.streamId, recipient, stored?.revision ?? null, revision))
        return { recipient, outcome };
    }
  }
}
