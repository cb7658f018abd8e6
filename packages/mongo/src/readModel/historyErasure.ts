import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import { erasePersonalData, eventOfHistory } from '@eventfold/users-domain';
import type { ShardSet } from '../sharding/shardSet';
import { boundedBulkWrite, MAX_UPDATES_PER_COMMAND, serialised } from '../writes/boundedBulkWrite';
import type { ReadModelCollections, UserEventDocument } from './documents';

/**
 * Rewrites a forgotten user's stored history in its erased form (`erasePersonalData`): the documents of versions
 * 1..before-1, read one `_id` at a time (the only lookup FerretDB answers from an index) and updated in small
 * chunks, serialised with the projector's other writes to the shard (large concurrent bulk updates deadlock
 * FerretDB). Idempotent: an erased document is left as it is. Answers how many documents were rewritten.
 */
export async function eraseHistory(
  shards: ShardSet,
  names: ReadModelCollections,
  streamId: string,
  before: number,
): Promise<number> {
  const db = shards.dbs[shards.indexOf(streamId)]!;
  const history: Collection<UserEventDocument> = db.collection<UserEventDocument>(names.events);
  const updates: AnyBulkWriteOperation<UserEventDocument>[] = [];
  for (let from = 1; from < before; from += MAX_UPDATES_PER_COMMAND) {
    const versions = Array.from(
      { length: Math.min(MAX_UPDATES_PER_COMMAND, before - from) },
      (_, i) => from + i,
    );
    const docs = await Promise.all(versions.map((v) => history.findOne({ _id: `${streamId}:${v}` })));
    for (const doc of docs) {
      if (!doc) continue;
      const erased = erasePersonalData(eventOfHistory(doc)).data as Record<string, unknown>;
      if (JSON.stringify(erased) === JSON.stringify(doc.data)) continue;
      updates.push({ updateOne: { filter: { _id: doc._id }, update: { $set: { data: erased } } } });
    }
  }
  await serialised(db, () => boundedBulkWrite(history, updates));
  return updates.length;
}
