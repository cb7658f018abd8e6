import {
  checkSchemaIdsOnTail,
  confluentSchemaRegistry,
  loadSchemaCatalog,
  singleRecordCodec,
  userEventCodec,
  userTopicNames,
  type AvroCodec,
} from '@eventfold/avro';
import {
  openOwnedKeyStore,
  PersonalDataCipher,
  PersonalDataCodec,
  type FieldCipher,
  type UserLogAdapters,
} from '@eventfold/crypto';
import { connectKeyStore } from '@eventfold/mongo';
import { serviceEventLog, userTopology } from '@eventfold/kafka';
import type { PartitionOwnership } from '@eventfold/core';
import { serviceContext, type Own, type ServiceDeps, type StartedService } from '@eventfold/http';
import type { Logger } from '@eventfold/observability';
import { CommandBus } from './bus/commandBus';
import { CommandResults } from './bus/commandResults';
import { commandMetrics } from './commandMetrics';
import type { CommandServiceConfig } from './config';
import { clientIdsFor } from './http/clientIds';
import { commandApp } from './http/commandApp';
import { emailStreamIdsFor } from './emailClaims/emailStreamIds';
import { ReservationSweeper } from './emailClaims/reservationSweeper';
import { userCommandHandler, type RestoreStats } from './processing/userCommandHandler';
import { commandKafkaNames } from './kafkaNames';

/** Where the command service keeps its log, schemas and keys: Kafka, a Confluent registry and MongoDB, or embedded ones. */
export type CommandAdapters = UserLogAdapters;

export interface CommandServiceDeps extends ServiceDeps {
  readonly clock: () => number;
  /** The adapters to use; by default Kafka and the schema registry of the configuration (closed on stop). */
  readonly adapters?: CommandAdapters;
  /**
   * Replaces the personal data cipher: only the benchmark's plaintext variant sets it, from code (no variable
   * turns encryption off), to measure what encryption costs.
   */
  readonly fieldCipher?: FieldCipher;
  /**
   * False sends registrations and address changes without claiming the address first: only the benchmark's
   * variant sets it, from code, to measure what the claim adds to a registration (decision 0016). Never deployed.
   */
  readonly claimAddresses?: boolean;
}

export interface CommandServiceParts {
  readonly bus: CommandBus;
  readonly runner: PartitionOwnership;
  readonly results: CommandResults;
}

export interface RunningCommandService extends StartedService<CommandServiceParts> {
  readonly restores: ReadonlyMap<number, RestoreStats>;
}

/**
 * The command service: its parts are the key store, Kafka topics, schema registration, the command results, the
 * partition owners and the command bus; startService serves /readyz at once and connects them, retrying.
 */
