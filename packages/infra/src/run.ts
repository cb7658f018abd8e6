import { spawn } from 'node:child_process';

/**
 * Runs a command to completion (for installs) and resolves with its standard output; fails with its last output
 * lines when it exits non-zero.
 */
export function output(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let both = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      both = (both + chunk.toString('utf8')).slice(-8000);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      both = (both + chunk.toString('utf8')).slice(-8000);
    });
    child.once('error', (error) => reject(new Error(`could not run ${command}: ${error.message}`)));
    child.once('exit', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(
            new Error(
              `${command} ${args.join(' ')} exited with ${code}:\n${both.trim().split('\n').slice(-25).join('\n')}`,
            ),
          ),
    );
  });
}

export async function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<void> {
  await output(command, args, options);
}
