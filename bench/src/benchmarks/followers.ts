import os from 'node:os';
import { sleep } from '@eventfold/core';
import { waitFor } from '@eventfold/testing';
import { positionAfter } from '../followers/feedPosition';
import { follow, type Follower } from '../followers/follower';
import { startEmbedded, startStack, type FollowTarget } from '../followers/followTarget';
import { CpuMeter } from '../measure/cpuMeter';
import { openLoad, type OpenLoadResult } from '../measure/openLoad';
import { ResidentMemory } from '../measure/residentMemory';
import { ratio, type BenchmarkResult, type CpuFigure, type Ratio } from '../report/figures';
import { summarise, type LatencySummary } from '../report/percentiles';
import { sized, type Benchmark, type BenchContext } from './benchmark';

/** Issue 22: 200 followers, some of every user's events and the rest of one user each. */
const FOLLOWERS = 200;
const ALL_USERS_FOLLOWERS = 20;
/** Followers that connect to the all-users feed from its start and never read. */
const STALLED = 10;
/** Closed-loop connections for the rate the target sustains alone. */
const CLOSED_LOOP_CONNECTIONS = 16;
/** Followers connecting at once. */
const CONNECT_WAVE = 20;
/** Times a follower connects again after a refusal or a stream the server ended, a second apart. */
const FOLLOWER_RETRIES = 10;

interface User {
  readonly id: string;
  /** The highest version a write answered: a follower starts after it. */
  version: number;
}

/** Renames over a fixed set of users, remembering when each name was answered and where the log stood. */
class Workload {
  readonly users: User[] = [];
  /** Every write's consistency token: the all-users followers start after them. */
  readonly tokens: string[] = [];
  /** Name set by a rename → when its answer came. */
  readonly answered = new Map<string, number>();
  /** Renames answered, per user, in the current block. */
  okByUser = new Map<string, number>();

  constructor(private readonly target: FollowTarget) {}

  private async call(method: 'POST' | 'PUT', path: string, body: unknown) {
    const response = await fetch(`${this.target.writeUrl}${path}`, {
      method,
      headers: { ...this.target.headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status >= 300) {
      await response.arrayBuffer();
      return null;
    }
    return (await response.json()) as { id: string; version: number; consistencyToken?: string };
  }

  async register(count: number): Promise<void> {
    for (let i = 0; i < count; i += 8)
      await Promise.all(
        Array.from({ length: Math.min(8, count - i) }, async (_, j) => {
          const n = i + j;
          const answer = await this.call('POST', '/v1/users', {
            name: `Followed ${n}`,
            email: `followed${n}-${Date.now()}@example.com`,
          });
          if (!answer) throw new Error(`registering user ${n} on the ${this.target.name} failed`);
          this.users.push({ id: answer.id, version: answer.version });
          if (answer.consistencyToken) this.tokens.push(answer.consistencyToken);
        }),
      );
  }

  /** Renames user n mod users to `<label> <n>`; true when answered 200. */
  async rename(label: string, n: number): Promise<boolean> {
    const user = this.users[n % this.users.length]!;
    const name = `${label} ${n}`;
    const answer = await this.call('PUT', `/v1/users/${user.id}/name`, { name });
    if (!answer) return false;
    this.answered.set(name, performance.now());
    user.version = Math.max(user.version, answer.version);
    if (answer.consistencyToken) this.tokens.push(answer.consistencyToken);
    this.okByUser.set(user.id, (this.okByUser.get(user.id) ?? 0) + 1);
    return true;
  }

  /** Open loop at `perSecond` for `seconds`: renames labelled `label`. */
  load(label: string, perSecond: number, seconds: number): Promise<OpenLoadResult> {
    this.okByUser = new Map();
    return openLoad({ perSecond, seconds, send: (n) => this.rename(label, n) });
  }

  /** Renames answered per second by `connections` clients each sending the next on the answer. */
  async closedLoopRate(connections: number, seconds: number): Promise<number> {
    let ok = 0;
    let n = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < deadline) if (await this.rename('Closed', n++).catch(() => false)) ok++;
      }),
    );
    return ok / ((performance.now() - started) / 1000);
  }
}

interface FollowedBlock {
  readonly writes: OpenLoadResult;
  readonly lag: LatencySummary;
  readonly received: number;
  readonly expected: number;
  /** Events received that were written before the block (none, if every follower started where it was told). */
  readonly earlier: number;
  /** Followers' connections opened again (after a 503 or a stream the server ended). */
  readonly reconnects: number;
  readonly cpu: CpuFigure[];
}

/**
 * One block with FOLLOWERS connected before the writes start (what is measured is their cost while they follow,
 * not 200 connections opening at once), each from where the log stands, so that none replays history.
 */
