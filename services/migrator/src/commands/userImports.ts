import type pg from 'pg';
import type { LegacyUserRow } from '../changes/legacyChange';
import type { CommandAnswer, CommandClient } from './commandClient';

/**
 * The port a new legacy row goes through, and the way back from a legacy id to the user it became. Phase 0's
 * import command (`UserImported`, the stream id a UUIDv5 of the legacy id) is meant to sit behind it; until that
 * is merged, {@link RegistrationImports} stands in.
 */
export interface UserImports {
  importRow(key: string, row: LegacyUserRow): Promise<CommandAnswer>;
  /** The eventfold user id of a legacy row, or null when it was never imported (refused, or not yet). */
  userIdOf(legacyId: string): Promise<string | null>;
}

export const USER_IDS_DDL = `
CREATE TABLE IF NOT EXISTS eventfold_migration_users (
  source text NOT NULL,
  legacy_id text NOT NULL,
  user_id uuid NOT NULL,
  PRIMARY KEY (source, legacy_id)
)`;

/**
 * The stand-in import: a registration with the Idempotency-Key of the insert (so a replay lands on the same user),
 * and the user id it answers kept in `eventfold_migration_users` of the legacy database before the insert counts as
 * done. The registration sends a welcome email, which the real import will not.
 */
export class RegistrationImports implements UserImports {
  constructor(
    private readonly commands: CommandClient,
    private readonly db: pg.Pool,
    private readonly source: string,
  ) {}

  async importRow(key: string, row: LegacyUserRow): Promise<CommandAnswer> {
    const answer = await this.commands.send('POST', '/v1/users', key, { name: row.name, email: row.email });
    if (answer.outcome === 'applied')
      await this.db.query(
        `INSERT INTO eventfold_migration_users (source, legacy_id, user_id) VALUES ($1, $2, $3)
         ON CONFLICT (source, legacy_id) DO NOTHING`,
        [this.source, row.id, answer.userId],
      );
    return answer;
  }

  async userIdOf(legacyId: string): Promise<string | null> {
    const result = await this.db.query<{ user_id: string }>(
      'SELECT user_id FROM eventfold_migration_users WHERE source = $1 AND legacy_id = $2',
      [this.source, legacyId],
    );
    return result.rows[0]?.user_id ?? null;
  }
}
