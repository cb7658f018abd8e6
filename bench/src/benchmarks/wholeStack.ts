import { randomBytes } from 'node:crypto';
import { testEndpoints, waitFor, type ServiceProcess } from '@eventfold/testing';
import { CpuMeter } from '../measure/cpuMeter';
import { infraProcesses } from '../measure/infraProcesses';
import { httpLoad, type LoadResult } from '../measure/load';
import { ratio, type BenchmarkResult, type CpuFigure, type Ratio } from '../report/figures';
import { removeCreated } from '../stack/cleanup';
import { ShardedCount } from '../stack/readModelCount';
import { spawnBackend, spawnGateway, stopService } from '../stack/services';
import { newSystem } from '../stack/system';
import { sized, type Benchmark } from './benchmark';

const CONNECTIONS = 32;

let users = 0;
const registration = () => {
  const n = users++;
  return JSON.stringify({ name: `Stack User ${n}`, email: `stack${n}-${process.pid}@example.com` });
};

/** CPU milliseconds each process spent per registration answered in a phase. */
function cpuPerRegistration(cpu: readonly CpuFigure[], registrations: number) {
  return Object.fromEntries(
    cpu.map((c) => [c.process, Math.round(((1000 * c.cpuSeconds) / Math.max(1, registrations)) * 10) / 10]),
  );
}

/**
 * The whole stack as a user runs it (`pnpm stack`): the command, projector, query, notifier and integration
 * services as their own processes behind the gateway, on a fresh system, every consumer of users.events at work
 * (the read model, the welcome mail, the public topic) while registrations arrive through the gateway, closed loop.
 * The baseline is the same gateway and command service once the consumers have stopped, in the same run: what
 * the rest of the stack costs the write path on the same machine. Also: CPU per registration of every process,
 * and how long after the last answer the read model held every registered user.
 */
export const wholeStack: Benchmark = {
  name: 'stack',
  title: 'The whole stack, as `pnpm stack` runs it',
  async run(context): Promise<BenchmarkResult> {
    const seconds = sized(context, 8, 20);
    const env = await newSystem();
    const apiKey = randomBytes(24).toString('base64url');
    const notifierDb = `${env.readDb}_notifier`;
    const started: ServiceProcess[] = [];
    const spawn = async (p: Promise<ServiceProcess>) => {
      const service = await p;
      started.push(service);
      return service;
    };
    const count = await ShardedCount.open(env.readDb, 'users');
    try {
      const [command, projector, query, notifier, integration] = await Promise.all([
        spawn(spawnBackend('command', env)),
        spawn(spawnBackend('projector', env)),
        spawn(spawnBackend('query', env)),
        spawn(spawnBackend('notifier', env, { NOTIFIER_DB: notifierDb, SMTP_URL: testEndpoints().smtpUrl })),
        spawn(spawnBackend('integration', env)),
      ]);
      const gateway = await spawn(spawnGateway({ commandUrl: command.url, queryUrl: query.url, apiKey }));
      const consumers = { projector, query, notifier, integration };
      const meter = (services: Record<string, ServiceProcess>) =>
        new CpuMeter([
          { name: 'bench', pid: 'self' },
          ...Object.entries(services).map(([name, s]) => ({ name, pid: s.child.pid! })),
          ...infraProcesses(['smtp']),
        ]);
      const load = (duration: number): Promise<LoadResult> =>
        httpLoad({
          url: `${gateway.url}/v1/users`,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
          body: registration,
          connections: CONNECTIONS,
          seconds: duration,
        });

      // Warm-up: JIT, pools, the first transactions of every owner; then the consumers catch up before measuring.
      const warm = await load(3);
      await waitForUsers(count, warm.ok, 60_000);
      const before = await count.count();

      let m = meter({ command, gateway, ...consumers }).start();
      const whole = await load(seconds);
      const wholeCpu = m.stop();
      const answeredAt = performance.now();
      const caughtUp = await waitForUsers(count, before + whole.ok, 120_000);
      const lagSeconds = caughtUp ? (performance.now() - answeredAt) / 1000 : -1;
      context.say(
        `  whole stack: ${whole.perSecond.toFixed(0)} registrations/s, p50 ${whole.latencyP50Ms} ms, p99 ${whole.latencyP99Ms} ms, ${whole.failed} failed; read model complete ${caughtUp ? `${lagSeconds.toFixed(1)} s after the last answer` : 'not within 120 s'}`,
      );

      await Promise.all(Object.values(consumers).map((s) => stopService(s)));
      await load(2); // the command service alone again, after the consumers left
      m = meter({ command, gateway }).start();
      const alone = await load(seconds);
      const aloneCpu = m.stop();
      context.say(
        `  gateway and command service alone: ${alone.perSecond.toFixed(0)} registrations/s, p50 ${alone.latencyP50Ms} ms, p99 ${alone.latencyP99Ms} ms`,
      );

      const perRegistration = cpuPerRegistration(wholeCpu, whole.ok);
      context.say(
        `  CPU ms per registration, whole stack: ${Object.entries(perRegistration)
          .map(([p, ms]) => `${p} ${ms}`)
          .join(', ')}`,
      );
      const ratios: Ratio[] = [
        ratio(
          `Registrations/s through the gateway, whole stack ÷ gateway and command service alone (${CONNECTIONS} connections)`,
          { label: 'whole stack', value: whole.perSecond, unit: 'registrations/s' },
          { label: 'command service alone', value: alone.perSecond, unit: 'registrations/s' },
          'higher',
        ),
        ratio(
          'Registration p50, whole stack ÷ gateway and command service alone',
          { label: 'whole stack', value: whole.latencyP50Ms, unit: 'ms' },
          { label: 'command service alone', value: alone.latencyP50Ms, unit: 'ms' },
          'lower',
        ),
      ];
      return {
        name: 'stack',
        title: wholeStack.title,
        ratios,
        cpu: { 'whole stack': wholeCpu, 'gateway and command service alone': aloneCpu },
        details: {
          seconds,
          connections: CONNECTIONS,
          'whole.perSecond': whole.perSecond,
          'whole.p50Ms': whole.latencyP50Ms,
          'whole.p99Ms': whole.latencyP99Ms,
          'whole.failed': whole.failed,
          'alone.perSecond': alone.perSecond,
          'alone.p50Ms': alone.latencyP50Ms,
          'alone.p99Ms': alone.latencyP99Ms,
          'alone.failed': alone.failed,
          readModelCompleteAfterSeconds: lagSeconds,
          ...Object.fromEntries(
            Object.entries(perRegistration).map(([p, ms]) => [`cpuMsPerRegistration.${p}`, ms]),
          ),
        },
      };
    } finally {
      await Promise.allSettled(started.map((s) => stopService(s)));
      await count.close();
      await removeCreated({ prefix: env.prefix, databases: [env.readDb, notifierDb] });
    }
  },
};

/** Waits until the read model holds `expected` users; false when it has not within the bound. */
const waitForUsers = (count: ShardedCount, expected: number, timeoutMs: number): Promise<boolean> =>
  waitFor(async () => (await count.count()) >= expected, {
    timeoutMs,
    intervalMs: 100,
    description: `${expected} users in the read model`,
  }).then(
    () => true,
    () => false,
  );
