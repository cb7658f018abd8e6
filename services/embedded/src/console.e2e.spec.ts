import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { randomName, type ServiceProcess } from '@eventfold/testing';
import { launchChromium, SCREENSHOT_DIR } from './testing/browser';
import { startEmbeddedProcess, temporaryRoot } from './testing/embeddedProcess';

// The operator console (issue 22) in a real browser: headless Chromium against the embedded mode as `pnpm start`
// runs it. An operator enters a key, opens a user registered through the API, watches renames arrive live,
// travels back to version 1, and forgets the user. A screenshot of each step goes to test-results/console/.

/** How long a live event may take from the API's answer to the operator's screen. */
const LIVE_WITHIN_MS = 2000;

describe('the operator console in Chromium (embedded mode)', () => {
  const root = temporaryRoot();
  const key = randomName('console-key');
  let system: ServiceProcess;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const call = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${system.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const screenshot = (step: string) =>
    page.screenshot({ path: path.join(SCREENSHOT_DIR, `${step}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    browser = await launchChromium();
    system = await startEmbeddedProcess(root, { env: { API_KEYS: `${key}=users:read+users:write+admin` } });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // A blocked script or style (the Content-Security-Policy) or a script error shows here.
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (answer) => {
      if (answer.status() >= 400) problems.push(`${answer.status()} ${new URL(answer.url()).pathname}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await system?.kill();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('follows a user live, travels back in time, and forgets the user', async () => {
    const response = await page.goto(`${system.url}/console/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.fill('#key', key);
    await page.click('#use-key');
    await page.waitForSelector('#key-state:has-text("key set for this tab")');
    expect(page.url()).not.toContain(key);
    await screenshot('1-key-entered');

    const first = `Ada ${randomName('n').slice(-8)}`;
    const registered = await call('POST', '/v1/users', { name: first, email: 'ada@example.com' });
    expect(registered.status).toBe(201);
    const id = String(registered.body.id);
    await page.fill('#search-name', first);
    await page.click('#search-form button[type=submit]');
    await page.click(`#search-results button[data-user-id="${id}"]`);
    await page.waitForSelector('#live-events li[data-version="1"]', { timeout: LIVE_WITHIN_MS });
    await screenshot('2-user-opened');

    for (const [version, name] of [
      [2, 'Ada Lovelace'],
      [3, 'Ada King'],
    ] as const) {
      const sent = Date.now();
      expect((await call('PUT', `/v1/users/${id}/name`, { name })).status).toBe(200);
      await page.waitForSelector(`#live-events li[data-version="${version}"]`, { timeout: LIVE_WITHIN_MS });
      expect(Date.now() - sent).toBeLessThan(LIVE_WITHIN_MS);
    }
    await page.waitForSelector('#user-state dd:has-text("Ada King")');
    await page.waitForSelector('#timeline li:has-text("renamed from Ada Lovelace to Ada King")');
    await screenshot('3-renamed-twice');

    await page.locator('#version-slider').fill('2');
    await page.waitForSelector(`#travel-changes li:has-text("name: ${first} → Ada Lovelace")`);
    await page.locator('#version-slider').fill('1');
    await page.waitForSelector(`#travel-state dd:has-text("${first}")`);
    expect(await page.textContent('#version-label')).toContain('1 of 3');
    await screenshot('4-time-travel-version-1');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#forget');
    await page.waitForSelector('#user-state dd:has-text("[erased]")');
    await page.waitForSelector('#live-events li[data-version="4"]');
    // Nothing on the screen still shows a name the user had: not the state, the trail, the live pane, the search.
    await page.waitForSelector('#live-events li:has-text("registered as [erased]")');
    const screen = (await page.textContent('body')) ?? '';
    for (const name of [first, 'Ada Lovelace', 'Ada King', 'ada@example.com'])
      expect(screen).not.toContain(name);
    await screenshot('5-forgotten');
    // Nothing blocked, nothing failed: every asset is there, and the CSP lets the console's own files run.
    expect(problems).toEqual([]);
  });
});
