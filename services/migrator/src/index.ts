// The migrator's public surface: what the CLI (`eventfold migrate follow`, `migrate rejected`, `lag`) composes.
export { readMigratorConfig, type MigratorConfig } from './config';
export { startMigratorService, type MigratorDeps, type RunningMigratorService } from './migratorService';
export { listRejected } from './deadLetters/rejectedChanges';
export { slotLagBytes } from './replication/replicationSetup';
export { commandsOfChange, type KeyedCommand, type MigrationCommand } from './changes/commandsOfChange';
export type { LegacyUserRow, RowChange } from './changes/legacyChange';
export { CommandImports, type UserImports } from './commands/userImports';
export type { CommandAnswer, CommandClient } from './commands/commandClient';
