import fs from 'node:fs';
import path from 'node:path';
import { infraPaths, installOnce, output } from '@eventfold/infra';

/**
 * The Compose Specification's JSON schema as Docker Compose itself uses it: the copy embedded in compose-go (the
 * library `docker compose` loads files with), taken from its Go module once into the eventfold cache.
 */
export const COMPOSE_GO_VERSION = 'v2.16.2';

export async function composeSpecSchema(cacheDir = infraPaths().cacheDir): Promise<Record<string, unknown>> {
  const dir = path.join(cacheDir, `compose-spec-${COMPOSE_GO_VERSION}`);
  await installOnce(dir, async (scratch) => {
    const module = `github.com/compose-spec/compose-go/v2@${COMPOSE_GO_VERSION}`;
    const { Dir } = JSON.parse(
      await output('go', ['mod', 'download', '-json', module], { env: { GOTOOLCHAIN: 'local' } }),
    ) as { Dir: string };
    fs.copyFileSync(path.join(Dir, 'schema', 'compose-spec.json'), path.join(scratch, 'compose-spec.json'));
  });
  return JSON.parse(fs.readFileSync(path.join(dir, 'compose-spec.json'), 'utf8')) as Record<string, unknown>;
}
