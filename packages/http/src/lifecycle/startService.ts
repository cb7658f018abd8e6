import type { Express } from 'express';
import { connectWithRetry, InfrastructureError, withDeadline } from '@eventfold/core';
import type { Logger, Registry } from '@eventfold/observability';
import type { ReadinessCheck } from '../health/healthRoutes';
import { probesApp } from '../server/serviceApp';
import { listen } from './listen';
import type { RunningService } from './runMain';

/** Registers how to stop a part as soon as it is open: a failed attempt or a stop stops it, the last one first. */
export type Own = (name: string, stop: () => Promise<void>) => void;

/** What every service is given to start with, beside its configuration (the deps of each extend it). */
export interface ServiceDeps {
  readonly logger: Logger;
  /** Start-up cannot succeed, or a part crashed for good: the process should exit and be restarted. */
  readonly onFatal: (error: unknown) => void;
}

export interface ServiceDefinition<Parts> {
  /** Names the service in its log lines: `command service`. */
  readonly name: string;
  /** Where to listen (port 0: any free one); a service passes its configuration. */
  readonly listenOn: { readonly host: string; readonly port: number };
  /** What /readyz says before the first attempt has failed: `connecting to Kafka and the schema registry`. */
  readonly connecting: string;
  /** The service's metrics, served at /metrics. */
  readonly metrics: Registry;
  /**
   * The service's HTTP app, routes and all, serving `readiness` at /readyz; `parts` throws SERVICE_STARTING (503)
   * until connected, so a route that needs them answers "retry shortly" meanwhile. By default its probes alone.
   */
  readonly app?: (service: { readiness: ReadinessCheck; parts: () => Parts }) => Express;
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
export async function startService<Parts>(
  deps: ServiceDeps,
  service: ServiceDefinition<Parts>,
): Promise<StartedService<Parts>> {
  const { logger } = deps;
  const { name } = service;
  const owned: { name: string; stop: () => Promise<void> }[] = [];
  let connected: { parts: Parts } | null = null;
  let reason = service.connecting;
  let stopped: Promise<void> | null = null;
  const stopTimeoutMs = service.stopTimeoutMs ?? 10_000;

  const readinessTimeoutMs = service.readinessTimeoutMs ?? 2000;
  const readiness: ReadinessCheck = async () => {
    if (!connected) return { ready: false, checks: { startup: reason } };
    return withDeadline(service.readiness(connected.parts), readinessTimeoutMs, 'the readiness check').catch(
      (error: unknown) => ({ ready: false, checks: { readiness: (error as Error).message } }),
    );
  };
  const fatal = (error: unknown) => {
    reason = `failed: ${(error as Error).message}`;
    deps.onFatal(error);
  };
  const parts = () => {
    if (connected) return connected.parts;
    throw new InfrastructureError('SERVICE_STARTING', `The ${name} is still starting; retry shortly`);
  };
  const app = service.app
    ? service.app({ readiness, parts })
    : probesApp({ readiness, metrics: service.metrics, logger });
  const server = await listen(app, service.listenOn.host, service.listenOn.port, fatal).catch(
    (error: unknown) => {
      fatal(error);
      throw error;
    },
  );

  /** Runs `work` within what is left until `deadline`; one that fails or overruns is logged and left behind. */
  const step = async (what: string, work: () => Promise<void>, deadline: number) => {
    try {
      await withDeadline(work(), Math.max(deadline - Date.now(), 0), what);
    } catch (error) {
      logger.warn({ err: error }, `${what} did not stop cleanly`); // the error says whether it overran
    }
  };
  const stopOwned = async (deadline: number) => {
    connected = null;
    for (const part of owned.splice(0).reverse()) await step(part.name, part.stop, deadline);
  };
  const own: Own = (partName, stop) => {
    if (stopped !== null) {
      void step(partName, stop, Date.now() + stopTimeoutMs);
      throw new InfrastructureError('SERVICE_STOPPING', `${partName} was opened as the ${name} stopped`);
    }
    owned.push({ name: partName, stop });
  };

  const started = connectWithRetry({
    connect: async () => {
      const parts = await service.connect(own);
      if (stopped !== null) return; // stopOwned has stopped what this attempt opened
      connected = { parts };
      logger.info({ port: server.port }, `${name} started`);
    },
    cleanUp: () => stopOwned(Date.now() + stopTimeoutMs),
    onAttemptFailed: (error, attempt) => {
      if (stopped !== null) return;
      reason = `attempt ${attempt} failed: ${(error as Error).message}`;
      logger.warn({ err: error, attempt }, `${name} could not start yet; retrying`);
    },
    onFatal: fatal,
    isStopped: () => stopped !== null,
  });

  return {
    url: server.url,
    started,
    parts: () => connected?.parts ?? null,
    stop() {
      stopped ??= (async () => {
        const deadline = Date.now() + stopTimeoutMs;
        await step('the HTTP server', () => server.close(), deadline);
        await stopOwned(deadline);
        if (service.release) await step(`what the ${name} holds`, service.release, deadline);
      })();
      return stopped;
    },
  };
}
