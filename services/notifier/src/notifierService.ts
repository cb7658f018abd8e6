import { MongoClient } from 'mongodb';
import { confluentSchemaRegistry, loadSchemaCatalog, userTopicNames } from '@eventfold/avro';
import { InfrastructureError, type Mailer } from '@eventfold/core';
import {
  openOwnedKeyStore,
  PersonalDataCipher,
  readableUserEvents,
  type UserLogAdapters,
} from '@eventfold/crypto';
import { connectKeyStore } from '@eventfold/mongo';
import { serviceEventLog } from '@eventfold/kafka';
import { serviceContext, type Own, type ServiceDeps, type StartedService } from '@eventfold/http';
import type { Logger } from '@eventfold/observability';
import type { NotifierConfig } from './config';
import { NotifierConsumer } from './consumer/notifierConsumer';
import { LogDeadLetters } from './deadLetters/logDeadLetters';
import { NotificationDelivery } from './delivery/notificationDelivery';
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
export interface NotifierAdapters extends UserLogAdapters {
  readonly mailer: Mailer;
  readonly openStores: () => Promise<NotifierStores>;
}

export interface NotifierDeps extends ServiceDeps {
  readonly clock: () => number;
  /** In [0, 1): backoff jitter. */
  readonly random: () => number;
  /** The adapters to use; by default Kafka, the registry, MongoDB and SMTP of the configuration. */
  readonly adapters?: NotifierAdapters;
}

export interface NotifierServiceParts {
  readonly stores: NotifierStores;
  readonly consumer: NotifierConsumer;
}

export type RunningNotifierService = StartedService<NotifierServiceParts>;

/**
 * The notifier: its parts are the key store, MongoDB (ledger and recipients), the dead-letter topic, the event
 * codec and the consumer group on users.events; startService serves /readyz at once and connects them, retrying.
 */
export async function startNotifierService(
  config: NotifierConfig,
  deps: NotifierDeps,
): Promise<RunningNotifierService> {
  const { logger, metrics, startService } = serviceContext(deps, 'notifier', notifierMetrics);
  const topics = userTopicNames(config.topicPrefix);
  const dlqTopic = notificationsDlqTopic(config.topicPrefix);
  const adapters = deps.adapters ?? productionAdapters(config, logger);
  const { log, mailer } = adapters;

  const connect = async (own: Own): Promise<NotifierServiceParts> => {
    const keys = await openOwnedKeyStore(adapters.openKeyStore, own, logger);
    const stores = await adapters.openStores();
    own('the stores', () => stores.close());
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
    const cipher = new PersonalDataCipher({ catalog, keys });
    // Decrypted after decoding: a forgotten user's events come erased, and an erased address is never mailed.
    const codec = await readableUserEvents({
      log,
      registry: adapters.schemaRegistry,
      keys,
      topic: topics.events,
      cipher,
    });
    const deadLetters = new LogDeadLetters(log, dlqTopic, notifierGroupId(config.topicPrefix));
    const delivery = new NotificationDelivery({
      ledger: stores.ledger,
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
      evict: (streamId) => keys.evict(streamId),
      recipients: new RecipientProjection(stores.recipients, cipher),
      delivery,
      deadLetters,
      metrics,
      logger,
      clock: deps.clock,
    });
    const consumer = new NotifierConsumer({
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
    await consumer.start();
    own('the consumer', () => consumer.stop());
    logger.info(
      { relayLookup: mailer.description, uncertainDelivery: config.uncertainDelivery },
      'notifier consuming',
    );
    return { stores, consumer };
  };

  return startService({
    name: 'notifier',
    listenOn: config,
    connecting: 'connecting to MongoDB, Kafka and the schema registry',
    readinessTimeoutMs: 1000,
    connect,
    readiness: async ({ stores, consumer }) => {
      // startService bounds the whole check (a store that does not answer makes it not ready, it does not hang).
      const mongo = await stores.health();
      const joined = consumer.isJoined;
      return {
        ready: joined && mongo === 'reachable',
        checks: { kafka: joined ? 'joined the consumer group' : 'joining the consumer group', mongo },
      };
    },
    ...(deps.adapters
      ? {}
      : { release: async () => void (await Promise.allSettled([mailer.close(), log.close()])) }),
  });
}

/** The production adapters: Kafka, the Confluent-compatible registry, MongoDB and an SMTP relay. */
function productionAdapters(config: NotifierConfig, logger: Logger): NotifierAdapters {
  return {
    log: serviceEventLog(config, 'notifier', notifierReaderGroupPrefix(config.topicPrefix), logger),
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
