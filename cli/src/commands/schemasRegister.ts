import {
  compatibilityOfRecord,
  confluentSchemaRegistry,
  loadSchemaCatalog,
  registerRecord,
  topicOfUserRecord,
  topicRecordSubject,
} from '@eventfold/avro';
import type { Output } from './output';

/**
 * Registers every version of every schema, oldest first, under its subject, as the services do at start-up: for a
 * deploy pipeline that wants an incompatible schema refused before a rollout begins. Idempotent.
 */
export async function schemasRegister(
  options: { dir?: string; registryUrl: string },
  out: Output,
): Promise<void> {
  const registry = confluentSchemaRegistry(options.registryUrl);
  for (const record of loadSchemaCatalog(options.dir).values()) {
    const subject = topicRecordSubject(topicOfUserRecord(record.fullName), record.fullName);
    const ids = await registerRecord(registry, subject, record, compatibilityOfRecord(record.fullName));
    out.line(`${subject}: ${ids.map((id, i) => `v${i + 1}=${id}`).join(' ')}`);
  }
}
