import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Copies what `docker build .` would send as its context into `target`: the files git knows or would add (so no
 * node_modules), less what .dockerignore excludes. Understands the patterns our .dockerignore uses: `**\/name`
 * (that name at any depth), `name` (at the root) and `*.ext` (at the root).
 */
export function copyBuildContext(repoRoot: string, target: string): void {
  const patterns = fs
    .readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const ignored = (file: string) => {
    const segments = file.split('/');
    return patterns.some((pattern) => {
      if (pattern.startsWith('**/')) return segments.includes(pattern.slice(3));
      if (pattern.startsWith('*.')) return segments.length === 1 && file.endsWith(pattern.slice(1));
      return segments[0] === pattern;
    });
  };
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
  })
    .toString('utf8')
    .split('\0')
    .filter((file) => file && !ignored(file) && fs.existsSync(path.join(repoRoot, file)));
  for (const file of listed) {
    fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, file), path.join(target, file));
  }
}
