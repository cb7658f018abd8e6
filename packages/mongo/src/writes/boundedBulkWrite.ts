import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';

/**
 * FerretDB (the MongoDB-compatible server used locally) keeps one pooled SQLite connection per statement of an
 * update command until the whole command ends, and its pool per database holds 100: a few concurrent bulk updates
 * of 30+ statements exhaust it and deadlock the server. So update statements go in small chunks, one chunk at a
 * time per database in this process. On MongoDB this costs a few round trips and nothing else.
 */
export const MAX_UPDATES_PER_COMMAND = 16;

const queues = new WeakMap<object, Promise<unknown>>();

/** Runs `work` after every earlier `serialised` call on the same key (a database) has settled. */
export function serialised<T>(key: object, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  queues.set(key, next);
  return next;
}

/** An ordered bulk write in chunks of at most {@link MAX_UPDATES_PER_COMMAND} statements. */
export async function boundedBulkWrite<T extends Document>(
  collection: Collection<T>,
  operations: AnyBulkWriteOperation<T>[],
): Promise<void> {
  for (let start = 0; start < operations.length; start += MAX_UPDATES_PER_COMMAND) {
    await collection.bulkWrite(operations.slice(start, start + MAX_UPDATES_PER_COMMAND), { ordered: true });
  }
}
