import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Smaller sizes and shorter runs: the suite in under five minutes (without the long ones, unless named). */
  readonly quick: boolean;
  /** Benchmarks to run, by name, in suite order; every one when none is named. */
  readonly only: readonly string[];
}

/**
 * `--quick` and `--only <name>[,<name>]` (repeatable); an unknown option or benchmark name is an error. `long` names
 * the benchmarks that take minutes even at quick size: `--quick` alone leaves them out, `--only` runs them.
 */
export function parseBenchArgs(
  argv: readonly string[],
  known: readonly string[],
  long: readonly string[] = [],
): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string', multiple: true } },
    strict: true,
    allowPositionals: false,
  });
  const only = (values.only ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  const unknown = only.filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw new Error(`Unknown benchmark ${unknown.join(', ')}: choose among ${known.join(', ')}`);
  const quick = values.quick ?? false;
  return {
    quick,
    only: known.filter((name) => (only.length > 0 ? only.includes(name) : !(quick && long.includes(name)))),
  };
}
