import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`), or the one `CHROMIUM_PATH` names: nothing is downloaded at run
 * time. A machine without it fails the browser tests with this message rather than skipping them.
 */
export function chromiumExecutable(): string {
  const named = process.env.CHROMIUM_PATH;
  if (named) {
    if (!fs.existsSync(named)) throw new Error(`CHROMIUM_PATH=${named} does not exist`);
    return named;
  }
  const found = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'chromium'))
    .find((file) => fs.existsSync(file));
  if (found) return found;
  throw new Error(
    "Chromium is not installed: the browser tests drive Debian's chromium (`apt-get install chromium`), " +
      'or set CHROMIUM_PATH to a Chromium executable',
  );
}

/** Headless Chromium through playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumExecutable(),
    headless: true,
    // Containers often run as root and without a large /dev/shm.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/** Where a browser test keeps its screenshots: `test-results/<name>/` at the repository's root. */
export const screenshotDir = (name: string): string =>
  path.resolve(__dirname, '..', '..', '..', '..', 'test-results', name);
