import { readLogLevel, type LogLevel } from '@eventfold/observability';
import { readKeySettings, type KeySettings } from '@eventfold/crypto';
import { EnvReader, ValidationError } from '@eventfold/core';
import { readKafkaSettings, type KafkaSettings } from '@eventfold/kafka';
import { UncertainDelivery } from './ledger/ledgerDecision';
import { parseSender, type Sender } from './mail/sender';
import { parseSmtpUrl, type SmtpEndpoint } from './mail/smtpUrl';

/** Everything the notifier reads from its environment (main.ts is the only caller). */
export interface NotifierConfig {
  readonly host: string;
  readonly port: number;
  /** Brokers, and TLS and SASL when set (`KAFKA_SECURITY_PROTOCOL`…): see `readKafkaSettings`. */
  readonly kafka: KafkaSettings;
  readonly schemaRegistryUrl: string;
  /** Prefixes topics and the consumer group: isolated environments side by side. */
  readonly topicPrefix: string;
  readonly mongoUri: string;
  readonly database: string;
  readonly smtp: SmtpEndpoint;
  readonly smtpTimeoutMs: number;
  readonly mailFrom: Sender;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly uncertainDelivery: UncertainDelivery;
  readonly uncertainSettleMs: number;
  /** The local SMTP sink's mailbox, asked about messages whose reply was lost; null: no relay record to ask. */
  readonly smtpMailboxDir: string | null;
  readonly maxEventAgeMs: number;
  readonly sessionTimeoutMs: number;
  readonly partitionsConsumedConcurrently: number;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly logLevel: LogLevel;
  readonly instanceId: string;
  /** The master key and the key store: events are decrypted after decoding. */
  readonly keys: KeySettings;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function readNotifierConfig(environment: NodeJS.ProcessEnv, instanceId: string): NotifierConfig {
  const env = new EnvReader(environment);
  const shards = env.list('MONGO_SHARDS', ['mongodb://127.0.0.1:27017/']);
  const smtpUrl = env.string('SMTP_URL', 'smtp://127.0.0.1:2525');
  const problems: string[] = [];
  const parsed = <T>(parse: () => T, fallback: T): T => {
    try {
      return parse();
    } catch (error) {
      problems.push((error as Error).message);
      return fallback;
    }
  };
  const smtp = parsed<SmtpEndpoint>(() => parseSmtpUrl(smtpUrl), {
    host: '',
    port: 0,
    secure: false,
    auth: null,
  });
  const mailFromValue = env.string('MAIL_FROM', 'eventfold <no-reply@eventfold.example>');
  const mailFrom = parsed<Sender>(() => parseSender(mailFromValue), { header: '', address: '' });
  const config: Omit<NotifierConfig, 'keys'> = {
    host: env.string('HOST', '127.0.0.1'),
    port: env.int('PORT', 8093, { min: 0, max: 65535 }),
    kafka: readKafkaSettings(env),
    schemaRegistryUrl: env.string('SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8081/apis/ccompat/v7'),
    topicPrefix: env.string('TOPIC_PREFIX', ''),
    mongoUri: env.string('MONGO_URI', shards[0] ?? 'mongodb://127.0.0.1:27017/'),
    database: env.string('NOTIFIER_DB', 'eventfold_notifier'),
    smtp,
    smtpTimeoutMs: env.int('SMTP_TIMEOUT_MS', 10_000, { min: 100, max: 600_000 }),
    mailFrom,
    maxAttempts: env.int('MAIL_MAX_ATTEMPTS', 6, { min: 1, max: 100 }),
    retryBaseMs: env.int('MAIL_RETRY_BASE_MS', 500, { min: 1, max: 3_600_000 }),
    retryMaxMs: env.int('MAIL_RETRY_MAX_MS', 30_000, { min: 1, max: 3_600_000 }),
    uncertainDelivery: env.oneOf(
      'MAIL_UNCERTAIN_DELIVERY',
      [UncertainDelivery.AssumeSent, UncertainDelivery.Resend],
      UncertainDelivery.AssumeSent,
    ),
    uncertainSettleMs: env.int('MAIL_UNCERTAIN_SETTLE_MS', 3000, { min: 0, max: 3_600_000 }),
    smtpMailboxDir: env.optional('SMTP_MAILBOX_DIR') ?? null,
    maxEventAgeMs: env.int('MAIL_MAX_EVENT_AGE_MS', 7 * DAY_MS, { min: 0 }),
    sessionTimeoutMs: env.int('CONSUMER_SESSION_TIMEOUT_MS', 10_000, { min: 6000, max: 300_000 }),
    partitionsConsumedConcurrently: env.int('PARTITIONS_CONSUMED_CONCURRENTLY', 12, { min: 1, max: 1000 }),
    replicationFactor: env.int('REPLICATION_FACTOR', 1, { min: 1, max: 10 }),
    minInsyncReplicas: env.int('MIN_INSYNC_REPLICAS', 1, { min: 1, max: 10 }),
    logLevel: readLogLevel(env),
    instanceId: env.string('INSTANCE_ID', instanceId),
  };
  env.check('notifier');
  const invalid = (why: string) =>
    new ValidationError('INVALID_CONFIGURATION', `notifier configuration is invalid: ${why}`);
  if (config.retryMaxMs < config.retryBaseMs)
    problems.push('MAIL_RETRY_MAX_MS must not be below MAIL_RETRY_BASE_MS');
  if (problems.length > 0) throw invalid(problems.join('; '));
  return { ...config, keys: readKeySettings(environment, config.mongoUri) };
}
