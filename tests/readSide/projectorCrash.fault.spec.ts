import { projectorCrashRun } from '../support/projectorCrash';

jest.setTimeout(600_000);

describe('projector killed with -9 every 2 s', () => {
  it('ends with the same read model, document for document, as a clean projection from offset 0 (20,000 events)', async () => {
    await projectorCrashRun({
      users: Number(process.env.CRASH_TEST_USERS ?? 2000),
      killAfterMs: [1000, 2500],
      minKills: 2,
    });
  });
});
