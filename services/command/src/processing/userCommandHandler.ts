import {
  InfrastructureError,
  partitionForKey,
  type EventLog,
  type LogHeaders,
  type LogRecord,
  type PartitionOwnerHandler,
} from '@eventfold/core';
import {
  fromStreamEventRecord,
  RecordDecodeError,
  toUserEventRecord,
  type UserTopicNames,
} from '@eventfold/avro';
import {
  PII_KEY_ID_HEADER,
  streamOfKeyHeader,
  type KeyStore,
  type PersonalDataCodec,
} from '@eventfold/crypto';
import type { Logger } from '@eventfold/observability';
import type { EmailStreamOf } from '../emailClaims/emailStreamIds';
import { assignOffsets } from './assignOffsets';
import type { CommandResult } from './commandResult';
import { decideBatch } from './decideBatch';
import type { IncomingCommand } from './streamCommands';
import { evolveStream } from './decideStream';
import { isUserState, type RecordedStreamEvent } from './streamCommands';
import { KeyForgetting } from './keyForgetting';
import { emptyStream, type IdempotencyWindow, type StreamRecord } from './streamRecord';
import {
  envelopeFromRecord,
  envelopeToRecord,
  resultToRecord,
  snapshotFromRecord,
  snapshotToRecord,
} from './wire';

/** The codecs of the four topics, each encrypting personal fields on encode and decrypting them on decode. */
export interface UserCodecs {
  readonly commands: PersonalDataCodec;
  readonly events: PersonalDataCodec;
  readonly snapshots: PersonalDataCodec;
  readonly results: PersonalDataCodec;
}

/** What a restore read, for metrics and for the test that shows restore reads snapshots, not history. */
export interface RestoreStats {
  readonly streams: number;
  readonly snapshotsRead: number;
  readonly eventsRead: number;
  /** Events at a version the stream already has: a second copy of one record, skipped (see restore). */
  readonly duplicatesSkipped: number;
}

export interface UserCommandHandlerOptions {
  readonly topics: UserTopicNames;
  readonly partitions: number;
  readonly codecs: UserCodecs;
  /** Where the users' data keys are: a UserForgotten event, once committed, deletes the user's key. */
  readonly keys: KeyStore;
  readonly log: EventLog;
  readonly window: IdempotencyWindow;
  /** The reservation stream of an address (decision 0016): the follow-ups of a user's events go there. */
  readonly emailStreamOf: EmailStreamOf;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly onUndecodable?: (error: RecordDecodeError) => void;
  readonly onRestored?: (partition: number, stats: RestoreStats) => void;
  /** The streams of a partition this instance now owns (the reservation sweeper looks at them). */
  readonly onOwned?: (partition: number, streams: PartitionStreams) => void;
  readonly onDecided?: (outcome: 'succeeded' | 'rejected' | 'repeated') => void;
  /**
   * The results of a batch, once its transaction has committed: this instance answers its own waiting requests at
   * once, without waiting to read them back from users.command-results.
   */
  readonly onCommitted?: (results: readonly CommandResult[]) => void;
}

export type PartitionStreams = Map<string, StreamRecord>;

const header = (headers: LogHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  return value === undefined ? undefined : Array.isArray(value) ? String(value[0]) : String(value);
};

/** The header naming the data key a record's personal fields are sealed with (none without personal data). */
const keyHeader = (keyId: string | null): Record<string, string> =>
  keyId ? { [PII_KEY_ID_HEADER]: keyId } : {};

const traceHeader = (traceparent: string | undefined): Record<string, string> =>
  traceparent ? { traceparent } : {};

