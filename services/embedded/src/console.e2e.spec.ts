import fs from 'node:fs';
import { consoleWalkthrough, randomName, type ServiceProcess } from '@eventfold/testing';
import { startEmbeddedProcess, temporaryRoot } from './testing/embeddedProcess';

// The operator console (issue 22) in headless Chromium against the embedded mode as `pnpm start` runs it; the
// steps are packages/testing/src/browser/consoleWalkthrough.ts, shared with the stack's test. Screenshots:
// test-results/console-embedded/.

describe('the operator console in Chromium (embedded mode)', () => {
  const root = temporaryRoot();
  const key = randomName('console-key');
  let system: ServiceProcess;
  beforeAll(async () => {
    system = await startEmbeddedProcess(root, { env: { API_KEYS: `${key}=users:read+users:write+admin` } });
  });
  afterAll(async () => {
    await system?.kill();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('follows a user live, travels back in time, and forgets the user', async () => {
    await consoleWalkthrough(system.url, key, 'console-embedded');
  });
});
