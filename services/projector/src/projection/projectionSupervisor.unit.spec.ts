import { nextLayout, type ReadModelControlState } from '@eventfold/mongo';
import { layoutsToFeed } from './projectionSupervisor';

const v1 = { version: 1, groupId: 'projector.users', shards: ['mongodb://a/', 'mongodb://b/'] };
const state = (over: Partial<ReadModelControlState>): ReadModelControlState => ({
  active: v1,
  target: null,
  phase: null,
  retired: [],
  updatedAt: new Date(0),
  ...over,
});

describe('which read model versions a projector feeds', () => {
  const v2 = nextLayout(v1, ['mongodb://a/', 'mongodb://b/', 'mongodb://c/']);

  it('names the next version after the first group, keeping the shards it is given', () => {
    expect(v2).toEqual({ version: 2, groupId: 'projector.users.v2', shards: v2.shards });
    expect(nextLayout(v2, v2.shards).groupId).toBe('projector.users.v3');
  });

  it('feeds the active version alone, both while building, and only the new one during the handover', () => {
    expect(layoutsToFeed(state({}))).toEqual([v1]);
    expect(layoutsToFeed(state({ target: v2, phase: 'building' }))).toEqual([v1, v2]);
    expect(layoutsToFeed(state({ target: v2, phase: 'handover' }))).toEqual([v2]);
    expect(layoutsToFeed(state({ active: v2, retired: [v1] }))).toEqual([v2]);
  });
});
