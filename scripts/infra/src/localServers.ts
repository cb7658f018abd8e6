import { ferretDbShard } from './servers/ferretdb';
import { kafkaServer } from './servers/kafka';
import { registryServer } from './servers/registry';
import type { ServerSpec } from './servers/serverSpec';
import { smtpSinkServer } from './servers/smtpSink';

/** The local stand-ins for production infrastructure, on the default ports of DESIGN.md. */
export function localServers(): ServerSpec[] {
  return [
    kafkaServer(9092, 9093),
    registryServer(8081, 9001),
    ferretDbShard(0, 27017),
    ferretDbShard(1, 27018),
    smtpSinkServer(2525),
  ];
}

/** The endpoints that clients of `localServers()` use, as the services read them from the environment. */
export const localEndpoints = Object.freeze({
  KAFKA_BROKERS: '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
  MONGO_SHARDS: 'mongodb://127.0.0.1:27017/,mongodb://127.0.0.1:27018/',
  SMTP_URL: 'smtp://127.0.0.1:2525',
} as const);
