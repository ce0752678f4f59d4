import fc from 'fast-check';
import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { createOfficerToken } from '../../src/services/officer-auth';
import { startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

/**
 * Random and hostile input on every public endpoint: nothing crashes, every answer is JSON (a 4xx
 * error, or a normal answer), and nothing stored changes for a rejected request.
 */
const data = tempDir();
const knowledge = tempDir();
let app: App;
let officer: string;

beforeAll(async () => {
  writeTestKnowledge(knowledge.path);
  app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path, requestsPerMinute: 1_000_000, bookingsPerClientPerDay: 1_000_000 }, undefined, fixedClock('2026-11-23T00:00:00Z'));
  officer = (await createOfficerToken(app.store, 'Thử', 'officer', new Date())).secret;
});
afterAll(async () => {
  await app.stop();
  data.remove();
  knowledge.remove();
});

const strings = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.constantFrom('đăng ký khai sinh'.normalize('NFD'), '😀🙏🏽', '\u0000\u0007\u202e', 'a'.repeat(5000), '{"$gt": ""}', '../../etc/passwd', '<script>alert(1)</script>', 'NaN', '-1', '1e309'),
);
const json = fc.jsonValue({ maxDepth: 3 });

const POSTS = [
  '/api/bookings',
  '/api/bookings/ABCD2345/cancel',
  '/api/bookings/ABCD2345/reschedule',
  '/api/bookings/ABCD2345/lookup',
  '/api/waitlist',
  '/api/waitlist/00000000-0000-0000-0000-000000000000/claim',
  '/api/dossiers/HN-261123-0001/status',
  '/api/officer/dossiers',
  '/api/officer/dossiers/HN-261123-0001/late',
  '/api/zalo/webhook',
];

async function snapshot() {
  return {
    bookings: (await app.store.bookings.listForBranchDay('test-a', '2026-11-23')).length + (await app.store.bookings.listForBranchDay('test-b', '2026-11-23')).length,
    dossiers: (await app.store.dossiers.list({ limit: 1000 })).length,
    procedures: await app.store.procedures.count(),
  };
}

function expectJsonAnswer(status: number, text: string) {
  expect(status).toBeLessThan(500);
  expect(() => JSON.parse(text)).not.toThrow();
  if (status >= 400) expect(JSON.parse(text).error.code).toEqual(expect.any(String));
}

describe('hostile input', () => {
  it('random JSON bodies on every POST endpoint get a JSON 4xx and change nothing', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POSTS), json, fc.boolean(), async (path, body, asOfficer) => {
        const res = await fetch(app.url + path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(asOfficer ? { authorization: `Bearer ${officer}` } : {}) },
          body: JSON.stringify(body),
        });
        const text = await res.text();
        expectJsonAnswer(res.status, text);
        if (res.status < 300) throw new Error(`accepted ${path} ${JSON.stringify(body)}`);
      }),
      { numRuns: 300 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('wrong types in otherwise well-formed bookings are refused with the field named', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          procedureCode: fc.oneof(strings, fc.integer(), fc.constant(null)),
          branchId: fc.oneof(strings, fc.array(fc.string())),
          start: fc.oneof(strings, fc.integer(), fc.constant('2026-13-45T99:99:00+07:00')),
          name: fc.oneof(strings, fc.integer()),
          phone: fc.oneof(strings, fc.integer()),
        }),
        async (body) => {
          const res = await fetch(app.url + '/api/bookings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
          const text = await res.text();
          expectJsonAnswer(res.status, text);
          expect(res.status).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('malformed bytes, invalid UTF-8 and control characters never crash the server', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POSTS), fc.uint8Array({ maxLength: 2000 }), async (path, bytes) => {
        const res = await fetch(app.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes });
        expectJsonAnswer(res.status, await res.text());
      }),
      { numRuns: 150 },
    );
    expect((await fetch(app.url + '/healthz')).status).toBe(200);
  });

  it('any query string on search and slots gets results or a JSON 400, with NFD and emoji handled', async () => {
    await fc.assert(
      fc.asyncProperty(strings, strings, async (q, limit) => {
        for (const path of [`/api/procedures/search?q=${encodeURIComponent(q)}&limit=${encodeURIComponent(limit)}`, `/api/slots?branch=${encodeURIComponent(q)}&procedure=${encodeURIComponent(limit)}&date=${encodeURIComponent(q)}`]) {
          const res = await fetch(app.url + path);
          expectJsonAnswer(res.status, await res.text());
        }
      }),
      { numRuns: 200 },
    );
    const nfd = await fetch(app.url + '/api/procedures/search?q=' + encodeURIComponent('đăng ký khai sinh'.normalize('NFD')));
    expect(((await nfd.json()) as { results: { code: string }[] }).results[0].code).toBe('1.001193');
  });

  it('random messages to the bot over Direct Line always get a reply, never a crash', async () => {
    const generated = (await (await fetch(app.url + '/v3/directline/tokens/generate', { method: 'POST' })).json()) as { token: string; conversationId: string };
    const auth = { authorization: `Bearer ${generated.token}`, 'content-type': 'application/json' };
    await fetch(app.url + '/v3/directline/conversations', { method: 'POST', headers: auth });
    type Page = { activities: { from: { id: string }; text?: string }[]; watermark: string };
    let watermark = '0';
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }), async (text) => {
        const res = await fetch(`${app.url}/v3/directline/conversations/${generated.conversationId}/activities`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ type: 'message', from: { id: 'fuzz' }, text }),
        });
        expect(res.status).toBe(200);
        // The answer to this message is in the transcript by the time the POST returns.
        const page = (await (await fetch(`${app.url}/v3/directline/conversations/${generated.conversationId}/activities?watermark=${watermark}`, { headers: auth })).json()) as Page;
        watermark = page.watermark;
        const replies = page.activities.filter((a) => a.from.id !== 'fuzz');
        expect(replies.length).toBeGreaterThanOrEqual(1);
        expect(replies.some((a) => /gián đoạn/.test(a.text ?? ''))).toBe(false);
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
