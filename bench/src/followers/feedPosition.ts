/**
 * The all-users feed's position just after a set of writes: per partition, the highest offset among the writes'
 * consistency tokens (`<partition>:<offset>`), written as the feed writes positions (`0:41,3:17`, partitions
 * ascending). A follower that sends it as `Last-Event-ID` gets what is written after them, not the history
 * (docs/decisions/0018-follow-feed-from-the-read-side.md); a partition none of them names is read from its start.
 */
export function positionAfter(tokens: Iterable<string>): string {
  const highest = new Map<number, bigint>();
  for (const token of tokens) {
    const match = /^(\d+):(\d+)$/.exec(token);
    if (!match) throw new Error(`${JSON.stringify(token)} is not a consistency token`);
    const partition = Number(match[1]);
    const offset = BigInt(match[2]!);
    if ((highest.get(partition) ?? -1n) < offset) highest.set(partition, offset);
  }
  return [...highest]
    .sort(([a], [b]) => a - b)
    .map(([partition, offset]) => `${partition}:${offset}`)
    .join(',');
}
