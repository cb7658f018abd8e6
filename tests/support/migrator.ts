import path from 'node:path';
import type pg from 'pg';
import { spawnService, type ServiceProcess } from '@eventfold/testing';

/** The migrator's main.ts as its own process (for kill -9), following `legacyUrl` into the command service. */
export function spawnMigrator(
  legacyUrl: string,
  commandUrl: string,
  extra: Record<string, string> = {},
): Promise<ServiceProcess> {
  return spawnService(path.resolve(__dirname, '..', '..', 'services', 'migrator', 'src', 'main.ts'), {
    LEGACY_DATABASE_URL: legacyUrl,
    COMMAND_URL: commandUrl,
    MIGRATION_STATUS_INTERVAL_MS: '500',
    ...extra,
  });
}

/** The commands a migrator process has settled in this life (its /metrics), or null when it does not answer. */
export async function commandsSettledBy(migrator: ServiceProcess): Promise<number | null> {
  const text = await fetch(`${migrator.url}/metrics`)
    .then((r) => r.text())
    .catch(() => null);
  if (!text) return null;
  const counts = [...text.matchAll(/^eventfold_migration_commands_total{[^}]*} (\d+)$/gm)].map((m) =>
    Number(m[1]),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

/** Whether the slot has acknowledged everything the legacy database had written at `lsn`. */
export async function slotCaughtUp(db: pg.Client, slot: string, lsn: string): Promise<boolean> {
  const result = await db.query<{ done: boolean }>(
    'SELECT confirmed_flush_lsn >= $2::pg_lsn AS done FROM pg_replication_slots WHERE slot_name = $1',
    [slot, lsn],
  );
  return result.rows[0]?.done === true;
}