export async function startCommandService(
  config: CommandServiceConfig,
  deps: CommandServiceDeps,
): Promise<RunningCommandService> {
  const { logger, registry, metrics, startService } = serviceContext(deps, 'command', commandMetrics);
  const topics = userTopicNames(config.topicPrefix);
  const names = commandKafkaNames(config.topicPrefix);
  const restores = new Map<number, RestoreStats>();
  const adapters = deps.adapters ?? productionAdapters(config, logger);
  const { log } = adapters;
  const emailStreamOf = emailStreamIdsFor(config.keys.masterKey);

  const connect = async (own: Own): Promise<CommandServiceParts> => {
    const keys = await openOwnedKeyStore(adapters.openKeyStore, own, logger);
    await log.ensureTopics(userTopology({ ...config, topics }));
    const { schemaRegistry } = adapters;
    const catalog = loadSchemaCatalog();
    // Personal fields are encrypted before encoding and decrypted after decoding, in every topic written here.
    const cipher = deps.fieldCipher ?? new PersonalDataCipher({ catalog, keys });
    const sealed = (codec: AvroCodec) => new PersonalDataCodec(codec, cipher);
    const codecs = {
      commands: sealed(
        await singleRecordCodec(schemaRegistry, catalog, topics.commands, 'UserCommandEnvelope'),
      ),
      events: sealed(await userEventCodec(schemaRegistry, catalog, { topic: topics.events })),
      snapshots: sealed(
        await singleRecordCodec(schemaRegistry, catalog, topics.snapshots, 'UserStreamSnapshot'),
      ),
      results: sealed(
        await singleRecordCodec(schemaRegistry, catalog, topics.commandResults, 'UserCommandResult'),
      ),
    };
    // A registry that forgot the ids these topics were written with stops the service here (not retriable).
    await Promise.all([
      checkSchemaIdsOnTail(log, codecs.commands, topics.commands),
      checkSchemaIdsOnTail(log, codecs.events, topics.events),
      checkSchemaIdsOnTail(log, codecs.snapshots, topics.snapshots),
      checkSchemaIdsOnTail(log, codecs.results, topics.commandResults),
    ]);
    const results = await CommandResults.start({
      log,
      topic: topics.commandResults,
      codec: codecs.results,
      logger,
      groupPrefix: names.resultsGroupPrefix,
    });
    own('the command results', () => results.stop());
    // Settles address claims a crash left (decision 0016): it sends through the bus and watches the owned partitions.
    let bus: CommandBus | null = null;
    let runner: PartitionOwnership | null = null;
    const sweeper = new ReservationSweeper({
      send: (command, waitMs, headers) => bus!.send(command, waitMs, headers),
      timeoutMs: config.emailReservationTimeoutMs,
      clock: deps.clock,
      logger,
      ownedPartitions: () => runner?.ownedPartitions() ?? [],
    });
    const handler = userCommandHandler({
      topics,
      partitions: config.partitions,
      codecs,
      keys,
      log,
      window: { windowMs: config.idempotencyWindowMs, maxCommands: config.idempotencyMaxCommands },
      emailStreamOf,
      onOwned: (partition, streams) => sweeper.watch(partition, streams),
      clock: deps.clock,
      logger,
      onUndecodable: () => metrics.undecodableTotal.inc(),
      onDecided: (outcome) => metrics.decidedTotal.inc({ outcome }),
      onCommitted: (decided) => results.committed(decided),
      onRestored: (partition, stats) => {
        restores.set(partition, stats);
        metrics.restoreRecords.inc({ kind: 'snapshot' }, stats.snapshotsRead);
        metrics.restoreRecords.inc({ kind: 'event' }, stats.eventsRead);
        metrics.restoreRecords.inc({ kind: 'duplicate-event' }, stats.duplicatesSkipped);
      },
    });
    runner = await log.runPartitionOwners({
      groupId: names.processorGroup,
      inputTopic: topics.commands,
      handler,
      sessionTimeoutMs: config.sessionTimeoutMs,
      onFatal: deps.onFatal,
      observer: {
        restored: (_p, ms) => metrics.restoreSeconds.observe(ms / 1000),
        committed: (_p, ms) => metrics.transactionSeconds.observe(ms / 1000),
        failed: () => metrics.transactionFailures.inc(),
        owned: (partitions) => metrics.partitionsOwned.set(partitions.length),
      },
    });
    const owners = runner;
    own('the partition owners', () => owners.stop());
    bus = new CommandBus({
      log,
      topic: topics.commands,
      codec: codecs.commands,
      results,
      storeTimeoutMs: config.storeTimeoutMs,
    });
    sweeper.start();
    own('the reservation sweeper', async () => sweeper.stop());
    return { bus, runner: owners, results };
  };

  const service = await startService({
    name: 'command service',
    listenOn: config,
    connecting: 'connecting to Kafka and the schema registry',
    app: ({ readiness, parts }) =>
      commandApp({
        bus: () => parts().bus,
        emailStreamOf,
        claimAddresses: deps.claimAddresses ?? true,
        logger,
        metrics: registry,
        commandsTotal: metrics.commandsTotal,
        waitMs: config.commandTimeoutMs,
        bodyLimitBytes: config.bodyLimitBytes,
        clock: deps.clock,
        ids: clientIdsFor(config.keys.masterKey),
        internalToken: config.internalToken,
        readiness,
      }),
    connect,
    readiness: async ({ runner, results }) => {
      const owners = await runner.readiness();
      return {
        ready: owners.ready && results.ready,
        checks: { partitions: owners.detail, results: results.ready ? 'listening' : 'joining' },
      };
    },
    ...(deps.adapters ? {} : { release: () => log.close() }),
  });
  return { ...service, restores };
}

/** The production adapters: Kafka (through kafkajs) and the Confluent-compatible schema registry. */
function productionAdapters(config: CommandServiceConfig, logger: Logger): CommandAdapters {
  return {
    log: serviceEventLog(config, 'command', commandKafkaNames(config.topicPrefix).restoreGroupPrefix, logger),
    schemaRegistry: confluentSchemaRegistry(config.schemaRegistryUrl),
    openKeyStore: () => connectKeyStore(config.keys),
  };
}
