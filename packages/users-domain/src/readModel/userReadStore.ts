import type { ReadStore } from '@eventfold/core';
import type { RecordedUserEvent } from '../events';
import type { UserDocument, UserEventDocument } from './userDocuments';

/** The users read model behind the read store port: MongoDB shards or SQLite. */
export interface UserReadStore extends ReadStore<RecordedUserEvent, UserDocument, UserEventDocument> {
  /**
   * Rewrites the stored history of a forgotten user, versions 1..before-1, in its erased form
   * (`erasePersonalData`); idempotent. Answers how many events were rewritten.
   */
  eraseHistory(streamId: string, before: number): Promise<number>;
}
