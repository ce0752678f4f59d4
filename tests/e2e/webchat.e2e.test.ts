import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const run = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM)) console.warn(`e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

// The README's picture is refreshed only on request (UPDATE_SCREENSHOT=1 npx jest tests/e2e), so a
// test run never leaves the tracked docs/webchat.png modified; otherwise it goes to a temporary folder.
const UPDATE_SCREENSHOT = process.env.UPDATE_SCREENSHOT === '1';

run('web chat in a real browser', () => {
  const data = tempDir();
  const knowledge = tempDir();
  let app: App;
  let browser: Browser;
  let page: Page;
  let shots: ReturnType<typeof tempDir> | undefined;

  beforeAll(async () => {
    writeTestKnowledge(knowledge.path);
    app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path }, undefined, fixedClock('2026-11-23T00:00:00Z'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 412, height: 860 }, locale: 'vi-VN' });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    data.remove();
    knowledge.remove();
    shots?.remove();
  });

  const lastBotText = () => page.locator('.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content').last().innerText();
  const send = async (text: string) => {
    const box = page.locator('[data-id="webchat-sendbox-input"]');
    await box.fill(text);
    await box.press('Enter');
  };
  const click = (label: string) =>
    page.locator('.webchat__suggested-action').filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) }).last().click();

  it('finds a procedure typed without diacritics, checks the documents and shows what is missing', async () => {
    await page.goto(app.url + '/');
    await page.getByText('Xin chào! Tôi là trợ lý Một Cửa', { exact: false }).last().waitFor({ timeout: 20_000 });
    await send('lam giay khai sinh cho con');
    await page.getByText('mã 1.001193', { exact: false }).last().waitFor({ timeout: 15_000 });
    await click('Kiểm tra giấy tờ');
    await page.getByText('(1/', { exact: false }).last().waitFor({ timeout: 15_000 });
    let answered = 0;
    for (; answered < 30; answered++) {
      if ((await page.getByText('Kết quả kiểm tra giấy tờ', { exact: false }).count()) > 0) break;
      const options = await page.locator('.webchat__suggested-action').allInnerTexts();
      const before = await page.locator('.webchat__bubble').count();
      await click(options.some((o) => o.includes('Không thuộc')) ? 'Không thuộc trường hợp này' : answered === 0 ? 'Chưa có' : 'Có');
      // More than before + 1 bubbles, waited for without evaluating a string (the page's policy forbids it).
      await page.locator('.webchat__bubble').nth(before + 1).waitFor({ state: 'attached', timeout: 15_000 });
    }
    await page.getByText('Còn thiếu (1)', { exact: false }).last().waitFor({ timeout: 15_000 });
    expect(await lastBotText()).toMatch(/Còn thiếu \(1\)/);
    await page.waitForTimeout(800); // let the transcript scroll to the summary
    shots = UPDATE_SCREENSHOT ? undefined : tempDir('motcua-e2e-');
    const screenshot = shots ? join(shots.path, 'webchat.png') : join(__dirname, '..', '..', 'docs', 'webchat.png');
    await page.screenshot({ path: screenshot });
    expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe('PNG');
  }, 120_000);
});
