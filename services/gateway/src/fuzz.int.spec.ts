import fc from 'fast-check';
import { startTestCommandService } from '@eventfold/command-service/testing';
import { checkAgainstDocument } from './testing/contract';
import { GatewayClient } from './testing/gatewayClient';
import { metricSum } from './testing/metricsText';
import { requestOf, type Caller } from './testing/openApiArbitraries';
import { deadBackendUrl } from './testing/standInBackend';
import { startTestGateway } from './testing/testGateway';
import { gatewayOperations } from './operations/operations';

jest.setTimeout(300_000);

/** Runs per operation; FUZZ_RUNS=500 for a longer search, FUZZ_REPORT=1 to print the statuses met. */
const runs = Number(process.env.FUZZ_RUNS ?? 40);
/** The 5xx the gateway may answer: backends that cannot be reached, are unavailable, or are too slow. */
const fromBackends = /^(502 BACKEND_UNREACHABLE|503 .+|504 BACKEND_TIMEOUT)$/;

describe('requests generated from the OpenAPI document', () => {
  let command: Awaited<ReturnType<typeof startTestCommandService>>;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let client: GatewayClient;
  const knownUsers: string[] = [];

  beforeAll(async () => {
    command = await startTestCommandService({ partitions: 3 });
    // No query service here: reads that pass the gateway's checks end in its 502 (their contract still holds).
    gateway = await startTestGateway({
      commandUrl: command.service.url,
      queryUrl: await deadBackendUrl(),
      env: { RATE_LIMIT_PER_SECOND: '0', ADDRESS_RATE_LIMIT_PER_SECOND: '0' },
    });
    client = new GatewayClient(gateway.url);
    for (let i = 0; i < 3; i++) {
      const r = await client.call('POST', '/v1/users', {
        key: gateway.keys.everything,
        body: { name: `Fuzz ${i}`, email: `fuzz${i}@example.com` },
      });
      knownUsers.push(r.body!.id as string);
    }
  });
  afterAll(async () => {
    await gateway?.gateway.stop();
    await command?.service.stop();
    expect(command?.fatal ?? []).toEqual([]);
  });

  const keyOf = (caller: Caller): string | undefined =>
    caller === 'none' ? undefined : caller === 'wrong' ? 'not-a-key' : gateway.keys[caller];

  it.each(gatewayOperations().map((o) => [o.id, o] as const))(
    '%s: no 5xx but the backends’, and every answer as documented',
    async (_id, operation) => {
      await fc.assert(
        fc.asyncProperty(requestOf(operation, knownUsers), async (request) => {
          const answer = await client.call(request.method, request.path, {
            key: keyOf(request.caller),
            headers: request.headers,
            body: request.body,
          });
          const check = checkAgainstDocument(client.exchanges.at(-1)!);
          if (check.operation !== operation.id)
            throw new Error(`${request.path} did not reach ${operation.id}`);
          if (answer.status >= 500)
            expect(`${answer.status} ${answer.body?.code as string}`).toMatch(fromBackends);
          expect(check.violation).toBeNull();
        }),
        { numRuns: runs },
      );
    },
  );

  it('reached the command service with valid requests, not only the gateway’s refusals', async () => {
    const met = client.exchanges.map(
      (e) =>
        `${e.method} ${checkAgainstDocument(e).operation} ${e.status}` +
        (e.status === 400 ? ` ${(e.body as { code?: string }).code}` : ''),
    );
    const seen = new Set(met.map((m) => m.replace(/ [A-Z_]+$/, '')));
    if (process.env.FUZZ_REPORT) {
      const tally = new Map<string, number>();
      for (const m of met) tally.set(m, (tally.get(m) ?? 0) + 1);
      process.stderr.write(
        `${[...tally]
          .sort()
          .map(([m, n]) => `${m}: ${n}`)
          .join('\n')}\n`,
      );
    }
    // More registrations than the three made before the runs, and the command service's own refusals.
    expect(met.filter((m) => m === 'POST registerUser 201').length).toBeGreaterThan(3);
    expect([...seen].filter((s) => / (404|412|422)$/.test(s) && s.startsWith('P')).length).toBeGreaterThan(0);
    expect(await metricSum(gateway, 'eventfold_gateway_contract_violations_total')).toBe(0);
  });
});
