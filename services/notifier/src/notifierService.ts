import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MongoClient } from 'mongodb';
import {
  checkSchemaIdsOnTail,
  confluentSchemaRegistry,
  loadSchemaCatalog,
  userEventCodec,
  userTopicNames,
  type SchemaRegistryPort,
} from '@eventfold/avro';
import { InfrastructureError, type EventLog, type Mailer } from '@eventfold/core';
import { PersonalDataCipher, PersonalDataCodec, type ConnectedKeyStore } from '@eventfold/crypto';
import { connectKeyStore } from '@eventfold/mongo';
import { createKafka, KafkaEventLog } from '@eventfold/kafka';
import { createMetricsRegistry, type Logger, type Registry } from '@eventfold/observability';
import type { NotifierConfig } from './config';
import { NotifierConsumer } from './consumer/notifierConsumer';
import { LogDeadLetters } from './deadLetters/logDeadLetters';
import { NotificationDelivery } from './delivery/notificationDelivery';
import { notifierApp } from './http/notifierApp';
import type { Ledger } from './ledger/ledger';
import { MongoLedger } from './ledger/mongoLedger';
import { noRelayLookup, sinkMailboxLookup } from './mail/relayLookup';
import { smtpMailer } from './mail/smtpMailer';
import { notifierMetrics } from './notifierMetrics';
import { eventProcessor } from './processing/eventProcessor';
import { MongoRecipientDocuments } from './recipients/mongoRecipientDocuments';
import type { RecipientDocuments } from './recipients/recipientDocuments';
import { RecipientProjection } from './recipients/recipientProjection';
import { notificationsDlqTopic, notifierGroupId, notifierReaderGroupPrefix } from './kafkaNames';

/** The notifier's own state: the ledger of notifications and the recipients projection. */
export interface NotifierStores {
  readonly ledger: Ledger;
  /** The recipients as stored: the notifier seals their address and name under the user's data key. */
  readonly recipients: RecipientDocuments;
  /** `reachable`, or why not. */
  health(): Promise<string>;
  close(): Promise<void>;
}

/** Where the notifier reads events, keeps its state and sends mail: Kafka, MongoDB and SMTP, or embedded ones. */
export interface NotifierAdapters {
  readonly log: EventLog;
  readonly schemaRegistry: SchemaRegistryPort;
  readonly mailer: Mailer;
  readonly openStores: () => Promise<NotifierStores>;
  /** Opens the users' data keys; throws a MasterKeyError (not retriable) when the master key is not the store's. */
  readonly openKeyStore: () => Promise<ConnectedKeyStore>;
}

export interface NotifierDeps {
  readonly logger: Logger;
  readonly clock: () => number;
  /** In [0, 1): backoff jitter. */
  readonly random: () => number;
  /** The consumer crashed for good: the process should exit and be restarted. */
  readonly onFatal: (error: unknown) => void;
  /** The adapters to use; by default Kafka, the registry, MongoDB and SMTP of the configuration. */
  readonly adapters?: NotifierAdapters;
}

