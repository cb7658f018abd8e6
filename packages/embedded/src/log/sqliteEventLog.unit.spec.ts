import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LogRecord, PartitionOwnerHandler } from '@eventfold/core';
import { waitFor } from '@eventfold/testing';
import { openDatabase, type SqliteDatabase } from '../database/openDatabase';
import { SqliteEventLog } from './sqliteEventLog';

// What the embedded log adds to the shared contract (contracts.unit.spec.ts): in-process fencing, the last stable
// offset, and a log that carries on where it was after the process is gone.
describe('the SQLite event log', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-log-'));
  const file = path.join(dir, 'log.sqlite');
  let db: SqliteDatabase;
  let log: SqliteEventLog;
  beforeEach(async () => {
    db = openDatabase(file);
    log = new SqliteEventLog(db);
    await log.ensureTopics([
      { topic: 'in', partitions: 2, config: {} },
      { topic: 'out', partitions: 2, config: {} },
    ]);
  });
  afterEach(async () => {
    await log.close();
    db.close();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const read = async (topic: string, partition: number) => {
    const records: LogRecord[] = [];
    await log.readPartition(topic, partition, 0n, (r) => records.push(r));
    return records.map((r) => `${r.offset}:${r.value?.toString()}`);
  };

  /** Copies input records to `out`, after `gate` (if any) opens. */
  const copier = (gate?: Promise<void>, entered?: () => void): PartitionOwnerHandler<null> => ({
    restore: async () => null,
    async process(partition, _state, records, tx) {
      await tx.append([
        {
          topic: 'out',
          records: records.map((r) => ({ key: r.key, value: `copy of ${r.value?.toString()}`, partition })),
        },
      ]);
      entered?.();
      await gate;
      return () => undefined;
    },
  });

  it('refuses the commit of an owner whose partition moved to another member meanwhile (a zombie)', async () => {
    let open = () => undefined as void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let blocked = false;
    const failures: unknown[] = [];
    const zombie = await log.runPartitionOwners({
      groupId: 'g',
      inputTopic: 'in',
      handler: copier(gate, () => (blocked = true)),
      onFatal: (e) => failures.push(e),
      observer: { failed: (_p, e) => failures.push(e) },
    });
    await log.append([{ topic: 'in', records: [{ key: 'k', value: 'x', partition: 1 }] }]);
    await waitFor(async () => blocked, { description: 'the first owner to be inside its transaction' });
    const successor = await log.runPartitionOwners({
      groupId: 'g',
      inputTopic: 'in',
      handler: copier(),
      onFatal: (e) => failures.push(e),
    });
    expect(zombie.ownedPartitions()).toEqual([0]);
    expect(successor.ownedPartitions()).toEqual([1]);
    await waitFor(async () => (await read('out', 1)).length === 1, { description: "the successor's copy" });
    open();
    await waitFor(async () => failures.length > 0, { description: 'the zombie to be refused' });
    expect(failures[0]).toMatchObject({ code: 'PRODUCER_FENCED' });
    expect(await read('out', 1)).toEqual(['1:copy of x']);
  });

  it('shows a partition only up to the first offset an open transaction holds (the last stable offset)', async () => {
    let open = () => undefined as void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let blocked = false;
    await log.runPartitionOwners({
      groupId: 'g2',
      inputTopic: 'in',
      handler: copier(gate, () => (blocked = true)),
      onFatal: () => undefined,
    });
    await log.append([{ topic: 'in', records: [{ key: 'k', value: 'slow', partition: 0 }] }]);
    await waitFor(async () => blocked, { description: 'the transaction to hold its offset' });
    const [[plain]] = (await log.append([
      { topic: 'out', records: [{ key: 'k', value: 'plain', partition: 0 }] },
    ])) as unknown as [[{ offset: string }]];
    expect(await read('out', 0)).toEqual([]);
    open();
    await waitFor(async () => (await read('out', 0)).length === 2, { description: 'both records' });
    expect(await read('out', 0)).toEqual(['0:copy of slow', `${plain.offset}:plain`]);
  });

  it('reports a store it can no longer read as a crash without a restart, not an unhandled rejection', async () => {
    const crashes: { error: unknown; restarting: boolean }[] = [];
    await log.consume({
      groupId: 'crash-reader',
      topic: 'in',
      fromBeginning: true,
      eachBatch: async () => undefined,
      onCrash: (error, restarting) => crashes.push({ error, restarting }),
    });
    db.close(); // the database gone from under the consumer (a disk failure, a file deleted)
    await waitFor(() => crashes.length > 0, { description: 'the crash to be reported' });
    expect(crashes[0]!.restarting).toBe(false);
    expect(String(crashes[0]!.error)).toMatch(/not open/);
  });

  it('carries on after the process is gone: offsets continue and committed positions are kept', async () => {
    const before = await read('in', 0);
    await log.append([{ topic: 'in', records: [{ key: 'k', value: 'before restart', partition: 0 }] }]);
    const seen: string[] = [];
    const consumer = await log.consume({
      groupId: 'reader',
      topic: 'in',
      fromBeginning: true,
      eachBatch: async (batch, control) => {
        for (const r of batch.records) {
          seen.push(r.value!.toString());
          await control.commit(r.offset);
        }
      },
    });
    await waitFor(async () => seen.includes('before restart'), { description: 'the first record' });
    await consumer.stop();
    await log.close();
    db.close();

    db = openDatabase(file);
    log = new SqliteEventLog(db);
    const [[landed]] = (await log.append([
      { topic: 'in', records: [{ key: 'k', value: 'after restart', partition: 0 }] },
    ])) as unknown as [[{ offset: string }]];
    expect(Number(landed.offset)).toBe(before.length + 1);
    const resumed: string[] = [];
    await log.consume({
      groupId: 'reader',
      topic: 'in',
      fromBeginning: true,
      eachBatch: async (batch, control) => {
        for (const r of batch.records) {
          resumed.push(r.value!.toString());
          await control.commit(r.offset);
        }
      },
    });
    await waitFor(async () => resumed.length > 0, { description: 'the record after the restart' });
    expect(resumed).toEqual(['after restart']);
  });
});
