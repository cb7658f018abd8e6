import fs from 'node:fs';
import path from 'node:path';
import { randomName } from '../names';
import { launchChromium, screenshotDir } from './chromium';

/** How long a live event may take from the API's answer to the operator's screen (issue 22). */
const LIVE_WITHIN_MS = 2000;

/**
 * The operator console's walk-through in headless Chromium, one spec body for every mode (embedded, stack): enter
 * the key, follow everybody, open a user registered through the API (in the everybody pane within 2 s), see two
 * renames arrive in the live pane within 2 s each, slide time travel back to version 1 and read the first name, pick
 * a time between the registration and the renames and read it again, forget the user as admin and find no name
 * left on the screen, open the topics page (the AsyncAPI document, public topic first); no asset or script refused on the way. A screenshot of each step goes to `test-results/<name>/`.
 */
export async function consoleWalkthrough(gatewayUrl: string, adminKey: string, name: string): Promise<void> {
  const dir = screenshotDir(name);
  fs.mkdirSync(dir, { recursive: true });
  const call = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${gatewayUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const browser = await launchChromium();
  try {
    // UTC, so that the time typed into the as-of picker means the same in the browser as here.
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, timezoneId: 'UTC' });
    const screenshot = (step: string) =>
      page.screenshot({ path: path.join(dir, `${step}.png`), fullPage: true });
    // A blocked script or style (the Content-Security-Policy), a script error or a failed request shows here.
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (answer) => {
      if (answer.status() >= 400) problems.push(`${answer.status()} ${new URL(answer.url()).pathname}`);
    });

    const response = await page.goto(`${gatewayUrl}/console/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.fill('#key', adminKey);
    await page.click('#use-key');
    await page.waitForSelector('#key-state:has-text("key set for this tab")');
    expect(page.url()).not.toContain(adminKey);
    await screenshot('1-key-entered');
    await page.click('#follow-all');
    await page.waitForSelector('#all-state:has-text("Following live")');

    const first = `Ada ${randomName('n').slice(-8)}`;
    const sentRegistration = Date.now();
    const registered = await call('POST', '/v1/users', { name: first, email: 'ada@example.com' });
    expect(registered.status).toBe(201);
    const id = String(registered.body.id);
    // The everybody pane shows it too, by id only.
    await page.waitForSelector(`#all-events li[data-user-id="${id}"][data-version="1"]`, {
      timeout: LIVE_WITHIN_MS,
    });
    expect(Date.now() - sentRegistration).toBeLessThan(LIVE_WITHIN_MS);
    // A whole second after the registration and before the renames, for the as-of picker (second precision).
    const betweenFirstAndRenames = Math.ceil(Date.now() / 1000) * 1000;
    while (Date.now() <= betweenFirstAndRenames + 50) await new Promise((r) => setTimeout(r, 50));
    await page.fill('#search-name', first);
    await page.click('#search-form button[type=submit]');
    await page.click(`#search-results button[data-user-id="${id}"]`);
    await page.waitForSelector('#live-events li[data-version="1"]', { timeout: LIVE_WITHIN_MS });
    await screenshot('2-user-opened');

    for (const [version, renamed] of [
      [2, 'Ada Lovelace'],
      [3, 'Ada King'],
    ] as const) {
      const sent = Date.now();
      expect((await call('PUT', `/v1/users/${id}/name`, { name: renamed })).status).toBe(200);
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
    // The same by time: as of that second, between the registration and the first rename.
    await page.locator('#version-slider').fill('3');
    await page.waitForSelector('#travel-state dd:has-text("Ada King")');
    await page.fill('#as-of', new Date(betweenFirstAndRenames).toISOString().slice(0, 19));
    await page.click('#as-of-go');
    await page.waitForSelector(`#travel-state dd:has-text("${first}")`);
    expect(await page.textContent('#version-label')).toContain('1 of 3 (as of');
    await screenshot('4b-time-travel-as-of');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#forget');
    await page.waitForSelector('#user-state dd:has-text("[erased]")');
    await page.waitForSelector('#live-events li[data-version="4"]');
    await page.waitForSelector(`#all-events li[data-user-id="${id}"][data-version="4"]`);
    // Nothing on the screen still shows a name the user had: not the state, the trail, the live panes, the search.
    await page.waitForSelector('#live-events li:has-text("registered as [erased]")');
    const screen = (await page.textContent('body')) ?? '';
    for (const shown of [first, 'Ada Lovelace', 'Ada King', 'ada@example.com'])
      expect(screen).not.toContain(shown);
    await screenshot('5-forgotten');

    // The topics page: the AsyncAPI document the gateway serves, read; the public contract first.
    await page.click('header a[href="topics.html"]');
    await page.waitForSelector('article.topic[data-topic="users.integration.v1"] h3:has-text("public")');
    expect(await page.getAttribute('article.topic', 'data-topic')).toBe('users.integration.v1');
    await page.waitForSelector('article.topic[data-topic="users.events"] li:has-text("UserRegistered")');
    await screenshot('6-topics');
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
}
