import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { App } from '../../src/app';
import { Branch } from '../../knowledge/schemas';
import { fixedClock } from '../../src/domain/calendar/clock';
import { startTestApp, TEST_BRANCHES, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

/**
 * The chat page and the printable checklist against WCAG 2.1 AA in a real browser: axe-core (the
 * standard rules engine) on the page WITH a conversation in it (welcome, a procedure card with its
 * buttons, a documents-check question, the branch buttons, the result), failing on any serious or
 * critical violation; and the keyboard: Tab reaches the send box, then the suggested actions in
 * order, and Enter activates one.
 *
 * axe is injected with page.addScriptTag({content}), an inline script that the page's own policy
 * (script-src 'self', no inline script) rightly blocks. So the context of this test only is opened
 * with playwright's `bypassCSP: true`; the policy itself is tested in webchat-security.e2e.test.ts.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const run = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM)) console.warn(`e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Real Hanoi branch names (they share their first 40 characters), on the test branches' hours.
const BRANCHES = [
  { ...TEST_BRANCHES[0], district: 'Tây Hồ', name: 'Chi nhánh số 1 – Trung tâm Phục vụ hành chính công thành phố Hà Nội (Chi nhánh Tây Hồ)' },
  { ...TEST_BRANCHES[1], district: 'Cầu Giấy', name: 'Chi nhánh số 2 – Trung tâm Phục vụ hành chính công thành phố Hà Nội (Chi nhánh Cầu Giấy)' },
].map((b) => Branch.parse(b));

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

// Functions given to page.evaluate run in the browser: they reach `window` as globalThis, so that
// this file type-checks without the DOM library (the project compiles for Node).

/**
 * Violations on the page as it is now, one line each: every serious or critical one (WCAG 2.1 A/AA
 * and axe's best practices), and any at all of the page-structure rules our own markup answers for.
 */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in (globalThis as any)))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = (await page.evaluate(
    async (tags) => (await (globalThis as any).axe.run((globalThis as any).document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })).violations,
    [...WCAG_21_AA, 'best-practice'],
  )) as AxeViolation[];
  const PAGE_STRUCTURE = ['html-has-lang', 'page-has-heading-one', 'landmark-one-main', 'region', 'document-title', 'meta-viewport'];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || PAGE_STRUCTURE.includes(v.id))
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')} (${v.nodes[0]?.failureSummary?.replace(/\s+/g, ' ')})`);
}

