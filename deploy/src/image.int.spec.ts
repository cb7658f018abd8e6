// The image's build stage, run without Docker: its RUN steps on a copy of the build context (paths moved from
// /src and /out into a scratch folder, the machine's pnpm store instead of the build cache), then the service
// started from the pruned output as the image's ENTRYPOINT would, and the image's HEALTHCHECK run against it.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomName, spawnService, testKeyEnvironment, type ServiceProcess } from '@eventfold/testing';
import { copyBuildContext } from './docker/buildContext';
import { readInstructions, stagesOf } from './docker/dockerfile';
import { repoRoot } from './services/serviceCatalog';

const stages = stagesOf(readInstructions(path.join(repoRoot, 'docker', 'service.Dockerfile')));
const build = stages.find((stage) => stage.name === 'build')!;
const runtime = stages.at(-1)!;
// The command service: it reads the Avro schemas, found through the workspace layout the pruning must keep.
const PACKAGE_DIR = 'services/command';

let scratch: string;
let service: ServiceProcess | null = null;

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-image-'));
});

afterAll(async () => {
  await service?.kill();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** The image's HEALTHCHECK command, run in its working directory with the service's port. */
function healthcheck(workdir: string, port: number): number | null {
  const instruction = runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK')!;
  const [command, ...args] = JSON.parse(
    instruction.args.slice(instruction.args.indexOf('CMD ') + 4),
  ) as string[];
  return spawnSync(command!, args, {
    cwd: workdir,
    env: { ...process.env, PORT: String(port) },
    timeout: 10_000,
  }).status;
}

describe('the service image, built without Docker', () => {
  it('starts from the pruned install alone, and its healthcheck follows /readyz', async () => {
    const src = path.join(scratch, 'src');
    const out = path.join(scratch, 'out');
    copyBuildContext(repoRoot, src);
    const store = execFileSync('pnpm', ['store', 'path'], { cwd: repoRoot }).toString('utf8').trim();
    for (const { keyword, args } of build.instructions) {
      if (keyword !== 'RUN') continue;
      const script = args
        .replace(/--mount=\S+\s+/g, '')
        .replaceAll('--store-dir /pnpm/store', `--store-dir ${store} --offline`)
        // Absolute paths only (not ${PACKAGE_DIR}/src/main.ts): at the start of a word, a quote or `${dir#`.
        .replace(/(?<=^|[\s"'#])\/src\//g, `${src}/`)
        .replace(/(?<=^|[\s"'#])\/out\b/g, out);
      const result = spawnSync('sh', ['-c', script], {
        cwd: src,
        env: { ...process.env, CI: 'true', PACKAGE_DIR },
        encoding: 'utf8',
      });
      expect({ script, status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({
        script,
        status: 0,
        stderr: '',
      });
    }
    // Only the package and the workspace packages it needs in production: no test harness, infra scripts or CLI.
    expect(fs.readdirSync(path.join(out, 'packages'))).toEqual(expect.arrayContaining(['avro', 'kafka']));
    expect(fs.readdirSync(path.join(out, 'packages'))).not.toContain('testing');
    expect(fs.readdirSync(out).sort()).toEqual(
      [
        'node_modules',
        'package.json',
        'packages',
        'pnpm-workspace.yaml',
        'schemas',
        'services',
        'tsconfig.base.json',
        'tsconfig.json',
      ].sort(),
    );
    expect(fs.readdirSync(path.join(out, 'services'))).toEqual(['command']);

    const workdir = path.join(out, PACKAGE_DIR);
    service = await spawnService(path.join(workdir, 'src', 'main.ts'), {
      ...testKeyEnvironment(),
      NODE_ENV: 'production',
      TOPIC_PREFIX: `${randomName('image')}.`,
      LOG_LEVEL: 'warn',
    });
    expect(healthcheck(workdir, service.port)).toBe(0);
    await service.kill();
    expect(healthcheck(workdir, service.port)).toBe(1);
  });
});
