import { createHash } from 'node:crypto';
import { deflateSync, gzipSync } from 'node:zlib';
import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

/**
 * Bodies no client should be able to kill the server with (security audit 3.1, 3.2, 3.5, 5.9):
 * broken or unknown Content-Encodings, gzip bombs and deeply nested JSON, on every kind of POST route,
 * each answered in the one error shape while /healthz keeps answering.
 */
const APP_ID = '1234567890123456789';
const OA_KEY = 'oa-secret-key-for-tests';
const data = tempDir();
const knowledge = tempDir();
let app: App;

beforeAll(async () => {
  writeTestKnowledge(knowledge.path);
  app = await startTestApp(
    {
      dataDir: data.path,
      knowledgeDir: knowledge.path,
      requestsPerMinute: 1_000_000,
      // Many wrong look-ups of one booking code here: the failure limit is not what this file tests.
      bookingLookup: { perCode: 1_000_000, codeLockMinutes: 10, perClient: 1_000_000, clientLockMinutes: 60 },
      // The Zalo API base points nowhere: no test here gets as far as a reply.
      zalo: { appId: APP_ID, appSecret: 'app-secret', oaSecretKey: OA_KEY, accessToken: 'AT1', refreshToken: 'RT1', apiBase: 'http://127.0.0.1:9', oauthBase: 'http://127.0.0.1:9', windowSeconds: 300 },
    },
    undefined,
    fixedClock('2026-11-23T00:00:00Z'),
  );
});
afterAll(async () => {
  await app.stop();
  data.remove();
  knowledge.remove();
});

async function post(path: string, body: Buffer | string, headers: Record<string, string> = {}) {
  const res = await fetch(app.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = { raw: text };
  }
  return { status: res.status, body: json, headers: res.headers };
}

async function directLine() {
  const generated = (await (await fetch(app.url + '/v3/directline/tokens/generate', { method: 'POST' })).json()) as { token: string; conversationId: string };
  const auth = { authorization: `Bearer ${generated.token}` };
  await fetch(app.url + '/v3/directline/conversations', { method: 'POST', headers: auth });
  return { path: `/v3/directline/conversations/${generated.conversationId}/activities`, auth };
}

const gzipped = gzipSync(Buffer.from('{"phone":"0912345678"}'));
const BAD_BODIES: [string, Buffer | string, string][] = [
  ['not gzip at all', 'x', 'gzip'],
  ['a word that is not gzip', 'notgzip', 'gzip'],
  ['truncated gzip', gzipped.subarray(0, gzipped.length - 6), 'gzip'],
  ['gzip header only', gzipped.subarray(0, 10), 'x-gzip'],
  ['broken deflate', 'zzzz', 'deflate'],
];

async function expectHealthy() {
  const health = await fetch(app.url + '/healthz');
  expect(health.status).toBe(200);
}

describe('request bodies: encodings', () => {
  it.each([
    ['REST', '/api/bookings/ABCD2345/lookup'],
    ['Direct Line tokens', '/v3/directline/tokens/generate'],
    ['Bot Framework', '/api/messages'],
  ])('%s: broken gzip/deflate bodies get a 400 in our shape and the server keeps serving', async (_kind, path) => {
    for (const [what, body, coding] of BAD_BODIES) {
      const res = await post(path, body, { 'content-encoding': coding });
      expect({ what, status: res.status, code: res.body.error?.code }).toEqual({ what, status: 400, code: 'bad_encoding' });
      expect(res.body.error.message).toEqual(expect.any(String));
      await expectHealthy();
    }
  });

  it('Direct Line activities: broken gzip is a 400 and the conversation still works', async () => {
    const { path, auth } = await directLine();
    for (const [what, body, coding] of BAD_BODIES) {
      const res = await post(path, body, { ...auth, 'content-encoding': coding });
      expect({ what, status: res.status, code: res.body.error?.code }).toEqual({ what, status: 400, code: 'bad_encoding' });
    }
    const ok = await post(path, JSON.stringify({ type: 'message', from: { id: 'u1' }, text: 'xin chào' }), auth);
    expect(ok.status).toBe(200);
    await expectHealthy();
  });

  it('br, compress and stacked codings get a 415 saying what is accepted', async () => {
    for (const coding of ['br', 'compress', 'zstd', 'gzip, gzip', 'made-up']) {
      const res = await post('/api/bookings/ABCD2345/lookup', gzipped, { 'content-encoding': coding });
      expect({ coding, status: res.status, code: res.body.error?.code }).toEqual({ coding, status: 415, code: 'unsupported_encoding' });
      expect(res.headers.get('accept-encoding')).toBe('gzip, deflate');
    }
    await expectHealthy();
  });

  it('decodes a well-formed gzip or deflate body like the plain one', async () => {
    const plain = await post('/api/bookings/ABCD2345/lookup', '{"phone":"0912345678"}');
    expect(plain.status).toBe(404);
    expect(plain.body.error.code).toBe('booking_not_found');
    const gz = await post('/api/bookings/ABCD2345/lookup', gzipped, { 'content-encoding': 'gzip' });
    expect(gz).toMatchObject({ status: 404, body: plain.body });
    const df = await post('/api/bookings/ABCD2345/lookup', deflateSync(Buffer.from('{"phone":"0912345678"}')), { 'content-encoding': 'deflate' });
    expect(df).toMatchObject({ status: 404, body: plain.body });
    const identity = await post('/api/bookings/ABCD2345/lookup', '{"phone":"0912345678"}', { 'content-encoding': 'identity' });
    expect(identity).toMatchObject({ status: 404, body: plain.body });
  });

  it('a gzip bomb (58 KB that inflates to 60 MB) gets a 413: the limit counts decoded bytes', async () => {
    const bomb = gzipSync(Buffer.from(`{"phone":"0912345678","pad":"${'a'.repeat(60_000_000)}"}`), { level: 9 });
    expect(bomb.length).toBeLessThan(65_536);
    for (const path of ['/api/bookings/ABCD2345/lookup', '/v3/directline/tokens/generate', '/api/messages']) {
      const res = await post(path, bomb, { 'content-encoding': 'gzip' });
      expect({ path, status: res.status, code: res.body.error?.code }).toEqual({ path, status: 413, code: 'payload_too_large' });
    }
    // Just over the limit once decoded is refused too; just under is read.
    const over = gzipSync(Buffer.from(JSON.stringify({ phone: '0912345678', pad: 'a'.repeat(65_536) })));
    expect((await post('/api/bookings/ABCD2345/lookup', over, { 'content-encoding': 'gzip' })).status).toBe(413);
    const under = gzipSync(Buffer.from(JSON.stringify({ phone: '0912345678', pad: 'a'.repeat(60_000) })));
    expect((await post('/api/bookings/ABCD2345/lookup', under, { 'content-encoding': 'gzip' })).status).toBe(404);
    await expectHealthy();
  });

  it('refuses bodies that are not JSON with a 415 instead of guessing', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=utf-16']) {
      const res = await post('/api/bookings/ABCD2345/lookup', 'phone=0912345678', { 'content-type': type });
      expect({ type, status: res.status, code: res.body.error?.code }).toEqual({ type, status: 415, code: 'unsupported_media_type' });
    }
    // An empty POST needs no type (this is how the web chat page asks for a token).
    expect((await fetch(app.url + '/v3/directline/tokens/generate', { method: 'POST' })).status).toBe(200);
  });
});

