import { Command, CommanderError } from 'commander';
import { schemasCheck } from './commands/schemasCheck';
import { schemasRegister } from './commands/schemasRegister';
import { CliError, type Output } from './commands/output';

export interface CliEnvironment {
  readonly env: NodeJS.ProcessEnv;
  readonly out: Output;
}

/** The `eventfold` command tree. Every command has --help; failures are one line and a non-zero exit. */
export function buildProgram({ env, out }: CliEnvironment): Command {
  const program = new Command('eventfold')
    .description('Operate eventfold: schemas, replay, rebuild, streams, lag, dead letters')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.line(s.trimEnd()), writeErr: (s) => out.error(s.trimEnd()) });

  const schemas = program
    .command('schemas')
    .description('Check and register the Avro schemas under schemas/');
  schemas
    .command('check')
    .description(
      'Check that every schema is valid Avro and BACKWARD_TRANSITIVE-compatible with its earlier versions',
    )
    .option('--dir <dir>', 'schemas folder (default: the repository schemas/)')
    .option('--registry <url>', 'Confluent API base URL (default: $SCHEMA_REGISTRY_URL)')
    .option('--local', 'check locally only, even when a registry is configured')
    .action(async (opts: { dir?: string; registry?: string; local?: boolean }) =>
      schemasCheck(
        { dir: opts.dir, registryUrl: opts.local ? undefined : (opts.registry ?? env.SCHEMA_REGISTRY_URL) },
        out,
      ),
    );
  schemas
    .command('register')
    .description('Register every version of every schema under its subject (idempotent)')
    .option('--dir <dir>', 'schemas folder (default: the repository schemas/)')
    .option('--registry <url>', 'Confluent API base URL (default: $SCHEMA_REGISTRY_URL)')
    .action(async (opts: { dir?: string; registry?: string }) => {
      const registryUrl = opts.registry ?? env.SCHEMA_REGISTRY_URL;
      if (!registryUrl)
        throw new CliError('schemas register: no registry: pass --registry or set SCHEMA_REGISTRY_URL');
      await schemasRegister({ dir: opts.dir, registryUrl }, out);
    });
  return program;
}

/** Runs the CLI and answers its exit code. */
export async function runCli(argv: readonly string[], environment: CliEnvironment): Promise<number> {
  const program = buildProgram(environment);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    environment.out.error(
      error instanceof CliError ? error.message : `eventfold: ${(error as Error).message ?? String(error)}`,
    );
    return error instanceof CliError ? error.exitCode : 1;
  }
}
