import { InfrastructureError } from '@eventfold/core';
import { createLogger } from '@eventfold/observability';
import { readQueryServiceConfig } from './config';
import { startQueryService } from './queryService';

describe('the query service start-up', () => {
  it('reaches onFatal on an error retrying cannot help, instead of staying up never ready', async () => {
    const fatal: unknown[] = [];
    const service = await startQueryService(readQueryServiceConfig({ PORT: '0', LOG_LEVEL: 'silent' }), {
      logger: createLogger('query', 'silent'),
      onFatal: (error) => fatal.push(error),
      openStore: async () => {
        throw new InfrastructureError('READ_MODEL_MISMATCH', 'the read store is of another version', {
          retriable: false,
        });
      },
      eventLog: { partitionEnds: async () => [] },
    });
    try {
      await service.started;
      expect(fatal).toMatchObject([{ code: 'READ_MODEL_MISMATCH' }]);
      const ready = await fetch(`${service.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        status: 'not-ready',
        checks: { startup: 'failed: the read store is of another version' },
      });
    } finally {
      await service.stop();
    }
  });
});
