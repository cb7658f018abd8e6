import { execFileSync } from 'node:child_process';
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
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      "Chromium is not installed: the browser tests drive Debian's chromium (`apt-get install chromium`), " +
        'or set CHROMIUM_PATH to a Chromium executable',
    );
  }
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

/** Where the browser tests keep their screenshots: `test-results/console/` at the repository's root. */
export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'test-results', 'console');
