import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { createOfficerToken } from '../../src/services/officer-auth';
import { startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

/**
 * Headers of a public web service (security audit 4.4): a Content-Security-Policy on the two pages,
 * no sniffing and no Referer everywhere, and no-store on whatever carries personal data.
 */
const data = tempDir();
const knowledge = tempDir();
let app: App;
let officer: string;

beforeAll(async () => {
  writeTestKnowledge(knowledge.path);
  app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path, requestsPerMinute: 1_000_000 }, undefined, fixedClock('2026-12-01T20:17:00Z'));
  officer = (await createOfficerToken(app.store, 'Thử', 'officer', new Date())).secret;
});
afterAll(async () => {
  await app.stop();
  data.remove();
  knowledge.remove();
});

/** The policy as a map of directive → sources. */
function policy(header: string | null): Map<string, string[]> {
  expect(header).toEqual(expect.any(String));
  return new Map(
    header!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

function expectPagePolicy(res: Response, html: string) {
  const csp = policy(res.headers.get('content-security-policy'));
  expect(csp.get('default-src')).toEqual(["'none'"]);
  expect(csp.get('script-src')).toEqual(["'self'"]);
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  expect(csp.get('object-src')).toEqual(["'none'"]);
  expect(csp.get('base-uri')).toEqual(["'none'"]);
  // No image from any address (not even this server's own GET routes): only inline data.
  expect(csp.get('img-src')).toEqual(['data:', 'blob:']);
  expect(csp.get('connect-src')).toEqual(["'self'"]);
  // Inline styles only with this response's nonce, never 'unsafe-inline'.
  const nonce = /'nonce-([^']+)'/.exec(csp.get('style-src')!.join(' '))?.[1];
  expect(nonce).toEqual(expect.any(String));
  expect(csp.get('style-src')).not.toContain("'unsafe-inline'");
  for (const style of html.match(/<style[^>]*>/g) ?? []) expect(style).toContain(`nonce="${nonce}"`);
  // Nothing inline the policy would have to allow: every script is a file, no handler attribute.
  for (const tag of html.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/ src="\/webchat\/[a-z]+\.js"/);
  expect(html).not.toMatch(/<script[^>]*>[^<]+<\/script>/);
  expect(html).not.toMatch(/\son[a-z]+=/i);
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  return nonce!;
}

describe('the web chat page', () => {
  it('has a policy allowing only its own scripts, nonce styles and no remote images, and cannot be framed', async () => {
    const first = await fetch(app.url + '/');
    const nonce = expectPagePolicy(first, await first.text());
    const second = await fetch(app.url + '/');
    // A fresh nonce each time: a guessed one is worth nothing.
    expect(expectPagePolicy(second, await second.text())).not.toBe(nonce);
  });

  it('serves its script as a file that takes the server-issued user id and makes none up', async () => {
    const res = await fetch(app.url + '/webchat/app.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const source = await res.text();
    expect(source).toMatch(/props\.userID = body\.userId/);
    expect(source).not.toMatch(/Math\.random/);
    expect(source).toMatch(/nonce: nonce/);
    expect(() => new Function(source)).not.toThrow();
  });
});

describe('the printable checklist page', () => {
  it('has the same policy, no inline onclick, is never cached, and is dated by its Vietnam day', async () => {
    // Made at 03:17 on 2 December in Vietnam, which is still 1 December in UTC.
    await app.store.checklists.save({
      id: 'TestChecklist01',
      procedureCode: '1.001193',
      procedureName: 'Đăng ký khai sinh',
      caseName: null,
      items: [{ name: 'Tờ khai', answer: 'no', originals: 1, copies: 0, note: null }],
      forSomeoneElse: false,
      createdAt: '2026-12-01T20:17:00.000Z',
    });
    const res = await fetch(app.url + '/checklists/TestChecklist01');
    expect(res.status).toBe(200);
    const html = await res.text();
    expectPagePolicy(res, html);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(html).toContain('<button id="print" type="button">');
    expect(html).toContain('Lập ngày 02/12/2026');
    const script = await fetch(app.url + '/webchat/checklist.js');
    expect(await script.text()).toMatch(/getElementById\('print'\)\.addEventListener\('click'/);
  });
});

describe('every response', () => {
  // Every row has all four values: jest.each would take a missing one for a done callback.
  const PERSONAL: [string, string, unknown, boolean][] = [
    ['GET', '/api/dossiers/MAU-000000-0007?proof=0007', undefined, false],
    ['POST', '/api/dossiers/MAU-000000-0007/status', { proof: '0007' }, false],
    ['POST', '/api/bookings/ABCD2345/lookup', { phone: '0912345678' }, false],
    ['POST', '/api/bookings', {}, false],
    ['POST', '/api/waitlist', {}, false],
    ['GET', '/api/officer/bookings?branch=test-a&date=2026-12-02', undefined, true],
    ['GET', '/api/officer/dossiers/MAU-000000-0007', undefined, true],
    ['GET', '/api/officer/feedback', undefined, true],
    ['GET', '/api/officer/feedback', undefined, false],
    ['POST', '/v3/directline/tokens/generate', undefined, false],
    ['GET', '/checklists/NoSuchChecklist', undefined, false],
    ['GET', '/healthz', undefined, false],
  ];

  it.each(PERSONAL)('%s %s: no-store, nosniff, no Referer', async (method, path, body, asOfficer) => {
    const res = await fetch(app.url + path, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(asOfficer ? { authorization: `Bearer ${officer}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    await res.arrayBuffer();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('Direct Line activities are never cached', async () => {
    const generated = (await (await fetch(app.url + '/v3/directline/tokens/generate', { method: 'POST' })).json()) as { token: string; conversationId: string };
    const auth = { authorization: `Bearer ${generated.token}` };
    await fetch(app.url + '/v3/directline/conversations', { method: 'POST', headers: auth });
    const res = await fetch(`${app.url}/v3/directline/conversations/${generated.conversationId}/activities?watermark=0`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('the public catalogue may be cached; unknown routes and wrong methods still get nosniff', async () => {
    const search = await fetch(app.url + '/api/procedures/search?q=khai%20sinh');
    expect(search.status).toBe(200);
    expect(search.headers.get('cache-control')).toBeNull();
    expect(search.headers.get('x-content-type-options')).toBe('nosniff');
    for (const [method, path] of [
      ['GET', '/api/nothing-here'],
      ['POST', '/api/procedures/search'],
    ]) {
      const res = await fetch(app.url + path, { method });
      expect(res.status).toBeGreaterThanOrEqual(404);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});
