// pnpm secrets:generate: the secrets docker-compose.yml and the k8s dev overlay need, generated for this install
// (.env and k8s/overlays/dev/generated/, both git-ignored, mode 0600). Files that exist are kept, and get only the
// variables they lack.
import path from 'node:path';
import { repoRoot } from '../services/serviceCatalog';
import { writeDevelopmentSecrets } from './developmentSecrets';

const written = writeDevelopmentSecrets(repoRoot);
for (const { file, created, added, variables } of written) {
  const where = path.relative(process.cwd(), file) || file;
  console.log(`${created ? 'wrote' : 'kept '} ${where} (${Object.keys(variables).join(', ')})`);
  if (added.length > 0) console.log(`      added to it: ${added.join(', ')}`);
}
const keys = written[0]!.variables.EVENTFOLD_API_KEYS!;
console.log(
  `\nThe development API key for docker compose (every scope): ${keys.slice(0, keys.lastIndexOf('='))}`,
);
console.log(
  'Keep these files: the master key in them is the only way to read the personal data written under it.',
);
