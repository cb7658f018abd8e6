import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  down,
  endpointsOf,
  infraPaths,
  kafkaSecurityFiles,
  localServers,
  ownPorts,
  portLayout,
  secureKafkaEnv,
  signal,
  type KafkaPrincipal,
  type KafkaSecurityFiles,
  type PortLayout,
  up,
  type ServerSpec,
} from '@eventfold/infra';
import { testEndpoints } from '../endpoints';

export type ServerName = 'kafka' | 'registry' | 'mongo-0' | 'mongo-1' | 'checkpointer' | 'smtp';

/**
 * A copy of the local infrastructure that belongs to one fault test: its own ports, data and pid files, so the test
 * can kill Kafka, freeze a shard or stop the registry without disturbing any other test. Downloads come from the
 * shared cache, so a warm start costs seconds.
 */
export interface PrivateInfrastructure {
  /** KAFKA_BROKERS, SCHEMA_REGISTRY_URL, MONGO_SHARDS, SMTP_URL of this copy. */
  readonly env: Readonly<Record<string, string>>;
  /** The same, as the test helpers take them. */
  readonly endpoints: {
    readonly kafkaBrokers: readonly string[];
    readonly schemaRegistryUrl: string;
    readonly mongoShards: readonly string[];
  };
  /** The broker's own port (behind a fault proxy, KAFKA_BROKERS names the proxy). */
  readonly kafkaPort: number;
  /** Kafka's SASL_SSL listener, when started with `kafkaSecurity`; else null. */
  readonly secureKafka: {
    readonly brokers: readonly string[];
    /** Its CA, a client certificate signed by it, each principal's password file. */
    readonly files: KafkaSecurityFiles;
    /** The variables a client connecting as `principal` reads (KAFKA_BROKERS, KAFKA_SECURITY_PROTOCOL…). */
    env(principal: KafkaPrincipal): Record<string, string>;
  } | null;
  start(...names: ServerName[]): Promise<void>;
  stop(...names: ServerName[]): Promise<void>;
  /** Where a server keeps its data (Kafka's log segments, FerretDB's files): for tests that read them raw. */
  dataDir(name: ServerName): string;
  /** What a client of a server connects to (as `infra:status` prints it). */
  address(name: ServerName): string;
  /** kill -9, SIGSTOP, SIGCONT… by pid file. */
  signal(name: ServerName, sig: NodeJS.Signals): void;
  destroy(): Promise<void>;
}

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

async function portFree(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Starts the private copy on `portOffset`, or, when another clone's copy holds those ports (two checkouts testing
 * at once), on the next free offset (+500 each step).
 */
