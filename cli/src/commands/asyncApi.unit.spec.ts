import { publishedAsyncApi } from '@eventfold/users-api';
import { asyncApiDocument } from './asyncApi';

describe('eventfold asyncapi', () => {
  it('is what the repository publishes: packages/users-api/asyncapi.json never drifts from the topics and schemas', () => {
    // On a failure: `pnpm -s eventfold asyncapi > /tmp/asyncapi.json && mv /tmp/asyncapi.json packages/users-api/` then `pnpm format`.
    expect(publishedAsyncApi).toEqual(asyncApiDocument());
  });

  it('describes each topic with the settings the services create it with', () => {
    const channels = asyncApiDocument(3).channels as Record<
      string,
      {
        address: string;
        bindings: { kafka: { partitions: number; topicConfiguration: Record<string, unknown> } };
      }
    >;
    const byAddress = Object.fromEntries(Object.values(channels).map((c) => [c.address, c.bindings.kafka]));
    expect(byAddress['users.events']).toMatchObject({
      partitions: 3,
      topicConfiguration: { 'cleanup.policy': ['delete'], 'retention.ms': -1 },
    });
    expect(byAddress['users.snapshots']!.topicConfiguration).toEqual({ 'cleanup.policy': ['compact'] });
    expect(byAddress['users.integration.v1']).toMatchObject({
      partitions: 3,
      topicConfiguration: { 'cleanup.policy': ['compact'] },
    });
  });
});
