import { listRejected } from '@eventfold/migrator-service';
import pg from 'pg';
import type { Output } from './output';

/** `eventfold migrate rejected`: the legacy changes eventfold refused, with the row, the change and the reason. */
export async function migrateRejected(from: string, source: string | null, out: Output): Promise<number> {
  const client = new pg.Client({ connectionString: from });
  await client.connect();
  try {
    const exists = await client.query("SELECT to_regclass('eventfold_migration_rejected') IS NOT NULL AS e");
    const rows = (exists.rows[0] as { e: boolean }).e ? await listRejected(client, source) : [];
    if (rows.length === 0) {
      out.line('no legacy change was refused');
      return 0;
    }
    out.line(['LEGACY ID', 'CODE', 'CHANGE', 'REASON', 'AT'].join('\t'));
    for (const r of rows)
      out.line(
        [r.legacy_id ?? '-', r.code, JSON.stringify(r.change), r.reason, r.rejected_at.toISOString()].join(
          '\t',
        ),
      );
    out.line(`${rows.length} refused`);
    return rows.length;
  } finally {
    await client.end();
  }
}
