import { randomUUID } from 'node:crypto';
import { shardIndex } from './shardIndex';

describe('shardIndex', () => {
  it('is stable (pinned values: changing them reshards every deployment)', () => {
    expect(shardIndex('user-0f8fad5b-d9cb-469f-a165-70867728950e', 2)).toBe(
      shardIndex('user-0f8fad5b-d9cb-469f-a165-70867728950e', 2),
    );
    expect([0, 1, 2, 3].map((i) => shardIndex(`user-${i}`, 4))).toEqual([3, 0, 1, 2]);
  });

  it('spreads user streams evenly', () => {
    const counts = [0, 0];
    for (let i = 0; i < 10_000; i++) counts[shardIndex(`user-${randomUUID()}`, 2)]!++;
    expect(Math.min(...counts)).toBeGreaterThan(4_500);
  });
});
