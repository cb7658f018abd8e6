import { createLogger } from '@eventfold/observability';
import { randomName, testEndpoints, testKeyEnvironment, waitFor } from '@eventfold/testing';
import { readProjectorConfig } from './config';
import { startProjectorService } from './projectorService';

describe('the projector on the real local stack', () => {
  it('gives its probes a request id and reports its start-up in /readyz until it is ready', async () => {
    const endpoints = testEndpoints();
    const config = readProjectorConfig(
      {
        ...testKeyEnvironment(),
        PORT: '0',
        KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
        SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
        MONGO_SHARDS: endpoints.mongoShards.join(','),
        TOPIC_PREFIX: `${randomName('projector')}.`,
        READ_DB: randomName('read').replace(/-/g, '_'),
        PARTITIONS: '2',
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      },
      randomName('instance'),
    );
    const fatal: unknown[] = [];
    const projector = await startProjectorService(config, {
      logger: createLogger('projector', config.logLevel),
      onFatal: (error) => fatal.push(error),
    });
    try {
      const health = await fetch(`${projector.url}/healthz`, { headers: { 'x-request-id': 'probe-7' } });
      expect(health.headers.get('x-request-id')).toBe('probe-7');
      await projector.started;
      const ready = await waitFor(
        async () => {
          const response = await fetch(`${projector.url}/readyz`);
          return response.ok && ((await response.json()) as { checks: Record<string, string> });
        },
        { timeoutMs: 90_000, description: 'the projector to be ready' },
      );
      expect(ready.checks).toEqual({ consumer: 'joined', versions: '1', control: 'up' });
      expect(fatal).toEqual([]);
    } finally {
      await projector.stop();
    }
  });
});
