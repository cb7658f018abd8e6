import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MongoClient, type Db } from 'mongodb';
import { confluentSchemaRegistry, loadSchemaCatalog, userEventCodec, userTopicNames } from '@eventfold/avro';
import { InfrastructureError } from '@eventfold/core';
import { createKafka, ensureTopics } from '@eventfold/kafka';
import { createMetricsRegistry, type Logger, type Registry } from '@eventfold/observability';
import type { NotifierConfig } from './config';
import { NotifierConsumer } from './consumer/notifierConsumer';
import { KafkaDeadLetters } from './deadLetters/kafkaDeadLetters';
import { NotificationDelivery } from './delivery/notificationDelivery';
import { notifierApp } from './http/notifierApp';
import { MongoLedger } from './ledger/mongoLedger';
import { noRelayLookup, sinkMailboxLookup } from './mail/relayLookup';
import { SmtpSubmitter } from './mail/smtpSubmitter';
import { notifierMetrics } from './notifierMetrics';
import { eventProcessor } from './processing/eventProcessor';
import { MongoRecipientStore } from './recipients/recipientStore';

export interface NotifierDeps {
  readonly logger: Logger;
  readonly clock: () => number;
  /** In [0, 1): backoff jitter. */
  readonly random: () => number;
  /** The consumer crashed for good: the process should exit and be restarted. */
  readonly onFatal: (error: unknown) => void;
}

export interface RunningNotifier {
  readonly url: string;
  /** Resolves once connected (MongoDB, Kafka, registry) and consuming; rejects only if stopped first. */
  readonly started: Promise<void>;
  readonly metrics: Registry;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The topic where given-up notifications go. */
export const notificationsDlqTopic = (prefix: string) => `${prefix}users.notifications.dlq`;

/** The notifier's consumer group. */
export const notifierGroupId = (prefix: string) => `${prefix}notifier`;

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
  let mongo: MongoClient | null = null;
  let db: Db | null = null;
  let consumer: NotifierConsumer | null = null;
  let deadLetters: KafkaDeadLetters | null = null;
  let submitter: SmtpSubmitter | null = null;
  let startupProblem = 'connecting to MongoDB, Kafka and the schema registry';
  let stopped = false;

  const mongoReachable = async (): Promise<string> => {
    if (!db) return 'not connected';
    const ping = db.command({ ping: 1 }).then(
      () => 'reachable',
      (error: Error) => `unreachable: ${error.message}`,
    );
    return Promise.race([ping, sleep(1000).then(() => 'unreachable: no answer within 1 s')]);
  };

  const app = notifierApp({
    metrics: registry,
    logger,
    readiness: async (): Promise<{ ready: boolean; checks: Record<string, string> }> => {
      if (!consumer) return { ready: false, checks: { startup: startupProblem } };
      const mongoStatus = await mongoReachable();
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

  const kafka = createKafka({
    brokers: config.kafkaBrokers,
    clientId: `notifier-${config.instanceId}`,
    logger,
  });

  const connect = async () => {
    mongo = new MongoClient(config.mongoUri, {
      serverSelectionTimeoutMS: 5000,
      appName: 'eventfold-notifier',
    });
    await mongo.connect();
    db = mongo.db(config.database);
    const ledger = await MongoLedger.open(db);
    const recipients = await MongoRecipientStore.open(db);

    const admin = kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(topics.events))
        throw new InfrastructureError(
          'EVENTS_TOPIC_MISSING',
          `Topic ${topics.events} does not exist yet (the command service creates it)`,
        );
      const { topics: described } = await admin.fetchTopicMetadata({ topics: [topics.events] });
      await ensureTopics(admin, [
        {
          topic: dlqTopic,
          partitions: described[0]?.partitions.length ?? 1,
          replicationFactor: config.replicationFactor,
          config: {
            'min.insync.replicas': String(config.minInsyncReplicas),
            'cleanup.policy': 'delete',
            'retention.ms': '-1',
            'retention.bytes': '-1',
          },
        },
      ]);
    } finally {
      await admin.disconnect();
    }
    const codec = await userEventCodec(
      confluentSchemaRegistry(config.schemaRegistryUrl),
      loadSchemaCatalog(),
      {
        topic: topics.events,
      },
    );
    deadLetters = await KafkaDeadLetters.start(kafka, dlqTopic, notifierGroupId(config.topicPrefix));
    const relay = config.smtpMailboxDir ? sinkMailboxLookup(config.smtpMailboxDir) : noRelayLookup;
    submitter = new SmtpSubmitter({
      endpoint: config.smtp,
      timeoutMs: config.smtpTimeoutMs,
      clientName: 'eventfold-notifier',
      maxIdleSessions: config.partitionsConsumedConcurrently,
    });
    const delivery = new NotificationDelivery({
      ledger,
      submitter,
      relay,
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
      recipients,
      delivery,
      deadLetters,
      metrics,
      logger,
      clock: deps.clock,
    });
    const started = new NotifierConsumer({
      kafka,
      groupId: notifierGroupId(config.topicPrefix),
      topic: topics.events,
      handler,
      logger,
      sessionTimeoutMs: config.sessionTimeoutMs,
      partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
      failureBackoff: { baseMs: 500, maxMs: 10_000 },
      onFatal: deps.onFatal,
    });
    await started.start();
    consumer = started;
    logger.info(
      { relayLookup: relay.description, uncertainDelivery: config.uncertainDelivery },
      'notifier consuming',
    );
  };

  // Typed through a holder: TypeScript narrows `let` variables assigned only inside closures to null.
  const stopParts = async () => {
    const parts = {
      consumer: consumer as NotifierConsumer | null,
      deadLetters: deadLetters as KafkaDeadLetters | null,
    };
    const client = mongo as MongoClient | null;
    consumer = null;
    deadLetters = null;
    const idleSessions = submitter as SmtpSubmitter | null;
    submitter = null;
    mongo = null;
    db = null;
    await parts.consumer?.stop();
    idleSessions?.close();
    await parts.deadLetters?.stop();
    await client?.close().catch(() => undefined);
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
    },
  };
}
