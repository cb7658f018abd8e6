import { faultScale } from '../support/faultScale';
import { projectorCrashRun } from '../support/projectorCrash';

jest.setTimeout(1_200_000);

const full = faultScale() > 1;

describe('projector killed with -9 again and again while it projects', () => {
  it(`ends with the same read model, document for document, as a clean projection from offset 0 (${full ? '20,000' : '3,000'} events)`, async () => {
    await projectorCrashRun(
      full
        ? {
            users: Number(process.env.CRASH_TEST_USERS ?? 2000),
            killAfterMs: [0, 0],
            killEveryEvents: 1000,
            minKills: 10,
            projectorEnv: { PROJECTOR_COMMIT_EVERY: '100' },
          }
        : {
            users: 300,
            killAfterMs: [0, 0],
            killEveryEvents: 300,
            minKills: 4,
            projectorEnv: { PROJECTOR_COMMIT_EVERY: '25' },
          },
    );
  });
});
