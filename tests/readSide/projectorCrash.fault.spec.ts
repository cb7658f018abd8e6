import { faultScale } from '../support/faultScale';
import { projectorCrashRun } from '../support/projectorCrash';

jest.setTimeout(600_000);

const full = faultScale() > 1;

describe('projector killed with -9 again and again while it projects', () => {
  it(`ends with the same read model, document for document, as a clean projection from offset 0 (${full ? '20,000' : '3,000'} events)`, async () => {
    await projectorCrashRun(
      full
        ? { users: Number(process.env.CRASH_TEST_USERS ?? 2000), killAfterEvents: [2000, 6000], minKills: 2 }
        : { users: 300, killAfterEvents: [300, 900], minKills: 3 },
    );
  });
});
