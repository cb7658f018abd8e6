import type avro from 'avsc';
import type { RecordSchemas, SchemaVersion } from '../catalog/schemaCatalog';

/** One way in which the current version of a record cannot read data written with an earlier one. */
export interface CompatibilityProblem {
  readonly record: string;
  readonly file: string;
  readonly againstVersion: number;
  readonly field: string | null;
  readonly rule: 'field-added-without-default' | 'field-type-changed' | 'not-resolvable';
  readonly message: string;
}

const typeName = (type: avro.Type) => type.branchName ?? type.typeName;

function problemsBetween(
  record: RecordSchemas,
  reader: SchemaVersion,
  writer: SchemaVersion,
): CompatibilityProblem[] {
  const problems: CompatibilityProblem[] = [];
  const problem = (field: string | null, rule: CompatibilityProblem['rule'], message: string) =>
    problems.push({
      record: record.fullName,
      file: reader.file,
      againstVersion: writer.version,
      field,
      rule,
      message,
    });
  const readerType = reader.type as avro.types.RecordType;
  const writerType = writer.type as avro.types.RecordType;
  for (const field of readerType.fields) {
    const names = [field.name, ...field.aliases];
    const written = writerType.fields.find((f) => names.includes(f.name));
    if (!written) {
      if (field.defaultValue() === undefined) {
        problem(
          field.name,
          'field-added-without-default',
          `field '${field.name}' was added without a default, so data written with v${writer.version} cannot be read (BACKWARD_TRANSITIVE)`,
        );
      }
      continue;
    }
    try {
      field.type.createResolver(written.type);
    } catch {
      problem(
        field.name,
        'field-type-changed',
        `field '${field.name}' changed type from ${typeName(written.type)} (v${writer.version}) to ${typeName(field.type)}, which Avro cannot resolve (BACKWARD_TRANSITIVE)`,
      );
    }
  }
  if (problems.length === 0) {
    try {
      reader.type.createResolver(writer.type);
    } catch (error) {
      problem(
        null,
        'not-resolvable',
        `cannot read data written with v${writer.version}: ${(error as Error).message}`,
      );
    }
  }
  return problems;
}

/**
 * BACKWARD_TRANSITIVE, checked locally with avsc's resolvers: the current version of every record must read data
 * written with each of its earlier versions.
 */
export function checkCatalogCompatibility(
  catalog: ReadonlyMap<string, RecordSchemas>,
): CompatibilityProblem[] {
  return [...catalog.values()].flatMap((record) =>
    record.versions.slice(0, -1).flatMap((older) => problemsBetween(record, record.current, older)),
  );
}
