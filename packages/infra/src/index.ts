export { InfraError } from './errors';
export { down, signal, status, up, type ServerStatus, type UpResult } from './infra';
export {
  endpointsOf,
  localEndpoints,
  localServers,
  OPTIONAL_SERVERS,
  optionalServers,
  type OptionalServer,
  ownPorts,
  portLayout,
  portOffsetOf,
  type PortLayout,
} from './localServers';
export { infraPaths, type InfraPaths } from './paths';
export type { ServerSpec } from './servers/serverSpec';
export { REGISTRY_TOPICS } from './servers/registry';
export { ferretDbCaFile, ferretDbShard, type FerretDbSecurity } from './servers/ferretdb';
export {
  KAFKA_PRINCIPALS,
  kafkaSecurityFiles,
  secureKafkaEnv,
  type KafkaPrincipal,
  type KafkaSecurityFiles,
} from './servers/kafkaSecurity';
export { POSTGRES_SUPERUSER, postgresBinDir, postgresServer } from './servers/postgres';
export { smtpSinkServer } from './servers/smtpSink';
export { readMailbox, type StoredMail } from './smtpSink/mailbox';
export { writeSinkFaults, type SinkFaults } from './smtpSink/faultControl';
export {
  declaredServices,
  discoverServices,
  nodeService,
  runsWith,
  type DeclaredService,
} from './servers/nodeService';
export { installOnce } from './servers/installOnce';
export { pythonVenv, requirementsVenvDir } from './servers/pythonVenv';
export { output, run } from './run';
export { freePort } from './process/freePort';
export { spawnInGroup, type GroupLeader } from './process/spawnDetached';
