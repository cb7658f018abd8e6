import { sleep } from '@eventfold/core';
import pg from 'pg';
import { CapturedChanges, type CaptureReader } from './capturedChanges';

/**
 * The measured alternative to the log, in the bench only (docs/decisions/0021-change-capture-from-the-legacy-log.md):
 * a transactional outbox filled by a trigger, so the legacy application's code does not change either. Every insert
 * or update of `users` writes one outbox row, the row before and after as jsonb, in the same transaction.
 */
export const OUTBOX_DDL = `
CREATE TABLE IF NOT EXISTS users_outbox (
  id bigserial PRIMARY KEY,
  operation text NOT NULL,
  row_id bigint NOT NULL,
  before jsonb,
  after jsonb NOT NULL,
  written_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE OR REPLACE FUNCTION users_outbox_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO users_outbox (operation, row_id, before, after)
  VALUES (TG_OP, NEW.id, CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END, to_jsonb(NEW));
  RETURN NULL;
END $$`;

export async function installOutbox(db: pg.ClientBase): Promise<void> {
  await db.query(OUTBOX_DDL);
  await db.query('TRUNCATE users_outbox');
  await db.query(
    `CREATE TRIGGER users_outbox_capture AFTER INSERT OR UPDATE ON users
     FOR EACH ROW EXECUTE FUNCTION users_outbox_capture()`,
  );
}

export async function removeOutbox(db: pg.ClientBase): Promise<void> {
  await db.query('DROP TRIGGER IF EXISTS users_outbox_capture ON users');
}

export interface OutboxPolling {
  /** Rows claimed per transaction. */
  readonly batch: number;
  /** Sleep after a batch that was not full. */
  readonly intervalMs: number;
}

/**
 * The usual relay: claim the oldest rows with `FOR UPDATE SKIP LOCKED` (another relay would skip them), hand them
 * on, delete them, commit; poll again at once after a full batch, after `intervalMs` otherwise.
 */
export async function startOutboxPoller(
  connection: pg.ClientConfig,
  polling: OutboxPolling,
): Promise<CaptureReader> {
  const changes = new CapturedChanges();
  const client = new pg.Client(connection);
  await client.connect();
  let stopped = false;
  const pollOnce = async (): Promise<number> => {
    await client.query('BEGIN');
    try {
      const claimed = await client.query<{ id: string; written_ms: string }>(
        `SELECT id, operation, row_id, before, after, (extract(epoch FROM written_at) * 1000)::text AS written_ms
         FROM users_outbox
         ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [polling.batch],
      );
      const receivedAt = Date.now();
      for (const row of claimed.rows) changes.add(1, Number(row.written_ms), receivedAt);
      if (claimed.rows.length > 0)
        await client.query('DELETE FROM users_outbox WHERE id = ANY($1::bigint[])', [
          claimed.rows.map((r) => r.id),
        ]);
      await client.query('COMMIT');
      return claimed.rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  };
  const running = (async () => {
    while (!stopped) if ((await pollOnce()) < polling.batch) await sleep(polling.intervalMs);
  })();
  return {
    changes,
    async stop() {
      if (stopped) return;
      stopped = true;
      await running;
      await client.end();
    },
  };
}
