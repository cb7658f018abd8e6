import { readServiceSettings, type ServiceSettings } from '@eventfold/http';
import { readKeySettings, type KeySettings } from '@eventfold/crypto';
import { EnvReader, ValidationError } from '@eventfold/core';
import { readKafkaServiceSettings, type KafkaServiceSettings } from '@eventfold/kafka';
import { UncertainDelivery } from './ledger/ledgerDecision';
import { parseSender, type Sender } from './mail/sender';
import { parseSmtpUrl, type SmtpEndpoint } from './mail/smtpUrl';

/** Everything the notifier reads from its environment (main.ts is the only caller). */
export interface NotifierConfig extends ServiceSettings, KafkaServiceSettings {
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
  readonly partitionsConsumedConcurrently: number;
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
    ...readServiceSettings(env, 8093),
    ...readKafkaServiceSettings(env, instanceId),
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
    partitionsConsumedConcurrently: env.int('PARTITIONS_CONSUMED_CONCURRENTLY', 12, { min: 1, max: 1000 }),
  };
  env.check('notifier');
  const invalid = (why: string) =>
    new ValidationError('INVALID_CONFIGURATION', `notifier configuration is invalid: ${why}`);
  if (config.retryMaxMs < config.retryBaseMs)
    problems.push('MAIL_RETRY_MAX_MS must not be below MAIL_RETRY_BASE_MS');
  if (problems.length > 0) throw invalid(problems.join('; '));
  return { ...config, keys: readKeySettings(environment, config.mongoUri) };
}
