// The command service's public surface: what the embedded mode, the CLI, deploy checks and benchmarks compose it from.
export {
  startCommandService,
  type CommandAdapters,
  type CommandServiceDeps,
  type RunningCommandService,
} from './commandService';
export { readCommandServiceConfig, type CommandServiceConfig } from './config';
export { commandKafkaNames } from './kafkaNames';
/** The reservation stream of an address (decision 0016): what the operator's `streams show --email` looks up. */
export { emailStreamIdsFor } from './emailClaims/emailStreamIds';
/** The wire format of users.commands: what a bulk loader writes for the service to decide. */
export { envelopeToRecord } from './processing/wire';
/** The wire format of users.events: what a test writes to stand in for the command service. */
export { eventMessage } from './processing/userCommandHandler';
/** The stream of an imported legacy row (issue 20): what `eventfold migrate` and change capture address it by. */
export { IMPORT_NAMESPACE, legacyUserId, uuidV5 } from './imports/legacyUserId';
