import pg from 'pg';
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import { CapturedChanges, type CaptureReader } from './capturedChanges';

export interface PgoutputNames {
  readonly table: string;
  readonly publication: string;
  readonly slot: string;
}

/**
 * What the migrator sets up (services/migrator/src/replication/replicationSetup.ts): the old row in every update,
 * a publication of the one table, a `pgoutput` slot. The publication outlives blocks; the slot is the block's.
 */
export async function preparePgoutput(db: pg.ClientBase, names: PgoutputNames): Promise<void> {
  await db.query(`ALTER TABLE ${pg.escapeIdentifier(names.table)} REPLICA IDENTITY FULL`);
  const publications = await db.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [names.publication]);
  if (publications.rowCount === 0)
    await db.query(
      `CREATE PUBLICATION ${pg.escapeIdentifier(names.publication)} FOR TABLE ${pg.escapeIdentifier(names.table)}`,
    );
  await db.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [names.slot]);
}

/** Undoes the block's part of {@link preparePgoutput}: the slot goes (it would keep WAL), the identity back. */
export async function dropPgoutput(db: pg.ClientBase, names: PgoutputNames): Promise<void> {
  await db.query('SELECT pg_drop_replication_slot($1)', [names.slot]);
  await db.query(`ALTER TABLE ${pg.escapeIdentifier(names.table)} REPLICA IDENTITY DEFAULT`);
}

/**
 * Reads the slot with pg-logical-replication as the migrator's LegacyFollower does (protocol 1, flow control, the
 * library's own acknowledgement off), minus the command service: each transaction's changes are counted when its
 * commit message arrives, and its end is acknowledged at once, so the slot's position follows the reader.
 */
export async function startPgoutputReader(
  connection: pg.ClientConfig,
  names: PgoutputNames,
): Promise<CaptureReader> {
  const changes = new CapturedChanges();
  const service = new LogicalReplicationService(connection, {
    acknowledge: { auto: false, timeoutSeconds: 0 },
    flowControl: { enabled: true },
  });
  let open = 0;
  let acknowledged = '0/0';
  let stopped = false;
  service.on('data', async (_lsn: string, message: Pgoutput.Message) => {
    switch (message.tag) {
      case 'begin':
        open = 0;
        return;
      case 'insert':
      case 'update':
        if (message.relation.name === names.table) open += 1;
        return;
      case 'commit':
        // pgoutput's commit time: µs since the Unix epoch (the library adds PostgreSQL's 2000 epoch).
        changes.add(open, Number(BigInt(String(message.commitTime)) / 1000n));
        open = 0;
        acknowledged = message.commitEndLsn!;
        if (!stopped) await service.acknowledge(acknowledged);
        return;
      default:
        return;
    }
  });
  service.on('heartbeat', (_lsn: string, _time: number, shouldRespond: boolean) => {
    if (shouldRespond && !stopped) void service.acknowledge(acknowledged);
  });
  service.on('error', () => undefined); // a stop ends the stream with an error; a real failure shows as lost changes
  const started = new Promise<void>((resolve) => service.once('start', () => resolve()));
  const running = service.subscribe(
    new PgoutputPlugin({ protoVersion: 1, publicationNames: [names.publication] }),
    names.slot,
  );
  await Promise.race([started, running]);
  return {
    changes,
    async stop() {
      if (stopped) return;
      stopped = true;
      await service.stop();
      await running.catch(() => undefined);
    },
  };
}
