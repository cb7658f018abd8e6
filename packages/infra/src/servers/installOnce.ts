import fs from 'node:fs';
import path from 'node:path';

/**
 * Fills `target` once: `fill` writes into a scratch folder that is renamed into place only when it finished, so an
 * interrupted download never leaves a half-filled cache behind. A `.complete` marker tells later runs to skip.
 */
export function installOnce(target: string, fill: (scratch: string) => Promise<void>): Promise<boolean> {
  // Two shards share one binary: concurrent installs of the same target in this process wait for the first.
  let pending = inFlight.get(target);
  if (!pending) {
    pending = fillOnce(target, fill).finally(() => inFlight.delete(target));
    inFlight.set(target, pending);
  }
  return pending;
}

const inFlight = new Map<string, Promise<boolean>>();

async function fillOnce(target: string, fill: (scratch: string) => Promise<void>): Promise<boolean> {
  if (fs.existsSync(path.join(target, '.complete'))) return false;
  const scratch = `${target}.partial-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  try {
    await fill(scratch);
    fs.writeFileSync(path.join(scratch, '.complete'), new Date().toISOString());
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(scratch, target);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return true;
}
