import fs from 'node:fs';
import path from 'node:path';
import { clusterOptions } from '@eventfold/cli';
import { repoRoot } from './serviceCatalog';

/**
 * The variables the eventfold CLI reads. Commands read what they need where they need it, so they are found in its
 * sources (every `env.NAME` and `env['NAME']` outside the tests), plus those its cluster options ask for when run
 * on an environment that records the names (the Kafka settings are read by @eventfold/kafka, as the services'
 * are).
 */
export function cliVariables(cliDir = path.join(repoRoot, 'cli', 'src')): Set<string> {
  const names = new Set<string>();
  const nothingSet: NodeJS.ProcessEnv = {};
  const recording = new Proxy(nothingSet, {
    get(_target, name) {
      if (typeof name === 'string') names.add(name);
      return undefined;
    },
  });
  clusterOptions(recording);
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith('.ts') && !entry.name.includes('.spec.'))
        for (const match of fs
          .readFileSync(file, 'utf8')
          .matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g))
          names.add((match[1] ?? match[2])!);
    }
  };
  visit(cliDir);
  return names;
}