async function withFollowers(
  target: FollowTarget,
  workload: Workload,
  label: string,
  perSecond: number,
  seconds: number,
): Promise<FollowedBlock> {
  const receipts: [string, number][] = [];
  // Events of earlier blocks would mean a follower replayed history it was told to skip: counted apart.
  let earlier = 0;
  const onEvent = (name: string | null, at: number) => {
    if (name?.startsWith(`${label} `)) receipts.push([name, at]);
    else earlier++;
  };
  const position = positionAfter(workload.tokens);
  const followed: string[] = [];
  const followers: Follower[] = [];
  const open = (i: number): Follower => {
    const options = { headers: target.headers, retries: FOLLOWER_RETRIES, onEvent };
    if (i < ALL_USERS_FOLLOWERS)
      return follow(`${target.followUrl}/v1/events?follow=true`, { ...options, lastEventId: position });
    const user = workload.users[i % workload.users.length]!;
    followed.push(user.id);
    return follow(
      `${target.followUrl}/v1/users/${user.id}/events?follow=true&after=${user.version}`,
      options,
    );
  };
  try {
    // In waves, as clients arrive: 200 first reads at once time out on the shards of a loaded machine (503, and
    // the follower connects again a second later, as an EventSource does).
    for (let i = 0; i < FOLLOWERS; i += CONNECT_WAVE) {
      const wave = Array.from({ length: Math.min(CONNECT_WAVE, FOLLOWERS - i) }, (_, j) => open(i + j));
      followers.push(...wave);
      const statuses = await Promise.all(wave.map((f) => f.opened));
      const refused = statuses.filter((s) => s !== 200);
      if (refused.length > 0)
        throw new Error(`${refused.length} followers refused on the ${target.name} (${refused[0]})`);
    }
    await sleep(500);
    const meter = new CpuMeter(target.processes).start();
    const writes = await workload.load(label, perSecond, seconds);
    const expected =
      ALL_USERS_FOLLOWERS * writes.ok + followed.reduce((n, id) => n + (workload.okByUser.get(id) ?? 0), 0);
    const received = () => receipts.length;
    await waitFor(() => received() >= expected, { timeoutMs: 15_000, intervalMs: 100 }).catch(
      () => undefined,
    );
    const cpu = meter.stop();
    const lags = receipts.flatMap(([name, at]) => {
      const answered = workload.answered.get(name);
      return answered === undefined ? [] : [at - answered];
    });
    const reconnects = followers.reduce((n, f) => n + f.reconnects(), 0);
    return { writes, lag: summarise(lags), received: received(), expected, earlier, reconnects, cpu };
  } finally {
    for (const f of followers) f.close();
  }
}

interface StalledFigures {
  /** Streams that opened and that the server ended while they did not read. */
  readonly cut: number;
  /** Streams refused at the start (503: the read model did not answer in time). */
  readonly refused: number;
  /** What each stalled follower found unread once it read again (in the kernel's buffers and the server's). */
  readonly maxUnreadKiB: number;
  readonly cutsLogged: number | null;
  readonly peakRssKiB: number;
  readonly writes: OpenLoadResult;
}

/**
 * STALLED followers of every user's events from the start, which never read, while renames flow for `seconds`:
 * the server must cut each once FEED_MAX_BUFFERED_BYTES lie unread for FEED_STALL_MS (defaults 1 MiB, 10 s), and
 * its memory must stay bounded meanwhile. Then each reads again: a stream the server cut ends once the buffers are
 * drained; one it did not cut goes on (and is closed here).
 */
async function stalledFollowers(
  target: FollowTarget,
  workload: Workload,
  perSecond: number,
  seconds: number,
): Promise<StalledFigures> {
  const memory = new ResidentMemory(target.memory.service.child.pid!).start();
  const cutsBefore = target.cutsLogged();
  const stalled = Array.from({ length: STALLED }, () =>
    follow(`${target.followUrl}/v1/events?follow=true`, { headers: target.headers, paused: true }),
  );
  try {
    const statuses = await Promise.all(stalled.map((f) => f.opened));
    const writes = await workload.load('Stalled', perSecond, seconds);
    const peakRssKiB = memory.stop();
    let cut = 0;
    for (const [i, f] of stalled.entries()) {
      if (statuses[i] !== 200) continue;
      f.resume();
      const how = await Promise.race([f.ended, sleep(5_000).then(() => 'open' as const)]);
      if (how === 'server') cut++;
    }
    const cutsAfter = target.cutsLogged();
    return {
      cut,
      refused: statuses.filter((status) => status !== 200).length,
      maxUnreadKiB: Math.max(...stalled.map((f) => f.bytes())) / 1024,
      cutsLogged: cutsBefore === null || cutsAfter === null ? null : cutsAfter - cutsBefore,
      peakRssKiB,
      writes,
    };
  } finally {
    for (const f of stalled) f.close();
  }
}

