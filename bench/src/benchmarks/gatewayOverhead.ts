import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ratio, type BenchmarkResult } from '../report/figures';
import { spawnGateway, spawnScript, stopService } from '../stack/services';
import { sized, type Benchmark } from './benchmark';
import { cpuPerRequestMicros, measureRoutes } from './gatewayRoutes';
import { pairedLoad } from './pairedLoad';

const CONNECTIONS = 10;

/**
 * Gateway overhead: requests/s through the gateway to a trivial route (/healthz) ÷ bare node:http, and on
 * `GET /v1/users/{id}` and `POST /v1/users` ÷ the query and command services called directly; same autocannon
 * settings on both sides, alternated.
 */
export const gatewayOverhead: Benchmark = {
  name: 'gateway',
  title: 'Gateway overhead',
  async run(context): Promise<BenchmarkResult> {
    const seconds = sized(context, 5, 15);
    const rounds = sized(context, 1, 2);
    // Backends that do not exist: /healthz never reaches them.
    const gateway = await spawnGateway({
      commandUrl: 'http://127.0.0.1:9',
      queryUrl: 'http://127.0.0.1:9',
      apiKey: randomBytes(24).toString('base64url'),
    });
    const bare = await spawnScript(path.resolve(__dirname, '..', 'baselines', 'bareHttpServer.ts'));
    const bareExpress = await spawnScript(path.resolve(__dirname, '..', 'baselines', 'bareExpressServer.ts'));
    let health;
    try {
      health = await pairedLoad({
        targets: [
          { name: 'bare node:http', url: bare.url, processes: [{ name: 'bare', service: bare }] },
          { name: 'gateway', url: gateway.url, processes: [{ name: 'gateway', service: gateway }] },
          {
            name: 'bare Express 5',
            url: bareExpress.url,
            processes: [{ name: 'express', service: bareExpress }],
          },
        ],
        path: '/healthz',
        connections: CONNECTIONS,
        seconds,
        rounds,
      });
    } finally {
      await Promise.allSettled([stopService(gateway), stopService(bare), stopService(bareExpress)]);
    }
    const [bareFigures, gatewayFigures, expressFigures] = health;
    context.say(
      `  /healthz: gateway ${gatewayFigures.result.perSecond.toFixed(0)} requests/s (CPU ${cpuPerRequestMicros(gatewayFigures, 'gateway').toFixed(0)} µs/request), ` +
        `bare node:http ${bareFigures.result.perSecond.toFixed(0)} (CPU ${cpuPerRequestMicros(bareFigures, 'bare').toFixed(0)} µs/request), ` +
        `bare Express 5 ${expressFigures!.result.perSecond.toFixed(0)} (CPU ${cpuPerRequestMicros(expressFigures!, 'express').toFixed(0)} µs/request)`,
    );
    const routes = await measureRoutes({ connections: CONNECTIONS, seconds, rounds });
    for (const line of routes.lines) context.say(line);
    return {
      name: this.name,
      title: this.title,
      ratios: [
        ratio(
          'Gateway requests/s (GET /healthz)',
          { label: 'gateway', value: gatewayFigures.result.perSecond, unit: 'requests/s' },
          { label: 'bare node:http', value: bareFigures.result.perSecond, unit: 'requests/s' },
          'higher',
        ),
        // The framework's floor: what is left above it is the gateway's own per-request work.
        ratio(
          'Gateway requests/s (GET /healthz) ÷ bare Express 5',
          { label: 'gateway', value: gatewayFigures.result.perSecond, unit: 'requests/s' },
          { label: 'bare Express 5', value: expressFigures!.result.perSecond, unit: 'requests/s' },
          'higher',
        ),
        ...routes.ratios,
      ],
      cpu: {
        'bare node:http': bareFigures.cpu,
        gateway: gatewayFigures.cpu,
        'bare Express 5': expressFigures!.cpu,
        ...routes.cpu,
      },
      details: {
        connections: CONNECTIONS,
        seconds,
        rounds,
        gatewayP99Ms: gatewayFigures.result.latencyP99Ms,
        bareP99Ms: bareFigures.result.latencyP99Ms,
        'GET /healthz gateway CPU µs/request': Math.round(cpuPerRequestMicros(gatewayFigures, 'gateway')),
        'GET /healthz bare CPU µs/request': Math.round(cpuPerRequestMicros(bareFigures, 'bare')),
        'GET /healthz bare Express 5 CPU µs/request': Math.round(
          cpuPerRequestMicros(expressFigures!, 'express'),
        ),
        ...routes.details,
      },
    };
  },
};
