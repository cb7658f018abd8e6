// docker/service.Dockerfile read as a build would run it: there is no Docker engine here to build the images.
import fs from 'node:fs';
import path from 'node:path';
import { argDefault, readInstructions, stageEnvironment, stagesOf } from './docker/dockerfile';
import { repoRoot, services } from './services/serviceCatalog';

const instructions = readInstructions(path.join(repoRoot, 'docker', 'service.Dockerfile'));
const stages = stagesOf(instructions);
const runtime = stages.at(-1)!;
const runtimeArgs = (keyword: string) =>
  runtime.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const packageJson = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8')) as {
    packageManager?: string;
    dependencies?: Record<string, string>;
  };
/** What gets an image: every service, and the CLI for the Job templates. */
const imageDirs = [...services().map((s) => s.dir), 'cli'];

describe('docker/service.Dockerfile', () => {
  it('installs with the pnpm version the repository pins, from the lockfile, production dependencies only', () => {
    expect(argDefault(instructions, 'PNPM_VERSION')).toBe(packageJson('.').packageManager!.split('@')[1]);
    const install = stages.flatMap((s) => s.instructions).find((i) => i.args.includes('pnpm install'))!;
    expect(install.args).toEqual(expect.stringContaining('--frozen-lockfile'));
    expect(install.args).toEqual(expect.stringContaining('--prod'));
  });

  it('runs as the unprivileged node user, from a final stage that copies only the pruned install', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runtimeArgs('USER')).toEqual(['node']);
    expect(runtimeArgs('RUN')).toEqual([]);
    expect(runtimeArgs('COPY')).toEqual(['--from=build /out /app']);
    // Listening on 127.0.0.1 (the services' default) would be unreachable from outside the container.
    expect(stageEnvironment(runtime).HOST).toBe('0.0.0.0');
  });

  it("checks health with Node's own fetch (slim images have no curl) against /readyz", () => {
    const [healthcheck] = runtimeArgs('HEALTHCHECK');
    expect(healthcheck).toMatch(
      /CMD \["node", "-e", ".*fetch\('http:\/\/127\.0\.0\.1:' \+ port \+ '\/readyz'/,
    );
    expect(healthcheck).not.toMatch(/curl|wget/);
    expect(runtimeArgs('ENTRYPOINT')).toEqual([
      '["node", "--enable-source-maps", "--import", "tsx", "src/main.ts"]',
    ]);
  });

  it.each(imageDirs)(
    '%s: has the src/main.ts the image starts, and tsx among its production dependencies',
    (dir) => {
      expect(fs.existsSync(path.join(repoRoot, dir, 'src', 'main.ts'))).toBe(true);
      expect(packageJson(dir).dependencies?.tsx).toBeDefined();
    },
  );

  it('leaves local state, dependencies and git history out of the build context', () => {
    const ignored = fs.readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '.git', '.eventfold']));
  });
});
