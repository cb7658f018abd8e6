import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { infraPaths, output, pythonVenv } from '@eventfold/infra';

/** kubernetes-validate from PyPI: the Kubernetes OpenAPI schemas (1.25 to 1.37) as JSON schemas, strict variants. */
export const KUBERNETES_VALIDATE_VERSION = '1.37.0';

function python(cacheDir: string): Promise<string> {
  return pythonVenv(path.join(cacheDir, `kubernetes-validate-${KUBERNETES_VALIDATE_VERSION}`), [
    `kubernetes-validate==${KUBERNETES_VALIDATE_VERSION}`,
  ]);
}

/**
 * Validates every document of `manifests` against the strict schemas (unknown fields rejected) of each Kubernetes
 * version given, and returns the problems: one line each, empty when all pass. A kind without a schema is a
 * problem too (kubernetes-validate only warns about it).
 */
export async function validateManifests(
  manifests: string,
  kubernetesVersions: readonly string[],
  cacheDir = infraPaths().cacheDir,
): Promise<string[]> {
  const interpreter = await python(cacheDir);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-k8s-'));
  const file = path.join(dir, 'manifests.yaml');
  fs.writeFileSync(file, manifests);
  try {
    const args = ['-m', 'kubernetes_validate', '--strict', '--quiet'];
    for (const version of kubernetesVersions) args.push('-k', version);
    const printed = await output(interpreter, [...args, file]).catch((error: Error) => error.message);
    return printed
      .split('\n')
      .map((line) => line.replace(`${file} `, '').trim())
      .filter(Boolean);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