interface TargetFigures {
  readonly target: FollowTarget['name'];
  readonly closedLoopRate: number;
  readonly perSecond: number;
  readonly without: OpenLoadResult[];
  readonly followed: FollowedBlock[];
  readonly stalled: StalledFigures;
  readonly peakRssWithoutKiB: number;
  readonly peakRssFollowedKiB: number;
  readonly lifetimePeakRssKiB: number;
  readonly cpu: Record<string, CpuFigure[]>;
}

const lowest = <T>(items: readonly T[], key: (item: T) => number): T =>
  items.reduce((best, item) => (key(item) < key(best) ? item : best));

async function onTarget(context: BenchContext, target: FollowTarget): Promise<TargetFigures> {
  const seconds = sized(context, 6, 20);
  const workload = new Workload(target);
  await workload.register(sized(context, 40, 100));
  await workload.closedLoopRate(CLOSED_LOOP_CONNECTIONS, 1); // warm-up
  const closedLoopRate = await workload.closedLoopRate(CLOSED_LOOP_CONNECTIONS, sized(context, 4, 10));
  const perSecond = Math.max(1, Math.round(closedLoopRate / 2));
  context.say(
    `  ${target.name}: ${closedLoopRate.toFixed(0)} renames/s alone (closed loop, ${CLOSED_LOOP_CONNECTIONS} connections): writing at ${perSecond}/s`,
  );
  const memory = new ResidentMemory(target.memory.service.child.pid!);
  const without: OpenLoadResult[] = [];
  const followed: FollowedBlock[] = [];
  const cpu: Record<string, CpuFigure[]> = {};
  let peakRssWithoutKiB = 0;
  let peakRssFollowedKiB = 0;
  // Without and with alternate, so that both meet the same machine (it is shared, and its load moves).
  for (let round = 0; round < sized(context, 2, 3); round++) {
    memory.start();
    const meter = new CpuMeter(target.processes).start();
    const alone = await workload.load(`Alone${round}`, perSecond, seconds);
    cpu[`${target.name} without followers, round ${round + 1}`] = meter.stop();
    peakRssWithoutKiB = Math.max(peakRssWithoutKiB, memory.stop());
    without.push(alone);
    context.say(
      `  ${target.name} round ${round + 1} without followers: p50 ${alone.p50Ms.toFixed(1)} / p99 ${alone.p99Ms.toFixed(1)} ms (${alone.failed} failed)`,
    );
    memory.start();
    const block = await withFollowers(target, workload, `Followed${round}`, perSecond, seconds);
    peakRssFollowedKiB = Math.max(peakRssFollowedKiB, memory.stop());
    cpu[`${target.name} with ${FOLLOWERS} followers, round ${round + 1}`] = block.cpu;
    followed.push(block);
    context.say(
      `  ${target.name} round ${round + 1} with ${FOLLOWERS} followers: p50 ${block.writes.p50Ms.toFixed(1)} / p99 ${block.writes.p99Ms.toFixed(1)} ms (${block.writes.failed} failed); delivery lag p50 ${block.lag.p50.toFixed(0)} / p99 ${block.lag.p99.toFixed(0)} ms; ${block.received} of ${block.expected} events received (and ${block.earlier} written before), ${block.reconnects} reconnections`,
    );
  }
  const stalled = await stalledFollowers(target, workload, perSecond, sized(context, 16, 25));
  const lifetimePeakRssKiB = memory.now('VmHWM');
  context.say(
    `  ${target.name}: ${stalled.cut} of ${STALLED} stalled followers ended by the server, ${stalled.refused} refused at the start (${stalled.cutsLogged ?? 'no'} cuts logged; at most ${stalled.maxUnreadKiB.toFixed(0)} KiB left unread each); ${target.memory.name} peak RSS ${(stalled.peakRssKiB / 1024).toFixed(0)} MiB meanwhile, ${(peakRssFollowedKiB / 1024).toFixed(0)} MiB with ${FOLLOWERS} followers, ${(peakRssWithoutKiB / 1024).toFixed(0)} MiB without; VmHWM ${(lifetimePeakRssKiB / 1024).toFixed(0)} MiB`,
  );
  return {
    target: target.name,
    closedLoopRate,
    perSecond,
    without,
    followed,
    stalled,
    peakRssWithoutKiB,
    peakRssFollowedKiB,
    lifetimePeakRssKiB,
    cpu,
  };
}

const ms = (label: string, value: number) => ({ label, value, unit: 'ms' });
const mib = (label: string, kib: number) => ({ label, value: kib / 1024, unit: 'MiB' });

