import fs from 'node:fs';
import path from 'node:path';
import { pythonVenv, requirementsVenvDir } from '@eventfold/infra';

/** The Python peer's sources and its pinned requirements. */
export const PYTHON_PEER_DIR = path.join(__dirname, 'python');

/**
 * A venv with the Python peer's requirements, created once in the cache (as deploy's kubernetes-validate is) and
 * named after the requirements' hash, so that changing a pin makes a new one. Answers its python.
 */
export async function pythonPeerInterpreter(cacheDir: string, say: (line: string) => void): Promise<string> {
  const requirements = path.join(PYTHON_PEER_DIR, 'requirements.txt');
  const dir = requirementsVenvDir(cacheDir, 'peers-python', requirements);
  if (!fs.existsSync(path.join(dir, '.complete')))
    say(
      `  creating the Python peer's venv in ${dir} (psycopg's C implementation is compiled: about a minute, once)`,
    );
  return pythonVenv(dir, ['-r', requirements]);
}
