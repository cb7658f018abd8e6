import type { Admin } from 'kafkajs';
import { sleep } from '@eventfold/core';
import { describeGroup, topicEnds, type GroupState } from '../cluster/kafkaAdmin';
import { CliError, type Output } from './output';

/** Where `replay --to` moves a group: an end of the log, a point in time, or an offset. */
export type ReplayTarget =
  | { readonly kind: 'earliest' | 'latest' }
  | { readonly kind: 'time'; readonly at: Date }
  | { readonly kind: 'offset'; readonly offset: bigint };

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function parseReplayTarget(text: string): ReplayTarget {
  if (text === 'earliest' || text === 'latest') return { kind: text };
  if (/^\d+$/.test(text)) return { kind: 'offset', offset: BigInt(text) };
  const at = new Date(text);
  if (ISO_TIME.test(text) && !Number.isNaN(at.getTime())) return { kind: 'time', at };
  throw new CliError(
    `replay: malformed --to '${text}': give earliest, latest, an offset (e.g. 1200) or an ISO time (e.g. 2026-11-26T15:00:00Z)`,
  );
}

export interface ReplayOptions {
  readonly groupId: string;
  readonly to: ReplayTarget;
  /** Topics to reset; by default every topic the group has committed offsets for. */
  readonly topics?: readonly string[];
  /** Wait (up to waitMs) for the group's members to leave instead of refusing. */
  readonly wait: boolean;
  readonly waitMs: number;
}

/** The group once it has no members: refuses at once, or with `wait` polls until it empties or time runs out. */
export async function emptyGroup(
  admin: Admin,
  options: { readonly groupId: string; readonly wait: boolean; readonly waitMs: number },
  out: Output,
  command = 'replay',
): Promise<GroupState> {
  const deadline = Date.now() + options.waitMs;
  let said = false;
  for (;;) {
    const group = await describeGroup(admin, options.groupId);
    if (group.members === 0) return group;
    if (!options.wait)
      throw new CliError(
        `${command}: group '${options.groupId}' has ${group.members} active member${group.members === 1 ? '' : 's'} (${group.state}): stop its consumers first, or pass --wait`,
      );
    if (Date.now() >= deadline)
      throw new CliError(
        `${command}: group '${options.groupId}' still has ${group.members} active members after ${Math.round(options.waitMs / 1000)} s`,
      );
    if (!said) out.line(`waiting for the ${group.members} members of '${options.groupId}' to leave…`);
    said = true;
    await sleep(1000);
  }
}

/** The offsets a group restarts from after the reset, per partition, clamped to what the log still holds. */
async function targetOffsets(admin: Admin, topic: string, to: ReplayTarget): Promise<Map<number, bigint>> {
  const ends = await topicEnds(admin, topic);
  if (to.kind === 'time') {
    const byTime = await admin.fetchTopicOffsetsByTimestamp(topic, to.at.getTime());
    // For a time after the last record, Kafka answers the end (or -1, meaning the end).
    return new Map(
      byTime.map(({ partition, offset }) => [
        partition,
        Number(offset) < 0 ? ends.get(partition)!.high : BigInt(offset),
      ]),
    );
  }
  const target = new Map<number, bigint>();
  for (const [partition, { low, high }] of ends) {
    const wanted = to.kind === 'offset' ? to.offset : to.kind === 'earliest' ? low : high;
    target.set(partition, wanted < low ? low : wanted > high ? high : wanted);
  }
  return target;
}

/**
 * Resets a consumer group's committed offsets (docs/architecture.md#replay-and-rebuild). Only an empty group can be reset: a member
 * would overwrite the reset with its next commit, so active members make it refuse (or wait, with --wait).
 */
export async function replay(admin: Admin, options: ReplayOptions, out: Output): Promise<void> {
  const group = await emptyGroup(admin, options, out);
  const topics = options.topics?.length ? options.topics : [...group.committed.keys()];
  if (topics.length === 0)
    throw new CliError(`replay: group '${options.groupId}' has no committed offsets: pass --topic`);
  let replayed = 0n;
  for (const topic of topics) {
    const target = await targetOffsets(admin, topic, options.to);
    const before = group.committed.get(topic) ?? new Map<number, bigint>();
    try {
      await admin.setOffsets({
        groupId: options.groupId,
        topic,
        partitions: [...target].map(([partition, offset]) => ({ partition, offset: offset.toString() })),
      });
    } catch (error) {
      throw new CliError(
        `replay: Kafka refused the reset of '${options.groupId}': ${(error as Error).message}`,
      );
    }
    for (const [partition, offset] of [...target].sort(([a], [b]) => a - b)) {
      const from = before.get(partition);
      if (from !== undefined && from > offset) replayed += from - offset;
      out.line(
        `${topic}[${partition}]  ${from === undefined ? '-' : from.toString()} → ${offset.toString()}`,
      );
    }
  }
  out.line(
    `✓ group '${options.groupId}' reset on ${topics.join(', ')}: ${replayed.toString()} records will be processed again when its consumers restart`,
  );
}
