import { randomBytes } from 'node:crypto';
import { waitFor } from '@eventfold/testing';
import { ratio, type CpuFigure, type Ratio } from '../report/figures';
import { removeCreated } from '../stack/cleanup';
import { spawnBackend, spawnGateway, stopService } from '../stack/services';
import { newSystem } from '../stack/system';
import { pairedLoad, type AlternatedFigures, type LoadTarget, type PairedFigures } from './pairedLoad';

let users = 0;
const registration = () => {
  const n = users++;
  return JSON.stringify({ name: `Gateway User ${n}`, email: `gateway${n}@example.com` });
};

export interface RouteFigures {
  readonly ratios: Ratio[];
  readonly cpu: Record<string, CpuFigure[]>;
  readonly details: Record<string, number>;
  readonly lines: string[];
}

/**
 * CPU one process spent per answered request: a figure the machine's other load disturbs far less than
 * requests/s, since a process that waits for a core spends no CPU meanwhile.
 */
export function cpuPerRequestMicros(f: PairedFigures, process: string): number {
  const cpu = f.cpu.find((c) => c.process === process);
  const requests = f.result.ok + f.result.failed;
  return cpu && requests > 0 ? (cpu.cpuSeconds * 1e6) / requests : Number.NaN;
}

/**
 * Requests/s of one route, gateway ÷ direct, and the latency the gateway adds: at the median as autocannon
 * reports it (whole milliseconds), and on average to the microsecond by Little's law (a closed loop of
 * `connections` clients: mean latency = connections ÷ requests/s).
 */
function routeFigures(route: string, [direct, gateway]: AlternatedFigures, to: string, connections: number) {
  const rps = (label: string, f: PairedFigures) => ({ label, value: f.result.perSecond, unit: 'requests/s' });
  const addedP50 = gateway.result.latencyP50Ms - direct.result.latencyP50Ms;
  const meanMs = (f: PairedFigures) => (1000 * connections) / f.result.perSecond;
  const addedMean = meanMs(gateway) - meanMs(direct);
  const side = (f: PairedFigures) =>
    `${f.result.perSecond.toFixed(0)} requests/s (p50 ${f.result.latencyP50Ms} ms, p99 ${f.result.latencyP99Ms} ms, mean ${meanMs(f).toFixed(2)} ms)`;
  const gatewayCpu = cpuPerRequestMicros(gateway, 'gateway');
  return {
    ratios: [
      ratio(`Gateway ÷ direct, ${route} (requests/s)`, rps('gateway', gateway), rps(to, direct), 'higher'),
    ],
    cpu: { [`${route}, direct`]: direct.cpu, [`${route}, through the gateway`]: gateway.cpu },
    line: `  ${route}: gateway ${side(gateway)}; ${to} ${side(direct)}; added p50 ${addedP50} ms, mean ${addedMean.toFixed(2)} ms; gateway CPU ${gatewayCpu.toFixed(0)} µs/request`,
    details: {
      [`${route} gateway p50 ms`]: gateway.result.latencyP50Ms,
      [`${route} direct p50 ms`]: direct.result.latencyP50Ms,
      [`${route} gateway p99 ms`]: gateway.result.latencyP99Ms,
      [`${route} direct p99 ms`]: direct.result.latencyP99Ms,
      [`${route} added p50 ms`]: addedP50,
      [`${route} added mean ms`]: Number(addedMean.toFixed(3)),
      [`${route} gateway CPU µs/request`]: Math.round(gatewayCpu),
    },
  };
}

/**
 * `GET /v1/users/{id}` and `POST /v1/users` through the gateway against the same requests sent straight to the
 * query and command services, on a fresh system (command service as deployed, personal fields encrypted).
 */
export async function measureRoutes(options: {
  connections: number;
  seconds: number;
  rounds: number;
}): Promise<RouteFigures> {
  const env = await newSystem();
  const apiKey = randomBytes(24).toString('base64url');
  const command = await spawnBackend('command', env);
  const projector = await spawnBackend('projector', env);
  const query = await spawnBackend('query', env);
  const gateway = await spawnGateway({ commandUrl: command.url, queryUrl: query.url, apiKey });
  try {
    const created = await fetch(`${command.url}/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: registration(),
    });
    if (created.status !== 201) throw new Error(`registering the user to read answered ${created.status}`);
    const { id } = (await created.json()) as { id: string };
    await waitFor(async () => (await fetch(`${query.url}/v1/users/${id}`)).status === 200, {
      timeoutMs: 60_000,
      description: `user ${id} in the query service`,
    });
    // The registrations below would keep it busy on the same two cores: the read path needs it no more.
    await stopService(projector);
    const through = (backend: LoadTarget['processes'][number]): LoadTarget => ({
      name: 'gateway',
      url: gateway.url,
      processes: [{ name: 'gateway', service: gateway }, backend],
      headers: { authorization: `Bearer ${apiKey}` },
    });
    const queryProcess = { name: 'query', service: query };
    const commandProcess = { name: 'command', service: command };
    const read = routeFigures(
      'GET /v1/users/{id}',
      await pairedLoad({
        targets: [{ name: 'query', url: query.url, processes: [queryProcess] }, through(queryProcess)],
        path: `/v1/users/${id}`,
        ...options,
      }),
      'query service',
      options.connections,
    );
    const write = routeFigures(
      'POST /v1/users',
      await pairedLoad({
        targets: [
          { name: 'command', url: command.url, processes: [commandProcess] },
          through(commandProcess),
        ],
        path: '/v1/users',
        method: 'POST',
        body: registration,
        ...options,
      }),
      'command service',
      options.connections,
    );
    return {
      ratios: [...read.ratios, ...write.ratios],
      cpu: { ...read.cpu, ...write.cpu },
      details: { ...read.details, ...write.details },
      lines: [read.line, write.line],
    };
  } finally {
    await Promise.allSettled([
      stopService(gateway),
      stopService(query),
      stopService(projector),
      stopService(command),
    ]);
    await removeCreated({ prefix: env.prefix, databases: [env.readDb] });
  }
}
