import { ValidationError } from '@eventfold/core';
import { formatConsistencyToken, parseConsistencyToken } from './consistencyToken';

/**
 * Where the all-users feed stands: per partition, the offset of the last event passed (a partition that is absent
 * is read from its start). Written as consistency tokens joined by commas, partitions ascending: `0:41,3:17`. A
 * single consistency token from a write is a position too.
 */
export type FeedPosition = ReadonlyMap<number, bigint>;

/** Partitions a position may name: more than any deployment has, few enough for a header. */
export const MAX_POSITION_PARTITIONS = 256;

export function formatFeedPosition(position: FeedPosition): string {
  return [...position]
    .sort(([a], [b]) => a - b)
    .map(([partition, offset]) => formatConsistencyToken(partition, offset))
    .join(',');
}

/** The position a `Last-Event-ID` names; empty or absent: the start of every partition. */
export function parseFeedPosition(text: string | undefined): Map<number, bigint> {
  const position = new Map<number, bigint>();
  if (text === undefined || text === '') return position;
  const tokens = text.split(',');
  if (tokens.length > MAX_POSITION_PARTITIONS)
    throw new ValidationError(
      'INVALID_RESUME_POSITION',
      `A position names at most ${MAX_POSITION_PARTITIONS} partitions`,
    );
  for (const token of tokens) {
    let parsed;
    try {
      parsed = parseConsistencyToken(token);
    } catch {
      throw new ValidationError(
        'INVALID_RESUME_POSITION',
        'Last-Event-ID must be partition:offset pairs joined by commas, as the feed sends them',
      );
    }
    if (position.has(parsed.partition))
      throw new ValidationError(
        'INVALID_RESUME_POSITION',
        `Last-Event-ID names partition ${parsed.partition} twice`,
      );
    position.set(parsed.partition, parsed.offset);
  }
  return position;
}
