import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { RecordedUserEvent } from '@eventfold/users-domain';
import { evolveRecipient, type Recipient, type RecipientOutcome } from './recipient';

interface RecipientDocument extends Omit<Recipient, 'streamId'> {
  _id: string;
  updatedAt: Date;
}

export interface RecipientStore {
  /** Applies an event to its user's recipient (version-guarded) and answers the recipient as it now is. */
  apply(
    event: RecordedUserEvent,
    now: number,
  ): Promise<{ recipient: Recipient | null; outcome: RecipientOutcome }>;
}

const DUPLICATE_KEY = 11000;

/**
 * The recipients projection in MongoDB, one document per stream. One writer per stream (the owner of its
 * partition) applies events in stream order: it reads the document by `_id`, applies the event under the version
 * guard, and replaces by `_id` (FerretDB answers only single-`_id` filters from an index; a filter with the
 * version too would scan the collection). A zombie could still write an older version back; the next event of the
 * stream repairs the fields it carries.
 */
export class MongoRecipientStore implements RecipientStore {
  private constructor(private readonly collection: Collection<RecipientDocument>) {}

  static async open(db: Db, name = 'recipients'): Promise<MongoRecipientStore> {
    return new MongoRecipientStore(db.collection<RecipientDocument>(name));
  }

  async apply(event: RecordedUserEvent, now: number) {
    for (;;) {
      const stored = await this.collection.findOne({ _id: event.metadata.streamId });
      const current: Recipient | null = stored && { ...withoutStorage(stored), streamId: stored._id };
      const { recipient, outcome } = evolveRecipient(current, event);
      if (outcome === 'duplicate' || recipient === null) return { recipient, outcome };
      const { streamId, ...fields } = recipient;
      const document: RecipientDocument = { _id: streamId, ...fields, updatedAt: new Date(now) };
      if (current === null) {
        try {
          await this.collection.insertOne(document);
          return { recipient, outcome };
        } catch (error) {
          if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) continue;
          throw error;
        }
      }
      await this.collection.replaceOne({ _id: streamId }, document);
      return { recipient, outcome };
    }
  }
}

function withoutStorage({ _id: _unused, updatedAt: _updated, ...rest }: RecipientDocument) {
  return rest;
}
