import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { installOnce, output } from '@eventfold/infra';

/** The Python peer's sources and its pinned requirements. */
export const PYTHON_PEER_DIR = path.join(__dirname, 'python');

/**
 * A venv with the Python peer's requirements, created once in the cache (as deploy's kubernetes-validate is) and
 * named after the requirements' hash, so that changing a pin makes a new one. Answers its python: the venv is
 * renamed into place after the install, so its scripts' shebangs name the scratch folder, while its python finds
 * the venv through pyvenv.cfg; modules are run with `python -m`.
 */
export async function pythonPeerInterpreter(cacheDir: string, say: (line: string) => void): Promise<string> {
  const requirements = path.join(PYTHON_PEER_DIR, 'requirements.txt');
  const digest = createHash('sha256').update(fs.readFileSync(requirements)).digest('hex').slice(0, 12);
  const dir = path.join(cacheDir, `peers-python-${digest}`);
  if (!fs.existsSync(path.join(dir, '.complete')))
    say(
      `  creating the Python peer's venv in ${dir} (psycopg's C implementation is compiled: about a minute, once)`,
    );
  await installOnce(dir, async (scratch) => {
    await output('python3', ['-m', 'venv', scratch]);
    await output(path.join(scratch, 'bin', 'python'), [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '-r',
      requirements,
    ]);
  });
  return path.join(dir, 'bin', 'python');
}
