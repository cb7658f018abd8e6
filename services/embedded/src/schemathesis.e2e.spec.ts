import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ServiceProcess } from '@eventfold/testing';
import { startEmbeddedProcess, temporaryRoot } from './testing/embeddedProcess';
import {
  runSchemathesis,
  schemathesisPython,
  SCHEMATHESIS_VERSION,
} from './testing/schemathesis/schemathesis';

// An outside fuzzer against the public API as a client meets it: schemathesis (PyPI) generates requests from the
// gateway's /openapi.json, with every check it has (no 5xx; statuses, content types, headers and bodies as
// documented; requests outside the document refused, requests inside it accepted; missing auth refused; stateful
// sequences along the links it infers), on `pnpm start`. The hooks it runs with are in
// testing/schemathesis/eventfold_hooks.py: they drop only refusals the document names and the tool's own mislabels.

jest.setTimeout(540_000);

/**
 * Test cases per operation (and three times as many stateful sequences); a fixed seed: a run is repeatable. 50 keep
 * `pnpm test` short (100 took 140 to 150 s in CI on 2 cores); `SCHEMATHESIS_EXAMPLES=500` for a deeper search.
 */
const MAX_EXAMPLES = Number(process.env.SCHEMATHESIS_EXAMPLES ?? 50);
const SEED = Number(process.env.SCHEMATHESIS_SEED ?? 42);

describe(`schemathesis ${SCHEMATHESIS_VERSION} against the gateway's OpenAPI document (embedded mode)`, () => {
  const root = temporaryRoot();
  let system: ServiceProcess | null = null;
  afterAll(async () => {
    await system?.kill();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('finds no server error and no answer outside the document, with every check', async () => {
    const python = await schemathesisPython();
    const apiKey = `schemathesis-${randomBytes(18).toString('base64url')}`;
    system = await startEmbeddedProcess(root, {
      env: {
        API_KEYS: `${apiKey}=users:read+users:write+admin`,
        // One client at full speed: the limits would answer most of it 429 (documented, but nothing tested).
        RATE_LIMIT_PER_SECOND: '0',
        ADDRESS_RATE_LIMIT_PER_SECOND: '0',
      },
    });
    const result = await runSchemathesis({
      python,
      schemaUrl: `${system.url}/openapi.json`,
      apiKey,
      seed: SEED,
      maxExamples: MAX_EXAMPLES,
      timeoutMs: 360_000,
      workDir: root,
      droppedLog: path.join(root, 'dropped.jsonl'),
    });
    const tally = new Map<string, number>();
    for (const d of result.dropped) {
      const key = `${d.why}: ${d.status} ${d.code ?? ''}`.trim();
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    process.stderr.write(
      `schemathesis ${SCHEMATHESIS_VERSION}, seed ${SEED}, ${MAX_EXAMPLES} examples per operation, ` +
        `${Math.round(result.millis / 1000)} s\n${result.summary}\n` +
        `dropped by the hooks:\n${[...tally].map(([k, n]) => `  ${n} × ${k}`).join('\n')}\n`,
    );
    expect(result.timedOut).toBe(false);
    expect(result.failures).toBe('');
    expect(result.exitCode).toBe(0);
  });
});
