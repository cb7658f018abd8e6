import type { Admin, Kafka } from 'kafkajs';
import { sleep } from '@eventfold/core';
import {
  CheckpointStore,
  nextLayout,
  ReadModelControl,
  readModelCollections,
  ShardSet,
  type ReadModelControlState,
  type ReadModelLayout,
} from '@eventfold/mongo';
import type { ClusterOptions } from '../cluster/clusterOptions';
import { topicEnds, withAdmin } from '../cluster/kafkaAdmin';
import { CliError, type Output } from './output';

export interface RebuildOptions {
  /** Shards of the new version (a resharding); by default the active version's. */
  readonly shards?: readonly string[];
  readonly dropOld: boolean;
  /** Records still to apply below which the handover starts. */
  readonly handoverLag: number;
  readonly progressEveryMs: number;
  /** Bound on each wait: for projectors to freeze the old version, for the new one to pass it. */
  readonly stepTimeoutMs: number;
  /** How long reads may still use the old version after the switch before --drop-old drops it. */
  readonly dropAfterMs: number;
}

const n = (value: bigint | number) => Number(value).toLocaleString('en-US');

/** Records of the events topic a group has still to process, and how many it has processed. */
async function progressOf(admin: Admin, groupId: string, topic: string) {
  const ends = await topicEnds(admin, topic);
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const committed = new Map((offsets?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  let lag = 0n;
  let done = 0n;
  for (const [partition, { low, high }] of ends) {
    const at = committed.get(partition) ?? -1n;
    const from = at < low ? low : at;
    lag += high - from;
    done += from - low;
  }
  return { lag, done };
}

async function members(admin: Admin, groupId: string): Promise<number> {
  const [group] = (await admin.describeGroups([groupId])).groups;
  return group?.members.length ?? 0;
}

/** Every partition's checkpoint of `to` is at or past that of `from`. */
async function caughtUp(from: ReadModelLayout, to: ReadModelLayout, database: string): Promise<boolean> {
  const read = async (layout: ReadModelLayout) => {
    const shards = await ShardSet.connect(layout.shards.slice(0, 1), database);
    try {
      return await new CheckpointStore(
        shards.primary,
        readModelCollections(layout.version).checkpoints,
      ).readAll();
    } finally {
      await shards.close();
    }
  };
  const [old, next] = await Promise.all([read(from), read(to)]);
  return [...old].every(([partition, offset]) => (next.get(partition) ?? -1n) >= offset);
}

async function dropCollections(layout: ReadModelLayout, database: string): Promise<void> {
  const shards = await ShardSet.connect(layout.shards, database);
  try {
    const names = Object.values(readModelCollections(layout.version));
    for (const db of shards.dbs) {
      const existing = new Set(
        (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name),
      );
      for (const name of names) if (existing.has(name)) await db.dropCollection(name);
    }
  } finally {
    await shards.close();
  }
}

/**
 * Blue/green rebuild of the users read model (docs/decisions/0007-blue-green-rebuild.md). It only moves the control document: the
 * projectors build the new version under its own group beside the live one, and the query services follow the
 * switch. Steps: start building → watch progress → handover (the old version freezes) → wait until the new one has
 * passed every checkpoint of the old → switch reads → optionally drop the old. Run again after a crash, it resumes.
 */
export async function rebuild(
  kafka: Kafka,
  cluster: ClusterOptions,
  control: ReadModelControl,
  options: RebuildOptions,
  out: Output,
): Promise<void> {
  let state = await control.read();
  if (state.target) {
    out.line(`resuming the rebuild of version ${state.target.version} (${state.phase})`);
  } else {
    const highest = Math.max(state.active.version, ...state.retired.map((r) => r.version));
    const target = nextLayout({ ...state.active, version: highest }, options.shards ?? state.active.shards);
    await dropCollections(target, cluster.readDatabase);
    await withAdmin(kafka, async (admin) => {
      if (
        (
          await admin.fetchOffsets({ groupId: target.groupId, topics: [cluster.topics.events] })
        )[0]?.partitions.some((p) => Number(p.offset) >= 0)
      )
        await admin.deleteGroups([target.groupId]);
    });
    state = await control.replace(state, { ...state, target, phase: 'building' });
    out.line(
      `building version ${target.version} (group ${target.groupId}, ${target.shards.length} shard${target.shards.length === 1 ? '' : 's'}) while version ${state.active.version} serves`,
    );
  }
  const target = state.target!;
  const old = state.active;
  await withAdmin(kafka, (admin) => watchProgress(admin, target, cluster, options, out));

  if (state.phase !== 'handover') state = await control.replace(state, { ...state, phase: 'handover' });
  out.line(
    `handover: projectors stop feeding version ${old.version}; waiting for version ${target.version} to pass it`,
  );
  try {
    await withAdmin(kafka, (admin) =>
      waitUntil(
        async () => (await members(admin, old.groupId)) === 0,
        options.stepTimeoutMs,
        () =>
          `group ${old.groupId} still has members: a projector that does not follow the control document?`,
      ),
    );
    await waitUntil(
      () => caughtUp(old, target, cluster.readDatabase),
      options.stepTimeoutMs,
      () => `version ${target.version} did not pass the checkpoints of version ${old.version}`,
    );
  } catch (error) {
    await control.replace(state, { ...state, phase: 'building' });
    throw new CliError(
      `rebuild: ${(error as Error).message}; version ${old.version} serves and is fed again`,
    );
  }
  state = await control.replace(state, {
    active: target,
    target: null,
    phase: null,
    retired: [...state.retired.filter((r) => r.version !== old.version), old],
  });
  out.line(`✓ reads switched to version ${target.version}`);
  if (options.dropOld) await dropRetired(kafka, cluster, control, state, old, options, out);
}

async function dropRetired(
  kafka: Kafka,
  cluster: ClusterOptions,
  control: ReadModelControl,
  state: ReadModelControlState,
  old: ReadModelLayout,
  options: RebuildOptions,
  out: Output,
): Promise<void> {
  // Query services poll the control document: give them time to stop reading the old version.
  await sleep(options.dropAfterMs);
  await dropCollections(old, cluster.readDatabase);
  await withAdmin(kafka, async (admin) => {
    await waitUntil(
      async () => (await members(admin, old.groupId)) === 0,
      options.stepTimeoutMs,
      () => `group ${old.groupId} still has members`,
    );
    await admin.deleteGroups([old.groupId]);
  });
  await control.replace(state, { ...state, retired: state.retired.filter((r) => r.version !== old.version) });
  out.line(`✓ dropped version ${old.version} and its group ${old.groupId}`);
}

async function watchProgress(
  admin: Admin,
  target: ReadModelLayout,
  cluster: ClusterOptions,
  options: RebuildOptions,
  out: Output,
): Promise<void> {
  const started = Date.now();
  let last = { at: Date.now(), done: (await progressOf(admin, target.groupId, cluster.topics.events)).done };
  let idleSince = Date.now();
  for (;;) {
    const { lag, done } = await progressOf(admin, target.groupId, cluster.topics.events);
    const now = Date.now();
    const rate = Number(done - last.done) / Math.max(0.001, (now - last.at) / 1000);
    const left = rate > 0 ? `~${Math.ceil(Number(lag) / rate)} s left` : 'time left unknown';
    out.line(
      `version ${target.version}: ${n(done)} events applied, lag ${n(lag)}, ${n(Math.round(rate))} events/s, ${left} (${Math.round((now - started) / 1000)} s)`,
    );
    if (lag <= BigInt(options.handoverLag)) return;
    if (done > last.done || (await members(admin, target.groupId)) > 0) idleSince = now;
    else if (now - idleSince > options.stepTimeoutMs)
      throw new CliError(
        `rebuild: nothing is building version ${target.version} (group ${target.groupId} has no members): is the projector running? Run the command again to resume`,
      );
    last = { at: now, done };
    await sleep(options.progressEveryMs);
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, why: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(why());
    await sleep(250);
  }
}