/** The users command side as a partition owner: restore from snapshots, decide batches, write in one transaction. */
export function userCommandHandler(
  options: UserCommandHandlerOptions,
): PartitionOwnerHandler<PartitionStreams> {
  const forgetting = new KeyForgetting(options.keys);
  return {
    async restore(partition) {
      const snapshots = await options.log.latestByKey(options.topics.snapshots, partition);
      const streams: PartitionStreams = new Map();
      // A snapshot is keyed by its stream: the keys of the whole partition in one key-store call, not one each.
      await options.codecs.snapshots.prefetchKeys(
        snapshots,
        (m) => streamOfKeyHeader(m) ?? m.key?.toString() ?? null,
      );
      for (const message of snapshots) {
        const streamId = message.key?.toString() ?? '';
        const { value } = await options.codecs.snapshots.decode(message.value, {
          topic: options.topics.snapshots,
          partition,
          offset: message.offset,
        });
        streams.set(streamId, snapshotFromRecord(value));
      }
      // Snapshots are written with their events, so the events after the newest snapshot are normally none.
      const after =
        [...streams.values()].reduce((max, s) => (s.lastEventOffset > max ? s.lastEventOffset : max), -1n) +
        1n;
      const events: LogRecord[] = [];
      let duplicatesSkipped = 0;
      await options.log.readPartition(options.topics.events, partition, after, (m) => events.push(m));
      await options.codecs.events.prefetchKeys(events);
      for (const message of events) {
        let decoded;
        try {
          decoded = await options.codecs.events.decode(message.value, {
            topic: options.topics.events,
            partition,
            offset: message.offset,
          });
        } catch (error) {
          // Not an event of ours (someone wrote to the topic by hand): the projector dead-letters it, and the
          // partition's streams are what the events we can read say. Stopping here would stop every restore.
          if (!(error instanceof RecordDecodeError)) throw error;
          options.logger.error(
            { err: error, partition, offset: message.offset },
            'skipping a record of users.events that cannot be decoded',
          );
          options.onUndecodable?.(error);
          continue;
        }
        const event = fromStreamEventRecord(decoded.record, decoded.value);
        const stream =
          streams.get(event.metadata.streamId) ?? emptyStream(event.metadata.streamId, partition);
        if (event.metadata.version <= stream.version) {
          // A second copy of an event the stream already has. One writer per partition (fencing) means a lower version
          // cannot be another decision: it is the same record written twice (seen once in many Kafka kill -9 runs,
          // adjacent offsets, same event id). Every reader skips it by version (the projector's guard, time travel);
          // so must the restore, or one stray copy would stop the partition for good.
          options.logger.warn(
            { partition, offset: message.offset, streamId: stream.streamId, version: event.metadata.version },
            'skipping a second copy of an event the stream already has',
          );
          duplicatesSkipped++;
          continue;
        }
        if (event.metadata.version !== stream.version + 1) {
          throw new InfrastructureError(
            'STREAM_VERSION_GAP',
            `${event.metadata.streamId} is at version ${stream.version} but ${options.topics.events}[${partition}]@${message.offset} holds version ${event.metadata.version}`,
            { retriable: false },
          );
        }
        streams.set(stream.streamId, {
          ...stream,
          state: evolveStream(stream.state, event),
          version: event.metadata.version,
          lastEventOffset: BigInt(message.offset),
        });
      }
      // A crash between committing UserForgotten and deleting the key leaves the key behind: delete it now.
      await forgetting.settle(
        [...streams.values()].filter(
          (s) => isUserState(s.state) && s.state.status !== 'not-registered' && s.state.forgotten,
        ),
      );
      options.onRestored?.(partition, {
        streams: streams.size,
        snapshotsRead: snapshots.length,
        eventsRead: events.length,
        duplicatesSkipped,
      });
      options.onOwned?.(partition, streams);
      return streams;
    },

    async process(partition, streams, messages, tx) {
      // The keys of users forgotten by the previous batch: deleted before anything else is decided.
      await forgetting.drain();
      const incoming: (IncomingCommand & { traceparent?: string })[] = [];
      await options.codecs.commands.prefetchKeys(messages);
      for (const message of messages) {
        try {
          const decoded = await options.codecs.commands.decode(message.value, {
            topic: options.topics.commands,
            partition,
            offset: message.offset,
          });
          const envelope = envelopeFromRecord(decoded.value);
          incoming.push({
            ...envelope,
            homePartition: partitionForKey(envelope.streamId, options.partitions),
            traceparent: header(message.headers, 'traceparent'),
          });
        } catch (error) {
          if (!(error instanceof RecordDecodeError)) throw error;
          options.logger.error(
            { err: error, partition, offset: message.offset },
            'skipping a command that cannot be decoded',
          );
          options.onUndecodable?.(error);
        }
      }
      const decision = decideBatch(
        partition,
        streams,
        incoming,
        options.window,
        options.clock(),
        options.emailStreamOf,
      );
      const events = decision.decided.flatMap((d, i) =>
        d.events.map((event) => ({ event, traceparent: incoming[i]!.traceparent })),
      );
      // The events first; the snapshots and results name the offsets they land at (one append on Kafka once the
      // owner knows where its partitions end, two before).
      let final = decision;
      const eventBatch = {
        topic: options.topics.events,
        records: await Promise.all(
          events.map(({ event, traceparent }) =>
            eventMessage(options.codecs.events, partition, event, traceparent),
          ),
        ),
      };
      await tx.appendThen(eventBatch.records.length > 0 ? [eventBatch] : [], async (landed) => {
        if (events.length > 0) final = assignOffsets(partition, decision, BigInt(landed[0]![0]!.offset));
        return [
          {
            topic: options.topics.snapshots,
            records: await Promise.all(
              [...final.streams.values()].map(async (s) => {
                const encoded = await options.codecs.snapshots.encode(
                  'eventfold.users.UserStreamSnapshot',
                  snapshotToRecord(s),
                );
                return {
                  key: s.streamId,
                  partition,
                  value: encoded.bytes,
                  headers: keyHeader(encoded.keyId),
                };
              }),
            ),
          },
          {
            // The reservation commands the events call for, in the same transaction (decision 0016).
            topic: options.topics.commands,
            records: await Promise.all(
              final.decided.flatMap((d, i) =>
                d.followUps.map(async (followUp) => ({
                  key: followUp.streamId,
                  partition: partitionForKey(followUp.streamId, options.partitions),
                  value: (
                    await options.codecs.commands.encode(
                      'eventfold.users.UserCommandEnvelope',
                      envelopeToRecord(followUp),
                    )
                  ).bytes,
                  headers: traceHeader(incoming[i]?.traceparent),
                })),
              ),
            ),
          },
          {
            topic: options.topics.commandResults,
            records: await Promise.all(
              final.decided.map(async (d) => {
                const encoded = await options.codecs.results.encode(
                  'eventfold.users.UserCommandResult',
                  resultToRecord(d.result),
                );
                // In the input's partition, not by key: one partition more per transaction instead of up to
                // all of them (every instance reads every partition of the results anyway).
                return {
                  key: d.result.commandId,
                  partition,
                  value: encoded.bytes,
                  headers: keyHeader(encoded.keyId),
                };
              }),
            ),
          },
        ].filter((t) => t.records.length > 0);
      });
      const forgotten = events.filter(({ event }) => event.type === 'UserForgotten');
      return () => {
        for (const [streamId, record] of final.streams) streams.set(streamId, record);
        forgetting.start(forgotten.map(({ event }) => event.metadata.streamId));
        for (const d of final.decided) options.onDecided?.(d.repeated ? 'repeated' : d.result.outcome);
        options.onCommitted?.(final.decided.map((d) => d.result));
      };
    },
  };
}

/** An event as the partition owner appends it to users.events: Avro, personal fields sealed, and its headers. */
export async function eventMessage(
  codec: PersonalDataCodec,
  partition: number,
  event: RecordedStreamEvent,
  traceparent: string | undefined,
) {
  const { record, value } = toUserEventRecord(event);
  const encoded = await codec.encode(record, value);
  return {
    key: event.metadata.streamId,
    partition,
    value: encoded.bytes,
    headers: {
      ...keyHeader(encoded.keyId),
      'event-type': event.type,
      'event-id': event.metadata.eventId,
      'correlation-id': event.metadata.correlationId,
      'causation-id': event.metadata.causationId,
      ...(traceparent ? { traceparent } : {}),
    },
  };
}