export interface RunningNotifier {
  readonly url: string;
  /** Resolves once connected (MongoDB, Kafka, registry) and consuming; rejects only if stopped first. */
  readonly started: Promise<void>;
  readonly metrics: Registry;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export { notificationsDlqTopic, notifierGroupId } from './kafkaNames';

/**
 * Assembles the notifier: the HTTP server first (so /healthz and /readyz answer at once), then, retrying until
 * they answer, MongoDB (ledger and recipients), the dead-letter topic and producer, the event codec and the
 * consumer group on users.events.
 */
export async function startNotifierService(
  config: NotifierConfig,
  deps: NotifierDeps,
): Promise<RunningNotifier> {
  const { logger } = deps;
  const registry = createMetricsRegistry('notifier');
  const metrics = notifierMetrics(registry);
  const topics = userTopicNames(config.topicPrefix);
  const dlqTopic = notificationsDlqTopic(config.topicPrefix);
  let stores: NotifierStores | null = null;
  let consumer: NotifierConsumer | null = null;
  let startupProblem = 'connecting to MongoDB, Kafka and the schema registry';
  let stopped = false;

  const storesReachable = async (): Promise<string> => {
    if (!stores) return 'not connected';
    return Promise.race([stores.health(), sleep(1000).then(() => 'unreachable: no answer within 1 s')]);
  };

  const app = notifierApp({
    metrics: registry,
    logger,
    readiness: async (): Promise<{ ready: boolean; checks: Record<string, string> }> => {
      if (!consumer) return { ready: false, checks: { startup: startupProblem } };
      const mongoStatus = await storesReachable();
      const joined = consumer.isJoined;
      return {
        ready: joined && mongoStatus === 'reachable',
        checks: {
          kafka: joined ? 'joined the consumer group' : 'joining the consumer group',
          mongo: mongoStatus,
        },
      };
    },
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;

  const adapters = deps.adapters ?? productionAdapters(config, logger);
  const { log, mailer } = adapters;

  let keyStore: ConnectedKeyStore | null = null;
  const connect = async () => {
    // First: a wrong master key stops the notifier here (not retriable).
    const keys = await adapters.openKeyStore();
    keyStore = keys;
    logger.info({ masterKey: keys.fingerprint }, 'key store open');
    stores = await adapters.openStores();
    const { ledger } = stores;
    const partitions = await log.partitionCount(topics.events);
    if (partitions === null)
      throw new InfrastructureError(
        'EVENTS_TOPIC_MISSING',
        `Topic ${topics.events} does not exist yet (the command service creates it)`,
      );
    await log.ensureTopics([
      {
        topic: dlqTopic,
        partitions,
        config: { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1' },
      },
    ]);
    const catalog = loadSchemaCatalog();
    const cipher = new PersonalDataCipher({ catalog, keys: keys.keys });
    // Decrypted after decoding: a forgotten user's events come erased, and an erased address is never mailed.
    const codec = new PersonalDataCodec(
      await userEventCodec(adapters.schemaRegistry, catalog, { topic: topics.events }),
      cipher,
    );
    // A registry that forgot the ids the events were written with stops the service here (not retriable).
    await checkSchemaIdsOnTail(log, codec, topics.events);
    const deadLetters = new LogDeadLetters(log, dlqTopic, notifierGroupId(config.topicPrefix));
    const delivery = new NotificationDelivery({
      ledger,
      submitter: mailer,
      relay: mailer,
      deadLetters,
      metrics,
      logger,
      clock: deps.clock,
      random: deps.random,
      policy: {
        maxAttempts: config.maxAttempts,
        baseDelayMs: config.retryBaseMs,
        maxDelayMs: config.retryMaxMs,
        settleMs: config.uncertainSettleMs,
        uncertain: config.uncertainDelivery,
      },
      mailFrom: config.mailFrom,
      maxEventAgeMs: config.maxEventAgeMs,
    });
    const handler = eventProcessor({
      topic: topics.events,
      codec,
      evict: (streamId) => keys.keys.evict(streamId),
      recipients: new RecipientProjection(stores.recipients, cipher),
      delivery,
      deadLetters,
      metrics,
      logger,
      clock: deps.clock,
    });
    const started = new NotifierConsumer({
      log,
      groupId: notifierGroupId(config.topicPrefix),
      topic: topics.events,
      handler,
      logger,
      sessionTimeoutMs: config.sessionTimeoutMs,
      partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
      failureBackoff: { baseMs: 500, maxMs: 10_000 },
      onFatal: deps.onFatal,
      prepareBatch: (records) => codec.prefetchKeys(records),
    });
    await started.start();
    consumer = started;
    logger.info(
      { relayLookup: mailer.description, uncertainDelivery: config.uncertainDelivery },
      'notifier consuming',
    );
  };

  // The parts as they are now, cleared at once so that a second stop (or a retry of connect) finds none of them.
  const stopParts = async () => {
    const parts = { consumer, stores, keys: keyStore };
    consumer = null;
    stores = null;
    keyStore = null;
    await parts.consumer?.stop();
    await parts.stores?.close().catch(() => undefined);
    await parts.keys?.close().catch(() => undefined);
  };

  const started = (async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        await connect();
        logger.info({ port }, 'notifier started');
        return;
      } catch (error) {
        startupProblem = `attempt ${attempt} failed: ${(error as Error).message}`;
        logger.warn({ err: error, attempt }, 'notifier could not start yet; retrying');
        await stopParts();
        if ((error as { retriable?: boolean }).retriable === false) {
          deps.onFatal(error);
          return;
        }
        await sleep(Math.min(500 * attempt, 5000));
      }
    }
  })();

  return {
    url: `http://${config.host}:${port}`,
    started,
    metrics: registry,
    async stop() {
      stopped = true;
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await stopParts();
      if (!deps.adapters) await Promise.allSettled([mailer.close(), log.close()]);
    },
  };
}

/** The production adapters: Kafka, the Confluent-compatible registry, MongoDB and an SMTP relay. */
function productionAdapters(config: NotifierConfig, logger: Logger): NotifierAdapters {
  return {
    log: new KafkaEventLog({
      kafka: createKafka({ ...config.kafka, clientId: `notifier-${config.instanceId}`, logger }),
      logger,
      readerGroupPrefix: notifierReaderGroupPrefix(config.topicPrefix),
      replicationFactor: config.replicationFactor,
      minInsyncReplicas: config.minInsyncReplicas,
    }),
    schemaRegistry: confluentSchemaRegistry(config.schemaRegistryUrl),
    mailer: smtpMailer(
      {
        endpoint: config.smtp,
        timeoutMs: config.smtpTimeoutMs,
        clientName: 'eventfold-notifier',
        maxIdleSessions: config.partitionsConsumedConcurrently,
      },
      config.smtpMailboxDir ? sinkMailboxLookup(config.smtpMailboxDir) : noRelayLookup,
    ),
    openStores: async () => {
      const client = new MongoClient(config.mongoUri, {
        serverSelectionTimeoutMS: 5000,
        appName: 'eventfold-notifier',
      });
      await client.connect();
      const db = client.db(config.database);
      return {
        ledger: await MongoLedger.open(db),
        recipients: MongoRecipientDocuments.open(db),
        health: () =>
          db.command({ ping: 1 }).then(
            () => 'reachable',
            (error: Error) => `unreachable: ${error.message}`,
          ),
        close: () => client.close(),
      };
    },
    openKeyStore: () => connectKeyStore(config.keys),
  };
}
