import { INTEGRATION_TOPIC, userTopicNames } from '@eventfold/avro';
import { commandKafkaNames } from '@eventfold/command-service';
import { integrationKafkaNames } from '@eventfold/integration-service';
import {
  notificationsDlqTopic,
  notifierGroupId,
  notifierReaderGroupPrefix,
} from '@eventfold/notifier-service';
import { projectorKafkaNames } from '@eventfold/projector-service';
import { redriveMarkerGroup } from '../commands/dlq';
import { CLI_READER_GROUP_PREFIX } from './kafkaAdmin';

/** Who is granted: each service and the operator CLI, with a Kafka principal of its own. */
export const AclHolder = Object.freeze({
  Command: 'command',
  Projector: 'projector',
  Notifier: 'notifier',
  Query: 'query',
  Integration: 'integration',
  Operator: 'operator',
} as const);

export type AclHolder = (typeof AclHolder)[keyof typeof AclHolder];

export type AclOperation = 'READ' | 'WRITE' | 'CREATE' | 'DESCRIBE' | 'DELETE';

/** One ALLOW rule of Kafka's: operations of a principal on a resource name, or on every name with a prefix. */
export interface AclRule {
  readonly holder: AclHolder;
  readonly resource: 'TOPIC' | 'GROUP' | 'TRANSACTIONAL_ID';
  readonly pattern: 'LITERAL' | 'PREFIXED';
  readonly name: string;
  /** READ and WRITE imply DESCRIBE in Kafka's authorizer. */
  readonly operations: readonly AclOperation[];
}

/**
 * What each principal may do under a topic prefix, and nothing more: the services' own topics, groups and
 * transactional ids, taken from their code (`kafkaNames.ts`). Kafka denies the rest (no `allow.everyone`).
 *
 * - command: reads and writes the four users topics it owns (commands, events, snapshots, command results),
 *   fences partition owners with its transactional ids, commits in its groups. CREATE on every users topic, so that
 *   it creates the topology on an empty cluster; the events DLQ it only creates.
 * - projector: reads users.events, writes users.events.dlq; CREATE and DESCRIBE on the others, because it ensures
 *   the same topology when it starts first (an existing topic is never altered). Never WRITE on users.commands.
 * - notifier: reads users.events, writes and creates users.notifications.dlq.
 * - operator (the CLI: replay, rebuild, lag, dlq, streams show, schemas check): reads every users topic, resets and
 *   deletes the projector's groups, resets the notifier's and the translator's, describes the command service's
 *   (lag), and uses its own reader groups and the DLQ redrive markers. It writes no topic.
 * - query: describes users.events, nothing else (it asks where the log ends, to refuse a consistency token past it).
 * - integration (the translator, decision 0017): reads users.events; reads, writes and creates the public
 *   users.integration.v1 (it restores what it published from it), fences its partition owners with its own
 *   transactional ids (no cluster grant, IdempotentWrite included: Kafka authorizes a transactional producer by
 *   WRITE on its transactional id, as for the command service), commits in its group, and uses its reader
 *   groups. It never writes users.events, and reads no other users topic.
 * - the gateway has no principal: it never talks to Kafka.
 */
export function serviceAcls(options: {
  readonly prefix: string;
  readonly projectorGroup?: string;
  readonly integrationGroup?: string;
}): AclRule[] {
  const topics = userTopicNames(options.prefix);
  const command = commandKafkaNames(options.prefix);
  const projector = projectorKafkaNames(options.prefix, options.projectorGroup);
  const integration = integrationKafkaNames(options.prefix, options.integrationGroup);
  const integrationTopic = `${options.prefix}${INTEGRATION_TOPIC}`;
  const topic = (
    holder: AclHolder,
    name: string,
    operations: AclOperation[],
    pattern: AclRule['pattern'] = 'LITERAL',
  ): AclRule => ({ holder, resource: 'TOPIC', pattern, name, operations });
  const group = (
    holder: AclHolder,
    name: string,
    operations: AclOperation[],
    pattern: AclRule['pattern'] = 'LITERAL',
  ): AclRule => ({ holder, resource: 'GROUP', pattern, name, operations });
  const owned = [topics.commands, topics.events, topics.snapshots, topics.commandResults];
  return [
    ...owned.map((name) => topic('command', name, ['READ', 'WRITE', 'CREATE'])),
    topic('command', topics.eventsDlq, ['DESCRIBE', 'CREATE']),
    group('command', command.processorGroup, ['READ']),
    group('command', `${command.restoreGroupPrefix}-`, ['READ'], 'PREFIXED'),
    group('command', `${command.resultsGroupPrefix}-`, ['READ'], 'PREFIXED'),
    {
      holder: 'command',
      resource: 'TRANSACTIONAL_ID',
      pattern: 'PREFIXED',
      name: command.transactionalIdPrefix,
      operations: ['WRITE'],
    },

    topic('projector', topics.events, ['READ', 'CREATE']),
    topic('projector', topics.eventsDlq, ['WRITE', 'CREATE']),
    ...[topics.commands, topics.snapshots, topics.commandResults].map((name) =>
      topic('projector', name, ['DESCRIBE', 'CREATE']),
    ),
    // `<group>` and the rebuilds' `<group>.v<N>`.
    group('projector', projector.group, ['READ'], 'PREFIXED'),
    group('projector', `${projector.readerGroupPrefix}-`, ['READ'], 'PREFIXED'),

    topic('notifier', topics.events, ['READ']),
    topic('notifier', notificationsDlqTopic(options.prefix), ['WRITE', 'CREATE']),
    group('notifier', notifierGroupId(options.prefix), ['READ']),
    group('notifier', `${notifierReaderGroupPrefix(options.prefix)}-`, ['READ'], 'PREFIXED'),

    topic('query', topics.events, ['DESCRIBE']),

    topic('integration', topics.events, ['READ']),
    topic('integration', integrationTopic, ['READ', 'WRITE', 'CREATE']),
    group('integration', integration.group, ['READ']),
    group('integration', `${integration.readerGroupPrefix}-`, ['READ'], 'PREFIXED'),
    {
      holder: 'integration',
      resource: 'TRANSACTIONAL_ID',
      pattern: 'PREFIXED',
      name: integration.transactionalIdPrefix,
      operations: ['WRITE'],
    },

    topic('operator', `${options.prefix}users.`, ['READ'], 'PREFIXED'),
    group('operator', projector.group, ['READ', 'DELETE'], 'PREFIXED'),
    group('operator', notifierGroupId(options.prefix), ['READ']),
    // A replay of the translator's group publishes nothing new (decision 0017), so the operator may reset it.
    group('operator', integration.group, ['READ']),
    group('operator', command.processorGroup, ['DESCRIBE']),
    group('operator', redriveMarkerGroup(`${options.prefix}users.`), ['READ'], 'PREFIXED'),
    group('operator', CLI_READER_GROUP_PREFIX, ['READ'], 'PREFIXED'),
  ];
}
