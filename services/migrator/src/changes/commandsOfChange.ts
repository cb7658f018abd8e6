import type { ChangePosition, LegacyUserRow, RowChange } from './legacyChange';

/** What a legacy change asks of eventfold: one of the command service's commands, addressed by the legacy id. */
export type MigrationCommand =
  | { readonly type: 'ImportUser'; readonly legacyId: string; readonly row: LegacyUserRow }
  | { readonly type: 'ChangeUserName'; readonly legacyId: string; readonly name: string | null }
  | { readonly type: 'ChangeUserEmail'; readonly legacyId: string; readonly email: string | null }
  | { readonly type: 'DeactivateUser'; readonly legacyId: string }
  | { readonly type: 'ReactivateUser'; readonly legacyId: string };

/** A command with the Idempotency-Key it is sent with: the same change read twice sends the same key. */
export interface KeyedCommand {
  readonly key: string;
  readonly command: MigrationCommand;
}

/** A change that maps to no command: it goes to the dead-letter list with this code, the follower goes on. */
export class UnmappableChange extends Error {
  constructor(
    readonly code: 'HARD_DELETE' | 'NO_OLD_ROW',
    message: string,
  ) {
    super(message);
    this.name = 'UnmappableChange';
  }
}

const DEACTIVATED = 'deactivated';

/**
 * The Idempotency-Key of the `index`th command of a change (the command service's pattern: `[A-Za-z0-9._:-]`, up
 * to 128 characters): the source, the commit LSN, the change's place in its transaction, the row and the command.
 */
export function commandKey(source: string, at: ChangePosition, legacyId: string, type: string): string {
  return ['mig', source, at.commitLsn.replace('/', '-'), at.seq, legacyId, type].join(':').slice(0, 128);
}

/**
 * The commands a committed change of a legacy row stands for, in the order to send them. An insert is an import
 * (deactivated when the row is born so); an update is one command per field that changed:
 * a reactivation first (a deactivated user takes no rename), then name, email, and a deactivation last.
 */
export function commandsOfChange(change: RowChange, at: ChangePosition, source: string): KeyedCommand[] {
  const keyed = (command: MigrationCommand): KeyedCommand => ({
    key: commandKey(source, at, command.legacyId, command.type),
    command,
  });
  switch (change.kind) {
    case 'insert': {
      // A row born deactivated is imported deactivated (the import decides both events).
      return [keyed({ type: 'ImportUser', legacyId: change.row.id, row: change.row })];
    }
    case 'update': {
      const { old, row } = change;
      if (!old)
        throw new UnmappableChange(
          'NO_OLD_ROW',
          'The update carries no old row (the table needs REPLICA IDENTITY FULL)',
        );
      const legacyId = row.id;
      const commands: MigrationCommand[] = [];
      const wasDeactivated = old.status === DEACTIVATED;
      const isDeactivated = row.status === DEACTIVATED;
      if (wasDeactivated && !isDeactivated) commands.push({ type: 'ReactivateUser', legacyId });
      if (old.name !== row.name) commands.push({ type: 'ChangeUserName', legacyId, name: row.name });
      if (old.email !== row.email) commands.push({ type: 'ChangeUserEmail', legacyId, email: row.email });
      if (!wasDeactivated && isDeactivated) commands.push({ type: 'DeactivateUser', legacyId });
      return commands.map(keyed);
    }
    case 'delete':
      throw new UnmappableChange(
        'HARD_DELETE',
        'The legacy application deletes by status; a hard delete has no command (forget the user by hand)',
      );
    default: {
      const exhaustive: never = change;
      return exhaustive;
    }
  }
}
