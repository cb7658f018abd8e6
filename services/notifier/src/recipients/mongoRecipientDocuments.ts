import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { Recipient } from './recipient';
import type { RecipientDocuments, StoredRecipient } from './recipientDocuments';

interface RecipientDocument extends Omit<Recipient, 'streamId'> {
  _id: string;
  revision: number;
  updatedAt: Date;
}

const DUPLICATE_KEY = 11000;

/**
 * The recipients in MongoDB, one document per stream, read and replaced by `_id` alone: FerretDB answers only
 * single-`_id` filters from an index, and a filter with the revision too would scan the collection. So a write
 * replaces without comparing (there is one writer per stream); a zombie could still write an older version back,
 * and the next event of the stream repairs the fields it carries. Only a first insert can lose, to another insert.
 */
export class MongoRecipientDocuments implements RecipientDocuments {
  private constructor(private readonly collection: Collection<RecipientDocument>) {}

  static open(db: Db, name = 'recipients'): MongoRecipientDocuments {
    return new MongoRecipientDocuments(db.collection<RecipientDocument>(name));
  }

  async find(streamId: string): Promise<StoredRecipient | null> {
    const stored = await this.collection.findOne({ _id: streamId });
    if (!stored) return null;
    const { _id, revision, updatedAt: _updated, ...fields } = stored;
    return { recipient: { ...fields, streamId: _id }, revision: revision ?? 0 };
  }

  async save(recipient: Recipient, expected: number | null, now: number): Promise<boolean> {
    const { streamId, ...fields } = recipient;
    const document: RecipientDocument = {
      _id: streamId,
      ...fields,
      revision: (expected ?? 0) + 1,
      updatedAt: new Date(now),
    };
    if (expected !== null) {
      await this.collection.replaceOne({ _id: streamId }, document);
      return true;
    }
    try {
      await this.collection.insertOne(document);
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return false;
      throw error;
    }
  }
}
