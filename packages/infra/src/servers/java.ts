import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function featureVersion(javaHome: string): number | null {
  try {
    const release = fs.readFileSync(path.join(javaHome, 'release'), 'utf8');
    const match = /^JAVA_VERSION="(\d+)/m.exec(release);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

function pathJavaVersion(): number | null {
  const result = spawnSync('java', ['-XshowSettings:properties', '-version'], { encoding: 'utf8' });
  const match = /java\.specification\.version = (\d+)/.exec(result.stderr ?? '');
  return match ? Number(match[1]) : null;
}

/**
 * A `java` executable of at least `minimum`: EVENTFOLD_JAVA_<minimum>_HOME or JAVA_HOME if new enough, else the
 * newest JDK under /usr/lib/jvm that is, else `java` on the PATH if it is. Apicurio 3.3 needs Java 21, while the
 * machine's default Java may be 17 (which Kafka is happy with).
 */
export function javaAtLeast(minimum: number, env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [env[`EVENTFOLD_JAVA_${minimum}_HOME`], env.JAVA_HOME].filter((h): h is string =>
    Boolean(h),
  );
  const jvmDir = '/usr/lib/jvm';
  if (fs.existsSync(jvmDir)) {
    const homes = fs.readdirSync(jvmDir).map((name) => path.join(jvmDir, name));
    homes.sort((a, b) => (featureVersion(b) ?? 0) - (featureVersion(a) ?? 0));
    candidates.push(...homes);
  }
  for (const home of candidates) {
    const version = featureVersion(home);
    const java = path.join(home, 'bin', 'java');
    if (version !== null && version >= minimum && fs.existsSync(java)) return java;
  }
  if ((pathJavaVersion() ?? 0) >= minimum) return 'java';
  throw new Error(`needs Java ${minimum} or newer: set EVENTFOLD_JAVA_${minimum}_HOME to a JDK ${minimum}+`);
}
