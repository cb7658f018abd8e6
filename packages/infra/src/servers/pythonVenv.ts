import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { installOnce } from './installOnce';
import { output } from '../run';

/**
 * A Python venv in `dir` with what `pipArgs` installs (`pip install <pipArgs>`: pinned packages, or `-r file`), made
 * once (installOnce). Answers the venv's python. The venv is renamed into place after the install, so its scripts'
 * shebangs name the scratch folder, while its python finds the venv through pyvenv.cfg beside it: run modules
 * with `python -m`.
 */
export async function pythonVenv(dir: string, pipArgs: readonly string[]): Promise<string> {
  await installOnce(dir, async (scratch) => {
    await output('python3', ['-m', 'venv', scratch]);
    await output(path.join(scratch, 'bin', 'python'), [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      ...pipArgs,
    ]);
  });
  return path.join(dir, 'bin', 'python');
}

/**
 * Where the venv of a requirements file lives in the cache: `<cacheDir>/<name>-<hash of the file>`, so that
 * changing a pin makes a new venv and an unchanged file reuses the one made before (pythonVenv with `-r`).
 */
export function requirementsVenvDir(cacheDir: string, name: string, requirements: string): string {
  const digest = createHash('sha256').update(fs.readFileSync(requirements)).digest('hex').slice(0, 12);
  return path.join(cacheDir, `${name}-${digest}`);
}
