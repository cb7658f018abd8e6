import { startTestGateway } from '@eventfold/gateway-service/testing';
import { consoleWalkthrough } from '@eventfold/testing';
import { newReadSideEnv, startCommand, startProjectorInProcess, startQuery } from '../support/readSide';

jest.setTimeout(240_000);

// The operator console (issue 22) in headless Chromium on the stack: Kafka, the registry, the FerretDB shards, the
// services in this process and the gateway serving the console. Screenshots: test-results/console-stack/.

describe('the operator console in Chromium (stack)', () => {
  const env = newReadSideEnv();
  let stop: () => Promise<unknown>;
  let url: string;
  let key: string;
  beforeAll(async () => {
    const command = await startCommand(env);
    const projector = await startProjectorInProcess(env);
    const query = await startQuery(env);
    const started = await startTestGateway({ commandUrl: command.url, queryUrl: query.url });
    url = started.url;
    key = started.keys.everything;
    stop = () => Promise.all([started.gateway.stop(), command.stop(), projector.stop(), query.stop()]);
  });
  afterAll(() => stop?.());

  it('follows a user live, travels back in time, and forgets the user', async () => {
    await consoleWalkthrough(url, key, 'console-stack');
  });
});