run('web chat page accessibility (WCAG 2.1 AA, axe-core, keyboard)', () => {
  const data = tempDir();
  const knowledge = tempDir();
  let app: App;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const notFound: string[] = [];

  beforeAll(async () => {
    writeTestKnowledge(knowledge.path, { branches: BRANCHES });
    app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path }, undefined, fixedClock('2026-11-23T00:00:00Z'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // A phone 390 px wide, as the conversation audit used; the policy bypassed for axe only (see above).
    context = await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    page = await context.newPage();
    page.on('response', (response) => {
      if (response.status() === 404) notFound.push(response.url());
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    data.remove();
    knowledge.remove();
  });

  const sendBox = () => page.locator('[data-id="webchat-sendbox-input"]');
  const actions = () => page.locator('.webchat__suggested-action');
  const bubbles = () => page.locator('.webchat__bubble');
  const send = async (text: string) => {
    await sendBox().fill(text);
    await sendBox().press('Enter');
  };
  const click = (label: string) => actions().filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) }).last().click();
  const open = async () => {
    await page.goto(app.url + '/');
    await page.getByText('Xin chào! Tôi là trợ lý Một Cửa', { exact: false }).last().waitFor({ timeout: 20_000 });
    await actions().first().waitFor({ timeout: 10_000 });
  };
  /** What has keyboard focus: its tag and text, and whether it is a suggested action. */
  const focused = () =>
    page.evaluate(() => {
      const e = (globalThis as any).document.activeElement;
      return { tag: String(e?.tagName ?? ''), text: String(e?.innerText ?? '').trim(), isAction: !!e?.classList?.contains('webchat__suggested-action') };
    });
  /** Each suggested action's height and whether its title is cut (text wider than its box). */
  const actionBoxes = () =>
    actions().evaluateAll((buttons) =>
      buttons.map((b: any) => {
        const text = b.querySelector('.webchat__suggested-action__text') ?? b;
        return { title: String(b.innerText).trim(), height: b.getBoundingClientRect().height, cut: text.scrollWidth > text.clientWidth + 1 || b.scrollWidth > b.clientWidth + 1 };
      }),
    );

  it('the page with a welcome, a procedure card, a documents question, branch buttons and the printable checklist has no serious or critical violation', async () => {
    await open();
    expect(await axeViolations(page)).toEqual([]);
    // The names a screen reader gives, in the assistant's register.
    await expect(page.getByRole('heading', { level: 1, name: 'Trợ lý Một Cửa' }).count()).resolves.toBe(1);
    await expect(page.getByRole('main').count()).resolves.toBe(1);
    await expect(page.getByRole('textbox', { name: 'Câu hỏi gửi trợ lý' }).count()).resolves.toBe(1);
    expect(await sendBox().getAttribute('placeholder')).toBe('Ông/bà gõ câu hỏi tại đây');
    await expect(page.getByRole('button', { name: 'Gửi câu hỏi' }).count()).resolves.toBe(1);

    await send('lam giay khai sinh cho con');
    // A new message is read out: Web Chat's live region carries it for a few seconds, the bot named
    // as the assistant (waited for as it comes, since the region lets old messages go).
    await page.locator('[aria-live]').filter({ hasText: 'Trợ lý Một Cửa nói:' }).filter({ hasText: 'mã 1.001193' }).first().waitFor({ state: 'attached', timeout: 15_000 });
    await page.getByText('mã 1.001193', { exact: false }).last().waitFor({ timeout: 15_000 });
    await actions().filter({ hasText: 'Kiểm tra giấy tờ' }).last().waitFor({ timeout: 10_000 });
    expect(await axeViolations(page)).toEqual([]);

    await click('Kiểm tra giấy tờ');
    await page.getByText('(1/', { exact: false }).last().waitFor({ timeout: 15_000 });
    await actions().filter({ hasText: 'Không rõ' }).last().waitFor({ timeout: 10_000 });
    expect(await axeViolations(page)).toEqual([]);
    for (const box of await actionBoxes()) expect(box).toEqual({ title: box.title, height: expect.any(Number), cut: false });
    for (const box of await actionBoxes()) expect(box.height).toBeGreaterThanOrEqual(44);

    // Through to the result: one document unsure, none missing.
    for (let answered = 0; answered < 30; answered++) {
      if ((await page.getByText('Kết quả kiểm tra giấy tờ', { exact: false }).count()) > 0) break;
      const options = await actions().allInnerTexts();
      const before = await bubbles().count();
      await click(options.some((o) => o.includes('Không thuộc')) ? 'Không thuộc trường hợp này' : answered === 0 ? 'Không rõ' : 'Có');
      await bubbles().nth(before + 1).waitFor({ state: 'attached', timeout: 15_000 });
    }
    const link = page.locator('.webchat__bubble a[href*="/checklists/"]').last();
    await link.waitFor({ timeout: 15_000 });
    expect(await axeViolations(page)).toEqual([]);

    // Branch buttons at phone width: what tells them apart comes first, and nothing is cut.
    await click('Đặt lịch');
    await actions().filter({ hasText: 'Số 2 · Cầu Giấy' }).last().waitFor({ timeout: 15_000 });
    const branchTitles = (await actionBoxes()).map((b) => b.title);
    expect(branchTitles).toEqual(expect.arrayContaining(['Số 1 · Tây Hồ', 'Số 2 · Cầu Giấy']));
    for (const box of await actionBoxes()) expect(box.cut).toBe(false);
    expect(await axeViolations(page)).toEqual([]);

    // The printable checklist: passes axe too, and does not say "complete" over a row to ask about.
    const href = (await link.getAttribute('href'))!;
    await page.goto(new URL(href, app.url).toString());
    expect(await axeViolations(page)).toEqual([]);
    const summary = await page.locator('main').innerText();
    expect(summary).not.toMatch(/Đã đủ giấy tờ/);
    expect(summary).toMatch(/cần hỏi lại/);
    expect(notFound).toEqual([]);
  }, 180_000);

  it('keyboard: Tab reaches the suggested actions, then the send box, in order; arrows move along the actions; Enter activates one', async () => {
    await open();
    const labels = (await actions().allInnerTexts()).map((t) => t.trim());
    // The page puts the cursor in the send box; from the top of the page Tab goes through the
    // transcript, then the suggested actions (one stop), then the send box.
    expect((await focused()).tag).toBe('TEXTAREA');
    const order: Awaited<ReturnType<typeof focused>>[] = [];
    await page.evaluate(() => {
      const d = (globalThis as any).document;
      d.activeElement?.blur();
      d.body.tabIndex = -1;
      d.body.focus();
    });
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused());
    }
    const firstAction = order.findIndex((f) => f.isAction);
    const sendBoxAt = order.findIndex((f) => f.tag === 'TEXTAREA');
    expect(firstAction).toBeGreaterThanOrEqual(0);
    expect(order[firstAction].text).toBe(labels[0]);
    expect(sendBoxAt).toBe(firstAction + 1);

    // A message longer than the server takes stops at its limit in the box (it used to be sent and
    // fail with only "Đã không gửi được. Thử lại.").
    await sendBox().fill('a'.repeat(2500));
    expect((await sendBox().inputValue()).length).toBe(2000);
    await sendBox().fill('');

    // Back from the send box to the actions, along them in order with the arrow keys.
    await sendBox().focus();
    await page.keyboard.press('Shift+Tab');
    const along = [(await focused()).text];
    for (let i = 1; i < labels.length; i++) {
      await page.keyboard.press('ArrowRight');
      along.push((await focused()).text);
    }
    expect(along).toEqual(labels);
    // The focused action shows it: a visible ring (ours or Web Chat's own indicator).
    const ring = await page.evaluate(() => {
      const w = (globalThis as any);
      const e = w.document.activeElement;
      const own = w.getComputedStyle(e);
      const indicator = e.querySelector('.webchat__suggested-action__keyboard-focus-indicator');
      const ind = indicator ? w.getComputedStyle(indicator) : null;
      return (own.outlineStyle !== 'none' && parseFloat(own.outlineWidth) >= 2) || (!!ind && ind.borderStyle !== 'none' && parseFloat(ind.borderWidth) >= 1 && ind.display !== 'none');
    });
    expect(ring).toBe(true);

    // Enter on "Kiểm tra giấy tờ" sends it, as a tap would.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect((await focused()).text).toBe(labels[1]);
    const before = await page.locator('.webchat__bubble--from-user').count();
    await page.keyboard.press('Enter');
    await page.locator('.webchat__bubble--from-user').nth(before).waitFor({ timeout: 10_000 });
    expect((await page.locator('.webchat__bubble--from-user').last().innerText()).trim()).toBe(labels[1]);
  }, 60_000);
});
