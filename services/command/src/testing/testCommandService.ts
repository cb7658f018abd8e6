import { userTopicNames } from '@eventfold/avro';
import { createLogger } from '@eventfold/observability';
import { randomName, testEndpoints, testKeyEnvironment, waitFor } from '@eventfold/testing';
import { readCommandServiceConfig } from '../config';
import { startCommandService, type RunningCommandService } from '../commandService';

/** A command service in this process, on its own topics (a random prefix) and a free port. */
export async function startTestCommandService(
  options: {
    prefix?: string;
    partitions?: number;
    env?: Record<string, string>;
    /** The service's clock; the wall clock unless given (testClock() for a test that moves time ahead). */
    clock?: () => number;
  } = {},
) {
  const prefix = options.prefix ?? `${randomName('t')}.`;
  const endpoints = testEndpoints();
  const config = readCommandServiceConfig(
    {
      ...testKeyEnvironment(),
      PORT: '0',
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      TOPIC_PREFIX: prefix,
      PARTITIONS: String(options.partitions ?? 12),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...options.env,
    },
    randomName('instance'),
  );
  const fatal: unknown[] = [];
  const service: RunningCommandService = await startCommandService(config, {
    logger: createLogger('command', config.logLevel),
    clock: options.clock ?? Date.now,
    onFatal: (error) => fatal.push(error),
  });
  await service.started;
  await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, {
    timeoutMs: 60_000,
    description: 'the command service to be ready',
  });
  return { service, prefix, topics: userTopicNames(prefix), partitions: config.partitions, fatal };
}

export async function send(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
  };
}
