import path from 'node:path';
import { infraPaths, installOnce, output, run } from '@eventfold/infra';

/** Built with Go from its module on the Go module proxy, into the eventfold cache, once per machine. */
export const KUSTOMIZE_VERSION = 'v5.8.1';

export async function kustomizeBinary(cacheDir = infraPaths().cacheDir): Promise<string> {
  const dir = path.join(cacheDir, `kustomize-${KUSTOMIZE_VERSION}`);
  await installOnce(dir, (scratch) =>
    run('go', ['install', `sigs.k8s.io/kustomize/kustomize/v5@${KUSTOMIZE_VERSION}`], {
      // A machine's own Go (no toolchain download); a static binary.
      env: { GOBIN: scratch, GOTOOLCHAIN: 'local', CGO_ENABLED: '0' },
    }),
  );
  return path.join(dir, 'kustomize');
}

/** `kustomize build <dir>`: the manifests as one multi-document YAML text. */
export async function kustomizeBuild(dir: string): Promise<string> {
  return output(await kustomizeBinary(), ['build', dir]);
}
