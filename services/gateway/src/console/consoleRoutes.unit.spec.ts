import fs from 'node:fs';
import express from 'express';
import { listen, type Listening } from '@eventfold/http';
import { CONSOLE_DIR, consoleRoutes } from './consoleRoutes';

describe('consoleRoutes', () => {
  let server: Listening;
  beforeAll(async () => {
    const app = express();
    app.use(consoleRoutes());
    server = await listen(app, '127.0.0.1', 0);
  });
  afterAll(() => server.close());

  it('serves the console with a strict Content-Security-Policy and no inline script in its page', async () => {
    const response = await fetch(`${server.url}/console/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const page = await response.text();
    expect(page).toContain('<script type="module" src="console.js"></script>');
    expect(page).not.toMatch(/<script>|<script type="module">|\son[a-z]+=/);
  });

  it('serves the topics page (the AsyncAPI document, read) under the same policy', async () => {
    const response = await fetch(`${server.url}/console/topics.html`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = await response.text();
    expect(page).toContain('<script type="module" src="topics.js"></script>');
    expect(page).not.toMatch(/<script>|<script type="module">|\son[a-z]+=/);
  });

  it('redirects /console to /console/ and serves its modules as JavaScript', async () => {
    const redirect = await fetch(`${server.url}/console`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([301, '/console/']);
    const script = await fetch(`${server.url}/console/console.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
  });

  it('loads nothing from another origin', () => {
    for (const file of fs.readdirSync(CONSOLE_DIR)) {
      expect(fs.readFileSync(`${CONSOLE_DIR}/${file}`, 'utf8')).not.toMatch(
        /(src|href)="https?:|url\(https?:/,
      );
    }
  });
});
