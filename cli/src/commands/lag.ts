import type { Admin } from 'kafkajs';
import { describeGroup, topicEnds } from '../cluster/kafkaAdmin';
import type { Output } from './output';

export interface PartitionLag {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  readonly committed: bigint | null;
  readonly end: bigint;
  readonly lag: bigint;
}

/** Lag of every partition of every topic a group has committed on (a partition never committed lags the whole log). */
export async function groupLag(admin: Admin, groupId: string): Promise<PartitionLag[]> {
  const group = await describeGroup(admin, groupId);
  const rows: PartitionLag[] = [];
  for (const [topic, committed] of group.committed) {
    for (const [partition, { low, high }] of await topicEnds(admin, topic)) {
      const at = committed.get(partition) ?? null;
      rows.push({ groupId, topic, partition, committed: at, end: high, lag: high - (at ?? low) });
    }
  }
  return rows.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

/** The consumer groups that have committed offsets (private reader groups, which never commit, are left out). */
async function committingGroups(admin: Admin, prefix: string): Promise<string[]> {
  const { groups } = await admin.listGroups();
  const ids = groups
    .filter((g) => g.protocolType === 'consumer' || g.protocolType === '')
    .map((g) => g.groupId)
    .filter((id) => id.startsWith(prefix));
  const withOffsets: string[] = [];
  for (const groupId of ids) {
    const offsets = await admin.fetchOffsets({ groupId });
    if (offsets.some((t) => t.partitions.some((p) => Number(p.offset) >= 0))) withOffsets.push(groupId);
  }
  return withOffsets.sort();
}

export async function lag(
  admin: Admin,
  options: { readonly groupId?: string; readonly prefix: string },
  out: Output,
): Promise<void> {
  const groupIds = options.groupId ? [options.groupId] : await committingGroups(admin, options.prefix);
  if (groupIds.length === 0) {
    out.line('no consumer group has committed offsets yet');
    return;
  }
  out.line(['GROUP', 'TOPIC', 'PARTITION', 'COMMITTED', 'END', 'LAG'].join('\t'));
  for (const groupId of groupIds) {
    const rows = await groupLag(admin, groupId);
    for (const r of rows)
      out.line(
        [
          r.groupId,
          r.topic,
          r.partition,
          r.committed?.toString() ?? '-',
          r.end.toString(),
          r.lag.toString(),
        ].join('\t'),
      );
    const total = rows.reduce((sum, r) => sum + r.lag, 0n);
    out.line(`${groupId}\ttotal lag ${total.toString()}`);
  }
}

/**
 * How far the migrator (`eventfold migrate follow`) is behind the legacy database: the WAL bytes past its slot's
 * acknowledged position, and, from the migrator's /metrics when it answers, the age of what it has not settled.
 */
export async function migrationLag(
  options: { readonly from: string; readonly slot: string; readonly migratorUrl: string },
  out: Output,
): Promise<void> {
  const { slotLagBytes } = await import('@eventfold/migrator-service');
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: options.from });
  await client.connect();
  let bytes: number | null;
  try {
    bytes = await slotLagBytes(client, options.slot);
  } finally {
    await client.end();
  }
  const metrics = await fetch(`${options.migratorUrl}/metrics`, { signal: AbortSignal.timeout(3000) })
    .then((r) => (r.ok ? r.text() : null))
    .catch(() => null);
  const seconds = metrics && /^eventfold_migration_lag_seconds(?:{[^}]*})? (\S+)$/m.exec(metrics)?.[1];
  out.line(['MIGRATION SLOT', 'BYTES BEHIND', 'SECONDS BEHIND'].join('\t'));
  out.line(
    [
      options.slot,
      bytes === null ? 'no such slot' : String(bytes),
      seconds ? Number(seconds).toFixed(1) : `- (migrator at ${options.migratorUrl} not answering)`,
    ].join('\t'),
  );
}
