import type { Recipient } from './recipient';

/** A stored recipient and the revision it was stored at. */
export interface StoredRecipient {
  readonly recipient: Recipient;
  readonly revision: number;
}

/**
 * Where the recipients projection keeps one document per stream, as stored (its personal fields sealed): MongoDB,
 * or a SQLite table in the embedded mode. The projection (recipientProjection.ts) reads, evolves and writes back.
 */
export interface RecipientDocuments {
  find(streamId: string): Promise<StoredRecipient | null>;
  /**
   * Stores `recipient` if the stored revision is still `expected` (null: only if there is none yet); answers
   * whether it wrote. A store with one writer per stream may replace without comparing.
   */
  save(recipient: Recipient, expected: number | null, now: number): Promise<boolean>;
}
