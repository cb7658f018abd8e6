import type { Express } from 'express';
import { connectWithRetry, DeadlineExceededError, InfrastructureError, withDeadline } from '@eventfold/core';
import type { Logger } from '@eventfold/observability';
import type { ReadinessCheck } from '../health/healthRoutes';
import { listen } from './listen';
import type { RunningService } from './runMain';

/** Registers how to stop a part as soon as it is open: a failed attempt or a stop stops it, the last one first. */
export type Own = (name: string, stop: () => Promise<void>) => void;

export interface ServiceDefinition<Parts> {
  /** Names the service in its log lines: `command service`. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
  /** Start-up cannot succeed (a non-retriable error, a port in use): the process should exit and be restarted. */
  readonly onFatal: (error: unknown) => void;
  /** What /readyz says before the first attempt has failed: `connecting to Kafka and the schema registry`. */
  readonly connecting: string;
  /**
   * The service's HTTP app, routes and all, serving `readiness` at /readyz; `parts` throws SERVICE_STARTING (503)
   * until connected, so a route that needs them answers "retry shortly" meanwhile.
   */
  readonly app: (service: { readiness: ReadinessCheck; parts: () => Parts }) => Express;
  /**
   * Connects what the service needs; retried (connectWithRetry) until it succeeds, the service stops, or an error
   * says `retriable: false`. Hands each part to `own` as soon as it is open.
   */
  readonly connect: (own: Own) => Promise<Parts>;
  /** Whether the connected parts can do their work, and why not. */
  readonly readiness: (parts: Parts) => ReturnType<ReadinessCheck>;
  /** Closes, after the parts, what lives as long as the service (clients the service made for itself). */
  readonly release?: () => Promise<void>;
  /** The whole stop, HTTP, parts and release, is bounded by this; a step that overruns it is left behind. */
  readonly stopTimeoutMs?: number;
  /** /readyz answers not ready when the service's check has not settled within this. */
  readonly readinessTimeoutMs?: number;
}

export interface StartedService<Parts> extends RunningService {
  readonly port: number;
  /** Resolves once connected, or once start-up has ended without (stopped first, or fatal). */
  readonly started: Promise<void>;
  /** The connected parts; null before, after a fatal start-up and after stop. */
  parts(): Parts | null;
}

/**
 * The one lifecycle of a service: listen first (so that /healthz and /readyz answer at once, /readyz with the
 * start-up's reason), then connect the parts, retrying until they answer; stop in order (HTTP, the parts in the
 * reverse of their opening, what the service holds for its lifetime), each step within what is left of one bound.
 */
export async function startService<Parts>(service: ServiceDefinition<Parts>): Promise<StartedService<Parts>> {
  const { logger, name } = service;
  const owned: { name: string; stop: () => Promise<void> }[] = [];
  let connected: { parts: Parts } | null = null;
  let reason = service.connecting;
  let stopping = false;
  let stopped: Promise<void> | null = null;

  const readinessTimeoutMs = service.readinessTimeoutMs ?? 2000;
  const readiness: ReadinessCheck = async () => {
    if (!connected) return { ready: false, checks: { startup: reason } };
    return withDeadline(service.readiness(connected.parts), readinessTimeoutMs, 'the readiness check').catch(
      (error: unknown) => ({ ready: false, checks: { readiness: (error as Error).message } }),
    );
  };
  const fatal = (error: unknown) => {
    reason = `failed: ${(error as Error).message}`;
    service.onFatal(error);
  };
  const app = service.app({
    readiness,
    parts: () => {
      if (connected) return connected.parts;
      throw new InfrastructureError('SERVICE_STARTING', `The ${name} is still starting; retry shortly`);
    },
  });
  const server = await listen(app, service.host, service.port, fatal).catch((error: unknown) => {
    fatal(error);
    throw error;
  });

  /** Runs `work` within what is left until `deadline`; one that fails or overruns is logged and left behind. */
  const step = async (what: string, work: () => Promise<void>, deadline: number) => {
    try {
      await withDeadline(work(), Math.max(deadline - Date.now(), 0), what);
    } catch (error) {
      const overran = error instanceof DeadlineExceededError;
      logger.warn({ err: error }, overran ? `${what} did not stop in time` : `${what} failed to stop`);
    }
  };
  const stopOwned = async (deadline: number) => {
    connected = null;
    for (const part of owned.splice(0).reverse()) await step(part.name, part.stop, deadline);
  };
  const own: Own = (partName, stop) => {
    if (stopping) {
      void step(partName, stop, Date.now() + (service.stopTimeoutMs ?? 10_000));
      // The attempt that opened it ends here.
      throw new InfrastructureError(
        'SERVICE_STOPPING',
        `The ${name} is stopping; ${partName} was closed again`,
      );
    }
    owned.push({ name: partName, stop });
  };

  const started = connectWithRetry({
    connect: async () => {
      const parts = await service.connect(own);
      if (stopping) return; // stopOwned has stopped what this attempt opened
      connected = { parts };
      logger.info({ port: server.port }, `${name} started`);
    },
    cleanUp: () => stopOwned(Date.now() + (service.stopTimeoutMs ?? 10_000)),
    onAttemptFailed: (error, attempt) => {
      if (stopping) return;
      reason = `attempt ${attempt} failed: ${(error as Error).message}`;
      logger.warn({ err: error, attempt }, `${name} could not start yet; retrying`);
    },
    onFatal: fatal,
    isStopped: () => stopping,
  });

  return {
    url: server.url,
    port: server.port,
    started,
    parts: () => connected?.parts ?? null,
    stop() {
      stopping = true;
      stopped ??= (async () => {
        const deadline = Date.now() + (service.stopTimeoutMs ?? 10_000);
        await step('the HTTP server', () => server.close(), deadline);
        await stopOwned(deadline);
        if (service.release) await step(`what the ${name} holds`, service.release, deadline);
      })();
      return stopped;
    },
  };
}
