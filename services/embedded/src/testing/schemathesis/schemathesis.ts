import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { infraPaths, pythonVenv } from '@eventfold/infra';

/** schemathesis from PyPI: property-based tests generated from an OpenAPI document (Hypothesis underneath). */
export const SCHEMATHESIS_VERSION = '4.32.5';

/** Installs schemathesis once into a venv in the cache (`EVENTFOLD_CACHE`) and returns the venv's python. */
export function schemathesisPython(cacheDir = infraPaths().cacheDir): Promise<string> {
  return pythonVenv(path.join(cacheDir, `schemathesis-${SCHEMATHESIS_VERSION}`), [
    `schemathesis==${SCHEMATHESIS_VERSION}`,
  ]);
}

export interface SchemathesisRun {
  readonly python: string;
  /** Where the API's document is served: the operations are tested on its origin. */
  readonly schemaUrl: string;
  /** Sent as `Authorization: Bearer <key>` on every request. */
  readonly apiKey: string;
  readonly seed: number;
  /** Test cases per operation; the stateful phase gets three times as many sequences, of up to 10 steps. */
  readonly maxExamples: number;
  /** The run is killed after this long, and reported as timed out. */
  readonly timeoutMs: number;
  /** Where it runs: its configuration goes there, and its caches and Hypothesis's (.schemathesis, .hypothesis). */
  readonly workDir: string;
  /** Where the failures the hooks drop are written, one JSON line each. */
  readonly droppedLog: string;
}

/** A failure the hooks dropped (eventfold_hooks.py says which kinds, and why). */
export interface DroppedFailure {
  readonly why: string;
  readonly operation: string;
  readonly status: number;
  readonly code: string | null;
}

export interface SchemathesisResult {
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  /**
   * The FAILURES and ERRORS sections of the report (each failure with a curl line to reproduce it), empty when
   * there are none; the end of the output when the run failed otherwise.
   */
  readonly failures: string;
  /** The SUMMARY section. */
  readonly summary: string;
  readonly dropped: readonly DroppedFailure[];
  readonly millis: number;
}

const section = (text: string, title: string) =>
  new RegExp(`^=+ ${title} =+$([\\s\\S]*?)(?=^=+ [A-Z ,0-9]+ =+$|(?![\\s\\S]))`, 'm')
    .exec(text)?.[1]
    ?.trim() ?? '';

/** Generation budgets; CLI options would override the stateful phase's own, so they live in the file. */
const configuration = (maxExamples: number) =>
  [
    '[generation]',
    `max-examples = ${maxExamples}`,
    '',
    '[phases.stateful]',
    'max-steps = 10',
    '',
    '[phases.stateful.generation]',
    `max-examples = ${3 * maxExamples}`,
    '',
  ].join('\n');

/**
 * Runs `schemathesis run` with every check against the document at `schemaUrl`, with eventfold's hooks
 * (eventfold_hooks.py beside this file), and reads its report. One worker: with two, Hypothesis's threads met a
 * CPython 3.11 race in the ast module ("AST constructor recursion depth mismatch", gh-106905) now and then, and the
 * run is repeatable from its seed only with one.
 */
export async function runSchemathesis(options: SchemathesisRun): Promise<SchemathesisResult> {
  const started = Date.now();
  const configFile = path.join(options.workDir, 'schemathesis.toml');
  fs.writeFileSync(configFile, configuration(options.maxExamples));
  const args = [
    '-c',
    'import sys; from schemathesis.cli import schemathesis; sys.argv[0] = "schemathesis"; sys.exit(schemathesis())',
    '--config-file',
    configFile,
    'run',
    options.schemaUrl,
    '--checks',
    'all',
    '--seed',
    String(options.seed),
    '--workers',
    '1',
    // Every answer of GET /v1/events is a stream that stays open (follow=true is required): a request-response
    // fuzzer would wait on each until its timeout, and the hooks' filter of follow=true would leave it no case. The
    // gateway's own fuzz test (fuzz.int.spec.ts) and the follow feed's e2e tests cover it.
    '--exclude-operation-id',
    'followEvents',
    '--header',
    `Authorization: Bearer ${options.apiKey}`,
    // The key is a throwaway one; what matters in a failure is the headers as sent (tokens, If-Match).
    '--output-sanitize',
    'false',
  ];
  const child = spawn(options.python, args, {
    cwd: options.workDir,
    env: {
      ...process.env,
      NO_COLOR: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONPATH: __dirname,
      SCHEMATHESIS_HOOKS: 'eventfold_hooks',
      EVENTFOLD_SCHEMATHESIS_DROPPED: options.droppedLog,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  }).finally(() => clearTimeout(timer));
  const dropped = fs.existsSync(options.droppedLog)
    ? fs
        .readFileSync(options.droppedLog, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as DroppedFailure)
    : [];
  const failures = [section(text, 'FAILURES'), section(text, 'ERRORS')].filter(Boolean).join('\n\n');
  return {
    exitCode,
    timedOut,
    failures: failures || (exitCode === 0 ? '' : text.trim().split('\n').slice(-40).join('\n')),
    summary: section(text, 'SUMMARY'),
    dropped,
    millis: Date.now() - started,
  };
}
