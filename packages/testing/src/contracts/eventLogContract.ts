import {
  partitionForKey,
  type EventLog,
  type GroupConsumer,
  type LogRecord,
  type PartitionOwnerHandler,
} from '@eventfold/core';
import { randomName } from '../names';
import { waitFor } from '../waitFor';

/** An event log under test, and how to close it. */
export interface EventLogSubject {
  readonly log: EventLog;
  close(): Promise<void>;
}

const text = (value: Buffer | string | null | undefined) => (value == null ? null : value.toString());

async function readAll(log: EventLog, topic: string, partitions: number): Promise<LogRecord[]> {
  const all: LogRecord[] = [];
  for (let p = 0; p < partitions; p++) await log.readPartition(topic, p, 0n, (r) => all.push(r));
  return all;
}

/**
 * The event log contract (docs/decisions/0010-embedded-mode-on-sqlite.md): what the services rely on, run against every implementation
 * (Kafka in `*.int.spec.ts`, SQLite in `*.unit.spec.ts`). Topic and group names are random per test.
 */
export function eventLogContract(implementation: string, open: () => Promise<EventLogSubject>): void {
  describe(`event log contract: ${implementation}`, () => {
    let subject: EventLogSubject;
    let log: EventLog;
    const stops: (() => Promise<void>)[] = [];
    beforeAll(async () => {
      subject = await open();
      log = subject.log;
    });
    afterEach(async () => {
      await Promise.allSettled(stops.splice(0).map((stop) => stop()));
    });
    afterAll(async () => {
      await subject?.close();
    });
    const topic = async (partitions: number, config: Record<string, string> = {}) => {
      const name = randomName('contract');
      await log.ensureTopics([{ topic: name, partitions, config }]);
      return name;
    };
    const consume = async (options: Parameters<EventLog['consume']>[0]): Promise<GroupConsumer> => {
      const consumer = await log.consume(options);
      stops.push(() => consumer.stop());
      return consumer;
    };

    it('creates topics, tells their partition count, and refuses a count that differs', async () => {
      const name = await topic(3);
      await log.ensureTopics([{ topic: name, partitions: 3, config: {} }]);
      expect(await log.partitionCount(name)).toBe(3);
      expect(await log.partitionCount(randomName('absent'))).toBeNull();
      await expect(log.ensureTopics([{ topic: name, partitions: 4, config: {} }])).rejects.toMatchObject({
        code: 'TOPIC_PARTITIONS_MISMATCH',
      });
    });

    it("places keyed records with Kafka's partitioner and reads each partition back in offset order", async () => {
      const name = await topic(4);
      const records = Array.from({ length: 20 }, (_, i) => ({
        key: `user-${i}`,
        value: `value ${i}`,
        headers: { 'event-type': `Type${i}` },
      }));
      expect(await log.partitionEnds(name)).toEqual([0n, 0n, 0n, 0n]);
      const [landed] = await log.append([{ topic: name, records }]);
      landed!.forEach((place, i) => expect(place.partition).toBe(partitionForKey(`user-${i}`, 4)));
      for (let p = 0; p < 4; p++) {
        const expected = records.filter((_, i) => landed![i]!.partition === p);
        const offsets = landed!.filter((l) => l.partition === p).map((l) => BigInt(l.offset));
        offsets.forEach((o, i) => i > 0 && expect(o).toBeGreaterThan(offsets[i - 1]!));
        const read: LogRecord[] = [];
        expect(await log.readPartition(name, p, 0n, (r) => read.push(r))).toBe(expected.length);
        expect(
          read.map((r) => [text(r.key), text(r.value), text(r.headers?.['event-type'] as Buffer)]),
        ).toEqual(expected.map((r) => [r.key, r.value, r.headers['event-type']]));
        expect(read.map((r) => BigInt(r.offset))).toEqual(offsets);
        expect((await log.partitionEnds(name))[p]).toBe(offsets.length ? offsets.at(-1)! + 1n : 0n);
        read.forEach((r) => expect(Number(r.timestamp)).toBeGreaterThan(0));
        if (offsets.length > 1) {
          const after: LogRecord[] = [];
          await log.readPartition(name, p, offsets[1]!, (r) => after.push(r));
          expect(after.map((r) => r.offset)).toEqual(read.slice(1).map((r) => r.offset));
        }
      }
    });

    it('answers each of many concurrent appends with where its own records landed', async () => {
      const name = await topic(2);
      const appends = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          log.append([
            {
              topic: name,
              records: [
                { key: `k-${i % 7}`, value: `one ${i}` },
                { key: `k-${i % 5}`, value: `two ${i}` },
              ],
            },
          ]),
        ),
      );
      const read = new Map<string, string>();
      for (let p = 0; p < 2; p++)
        await log.readPartition(name, p, 0n, (r) => read.set(`${p}:${r.offset}`, text(r.value) ?? ''));
      expect(read.size).toBe(80);
      appends.forEach(([landed], i) => {
        expect(landed).toHaveLength(2);
        expect(read.get(`${landed![0]!.partition}:${landed![0]!.offset}`)).toBe(`one ${i}`);
        expect(read.get(`${landed![1]!.partition}:${landed![1]!.offset}`)).toBe(`two ${i}`);
      });
    });

    it('reads a compacted topic as the latest record per key, without deleted keys', async () => {
      const name = await topic(1, { 'cleanup.policy': 'compact' });
      const put = (key: string, value: string | null) => ({ key, value, partition: 0 });
      await log.append([{ topic: name, records: [put('a', '1'), put('b', '1'), put('a', '2')] }]);
      await log.append([{ topic: name, records: [put('b', null), put('c', '1')] }]);
      const latest = await log.latestByKey(name, 0);
      expect(latest.map((r) => [text(r.key), text(r.value)])).toEqual([
        ['a', '2'],
        ['c', '1'],
      ]);
    });

    /** Copies each input record to `out` and counts inputs per partition in the compacted `counts`. */
    const copier = (
      out: string,
      counts: string,
      failFirstAttempts = 0,
    ): PartitionOwnerHandler<{ count: number }> => {
      let failuresLeft = failFirstAttempts;
      return {
        async restore(partition) {
          const latest = await log.latestByKey(counts, partition);
          return { count: latest.length > 0 ? Number(text(latest.at(-1)!.value)) : 0 };
        },
        async process(partition, state, records, tx) {
          await tx.append([
            { topic: out, records: records.map((r) => ({ key: r.key, value: r.value, partition })) },
          ]);
          if (failuresLeft > 0) {
            failuresLeft--;
            throw new Error('the handler fails after appending (a crash in the middle of a transaction)');
          }
          const count = state.count + records.length;
          await tx.append([{ topic: counts, records: [{ key: 'count', value: String(count), partition }] }]);
          return () => {
            state.count = count;
          };
        },
      };
    };

    it('commits a partition owner’s appends across topics with its input offsets, and a new owner resumes after them', async () => {
      const [input, out, counts] = [
        await topic(2),
        await topic(2),
        await topic(2, { 'cleanup.policy': 'compact' }),
      ];
      const groupId = randomName('owners');
      const send = (from: number, n: number) =>
        log.append([
          {
            topic: input,
            records: Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: `v${from + i}` })),
          },
        ]);
      const fatal: unknown[] = [];
      const first = await log.runPartitionOwners({
        groupId,
        inputTopic: input,
        handler: copier(out, counts),
        onFatal: (e) => fatal.push(e),
        sessionTimeoutMs: 6000,
      });
      stops.push(() => first.stop());
      await waitFor(async () => (await first.readiness()).ready, {
        description: 'the first owners to be ready',
      });
      await send(0, 10);
      await waitFor(async () => (await readAll(log, out, 2)).length === 10, { description: '10 copies' });
      await first.stop();

      await send(10, 5);
      const second = await log.runPartitionOwners({
        groupId,
        inputTopic: input,
        handler: copier(out, counts),
        onFatal: (e) => fatal.push(e),
        sessionTimeoutMs: 6000,
      });
      stops.push(() => second.stop());
      await waitFor(async () => (await readAll(log, out, 2)).length >= 15, { description: '15 copies' });
      const copies = await readAll(log, out, 2);
      expect(copies.map((r) => text(r.value)).sort()).toEqual(
        Array.from({ length: 15 }, (_, i) => `v${i}`).sort(),
      );
      const perPartition = await Promise.all(
        [0, 1].map(async (p) => Number(text((await log.latestByKey(counts, p)).at(-1)?.value) ?? 0)),
      );
      expect(perPartition[0]! + perPartition[1]!).toBe(15);
      expect(fatal).toEqual([]);
    });

    it('shows nothing of a transaction that failed (read_committed), and retries its input', async () => {
      const [input, out, counts] = [
        await topic(1),
        await topic(1),
        await topic(1, { 'cleanup.policy': 'compact' }),
      ];
      const owners = await log.runPartitionOwners({
        groupId: randomName('owners'),
        inputTopic: input,
        handler: copier(out, counts, 1),
        onFatal: () => undefined,
        sessionTimeoutMs: 6000,
      });
      stops.push(() => owners.stop());
      await log.append([{ topic: input, records: [{ key: 'k', value: 'once' }] }]);
      await waitFor(async () => (await log.latestByKey(counts, 0)).length === 1, {
        description: 'the retried transaction to commit',
      });
      expect((await readAll(log, out, 1)).map((r) => text(r.value))).toEqual(['once']);
    });

    it('resumes a consumer group after its committed offset; a reader without a position starts at the end', async () => {
      const name = await topic(1);
      const groupId = randomName('group');
      const append = (values: string[]) =>
        log.append([{ topic: name, records: values.map((value) => ({ key: 'k', value })) }]);
      await append(['a', 'b', 'c']);
      const seen: string[] = [];
      const first = await consume({
        groupId,
        topic: name,
        fromBeginning: true,
        eachBatch: async (batch, control) => {
          for (const r of batch.records) {
            seen.push(text(r.value)!);
            await control.commit(r.offset);
          }
        },
      });
      await waitFor(async () => seen.length === 3, { description: 'the first three records' });
      await first.stop();

      await append(['d', 'e']);
      const resumed: string[] = [];
      await consume({
        groupId,
        topic: name,
        fromBeginning: true,
        eachBatch: async (batch, control) => {
          for (const r of batch.records) {
            resumed.push(text(r.value)!);
            await control.commit(r.offset);
          }
        },
      });
      await waitFor(async () => resumed.length >= 2, { description: 'd and e' });
      expect(resumed).toEqual(['d', 'e']);
      expect(seen).toEqual(['a', 'b', 'c']);

      // Kafka resolves "the end" at the first fetch after joining: append until the reader sees something.
      const tail: string[] = [];
      await consume({
        groupId: randomName('reader'),
        topic: name,
        fromBeginning: false,
        committing: false,
        eachBatch: async (batch) => {
          tail.push(...batch.records.map((r) => text(r.value)!));
        },
      });
      await waitFor(
        async () => {
          if (tail.length > 0) return true;
          await append(['late']);
          return false;
        },
        { intervalMs: 500, description: 'the reader to read a record appended after it joined' },
      );
      expect(new Set(tail)).toEqual(new Set(['late']));
    });

    it('shares partitions between the members of a group, and gives all to the one left', async () => {
      const name = await topic(2);
      const groupId = randomName('group');
      const seen = new Map<string, string[]>([
        ['a', []],
        ['b', []],
      ]);
      const member = (id: string) =>
        consume({
          groupId,
          topic: name,
          fromBeginning: true,
          sessionTimeoutMs: 6000,
          eachBatch: async (batch, control) => {
            for (const r of batch.records) {
              seen.get(id)!.push(text(r.value)!);
              await control.commit(r.offset);
            }
          },
        });
      const appendBoth = (tag: string) =>
        log.append([
          {
            topic: name,
            records: [0, 1].map((partition) => ({ key: null, value: `${tag}-${partition}`, partition })),
          },
        ]);
      const a = await member('a');
      const b = await member('b');
      await waitFor(async () => a.joined && b.joined, { description: 'both members to join' });
      await appendBoth('first');
      await waitFor(async () => seen.get('a')!.length + seen.get('b')!.length === 2, {
        description: 'both first records',
      });
      expect(seen.get('a')).toHaveLength(1);
      expect(seen.get('b')).toHaveLength(1);
      await b.stop();
      await appendBoth('second');
      await waitFor(async () => seen.get('a')!.filter((v) => v.startsWith('second')).length === 2, {
        timeoutMs: 60_000,
        description: 'the member left to read both partitions',
      });
    });
  });
}
