export { InfraError } from './errors';
export { down, status, up, type ServerStatus, type UpResult } from './infra';
export { localEndpoints, localServers } from './localServers';
export { infraPaths, type InfraPaths } from './paths';
export type { ServerSpec } from './servers/serverSpec';
export { smtpSinkServer } from './servers/smtpSink';
export { readMailbox, type StoredMail } from './smtpSink/mailbox';
export { writeSinkFaults, type SinkFaults } from './smtpSink/faultControl';
export { discoverServices, nodeService } from './servers/nodeService';
