import { runCli } from '../program';

export interface CliRun {
  readonly code: number;
  /** What it wrote to stdout, a line each. */
  readonly lines: string[];
  /** What it wrote to stderr, a line each. */
  readonly errors: string[];
}

/** The CLI as a user runs it (`eventfold …argv`), in this process with `env` as its environment. */
export async function eventfold(env: Record<string, string | undefined>, ...argv: string[]): Promise<CliRun> {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await runCli(argv, {
    env,
    out: { line: (text) => lines.push(text), error: (text) => errors.push(text) },
  });
  return { code, lines, errors };
}
