import type { ProducerBatch, RecordMetadata } from 'kafkajs';
import { OffsetPredictions } from './offsetPredictions';
import { transactionAppender } from './transactionAppender';

/** A stand-in broker: one partition per topic-partition, offsets from `ends`, a request log. */
function standInSender(ends: Map<string, bigint>) {
  const requests: ProducerBatch[] = [];
  return {
    requests,
    async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
      requests.push(batch);
      const answer: RecordMetadata[] = [];
      for (const { topic, messages } of batch.topicMessages ?? []) {
        const partitions = new Map<number, number>();
        for (const m of messages) partitions.set(m.partition!, (partitions.get(m.partition!) ?? 0) + 1);
        for (const [partition, count] of partitions) {
          const key = `${topic}:${partition}`;
          const base = ends.get(key) ?? 0n;
          ends.set(key, base + BigInt(count));
          answer.push({ topicName: topic, partition, errorCode: 0, baseOffset: String(base) });
        }
      }
      return answer;
    },
  };
}

const counts = async () => 3;
const events = (n: number) => [
  {
    topic: 'events',
    records: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `e${i}`, partition: 1 })),
  },
];
const snapshotOf = (offset: string) => [
  { topic: 'snapshots', records: [{ key: 'k', value: offset, partition: 1 }] },
];

describe('transactionAppender.appendThen', () => {
  it('asks Kafka first while the owner does not know where its partitions end, then sends both parts at once', async () => {
    const ends = new Map([['events:1', 40n]]);
    const sender = standInSender(ends);
    const predictions = new OffsetPredictions();
    const first = await transactionAppender(sender, counts, predictions).appendThen(
      events(2),
      async (landed) => snapshotOf(landed[0]![1]!.offset),
    );
    expect(first.first).toEqual([
      [
        { partition: 1, offset: '40' },
        { partition: 1, offset: '41' },
      ],
    ]);
    expect(sender.requests).toHaveLength(2);

    // The commit writes a marker into each partition the transaction touched.
    predictions.committed();
    for (const key of ['events:1', 'snapshots:1']) ends.set(key, ends.get(key)! + 1n);
    const second = await transactionAppender(sender, counts, predictions).appendThen(
      events(3),
      async (landed) => snapshotOf(landed[0]![2]!.offset),
    );
    expect(second.first[0]!.map((r) => r.offset)).toEqual(['43', '44', '45']);
    expect(second.then).toEqual([[{ partition: 1, offset: '2' }]]);
    expect(sender.requests).toHaveLength(3);
    expect(sender.requests[2]!.topicMessages!.map((t) => t.topic)).toEqual(['events', 'snapshots']);
    expect(sender.requests[2]!.topicMessages![1]!.messages[0]!.value).toBe('45');
  });

  it('fails the transaction, retriably, when the records land elsewhere than predicted', async () => {
    const ends = new Map([['events:1', 10n]]);
    const sender = standInSender(ends);
    const predictions = new OffsetPredictions();
    await transactionAppender(sender, counts, predictions).appendThen(events(1), async () => snapshotOf('x'));
    predictions.committed();
    ends.set('events:1', ends.get('events:1')! + 5n); // someone else wrote there
    await expect(
      transactionAppender(sender, counts, predictions).appendThen(events(1), async () => snapshotOf('y')),
    ).rejects.toMatchObject({ code: 'APPEND_OFFSETS_MISPREDICTED', retriable: true });
  });
});
