import { readServiceSettings, type ServiceSettings } from '@eventfold/http';
import { readKeySettings, type KeySettings } from '@eventfold/crypto';
import { EnvReader } from '@eventfold/core';
import { readKafkaServiceSettings, type KafkaServiceSettings } from '@eventfold/kafka';

/** Everything the command service reads from its environment (main.ts is the only caller). */
export interface CommandServiceConfig extends ServiceSettings, KafkaServiceSettings {
  readonly partitions: number;
  readonly commandTimeoutMs: number;
  /** Longest wait for Kafka to acknowledge a command before answering 503. */
  readonly storeTimeoutMs: number;
  readonly idempotencyWindowMs: number;
  readonly idempotencyMaxCommands: number;
  /** A reservation of an address still unconfirmed this long after it was made is settled (decision 0016). */
  readonly emailReservationTimeoutMs: number;
  readonly bodyLimitBytes: number;
  /** `INTERNAL_TOKEN`: when set, every request but the probes must carry it (only the gateway knows it). */
  readonly internalToken: string | null;
  /** The master key and the key store: personal fields are encrypted under a data key per user. */
  readonly keys: KeySettings;
}

export function readCommandServiceConfig(
  environment: NodeJS.ProcessEnv,
  instanceId: string,
): CommandServiceConfig {
  const env = new EnvReader(environment);
  const config: Omit<CommandServiceConfig, 'keys'> = {
    ...readServiceSettings(env, 8090),
    ...readKafkaServiceSettings(env, instanceId),
    partitions: env.int('PARTITIONS', 12, { min: 1, max: 10_000 }),
    commandTimeoutMs: env.int('COMMAND_TIMEOUT_MS', 5000, { min: 100, max: 120_000 }),
    storeTimeoutMs: env.int('COMMAND_STORE_TIMEOUT_MS', 3000, { min: 100, max: 120_000 }),
    idempotencyWindowMs: env.int('IDEMPOTENCY_WINDOW_MS', 24 * 60 * 60 * 1000, { min: 1000 }),
    idempotencyMaxCommands: env.int('IDEMPOTENCY_MAX_COMMANDS', 100, { min: 1, max: 100_000 }),
    emailReservationTimeoutMs: env.int('EMAIL_RESERVATION_TIMEOUT_MS', 30_000, { min: 200, max: 3_600_000 }),
    bodyLimitBytes: env.int('BODY_LIMIT_BYTES', 16 * 1024, { min: 256, max: 10 * 1024 * 1024 }),
    internalToken: env.optional('INTERNAL_TOKEN') ?? null,
  };
  env.check('command service');
  return { ...config, keys: readKeySettings(environment, 'mongodb://127.0.0.1:27017/') };
}
