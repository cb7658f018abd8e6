import { checkpointerServer } from './servers/checkpointer';
import { ferretDbShard } from './servers/ferretdb';
import { kafkaServer } from './servers/kafka';
import { postgresServer } from './servers/postgres';
import { registryServer } from './servers/registry';
import type { ServerSpec } from './servers/serverSpec';
import { smtpSinkServer } from './servers/smtpSink';

/**
 * Where the local servers listen. The default is the ports of docs/architecture.md#default-ports; fault tests run a private copy of the
 * infrastructure on other ports (`portLayout(offset)`), which they can kill, pause and cut off without disturbing
 * anyone else.
 */
export interface PortLayout {
  readonly kafka: number;
  readonly kafkaController: number;
  /** The port Kafka tells clients to connect to: a fault proxy's, when one stands in front of the broker. */
  readonly kafkaAdvertised: number;
  /** Kafka's SASL_SSL listener (SCRAM users, ACLs), beside the PLAINTEXT one. */
  readonly kafkaSecure: number;
  readonly registry: number;
  readonly registryManagement: number;
  readonly mongo: readonly [number, number];
  /** The WAL checkpointer of the shards: its status page. */
  readonly checkpointer: number;
  readonly smtp: number;
  /** The legacy PostgreSQL of the migration walk-through: started only when asked for ({@link optionalServers}). */
  readonly postgres: number;
}

/**
 * `EVENTFOLD_PORT_OFFSET`, added to every default port by `infra:*` and `stack*`: a second local infrastructure
 * and stack beside the first (with its own `EVENTFOLD_INFRA_HOME`), as the lifecycle tests run one.
 */
export function portOffsetOf(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.EVENTFOLD_PORT_OFFSET?.trim() || '0';
  const offset = Number(raw);
  if (!Number.isInteger(offset) || offset < 0 || offset > 30_000)
    throw new Error(`EVENTFOLD_PORT_OFFSET must be an integer from 0 to 30000, not ${raw}`);
  return offset;
}

export function portLayout(offset = 0, options: { kafkaAdvertised?: number } = {}): PortLayout {
  return {
    kafka: 9092 + offset,
    kafkaController: 9093 + offset,
    kafkaAdvertised: options.kafkaAdvertised ?? 9092 + offset,
    kafkaSecure: 9094 + offset,
    registry: 8081 + offset,
    registryManagement: 9001 + offset,
    mongo: [27017 + offset, 27018 + offset],
    checkpointer: 9004 + offset,
    smtp: 2525 + offset,
    postgres: 5432 + offset,
  };
}

/**
 * Every port of a layout that its servers listen on (the advertised one may be a fault proxy's): what must be free
 * before they start.
 */
export function ownPorts(ports: PortLayout): number[] {
  return [
    ports.kafka,
    ports.kafkaController,
    ports.kafkaSecure,
    ports.registry,
    ports.registryManagement,
    ...ports.mongo,
    ports.checkpointer,
    ports.smtp,
  ];
}

/**
 * The local stand-ins for production infrastructure, on the default ports (docs/architecture.md#default-ports)
 * unless told otherwise.
 * `kafkaSecurity` (the default) gives Kafka its SASL_SSL listener beside the PLAINTEXT one.
 */
export function localServers(
  ports: PortLayout = portLayout(),
  options: { readonly kafkaSecurity?: boolean } = {},
): ServerSpec[] {
  return [
    kafkaServer(
      ports.kafka,
      ports.kafkaController,
      ports.kafkaAdvertised,
      (options.kafkaSecurity ?? true) ? ports.kafkaSecure : null,
    ),
    registryServer(ports.registry, ports.registryManagement, ports.kafka),
    ferretDbShard(0, ports.mongo[0]),
    ferretDbShard(1, ports.mongo[1]),
    checkpointerServer(ports.checkpointer, ['mongo-0', 'mongo-1']),
    smtpSinkServer(ports.smtp),
  ];
}

/** The endpoints that clients of `localServers(ports)` use, as the services read them from the environment. */
export function endpointsOf(ports: PortLayout) {
  return Object.freeze({
    KAFKA_BROKERS: `127.0.0.1:${ports.kafkaAdvertised}`,
    SCHEMA_REGISTRY_URL: `http://127.0.0.1:${ports.registry}/apis/ccompat/v7`,
    MONGO_SHARDS: ports.mongo.map((port) => `mongodb://127.0.0.1:${port}/`).join(','),
    SMTP_URL: `smtp://127.0.0.1:${ports.smtp}`,
  });
}

export const localEndpoints = endpointsOf(portLayout());

/** The servers `infra:*` starts only on request: `--with postgres` or `EVENTFOLD_INFRA_POSTGRES=1`. */
export const OPTIONAL_SERVERS = Object.freeze(['postgres'] as const);
export type OptionalServer = (typeof OPTIONAL_SERVERS)[number];

/**
 * The optional servers asked for: the names in `--with a,b` plus those switched on in the environment
 * (`EVENTFOLD_INFRA_POSTGRES=1`). PostgreSQL stands in for the legacy database a migration reads
 * (docs/decisions/0020-importing-a-crud-table.md); nothing else needs it, so it is opt-in.
 */
export function optionalServers(
  ports: PortLayout,
  wanted: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ServerSpec[] {
  const unknown = wanted.filter((name) => !(OPTIONAL_SERVERS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(`--with knows ${OPTIONAL_SERVERS.join(', ')}, not ${unknown.join(', ')}`);
  const postgres = wanted.includes('postgres') || env.EVENTFOLD_INFRA_POSTGRES === '1';
  return postgres ? [postgresServer(ports.postgres)] : [];
}
