import type { Collection, Document, Filter, WithId } from 'mongodb';

/**
 * The documents with these ids (those that exist), in one `$in` query: an index lookup on MongoDB and on our
 * FerretDB build (packages/infra/src/servers/ferretdbPatch: upstream FerretDB scans the collection for `$in`).
 */
export async function findByIds<T extends Document & { _id: string }>(
  collection: Collection<T>,
  ids: readonly string[],
): Promise<WithId<T>[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  return collection
    .find({ _id: { $in: unique } } as Filter<T>)
    .batchSize(unique.length + 1)
    .toArray();
}
