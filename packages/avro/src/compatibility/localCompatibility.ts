import type avro from 'avsc';
import type { RecordSchemas } from '../catalog/schemaCatalog';
import { DEFAULT_COMPATIBILITY, type CompatibilityLevel } from './compatibilityLevel';

/** One way in which a reader schema cannot read data written with a writer schema. */
export interface ReadingProblem {
  readonly field: string | null;
  readonly rule: 'field-added-without-default' | 'field-type-changed' | 'not-resolvable';
  /** Says what is wrong; `writer` and `reader` name the two versions in the words of the caller. */
  readonly message: string;
}

/** One way in which the current version of a record cannot read data written with an earlier one. */
export interface CompatibilityProblem extends ReadingProblem {
  readonly record: string;
  readonly file: string;
  readonly againstVersion: number;
}

const typeName = (type: avro.Type) => type.branchName ?? type.typeName;

/**
 * Why `reader` cannot read what `writer` wrote, field by field (avsc's resolvers decide): a field the reader has
 * and the writer lacks needs a default, and a field both have must resolve from the writer's type to the reader's.
 * `writerName` and `readerName` say which versions these are, in the messages (for example `v1` and `v2`).
 */
export function readingProblems(
  reader: avro.Type,
  writer: avro.Type,
  names: { readonly reader: string; readonly writer: string },
): ReadingProblem[] {
  const problems: ReadingProblem[] = [];
  const readerType = reader as avro.types.RecordType;
  const writerType = writer as avro.types.RecordType;
  for (const field of readerType.fields ?? []) {
    const aliases = [field.name, ...field.aliases];
    const written = writerType.fields?.find((f) => aliases.includes(f.name));
    if (!written) {
      if (field.defaultValue() === undefined) {
        problems.push({
          field: field.name,
          rule: 'field-added-without-default',
          message: `field '${field.name}' of ${names.reader} has no default and is missing from ${names.writer}, so data written with ${names.writer} cannot be read`,
        });
      }
      continue;
    }
    try {
      field.type.createResolver(written.type);
    } catch {
      problems.push({
        field: field.name,
        rule: 'field-type-changed',
        message: `field '${field.name}' changed type from ${typeName(written.type)} (${names.writer}) to ${typeName(field.type)} (${names.reader}), which Avro cannot resolve`,
      });
    }
  }
  if (problems.length === 0) {
    try {
      reader.createResolver(writer);
    } catch (error) {
      problems.push({
        field: null,
        rule: 'not-resolvable',
        message: `${names.reader} cannot read data written with ${names.writer}: ${(error as Error).message}`,
      });
    }
  }
  return problems;
}

/**
 * Whether `candidate` may follow `earlier` (oldest first) under `level`, as a registry would decide: BACKWARD
 * means the candidate reads what the earlier versions wrote, FORWARD that they read what it writes, FULL both;
 * TRANSITIVE checks against every earlier version, otherwise only the latest.
 */
export function compatibilityProblems(
  candidate: avro.Type,
  earlier: readonly avro.Type[],
  level: CompatibilityLevel,
): ReadingProblem[] {
  if (level === 'NONE') return [];
  const against = level.endsWith('_TRANSITIVE') ? earlier : earlier.slice(-1);
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  return against.flatMap((older, i) => {
    const version = `version ${earlier.length - against.length + i + 1}`;
    return [
      ...(backward ? readingProblems(candidate, older, { reader: 'the new schema', writer: version }) : []),
      ...(forward ? readingProblems(older, candidate, { reader: version, writer: 'the new schema' }) : []),
    ];
  });
}

/**
 * Each record's rule (`levelOf`; BACKWARD_TRANSITIVE unless told), checked locally with avsc's resolvers: under
 * BACKWARD the current version of a record must read data written with each earlier version, under FULL each
 * earlier version must also read data written with the current one.
 */
export function checkCatalogCompatibility(
  catalog: ReadonlyMap<string, RecordSchemas>,
  levelOf: (fullName: string) => CompatibilityLevel = () => DEFAULT_COMPATIBILITY,
): CompatibilityProblem[] {
  return [...catalog.values()].flatMap((record) => {
    const level = levelOf(record.fullName);
    const transitive = level === 'NONE' || level.endsWith('_TRANSITIVE');
    const earlier = record.versions.slice(0, -1);
    const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
    const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
    return (transitive ? earlier : earlier.slice(-1)).flatMap((older) => {
      if (level === 'NONE') return [];
      const current = `v${record.current.version}`;
      const old = `v${older.version}`;
      return [
        ...(backward
          ? readingProblems(record.current.type, older.type, { reader: current, writer: old })
          : []),
        ...(forward
          ? readingProblems(older.type, record.current.type, { reader: old, writer: current })
          : []),
      ].map((problem) => ({
        ...problem,
        message: `${problem.message} (${level})`,
        record: record.fullName,
        file: record.current.file,
        againstVersion: older.version,
      }));
    });
  });
}