describe('request bodies: the Zalo webhook sees the bytes as sent', () => {
  const signed = (raw: string, timestamp: string) => 'mac=' + createHash('sha256').update(APP_ID + raw + timestamp + OA_KEY).digest('hex');

  it('refuses any Content-Encoding (its signature is over the body as sent), broken or not, and keeps serving', async () => {
    for (const [what, body, coding] of [...BAD_BODIES, ['valid gzip', gzipped, 'gzip'] as const]) {
      const res = await post('/api/zalo/webhook', body, { 'content-encoding': coding, 'x-zevent-signature': 'mac=00' });
      expect({ what, status: res.status, code: res.body.error?.code }).toEqual({ what, status: 415, code: 'unsupported_encoding' });
      expect(res.headers.get('accept-encoding')).toBe('identity');
    }
    await expectHealthy();
  });

  // An unfollow needs no reply, so nothing here calls the (absent) Zalo API.
  it('still checks the signature over the raw body of a plain request', async () => {
    const timestamp = String(Date.now());
    const raw = JSON.stringify({ app_id: APP_ID, event_name: 'unfollow', timestamp, sender: { id: 'zu1' }, recipient: { id: 'oa' }, follower: { id: 'zu1' } });
    const forged = await post('/api/zalo/webhook', raw, { 'x-zevent-signature': 'mac=' + '0'.repeat(64) });
    expect(forged.status).toBe(401);
    // The same event pretty-printed is another body: its signature no longer matches.
    const pretty = await post('/api/zalo/webhook', JSON.stringify(JSON.parse(raw), null, 2), { 'x-zevent-signature': signed(raw, timestamp) });
    expect(pretty.status).toBe(401);
    const genuine = await post('/api/zalo/webhook', raw, { 'x-zevent-signature': signed(raw, timestamp) });
    expect(genuine.status).toBe(200);
  });
});

describe('request bodies: JSON nesting', () => {
  const nested = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

  it('a Direct Line activity with a 5,000-level value gets a 400 in our shape, never a 500, and the next turn works', async () => {
    const { path, auth } = await directLine();
    const deep = await post(path, `{"type":"message","from":{"id":"u1"},"text":"xin chao","value":${nested(5000)}}`, auth);
    expect(deep.status).toBe(400);
    expect(deep.body.error.code).toBe('bad_request');
    expect(JSON.stringify(deep.body)).not.toMatch(/RangeError|stack/i);
    const ok = await post(path, JSON.stringify({ type: 'message', from: { id: 'u1' }, text: 'xin chào', value: { a: { b: [1, { c: 2 }] } } }), auth);
    expect(ok.status).toBe(200);
  });

  it.each([
    ['REST', '/api/bookings/ABCD2345/lookup'],
    ['Bot Framework', '/api/messages'],
    ['Zalo', '/api/zalo/webhook'],
  ])('%s: 10,000 levels of objects, 30,000 of arrays, or just 33 get a 400 in our shape', async (_kind, path) => {
    for (const body of [nested(10_000), '['.repeat(30_000) + ']'.repeat(30_000), nested(33)]) {
      const res = await post(path, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    }
    // Brackets inside strings are text, not nesting.
    const inString = await post('/api/bookings/ABCD2345/lookup', JSON.stringify({ phone: '0912345678', note: '{'.repeat(1000) + '"\\"' }));
    expect(inString.status).toBe(404);
    await expectHealthy();
  });
});

describe('a handler that fails', () => {
  it('answers 500 in our shape without the internal error text, and keeps serving', async () => {
    // A route of the real server failing the way a stack overflow did: a plain Error, no status code.
    app.server.get('/__test/throws', async () => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    const res = await fetch(app.url + '/__test/throws');
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: expect.any(String) } });
    expect(text).not.toMatch(/RangeError|Maximum call stack/);
    await expectHealthy();
  });
});
