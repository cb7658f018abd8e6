import type { Collection, Document, Filter, WithId } from 'mongodb';

/** Up to this many ids are looked up one `{ _id }` query each, side by side; more go in one `$in` query. */
export const ONE_BY_ONE_UP_TO = 12;

/**
 * The documents with these ids (those that exist). FerretDB's SQLite backend answers `{ _id }` by scanning up to
 * the match and `$in` by scanning the whole collection (measured: ~12 ms against ~190 ms at 11,000 documents), so a
 * few ids go one by one, side by side, and many in one query. On MongoDB both are index lookups.
 */
export async function findByIds<T extends Document & { _id: string }>(
  collection: Collection<T>,
  ids: readonly string[],
): Promise<WithId<T>[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  if (unique.length <= ONE_BY_ONE_UP_TO) {
    const found: (WithId<T> | null)[] = await Promise.all(
      unique.map((id) => collection.findOne({ _id: id } as Filter<T>)),
    );
    return found.filter((d) => d !== null);
  }
  return collection
    .find({ _id: { $in: unique } } as Filter<T>)
    .batchSize(unique.length + 1)
    .toArray();
}
