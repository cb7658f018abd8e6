import { randomBytes } from 'node:crypto';
import { createLogger, type Logger } from '@eventfold/observability';
import { keyIdOf } from '../auth/apiKeys';
import { readGatewayConfig } from '../config';
import { startGatewayService, type RunningGatewayService } from '../gatewayService';

/** Random API keys, one per kind of caller the tests play. */
export function testKeys() {
  const key = () => randomBytes(24).toString('base64url');
  return { writer: key(), reader: key(), admin: key(), everything: key(), metrics: key() };
}

export type TestKeys = ReturnType<typeof testKeys>;

export function apiKeysSetting(keys: TestKeys): string {
  return [
    `${keys.writer}=users:read+users:write`,
    `${keys.reader}=users:read`,
    `${keys.admin}=admin`,
    `${keys.everything}=users:read+users:write+admin`,
    `${keys.metrics}=metrics`,
  ].join(',');
}

/** The key id secret of every test gateway in this process. */
export const TEST_KEY_ID_SECRET = randomBytes(32).toString('base64');

/** The actor a test gateway names to the backends for a key. */
export const actorOf = (key: string) => `key:${keyIdOf(key, TEST_KEY_ID_SECRET)}`;

/**
 * A gateway in this process on a free port, in front of the given backends, answering off-contract backend
 * answers with 502 (RESPONSE_VALIDATION=enforce) so that no test misses one.
 */
export async function startTestGateway(options: {
  commandUrl: string;
  queryUrl: string;
  env?: Record<string, string>;
  keys?: TestKeys;
  logger?: Logger;
}): Promise<{ gateway: RunningGatewayService; url: string; keys: TestKeys }> {
  const keys = options.keys ?? testKeys();
  const config = readGatewayConfig({
    PORT: '0',
    COMMAND_URL: options.commandUrl,
    QUERY_URL: options.queryUrl,
    API_KEYS: apiKeysSetting(keys),
    API_KEY_ID_SECRET: TEST_KEY_ID_SECRET,
    RESPONSE_VALIDATION: 'enforce',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...options.env,
  });
  const gateway = await startGatewayService(config, {
    logger: options.logger ?? createLogger('gateway', config.logLevel),
    clock: () => performance.now(),
    // A test's gateway that cannot go on fails the test.
    onFatal: (error) => {
      throw error;
    },
  });
  return { gateway, url: gateway.url, keys };
}
