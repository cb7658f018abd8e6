import { legacyUserId } from '@eventfold/command-service';
import type { LegacyUserRow } from '../changes/legacyChange';
import type { CommandAnswer, CommandClient } from './commandClient';

/** The port a new legacy row goes through, and the way from a legacy id to the user it became. */
export interface UserImports {
  importRow(key: string, row: LegacyUserRow): Promise<CommandAnswer>;
  /** The eventfold user id of a legacy row (whether or not its import was accepted). */
  userIdOf(legacyId: string): string;
}

/**
 * Phase 0's import (docs/decisions/0020-importing-a-crud-table.md): `POST /v1/user-imports`, ImportUser on the stream
 * a UUIDv5 of the legacy id names, its command id made from the row and its `updated_at` (the route's own
 * idempotency; the key is sent too). A row `migrate import` brought in already is present: the change is in effect,
 * not refused.
 */
export class CommandImports implements UserImports {
  constructor(
    private readonly commands: CommandClient,
    private readonly table: string,
  ) {}

  async importRow(key: string, row: LegacyUserRow): Promise<CommandAnswer> {
    const answer = await this.commands.send('POST', '/v1/user-imports', key, {
      name: row.name,
      email: row.email,
      deactivated: row.status === 'deactivated',
      source: { table: this.table, legacyId: row.id, updatedAt: row.updatedAt },
    });
    if (answer.outcome === 'rejected' && answer.code === 'USER_ALREADY_REGISTERED')
      return { outcome: 'applied', userId: this.userIdOf(row.id) };
    return answer;
  }

  userIdOf(legacyId: string): string {
    return legacyUserId(this.table, legacyId);
  }
}
