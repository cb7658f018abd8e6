import {
  fromIntegrationRecord,
  fromUserEventRecord,
  RecordDecodeError,
  toIntegrationRecord,
  type AvroCodec,
} from '@eventfold/avro';
import type { EventLog, LogRecord, OutgoingRecord, PartitionOwnerHandler } from '@eventfold/core';
import type { PersonalDataCodec } from '@eventfold/crypto';
import type { Logger } from '@eventfold/observability';
import {
  isEmailStreamId,
  publicUserAfter,
  translateEvent,
  unknownUser,
  userStreamId,
  type PublicUser,
} from '@eventfold/users-domain';

/** What the translator knows per partition: the last published fact's user, by stream id. */
export type PublishedUsers = Map<string, PublicUser>;

export interface IntegrationTranslatorOptions {
  readonly log: EventLog;
  readonly topics: { readonly events: string; readonly integration: string };
  /** users.events, decrypting: a forgotten user's personal fields decode erased. */
  readonly events: PersonalDataCodec;
  /** users.integration.v1, plain: its personal fields are published in the clear (decision 0017). */
  readonly integration: AvroCodec;
  readonly logger: Logger;
  readonly onPublished?: (facts: number) => void;
  readonly onUndecodable?: (error: RecordDecodeError) => void;
}

/**
 * The translator as a partition owner over users.events (docs/decisions/0017-public-integration-topic.md): each
 * batch's facts and its input offsets in one transaction, in the partition of users.integration.v1 with the same
 * number (the user's stream partition), keyed by user id. Its state is restored from the public topic itself: the
 * latest fact per user says what was published, so a restore, a replay of the group from offset 0, or a fenced
 * owner's successor publishes nothing twice.
 */
export function integrationTranslator(
  options: IntegrationTranslatorOptions,
): PartitionOwnerHandler<PublishedUsers> {
  return {
    async restore(partition) {
      const users: PublishedUsers = new Map();
      for (const record of await options.log.latestByKey(options.topics.integration, partition)) {
        const { record: name, value } = await options.integration.decode(record.value, {
          topic: options.topics.integration,
          partition,
          offset: record.offset,
        });
        const user = publicUserAfter(fromIntegrationRecord(name, value));
        if (user.status !== 'unknown')
          users.set(userStreamId(user.status === 'erased' ? user.userId : user.profile.userId), user);
      }
      return users;
    },

    async process(partition, users, records, tx) {
      const changed: PublishedUsers = new Map();
      const facts: OutgoingRecord[] = [];
      await options.events.prefetchKeys(records);
      for (const record of records) {
        // The address reservation streams (decision 0016) share the topic; they publish nothing.
        if (isEmailStreamId(record.key?.toString())) continue;
        const event = await decodeEvent(options, partition, record);
        if (event === null) continue;
        const streamId = event.metadata.streamId;
        const before = changed.get(streamId) ?? users.get(streamId) ?? unknownUser;
        const { published, user } = translateEvent(before, event);
        if (!published) continue;
        changed.set(streamId, user);
        const { record: name, value } = toIntegrationRecord(published);
        facts.push({ key: published.data.userId, value: options.integration.encode(name, value), partition });
      }
      if (facts.length > 0) await tx.append([{ topic: options.topics.integration, records: facts }]);
      return () => {
        for (const [streamId, user] of changed) users.set(streamId, user);
        options.onPublished?.(facts.length);
      };
    },
  };
}

/** A users event, or null for a record that is not one of ours (the projector dead-letters those). */
async function decodeEvent(options: IntegrationTranslatorOptions, partition: number, record: LogRecord) {
  try {
    const decoded = await options.events.decode(record.value, {
      topic: options.topics.events,
      partition,
      offset: record.offset,
    });
    return fromUserEventRecord(decoded.record, decoded.value);
  } catch (error) {
    if (!(error instanceof RecordDecodeError)) throw error;
    options.logger.error(
      { err: error, partition, offset: record.offset },
      'skipping a record of users.events that cannot be decoded',
    );
    options.onUndecodable?.(error);
    return null;
  }
}
