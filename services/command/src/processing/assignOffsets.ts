import { consistencyToken } from './commandResult';
import type { BatchDecision, DecidedCommand } from './decideBatch';
import type { StreamRecord } from './streamRecord';

/**
 * Completes a batch decision once its events have offsets (the append answers the first one; the rest follow in
 * order): each result gets its consistency token, each stream the offset of its last event, and the idempotency
 * window remembers the completed results.
 */
export function assignOffsets(
  partition: number,
  decision: BatchDecision,
  firstOffset: bigint,
): BatchDecision {
  let next = firstOffset;
  const streams = new Map<string, StreamRecord>(decision.streams);
  const decided = decision.decided.map((d): DecidedCommand => {
    if (d.events.length === 0) return d;
    const last = next + BigInt(d.events.length - 1);
    next = last + 1n;
    const result = { ...d.result, consistencyToken: consistencyToken(partition, last) };
    const record = streams.get(d.incoming.streamId)!;
    streams.set(d.incoming.streamId, {
      ...record,
      lastEventOffset: last > record.lastEventOffset ? last : record.lastEventOffset,
      lastEventPartition: partition,
      recent: record.recent.map((r) => (r.commandId === result.commandId ? { ...r, result } : r)),
    });
    return { ...d, result };
  });
  return { decided, streams };
}
