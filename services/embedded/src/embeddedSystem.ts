import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readCommandServiceConfig, startCommandService } from '@eventfold/command-service';
import {
  DocumentTable,
  fileMailer,
  openDatabase,
  SqliteEventLog,
  SqliteKeyRecords,
  SqliteReadStore,
  sqliteSchemaRegistry,
} from '@eventfold/embedded';
import { readGatewayConfig, startGatewayService } from '@eventfold/gateway-service';
import { readNotifierConfig, startNotifierService } from '@eventfold/notifier-service';
import { SqliteLedger } from './notifier/sqliteLedger';
import { SqliteRecipientDocuments } from './notifier/sqliteRecipientDocuments';
import { createLogger } from '@eventfold/observability';
import { readProjectorConfig, startProjectorService } from '@eventfold/projector-service';
import { readQueryServiceConfig, startQueryService } from '@eventfold/query-service';
import {
  CachingKeyStore,
  EnvelopeKeyStore,
  MASTER_KEY_VARIABLE,
  type MasterKey,
  type UserLogAdapters,
} from '@eventfold/crypto';
import type { EmbeddedConfig } from './config';

export interface EmbeddedDeps {
  readonly clock: () => number;
  readonly random: () => number;
  /** Something cannot go on: the process should exit (and be started again). */
  readonly onFatal: (error: unknown) => void;
  /** The gateway's API_KEYS value. */
  readonly apiKeys: string;
  /** The gateway's API_KEY_ID_SECRET. */
  readonly apiKeyIdSecret: string;
  /** Wraps the users' data keys, kept in the same SQLite file. */
  readonly masterKey: MasterKey;
}

export interface RunningEmbeddedSystem {
  /** The gateway. */
  readonly url: string;
  readonly urls: Readonly<Record<'command' | 'query' | 'projector' | 'notifier', string>>;
  readonly mailDir: string;
  stop(): Promise<void>;
}

/**
 * The composition root of the single-process mode (docs/decisions/0010-embedded-mode-on-sqlite.md): the five services of the real stack,
 * unchanged, in one process on the embedded adapters: one SQLite file for the log, the schema ids, the read model
 * and the notifier's ledger; mail as .eml files. Nothing else runs and nothing is reached over the network.
 */
export async function startEmbeddedSystem(
  config: EmbeddedConfig,
  deps: EmbeddedDeps,
): Promise<RunningEmbeddedSystem> {
  const db = openDatabase(path.join(config.dataDir, 'eventfold.sqlite'));
  const mailDir = path.join(config.dataDir, 'mail');
  const log = new SqliteEventLog(db, deps.clock);
  const schemaRegistry = sqliteSchemaRegistry(db);
  const mailer = fileMailer(mailDir);
  const instanceId = `embedded-${process.pid}`;
  // One key store for the three services that read personal data: a key forgotten by the command service is
  // forgotten for the projector and the notifier at the same moment (one cache). Opened before anything else: a
  // wrong master key stops the start here.
  let keys: CachingKeyStore;
  try {
    keys = new CachingKeyStore(await EnvelopeKeyStore.open(new SqliteKeyRecords(db), deps.masterKey));
  } catch (error) {
    await log.close();
    await mailer.close();
    db.close();
    throw error;
  }
  // What the command service, the projector and the notifier share: the log, the schema ids, the keys.
  const userLog: UserLogAdapters = {
    log,
    schemaRegistry,
    openKeyStore: async () => ({
      keys,
      fingerprint: deps.masterKey.fingerprint,
      close: async () => undefined,
    }),
  };
  // The services read the master key from their environment like anywhere else (their config refuses to start
  // without one): the same key, as text.
  const masterKeyText = deps.masterKey.key.export().toString('base64');
  // The command and query services listen on the machine's loopback, where any local user could reach them past
  // the gateway's keys: they answer only requests carrying this process's own token, which only the gateway holds.
  const internalToken = config.serviceEnv.INTERNAL_TOKEN ?? randomBytes(32).toString('base64url');
  const env = (port: number, extra: Record<string, string> = {}) => ({
    ...config.serviceEnv,
    [MASTER_KEY_VARIABLE]: masterKeyText,
    INTERNAL_TOKEN: internalToken,
    HOST: '127.0.0.1',
    PORT: String(port),
    PARTITIONS: String(config.partitions),
    LOG_LEVEL: config.logLevel,
    ...extra,
  });
  const logger = (name: string) => createLogger(name, config.logLevel);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
    await log.close();
    await mailer.close();
    db.close();
  };

  try {
    const commandConfig = readCommandServiceConfig(env(config.ports.command), instanceId);
    const command = await startCommandService(commandConfig, {
      logger: logger('command'),
      clock: deps.clock,
      onFatal: deps.onFatal,
      adapters: userLog,
    });
    stops.push(() => command.stop());
    await command.started;

    const queryConfig = readQueryServiceConfig(env(config.ports.query));
    const query = await startQueryService(queryConfig, {
      logger: logger('query'),
      onFatal: deps.onFatal,
      openStore: async () => new SqliteReadStore(db, queryConfig.readModelVersion),
      eventLog: log,
    });
    stops.push(() => query.stop());

    const projectorConfig = readProjectorConfig(env(config.ports.projector), instanceId);
    const projector = await startProjectorService(projectorConfig, {
      logger: logger('projector'),
      onFatal: deps.onFatal,
      adapters: {
        ...userLog,
        // One version, fed by one group: blue/green rebuilds (`eventfold rebuild`) are for Kafka and MongoDB.
        openControl: async () => ({
          control: {
            read: async () => ({
              active: {
                version: projectorConfig.readModelVersion,
                groupId: projectorConfig.groupId,
                shards: [],
              },
              target: null,
              phase: null,
              retired: [],
              updatedAt: new Date(0),
            }),
          },
          reachable: async () => db.open,
          close: async () => undefined,
        }),
        openStore: async (layout) => new SqliteReadStore(db, layout.version),
      },
    });
    stops.push(() => projector.stop());

    const notifierConfig = readNotifierConfig(env(config.ports.notifier), instanceId);
    const notifier = await startNotifierService(notifierConfig, {
      logger: logger('notifier'),
      clock: deps.clock,
      random: deps.random,
      onFatal: deps.onFatal,
      adapters: {
        ...userLog,
        mailer,
        openStores: async () => ({
          ledger: new SqliteLedger(new DocumentTable(db, 'notifier_ledger')),
          recipients: new SqliteRecipientDocuments(new DocumentTable(db, 'notifier_recipients')),
          health: async () => (db.open ? 'reachable' : 'unreachable: the database is closed'),
          close: async () => undefined,
        }),
      },
    });
    stops.push(() => notifier.stop());

    const gatewayConfig = readGatewayConfig({
      ...env(config.port, {
        COMMAND_URL: command.url,
        QUERY_URL: query.url,
        API_KEYS: deps.apiKeys,
        API_KEY_ID_SECRET: deps.apiKeyIdSecret,
      }),
      HOST: config.host,
    });
    const gateway = await startGatewayService(gatewayConfig, {
      logger: logger('gateway'),
      clock: () => performance.now(),
      onFatal: deps.onFatal,
    });
    stops.push(() => gateway.stop());
    await Promise.all([query.started, projector.started, notifier.started]);
    return {
      url: gateway.url,
      urls: { command: command.url, query: query.url, projector: projector.url, notifier: notifier.url },
      mailDir,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
