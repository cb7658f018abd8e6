// What the system tests share with the benchmarks: the read side on the real stack, and commands in bulk.
export { produceCommandsInBulk, registrationsAndRenames } from './bulkCommands';
export {
  keyStoreDbOf,
  newReadSideEnv,
  serviceEnv,
  startCommand,
  startIntegration,
  startProjectorInProcess,
  startQuery,
  topicsOf,
  type ReadSideEnv,
} from './readSide';
export {
  LEGACY_USERS_DDL,
  LegacyWriter,
  legacyRows,
  startLegacyDatabase,
  type LegacyDatabase,
} from './legacyUsers';
