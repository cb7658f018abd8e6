import {
  confluentSchemaRegistry,
  loadSchemaCatalog,
  topicOfUserRecord,
  topicRecordSubject,
} from '@eventfold/avro';
import type { Output } from './output';

/** Registers every version of every schema, oldest first, under its subject. Idempotent. */
export async function schemasRegister(
  options: { dir?: string; registryUrl: string },
  out: Output,
): Promise<void> {
  const registry = confluentSchemaRegistry(options.registryUrl);
  for (const record of loadSchemaCatalog(options.dir).values()) {
    const subject = topicRecordSubject(topicOfUserRecord(record.fullName), record.fullName);
    const ids: number[] = [];
    for (const version of record.versions)
      ids.push(await registry.register(subject, JSON.stringify(version.json)));
    out.line(`${subject}: ${ids.map((id, i) => `v${i + 1}=${id}`).join(' ')}`);
  }
}
