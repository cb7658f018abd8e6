import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnService, type ServiceProcess } from '@eventfold/testing';

const main = path.resolve(__dirname, '..', 'main.ts');

/** A temporary folder that plays the clone's root: `data/` inside it is the data folder. */
export function temporaryRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-embedded-'));
}

/**
 * `pnpm start` as a child process (the embedded mode's main.ts), its data under `<root>/data`, on a free port; by
 * default once it is ready. `env` adds to (or overrides) its environment: API_KEYS, limits.
 */
export function startEmbeddedProcess(
  root: string,
  options: { waitReady?: boolean; env?: Record<string, string> } = {},
): Promise<ServiceProcess> {
  return spawnService(
    main,
    { EVENTFOLD_DATA_DIR: path.join(root, 'data'), API_KEYS: '', LOG_LEVEL: 'warn', ...options.env },
    options,
  );
}

/** The .eml files the file mailer wrote, by Message-ID. */
export function mailByMessageId(root: string): Map<string, number> {
  const dir = path.join(root, 'data', 'mail');
  const counts = new Map<string, number>();
  if (!fs.existsSync(dir)) return counts;
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.eml'))) {
    const id = /^message-id:\s*(\S+)/im.exec(fs.readFileSync(path.join(dir, name), 'utf8'))?.[1] ?? name;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
