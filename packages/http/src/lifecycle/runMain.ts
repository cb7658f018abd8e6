import type { Logger } from '@eventfold/observability';

export interface RunningService {
  readonly url: string;
  stop(): Promise<void>;
}

export interface ServiceMain {
  readonly logger: Logger;
  /** Starts the service; `onFatal` ends the process so that the orchestrator restarts it. */
  start(onFatal: (error: unknown) => void): Promise<RunningService>;
}

/**
 * The lifecycle every service's main.ts shares: build (config and logger: a bad configuration is one line and
 * exit 1), start, log where it listens, stop gracefully on SIGTERM/SIGINT, exit 1 on a fatal error.
 */
export function runMain(build: () => ServiceMain): void {
  let main: ServiceMain;
  try {
    main = build();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  const { logger } = main;
  // Called once even where start-up both reports an error and rejects with it (a port in use): exit() ends here.
  const fatal = (error: unknown) => {
    logger.fatal({ err: error }, 'unrecoverable: exiting so that the service is restarted');
    process.exit(1);
  };
  main.start(fatal).then(
    (service) => {
      logger.info({ url: service.url }, 'listening');
      const shutdown = async (signal: string) => {
        logger.info({ signal }, 'stopping');
        await service.stop();
        process.exit(0);
      };
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      process.once('SIGINT', () => void shutdown('SIGINT'));
    },
    (error: unknown) => fatal(error),
  );
}
