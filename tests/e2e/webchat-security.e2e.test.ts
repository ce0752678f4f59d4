import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

/**
 * The chat page under its Content-Security-Policy in a real browser (security audit 4.2, 4.4): Web
 * Chat runs without a single violation, a remote image is not fetched, and the page uses the user id
 * the server issues with the token.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const run = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM)) console.warn(`e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

run('web chat page under its security policy', () => {
  const data = tempDir();
  const knowledge = tempDir();
  let app: App;
  let browser: Browser;
  let page: Page;
  // Another origin standing for any remote address a markdown image could point at.
  let pixel: { server: Server; url: string; hits: string[] };
  const violations: string[] = [];
  const postedFrom: string[] = [];
  const issued: string[] = [];

  beforeAll(async () => {
    writeTestKnowledge(knowledge.path);
    app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path }, undefined, fixedClock('2026-11-23T00:00:00Z'));
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'image/gif' });
      res.end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    pixel = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 412, height: 860 }, locale: 'vi-VN' });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    page.on('request', (request) => {
      if (request.method() === 'POST' && /\/activities$/.test(request.url())) postedFrom.push(JSON.parse(request.postData() ?? '{}').from?.id);
    });
    // The identity work adds `userId` to the token response; until then this stands in for it.
    await page.route('**/v3/directline/tokens/generate', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      issued.push(body.userId ?? 'dl-issued-user-1');
      await route.fulfill({ response, json: { ...body, userId: issued.at(-1) } });
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    pixel?.server.close();
    data.remove();
    knowledge.remove();
  });

  it('runs Web Chat with no policy violation and posts as the server-issued user', async () => {
    await page.goto(app.url + '/');
    await page.getByText('Xin chào! Tôi là trợ lý Một Cửa', { exact: false }).last().waitFor({ timeout: 20_000 });
    const box = page.locator('[data-id="webchat-sendbox-input"]');
    await box.fill('doi GPLX');
    await box.press('Enter');
    await page.getByText('mã 3.000347', { exact: false }).last().waitFor({ timeout: 15_000 });
    expect(violations).toEqual([]);
    expect(postedFrom.length).toBeGreaterThan(0);
    expect(issued.length).toBe(1);
    expect(new Set(postedFrom)).toEqual(new Set(issued));
    // Web Chat's styles were applied (they carry the page's nonce): the send box is laid out, not raw.
    expect(await box.isVisible()).toBe(true);
  }, 60_000);

  it('does not fetch an image from another address, as a markdown image in a message would', async () => {
    const target = `${pixel.url}/pixel-from-name.png`;
    await page.evaluate((src) => {
      const doc = (globalThis as unknown as { document: { createElement(t: string): { src: string }; body: { appendChild(e: unknown): void } } }).document;
      const img = doc.createElement('img');
      img.src = src;
      doc.body.appendChild(img);
    }, target);
    await page.waitForTimeout(1000);
    expect(pixel.hits).toEqual([]);
    expect(violations.some((v) => v.includes('img-src'))).toBe(true);
  }, 30_000);
});
