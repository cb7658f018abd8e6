import { createLogger } from '@eventfold/observability';
import { randomName, scrapeMetric, testEndpoints, testKeyEnvironment, waitFor } from '@eventfold/testing';
import { readNotifierConfig } from '../config';
import { startNotifierService, type RunningNotifierService } from '../notifierService';

/** The environment a test notifier runs with: the harness's servers, a random database, fast retries. */
export function testNotifierEnv(prefix: string, database: string, env: Record<string, string> = {}) {
  const endpoints = testEndpoints();
  return {
    ...testKeyEnvironment(),
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
    MONGO_SHARDS: endpoints.mongoShards.join(','),
    SMTP_URL: endpoints.smtpUrl,
    ...(endpoints.mailboxDir ? { SMTP_MAILBOX_DIR: endpoints.mailboxDir } : {}),
    TOPIC_PREFIX: prefix,
    NOTIFIER_DB: database,
    MAIL_FROM: 'eventfold tests <no-reply@eventfold.example>',
    MAIL_RETRY_BASE_MS: '100',
    MAIL_RETRY_MAX_MS: '1000',
    MAIL_UNCERTAIN_SETTLE_MS: '1000',
    CONSUMER_SESSION_TIMEOUT_MS: '6000',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  };
}

/** A notifier in this process, on the topics of `prefix` and a database of its own, ready when this resolves. */
export async function startTestNotifier(options: {
  prefix: string;
  database?: string;
  env?: Record<string, string>;
}) {
  const database = options.database ?? randomName('notifier');
  const config = readNotifierConfig(
    { PORT: '0', ...testNotifierEnv(options.prefix, database, options.env) },
    randomName('instance'),
  );
  const fatal: unknown[] = [];
  const service: RunningNotifierService = await startNotifierService(config, {
    logger: createLogger('notifier', config.logLevel),
    clock: Date.now,
    random: Math.random,
    onFatal: (error) => fatal.push(error),
  });
  await service.started;
  await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, {
    timeoutMs: 60_000,
    description: 'the notifier to be ready',
  });
  return {
    service,
    database,
    config,
    fatal,
    metric: (name: string, labels: Record<string, string> = {}) => scrapeMetric(service.url, name, labels),
  };
}
