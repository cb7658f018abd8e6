import {
  checkSchemaIdsOnTail,
  confluentSchemaRegistry,
  INTEGRATION_TOPIC,
  integrationCodec,
  loadSchemaCatalog,
  userTopicNames,
} from '@eventfold/avro';
import type { PartitionOwnership } from '@eventfold/core';
import { openOwnedKeyStore, readableUserEvents, type UserLogAdapters } from '@eventfold/crypto';
import { serviceContext, type Own, type ServiceDeps, type StartedService } from '@eventfold/http';
import { integrationTopic, serviceEventLog } from '@eventfold/kafka';
import { connectKeyStore } from '@eventfold/mongo';
import type { Logger } from '@eventfold/observability';
import type { IntegrationConfig } from './config';
import { integrationMetrics } from './integrationMetrics';
import { integrationKafkaNames } from './kafkaNames';
import { integrationTranslator } from './translation/integrationTranslator';

/** Where the translator reads, writes and finds keys: Kafka, a Confluent registry and MongoDB unless told. */
export type IntegrationAdapters = UserLogAdapters;

export interface IntegrationServiceDeps extends ServiceDeps {
  readonly adapters?: IntegrationAdapters;
}

export type RunningIntegrationService = StartedService<PartitionOwnership>;

/**
 * The integration translator (docs/decisions/0017-public-integration-topic.md): users.events into the public
 * users.integration.v1, one partition owner per partition of users.events; its HTTP surface is its probes.
 */
export function startIntegrationService(
  config: IntegrationConfig,
  deps: IntegrationServiceDeps,
): Promise<RunningIntegrationService> {
  const { logger, metrics, startService } = serviceContext(deps, 'integration', integrationMetrics);
  const adapters = deps.adapters ?? productionAdapters(config, logger);
  const { log } = adapters;
  const topics = {
    events: userTopicNames(config.topicPrefix).events,
    integration: `${config.topicPrefix}${INTEGRATION_TOPIC}`,
  };

  const connect = async (own: Own): Promise<PartitionOwnership> => {
    const keys = await openOwnedKeyStore(adapters.openKeyStore, own, logger);
    await log.ensureTopics([
      integrationTopic({
        topic: topics.integration,
        partitions: config.partitions,
        maxCompactionLagMs: config.maxCompactionLagMs,
      }),
    ]);
    const catalog = loadSchemaCatalog();
    const events = await readableUserEvents({
      log,
      registry: adapters.schemaRegistry,
      keys,
      topic: topics.events,
    });
    const integration = await integrationCodec(adapters.schemaRegistry, catalog, {
      topic: topics.integration,
    });
    // A registry that forgot the ids either topic was written with stops the service here (not retriable).
    await checkSchemaIdsOnTail(log, integration, topics.integration);
    const owners = await log.runPartitionOwners({
      groupId: config.groupId,
      inputTopic: topics.events,
      handler: integrationTranslator({
        log,
        topics,
        events,
        integration,
        logger,
        onPublished: (facts) => metrics.published.inc(facts),
        onUndecodable: () => metrics.undecodable.inc(),
      }),
      sessionTimeoutMs: config.sessionTimeoutMs,
      onFatal: deps.onFatal,
    });
    own('the partition owners', () => owners.stop());
    return owners;
  };

  return startService({
    name: 'integration translator',
    listenOn: config,
    connecting: 'connecting to Kafka, the schema registry and the key store',
    connect,
    readiness: async (owners) => {
      const { ready, detail } = await owners.readiness();
      return { ready, checks: { partitions: detail } };
    },
    ...(deps.adapters ? {} : { release: () => log.close() }),
  });
}

function productionAdapters(config: IntegrationConfig, logger: Logger): IntegrationAdapters {
  return {
    log: serviceEventLog(
      config,
      'integration',
      integrationKafkaNames(config.topicPrefix, config.groupId).readerGroupPrefix,
      logger,
    ),
    schemaRegistry: confluentSchemaRegistry(config.schemaRegistryUrl),
    openKeyStore: () => connectKeyStore(config.keys),
  };
}