export async function startPrivateInfrastructure(options: {
  /** Added to every default port; pick one per test file so that files can run side by side. */
  readonly portOffset: number;
  readonly servers: readonly ServerName[];
  /** Where Kafka tells clients to connect: a fault proxy's port. */
  readonly kafkaAdvertisedPort?: number;
  /** Told the ports once they are chosen, before any server starts (a fault proxy needs the broker's). */
  readonly onLayout?: (ports: PortLayout) => void;
  /** Kafka with its SASL_SSL listener and ACLs beside the PLAINTEXT one (off by default: as the fault tests run). */
  readonly kafkaSecurity?: boolean;
  /**
   * Servers the test does not fault, taken from the run's shared infrastructure instead of started here: `env` and
   * `endpoints` name the shared ones (their names are the test's own: prefixes and databases). Each private server
   * costs a start (a JVM broker or registry: tens of seconds on a loaded machine).
   */
  readonly shared?: readonly ('kafka+registry' | 'mongo')[];
}): Promise<PrivateInfrastructure> {
  const serversAt = (ports: PortLayout) =>
    localServers(ports, { kafkaSecurity: options.kafkaSecurity ?? false });
  // One home per clone and offset: a run that was killed leaves its servers behind, holding the ports; the next run
  // of the same clone finds their pid files there and stops them first. Another clone's servers are never touched.
  const clone = createHash('sha256').update(repoRoot).digest('hex').slice(0, 8);
  let offset = options.portOffset;
  let ports = portLayout(offset, { kafkaAdvertised: options.kafkaAdvertisedPort });
  let paths = infraPaths({
    ...process.env,
    EVENTFOLD_INFRA_HOME: path.join(os.tmpdir(), `eventfold-faults-${clone}-${offset}`),
  });
  let all = serversAt(ports);
  for (let step = 0; ; step++) {
    await down(all, { paths, purge: true });
    if ((await Promise.all(ownPorts(ports).map(portFree))).every(Boolean)) break;
    if (step === 10)
      throw new Error(`no free ports for a private infrastructure near offset ${options.portOffset}`);
    offset += 500;
    ports = portLayout(offset, { kafkaAdvertised: options.kafkaAdvertisedPort });
    paths = infraPaths({
      ...process.env,
      EVENTFOLD_INFRA_HOME: path.join(os.tmpdir(), `eventfold-faults-${clone}-${offset}`),
    });
    all = serversAt(ports);
  }
  const home = paths.homeDir;
  options.onLayout?.(ports);
  const pick = (names: readonly ServerName[]): ServerSpec[] =>
    names.map((name) => all.find((s) => s.name === name)!);
  const running = new Set<ServerName>();
  const sharedServers = testEndpoints();
  const env = {
    ...endpointsOf(ports),
    ...(options.shared?.includes('kafka+registry')
      ? {
          KAFKA_BROKERS: sharedServers.kafkaBrokers.join(','),
          SCHEMA_REGISTRY_URL: sharedServers.schemaRegistryUrl,
        }
      : {}),
    ...(options.shared?.includes('mongo') ? { MONGO_SHARDS: sharedServers.mongoShards.join(',') } : {}),
  };
  const infra: PrivateInfrastructure = {
    env,
    endpoints: {
      kafkaBrokers: env.KAFKA_BROKERS.split(','),
      schemaRegistryUrl: env.SCHEMA_REGISTRY_URL,
      mongoShards: env.MONGO_SHARDS.split(','),
    },
    kafkaPort: ports.kafka,
    secureKafka: options.kafkaSecurity
      ? {
          brokers: [`127.0.0.1:${ports.kafkaSecure}`],
          files: kafkaSecurityFiles(paths.dataDir('kafka')),
          env: (principal) =>
            secureKafkaEnv(kafkaSecurityFiles(paths.dataDir('kafka')), ports.kafkaSecure, principal),
        }
      : null,
    dataDir: (name) => paths.dataDir(name),
    address: (name) => pick([name])[0]!.address,
    async start(...names) {
      await up(pick(names), { paths });
      names.forEach((n) => running.add(n));
    },
    async stop(...names) {
      await down(pick(names), { paths });
      names.forEach((n) => running.delete(n));
    },
    signal(name, sig) {
      if (signal(pick([name])[0]!, sig, { paths }) === null) throw new Error(`${name} is not running`);
    },
    async destroy() {
      // A frozen server ignores SIGTERM until it is thawed.
      for (const name of running) {
        try {
          infra.signal(name, 'SIGCONT');
        } catch {
          // not running
        }
      }
      // EVENTFOLD_KEEP_FAULT_DATA=1 keeps the servers' data for a post-mortem (kafka-dump-log on a partition a
      // failed fault test names); the next run on the same offset deletes it.
      if (process.env.EVENTFOLD_KEEP_FAULT_DATA) {
        await down(all, { paths });
        process.stderr.write(`private infrastructure's data kept in ${home}\n`);
        return;
      }
      await down(all, { paths, purge: true });
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
  try {
    await infra.start(...options.servers);
  } catch (error) {
    await infra.destroy();
    throw error;
  }
  return infra;
}