function ratiosOf(f: TargetFigures): Ratio[] {
  // The best block of each kind, as the paired loads keep the best round: the noise of a shared machine only
  // ever makes a block slower.
  const alone = lowest(f.without, (w) => w.p99Ms);
  const followed = lowest(f.followed, (b) => b.writes.p99Ms);
  const at = `${f.target}, ${f.perSecond} renames/s`;
  return [
    ratio(
      `Command p50 with ${FOLLOWERS} followers ÷ without (${at})`,
      ms('with followers', lowest(f.followed, (b) => b.writes.p50Ms).writes.p50Ms),
      ms('without', lowest(f.without, (w) => w.p50Ms).p50Ms),
      'lower',
    ),
    ratio(
      `Command p99 with ${FOLLOWERS} followers ÷ without (${at})`,
      ms('with followers', followed.writes.p99Ms),
      ms('without', alone.p99Ms),
      'lower',
    ),
    ratio(
      `Peak RSS with ${STALLED} followers that never read ÷ without followers (${f.target}, ${f.target === 'stack' ? 'query service' : 'the one process'})`,
      mib('stalled followers', f.stalled.peakRssKiB),
      mib('without followers', f.peakRssWithoutKiB),
      'lower',
    ),
  ];
}

function detailsOf(f: TargetFigures): Record<string, number | string> {
  const d: Record<string, number | string> = {
    [`${f.target}.closedLoopRenamesPerSecond`]: f.closedLoopRate,
    [`${f.target}.openLoopRenamesPerSecond`]: f.perSecond,
    [`${f.target}.stalled.endedByServer`]: `${f.stalled.cut} of ${STALLED}`,
    [`${f.target}.stalled.refused`]: f.stalled.refused,
    [`${f.target}.stalled.cutsLogged`]: f.stalled.cutsLogged ?? 'not logged',
    [`${f.target}.stalled.maxUnreadKiB`]: f.stalled.maxUnreadKiB,
    [`${f.target}.stalled.writesP99Ms`]: f.stalled.writes.p99Ms,
    [`${f.target}.peakRss.stalledMiB`]: f.stalled.peakRssKiB / 1024,
    [`${f.target}.peakRss.withFollowersMiB`]: f.peakRssFollowedKiB / 1024,
    [`${f.target}.peakRss.withoutMiB`]: f.peakRssWithoutKiB / 1024,
    [`${f.target}.peakRss.lifetimeVmHwmMiB`]: f.lifetimePeakRssKiB / 1024,
  };
  f.without.forEach((w, i) =>
    Object.assign(d, {
      [`${f.target}.round${i + 1}.without.p50Ms`]: w.p50Ms,
      [`${f.target}.round${i + 1}.without.p99Ms`]: w.p99Ms,
      [`${f.target}.round${i + 1}.without.failed`]: w.failed,
    }),
  );
  f.followed.forEach((b, i) =>
    Object.assign(d, {
      [`${f.target}.round${i + 1}.with.p50Ms`]: b.writes.p50Ms,
      [`${f.target}.round${i + 1}.with.p99Ms`]: b.writes.p99Ms,
      [`${f.target}.round${i + 1}.with.failed`]: b.writes.failed,
      [`${f.target}.round${i + 1}.lag.p50Ms`]: b.lag.p50,
      [`${f.target}.round${i + 1}.lag.p99Ms`]: b.lag.p99,
      [`${f.target}.round${i + 1}.eventsReceived`]: `${b.received} of ${b.expected}`,
      [`${f.target}.round${i + 1}.reconnects`]: b.reconnects,
      [`${f.target}.round${i + 1}.eventsWrittenBefore`]: b.earlier,
    }),
  );
  return d;
}

export const followersBenchmark: Benchmark = {
  name: 'followers',
  title: 'Followers of the live feed while commands are written',
  // Two targets, each with 200 followers and alternated blocks: 4 to 5 minutes at quick size.
  long: true,
  async run(context): Promise<BenchmarkResult> {
    const ratios: Ratio[] = [];
    const cpu: Record<string, CpuFigure[]> = {};
    const details: Record<string, number | string> = {
      followers: `${FOLLOWERS} (${ALL_USERS_FOLLOWERS} of every user, the rest of one user each)`,
      stalledFollowers: STALLED,
      loadAverageBefore: os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
    };
    for (const start of [startStack, () => startEmbedded(FOLLOWERS + STALLED + 10)]) {
      const target = await start();
      try {
        const figures = await onTarget(context, target);
        ratios.push(...ratiosOf(figures));
        Object.assign(cpu, figures.cpu);
        Object.assign(details, detailsOf(figures));
      } finally {
        await target.stop();
      }
    }
    return { name: this.name, title: this.title, ratios, cpu, details };
  },
};
