import { InfrastructureError } from '@eventfold/core';
import { freePort } from '@eventfold/infra';
import { createLogger, createMetricsRegistry } from '@eventfold/observability';
import type { ReadinessCheck } from '../health/healthRoutes';
import { problemMiddleware } from '../problem/problemMiddleware';
import { probesApp, serviceApp } from '../server/serviceApp';
import { startService, type ServiceDefinition, type StartedService } from './startService';

const logger = createLogger('test', 'silent');

/** A service on a free port whose parts are what `connect` makes of `own`. */
async function serviceWith<Parts>(
  overrides: Partial<ServiceDefinition<Parts>> &
    Pick<ServiceDefinition<Parts>, 'connect' | 'readiness'> & { onFatal?: (error: unknown) => void },
): Promise<StartedService<Parts>> {
  const { onFatal = () => undefined, ...definition } = overrides;
  return startService<Parts>(
    { logger, onFatal },
    {
      name: 'test service',
      listenOn: { host: '127.0.0.1', port: await freePort() },
      connecting: 'connecting to the test parts',
      metrics: createMetricsRegistry('test'),
      ...definition,
    },
  );
}

const readyz = async (url: string) => {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as { checks: Record<string, string> } };
};

/** A promise and the function that settles it, for a part that connects only when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('startService', () => {
  it('reaches onFatal, not an uncaught exception, when its port is in use', async () => {
    const first = await serviceWith({ connect: async () => undefined, readiness: async () => ok });
    const fatal: unknown[] = [];
    try {
      const second = serviceWith({
        listenOn: { host: '127.0.0.1', port: Number(new URL(first.url).port) },
        onFatal: (error) => fatal.push(error),
        connect: async () => undefined,
        readiness: async () => ok,
      });
      await expect(second).rejects.toMatchObject({ code: 'LISTEN_FAILED', retriable: false });
      expect(fatal).toHaveLength(1);
      expect((fatal[0] as Error).message).toContain(first.url.slice('http://'.length));
    } finally {
      await first.stop();
    }
  });

  it("says in /readyz why it is not ready while connecting, then answers the parts' own checks", async () => {
    const connectNow = gate();
    let attempts = 0;
    const service = await serviceWith({
      connect: async () => {
        if (++attempts === 1) {
          await connectNow.opened;
          throw new InfrastructureError('BROKER_DOWN', 'the broker is down');
        }
        return { broker: 'up' };
      },
      readiness: async (parts) => ({ ready: true, checks: parts }),
    });
    try {
      expect(await readyz(service.url)).toEqual({
        status: 503,
        body: { status: 'not-ready', checks: { startup: 'connecting to the test parts' } },
      });
      connectNow.open();
      await service.started;
      expect(attempts).toBe(2);
      expect(await readyz(service.url)).toEqual({
        status: 200,
        body: { status: 'ready', checks: { broker: 'up' } },
      });
    } finally {
      await service.stop();
    }
  });

  it('answers a route that needs the parts with 503 SERVICE_STARTING until they are connected', async () => {
    const connectNow = gate();
    const service = await serviceWith({
      app: ({ readiness, parts }) => {
        const app = serviceApp({ readiness, metrics: createMetricsRegistry('test') });
        app.get('/greeting', (_req, res) => {
          res.json(parts());
        });
        app.use(problemMiddleware(logger));
        return app;
      },
      connect: async () => {
        await connectNow.opened;
        return { hello: 'world' };
      },
      readiness: async () => ok,
    });
    try {
      const early = await fetch(`${service.url}/greeting`);
      expect(early.status).toBe(503);
      expect(await early.json()).toMatchObject({
        code: 'SERVICE_STARTING',
        detail: 'The test service is still starting; retry shortly',
      });
      connectNow.open();
      await service.started;
      expect(await (await fetch(`${service.url}/greeting`)).json()).toEqual({ hello: 'world' });
    } finally {
      await service.stop();
    }
  });

  it('reports a failed attempt in /readyz while it retries', async () => {
    const service = await serviceWith({
      connect: async () => {
        throw new InfrastructureError('BROKER_DOWN', 'the broker is down');
      },
      readiness: async () => ok,
    });
    try {
      await new Promise((resolve) => setImmediate(resolve));
      expect((await readyz(service.url)).body.checks.startup).toMatch(
        /^attempt \d+ failed: the broker is down$/,
      );
    } finally {
      await service.stop();
    }
  });

  it('stops retrying and reaches onFatal on a non-retriable error, and says so in /readyz', async () => {
    const fatal: unknown[] = [];
    const service = await serviceWith({
      onFatal: (error) => fatal.push(error),
      connect: async () => {
        throw new InfrastructureError('MASTER_KEY_MISMATCH', 'the master key is not the store’s', {
          retriable: false,
        });
      },
      readiness: async () => ok,
    });
    try {
      await service.started;
      expect(fatal).toMatchObject([{ code: 'MASTER_KEY_MISMATCH' }]);
      expect(await readyz(service.url)).toEqual({
        status: 503,
        body: { status: 'not-ready', checks: { startup: 'failed: the master key is not the store’s' } },
      });
      expect(service.parts()).toBeNull();
    } finally {
      await service.stop();
    }
  });

  it("answers not ready, within its bound, when the parts' readiness check hangs", async () => {
    const service = await serviceWith({
      readinessTimeoutMs: 200,
      connect: async () => undefined,
      readiness: () => new Promise(() => undefined),
    });
    try {
      await service.started;
      const asked = Date.now();
      expect(await readyz(service.url)).toEqual({
        status: 503,
        body: {
          status: 'not-ready',
          checks: { readiness: 'the readiness check did not settle within 200 ms' },
        },
      });
      expect(Date.now() - asked).toBeLessThan(5000);
    } finally {
      await service.stop();
    }
  });

  it('leaves no timer behind once a readiness check has answered', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    let check: ReadinessCheck | null = null;
    const service = await serviceWith({
      app: ({ readiness }) => {
        check = readiness;
        return probesApp({ readiness, metrics: createMetricsRegistry('test'), logger });
      },
      connect: async () => undefined,
      readiness: async () => ok,
    });
    try {
      await service.started;
      const before = timers();
      for (let i = 0; i < 5; i++) expect(await check!()).toEqual(ok);
      expect(timers()).toBe(before);
    } finally {
      await service.stop();
    }
  });

  it('sets the keep-alive timeout and gives every request an id', async () => {
    const service = await serviceWith({ connect: async () => undefined, readiness: async () => ok });
    try {
      const response = await fetch(`${service.url}/healthz`, { headers: { 'x-request-id': 'req-42' } });
      expect(response.headers.get('keep-alive')).toBe('timeout=65');
      expect(response.headers.get('x-request-id')).toBe('req-42');
    } finally {
      await service.stop();
    }
  });

  it('stops HTTP first, then the parts in the reverse of their opening, then what it holds; bounded', async () => {
    const stopped: string[] = [];
    let httpUpAtFirstStop: boolean | null = null;
    const service = await serviceWith({
      stopTimeoutMs: 500,
      connect: async (own) => {
        own('the key store', async () => void stopped.push('the key store'));
        own('the consumer', async () => {
          stopped.push('the consumer');
          await new Promise(() => undefined); // never stops
        });
        own('the producer', async () => {
          stopped.push('the producer');
          httpUpAtFirstStop = await fetch(`${service.url}/healthz`).then(
            () => true,
            () => false,
          );
        });
      },
      readiness: async () => ok,
      release: async () => void stopped.push('the log'),
    });
    await service.started;
    const asked = Date.now();
    await service.stop();
    expect(Date.now() - asked).toBeLessThan(3000);
    expect(stopped).toEqual(['the producer', 'the consumer', 'the key store', 'the log']);
    expect(httpUpAtFirstStop).toBe(false);
    expect(service.parts()).toBeNull();
    await service.stop(); // a second stop stops nothing twice
    expect(stopped).toHaveLength(4);
  });

  it('closes again at once a part an attempt opens after the stop began', async () => {
    const connectNow = gate();
    const closed: string[] = [];
    const service = await serviceWith({
      connect: async (own) => {
        await connectNow.opened;
        own('the late part', async () => void closed.push('the late part'));
      },
      readiness: async () => ok,
    });
    const stopping = service.stop();
    connectNow.open();
    await Promise.all([stopping, service.started]);
    expect(closed).toEqual(['the late part']);
    expect(service.parts()).toBeNull();
  });
});

const ok = { ready: true, checks: {} };
