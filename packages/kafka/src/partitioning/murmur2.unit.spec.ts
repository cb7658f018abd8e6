import { Partitioners } from 'kafkajs';
import { murmur2, partitionForKey } from '@eventfold/core';

describe('murmur2', () => {
  // The vectors of Kafka's own UtilsTest#testMurmur2.
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('hashes %j as the Java client does', (key, expected) => {
    expect(murmur2(Buffer.from(key))).toBe(expected);
  });

  it("picks the same partition as kafkajs's DefaultPartitioner for stream ids", () => {
    const partitioner = Partitioners.DefaultPartitioner();
    for (let i = 0; i < 500; i++) {
      const key = `user-${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
      const partitionMetadata = Array.from({ length: 12 }, (_, p) => ({
        partitionId: p,
        leader: 1,
        replicas: [1],
        isr: [1],
        partitionErrorCode: 0,
      }));
      expect(partitionForKey(key, 12)).toBe(
        partitioner({ topic: 't', partitionMetadata, message: { key, value: null } }),
      );
    }
  });
});
