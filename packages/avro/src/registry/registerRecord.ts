import type { RecordSchemas } from '../catalog/schemaCatalog';
import { DEFAULT_COMPATIBILITY, type CompatibilityLevel } from '../compatibility/compatibilityLevel';
import type { SchemaRegistryPort } from './schemaRegistry';

/**
 * Gives `subject` its compatibility rule, then registers every version of `record` under it, oldest first, and
 * answers their ids in the same order. Idempotent, and safe when several processes do it at once: it is what each
 * service does at start-up for the records it writes and reads, and what `eventfold schemas register` does for all.
 */
export async function registerRecord(
  registry: SchemaRegistryPort,
  subject: string,
  record: RecordSchemas,
  level: CompatibilityLevel = DEFAULT_COMPATIBILITY,
): Promise<number[]> {
  await registry.setCompatibility(subject, level);
  const ids: number[] = [];
  for (const version of record.versions)
    ids.push(await registry.register(subject, JSON.stringify(version.json)));
  return ids;
}
