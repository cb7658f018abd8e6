/**
 * A change of meaning between two versions of a record, which Avro's schema resolution cannot express: it turns
 * a value written with `fromVersion` into what `fromVersion + 1` means. Pure.
 */
export interface Upcaster {
  readonly record: string;
  readonly fromVersion: number;
  upcast(value: Record<string, unknown>): Record<string, unknown>;
}

/** Applies, in order, every upcaster between the writer's version and the reader's. */
export function upcast(
  upcasters: readonly Upcaster[],
  record: string,
  writerVersion: number,
  readerVersion: number,
  value: Record<string, unknown>,
): Record<string, unknown> {
  return upcastersBetween(upcasters, record, writerVersion, readerVersion).reduce(
    (v, u) => u.upcast(v),
    value,
  );
}

/** The upcasters {@link upcast} applies, in the order it applies them: a codec chooses them once per schema id. */
export function upcastersBetween(
  upcasters: readonly Upcaster[],
  record: string,
  writerVersion: number,
  readerVersion: number,
): readonly Upcaster[] {
  return upcasters
    .filter((u) => u.record === record && u.fromVersion >= writerVersion && u.fromVersion < readerVersion)
    .sort((a, b) => a.fromVersion - b.fromVersion);
}
