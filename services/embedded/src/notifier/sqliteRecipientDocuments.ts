import type { DocumentTable } from '@eventfold/embedded';
import type { Recipient, RecipientDocuments, StoredRecipient } from '@eventfold/notifier-service';

/** The recipients in a SQLite table, for the single-process mode: written only over the revision read. */
export class SqliteRecipientDocuments implements RecipientDocuments {
  constructor(private readonly table: DocumentTable<Recipient>) {}

  async find(streamId: string): Promise<StoredRecipient | null> {
    const stored = this.table.find(streamId);
    return stored && { recipient: stored.doc, revision: stored.revision };
  }

  async save(recipient: Recipient, expected: number | null): Promise<boolean> {
    return this.table.save(recipient.streamId, recipient, expected, (expected ?? 0) + 1);
  }
}
