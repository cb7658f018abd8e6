import {
  checkCatalogCompatibility,
  confluentSchemaRegistry,
  loadSchemaCatalog,
  topicOfUserRecord,
  topicRecordSubject,
  type RecordSchemas,
} from '@eventfold/avro';
import { CliError, type Output } from './output';

export interface SchemasCheckOptions {
  readonly dir?: string;
  /** Confluent API base URL; when unset or unreachable, the check is local only. */
  readonly registryUrl?: string;
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
 * Every schema is valid Avro and BACKWARD_TRANSITIVE-compatible with all of its earlier versions: checked locally
 * with avsc's resolvers, and against the registry's compatibility endpoint when one is reachable.
 */
export async function schemasCheck(options: SchemasCheckOptions, out: Output): Promise<void> {
  let catalog: Map<string, RecordSchemas>;
  try {
    catalog = loadSchemaCatalog(options.dir);
  } catch (error) {
    throw new CliError(`schemas check: ${(error as Error).message}`);
  }
  const problems = checkCatalogCompatibility(catalog).map(
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
    `✓ ${catalog.size} schemas (${versions} versions) are valid Avro and BACKWARD_TRANSITIVE-compatible`,
  );
}
