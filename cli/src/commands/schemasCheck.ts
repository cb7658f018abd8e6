import {
  AvroCodec,
  checkCatalogCompatibility,
  compatibilityOfRecord,
  INTEGRATION_TOPIC,
  checkSchemaIdsOnTail,
  confluentSchemaRegistry,
  loadSchemaCatalog,
  topicOfUserRecord,
  topicRecordSubject,
  UserTopics,
  type RecordSchemas,
  type SchemaRegistryPort,
} from '@eventfold/avro';
import type { EventLog } from '@eventfold/core';
import type { ClusterOptions } from '../cluster/clusterOptions';
import { CliError, type Output } from './output';

export interface SchemasCheckOptions {
  readonly dir?: string;
  /** Confluent API base URL; when unset or unreachable, the check is local only. */
  readonly registryUrl?: string;
  /** The log whose records must still name their schemas in that registry; unchecked when it is not reachable. */
  readonly log?: { readonly open: () => Promise<EventLog | null>; readonly cluster: ClusterOptions };
}

async function reachable(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url.replace(/\/$/, '')}/subjects`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Every schema is valid Avro and compatible with all of its earlier versions under its rule (compatibilityOfRecord): checked locally
 * with avsc's resolvers, and against the registry's compatibility endpoint when one is reachable.
 */
export async function schemasCheck(options: SchemasCheckOptions, out: Output): Promise<void> {
  let catalog: Map<string, RecordSchemas>;
  try {
    catalog = loadSchemaCatalog(options.dir);
  } catch (error) {
    throw new CliError(`schemas check: ${(error as Error).message}`);
  }
  const problems = checkCatalogCompatibility(catalog, compatibilityOfRecord).map(
    (p) => `${p.record} (${p.file}): field ${p.field ?? '(record)'}: ${p.rule}: ${p.message}`,
  );
  if (options.registryUrl && (await reachable(options.registryUrl))) {
    const registry = confluentSchemaRegistry(options.registryUrl);
    for (const record of catalog.values()) {
      const subject = topicRecordSubject(topicOfUserRecord(record.fullName), record.fullName);
      const verdict = await registry.checkCompatibility(subject, JSON.stringify(record.current.json));
      if (!verdict.compatible) {
        problems.push(
          `${record.fullName} (${record.current.file}): registry subject ${subject}: ${verdict.messages.join('; ') || 'incompatible'}`,
        );
      }
    }
    out.line(`checked against the registry at ${options.registryUrl}`);
    if (options.log) problems.push(...(await logProblems(options.log, registry, catalog, out)));
  } else {
    out.line(
      options.registryUrl
        ? `registry at ${options.registryUrl} not reachable: checked locally only`
        : 'no registry configured: checked locally only',
    );
  }
  if (problems.length > 0) {
    for (const problem of problems) out.error(`✗ ${problem}`);
    throw new CliError(
      `schemas check: ${problems.length} incompatible change${problems.length === 1 ? '' : 's'}`,
    );
  }
  const versions = [...catalog.values()].reduce((n, r) => n + r.versions.length, 0);
  out.line(
    `✓ ${catalog.size} schemas (${versions} versions) are valid Avro and compatible under their rules (BACKWARD_TRANSITIVE; FULL_TRANSITIVE for ${INTEGRATION_TOPIC})`,
  );
}

/**
 * The tail of each users topic read back with the registry's ids, as the services do at start-up: a registry that
 * lost its storage (and hands out its ids anew) is reported here before a service refuses to start on it.
 */
async function logProblems(
  target: NonNullable<SchemasCheckOptions['log']>,
  registry: SchemaRegistryPort,
  catalog: ReadonlyMap<string, RecordSchemas>,
  out: Output,
): Promise<string[]> {
  const log = await target.open();
  if (log === null) {
    out.line(`Kafka at ${target.cluster.kafka.brokers.join(',')} not reachable: the log is not checked`);
    return [];
  }
  const problems: string[] = [];
  try {
    for (const [name, base] of Object.entries(UserTopics)) {
      const records = [...catalog.values()].filter((r) => topicOfUserRecord(r.fullName) === base);
      const topic = target.cluster.topics[name as keyof typeof UserTopics];
      if (records.length === 0 || (await log.partitionCount(topic)) === null) continue;
      const codec = AvroCodec.reader({ registry, topic, records });
      try {
        const { checked } = await checkSchemaIdsOnTail(log, codec, topic);
        out.line(`${topic}: the last ${checked} records name schemas that fit them`);
      } catch (error) {
        problems.push(`${topic}: ${(error as Error).message}`);
      }
    }
  } finally {
    await log.close();
  }
  return problems;
}
