/**
 * Direct Line 3.0 streaming over real sockets: the streamUrl a conversation gets, activities pushed
 * as `{activities, watermark}`, keep-alives, resuming after a watermark, the token binding, the
 * limits, and bad upgrades that must not harm the server.
 */
import { connect } from 'node:net';
import { WebSocket } from 'ws';
import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { api, startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

const data = tempDir();
const knowledge = tempDir();
let app: App;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  writeTestKnowledge(knowledge.path);
  app = await startTestApp(
    {
      dataDir: data.path,
      knowledgeDir: knowledge.path,
      directLineStream: { perConversation: 2, perClient: 6, idleMinutes: 0.04, keepAliveSeconds: 0.3, maxFrameBytes: 1024 },
    },
    undefined,
    fixedClock('2026-11-23T00:00:00Z'),
  );
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.terminate();
});
afterAll(async () => {
  await app.stop();
  data.remove();
  knowledge.remove();
});

async function start() {
  const generated = await api(app, 'POST', '/v3/directline/tokens/generate');
  const auth = { authorization: `Bearer ${generated.body.token}` };
  const started = await api(app, 'POST', '/v3/directline/conversations', undefined, auth);
  return { id: started.body.conversationId as string, auth, token: generated.body.token as string, streamUrl: started.body.streamUrl as string };
}

/** A client socket collecting every frame: activity sets and the empty keep-alives. */
function open(url: string): Promise<{ ws: WebSocket; sets: { activities: any[]; watermark: string }[]; empties: () => number; next: (pred: (a: any) => boolean) => Promise<any>; closed: Promise<{ code: number; reason: string }> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    sockets.push(ws);
    const sets: { activities: any[]; watermark: string }[] = [];
    let empties = 0;
    const waiters: { pred: (a: any) => boolean; done: (a: any) => void }[] = [];
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.on('message', (raw) => {
      const text = raw.toString();
      if (text === '') return void empties++;
      const set = JSON.parse(text);
      sets.push(set);
      for (const w of [...waiters]) {
        const found = set.activities.find(w.pred);
        if (found === undefined) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.done(found);
      }
    });
    const next = (pred: (a: any) => boolean) =>
      new Promise<any>((done) => {
        const seen = sets.flatMap((s) => s.activities).find(pred);
        if (seen) return done(seen);
        waiters.push({ pred, done });
      });
    ws.once('open', () => resolve({ ws, sets, empties: () => empties, next, closed }));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

/** Sends raw bytes as an upgrade request and returns the server's answer (status line and body). */
function rawUpgrade(request: string): Promise<string> {
  return new Promise((resolve) => {
    const url = new URL(app.url);
    const socket = connect(Number(url.port), url.hostname);
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(answer));
    socket.write(request);
    setTimeout(() => socket.destroy(), 3000).unref();
  });
}

const wsKey = 'dGhlIHNhbXBsZSBub25jZQ==';

describe('Direct Line WebSocket stream', () => {
  it('gives a streamUrl bound to the conversation and pushes the welcome, the echo and the reply', async () => {
    const { id, auth, token, streamUrl } = await start();
    const url = new URL(streamUrl);
    expect(url.protocol).toBe('ws:');
    expect(url.pathname).toBe(`/v3/directline/conversations/${id}/stream`);
    expect(url.searchParams.get('t')).toBeTruthy();
    const client = await open(streamUrl);
    const welcome = await client.next((a) => /Xin chào/.test(a.text ?? ''));
    expect(welcome.conversation.id).toBe(id);
    expect(client.sets[0].watermark).toMatch(/^\d+$/);

    await api(app, 'POST', `/v3/directline/conversations/${id}/activities`, { type: 'message', text: 'doi GPLX' }, auth);
    const reply = await client.next((a) => /3\.000347/.test(a.text ?? ''));
    expect(reply.from.id).not.toMatch(/^dl-/);
    const all = client.sets.flatMap((s) => s.activities);
    expect(all.some((a) => a.text === 'doi GPLX' && /^dl-/.test(a.from.id))).toBe(true);
    // Each activity once, in order; watermarks rise.
    const seqs = all.map((a) => Number(String(a.id).split('|')[1]));
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    const marks = client.sets.map((s) => Number(s.watermark));
    expect(marks).toEqual([...marks].sort((a, b) => a - b));
    // The same token reconnects through GET conversations/:id with a watermark.
    const again = await api(app, 'GET', `/v3/directline/conversations/${id}?watermark=${client.sets.at(-1)!.watermark}`, undefined, { authorization: `Bearer ${token}` });
    expect(again.status).toBe(200);
    expect(new URL(again.body.streamUrl).searchParams.get('watermark')).toBe(client.sets.at(-1)!.watermark);
    expect((await api(app, 'GET', `/v3/directline/conversations/${id}?watermark=abc`, undefined, auth)).body.error.code).toBe('bad_request');
  });

  it('resumes after a watermark, sends empty keep-alives, and closes a socket left idle', async () => {
    const { id, auth, streamUrl } = await start();
    await api(app, 'POST', `/v3/directline/conversations/${id}/activities`, { type: 'message', text: 'menu' }, auth);
    const polled = await api(app, 'GET', `/v3/directline/conversations/${id}/activities?watermark=1`, undefined, auth);
    const url = new URL(streamUrl);
    url.searchParams.set('watermark', '1');
    const client = await open(url.toString());
    await client.next(() => true);
    expect(client.sets.flatMap((s) => s.activities).map((a) => a.id)).toEqual(polled.body.activities.map((a: any) => a.id));
    await new Promise((r) => setTimeout(r, 800));
    expect(client.empties()).toBeGreaterThanOrEqual(1);
    // idleMinutes 0.04 = 2.4 s without delivery.
    expect(await client.closed).toMatchObject({ code: 1000, reason: 'idle' });
  });

  it('refuses a wrong, forged or foreign token and an unknown path, with the error shape, and keeps serving', async () => {
    const a = await start();
    const b = await start();
    const foreign = new URL(a.streamUrl);
    foreign.searchParams.set('t', new URL(b.streamUrl).searchParams.get('t')!);
    await expect(open(foreign.toString())).rejects.toMatchObject({ status: 403 });
    const forged = new URL(a.streamUrl);
    forged.searchParams.set('t', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.');
    await expect(open(forged.toString())).rejects.toMatchObject({ status: 403 });
    const none = new URL(a.streamUrl);
    none.search = '';
    await expect(open(none.toString())).rejects.toMatchObject({ status: 403 });
    await expect(open(a.streamUrl.replace(`/conversations/${a.id}/stream`, '/conversations/nope/stream'))).rejects.toMatchObject({ status: 403 });
    await expect(open(a.streamUrl.replace('/stream', '/other'))).rejects.toMatchObject({ status: 404 });
    const answer = await rawUpgrade(`GET /v3/directline/conversations/${a.id}/stream?t=bad HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${wsKey}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1.1 403/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    expect((await api(app, 'GET', '/healthz')).status).toBe(200);
  });

  it('survives garbage upgrades: a broken handshake, a bad URL, a frame over the limit', async () => {
    const { id, streamUrl } = await start();
    const t = new URL(streamUrl).searchParams.get('t')!;
    const broken = await rawUpgrade(`GET /v3/directline/conversations/${id}/stream?t=${t} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: short\r\n\r\n`);
    expect(broken).toMatch(/^HTTP\/1.1 400/);
    const weird = await rawUpgrade(`GET //%%%/\u0000?t=%zz HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`);
    expect(weird).toMatch(/^HTTP\/1.1 (400|404)/);
    await rawUpgrade('\u0016\u0003\u0001 not http at all\r\n\r\n');
    const client = await open(streamUrl);
    client.ws.send('x'.repeat(5000));
    expect((await client.closed).code).toBe(1009);
    expect((await api(app, 'GET', '/healthz')).status).toBe(200);
  });

  it('keeps at most 2 sockets per conversation (the oldest gives way) and a budget per client address', async () => {
    const { streamUrl } = await start();
    const first = await open(streamUrl);
    await open(streamUrl);
    await open(streamUrl);
    expect(await first.closed).toMatchObject({ code: 4000, reason: 'collision' });
    const others = await Promise.all([start(), start(), start(), start()]);
    const results = await Promise.allSettled(others.map((o) => open(o.streamUrl)));
    // 2 open above + 4 more tried, budget 6 per address: all fit; one more does not.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    const extra = await start();
    await expect(open(extra.streamUrl)).rejects.toMatchObject({ status: 429 });
    // Closing one frees its place.
    const closedOne = (results[0] as PromiseFulfilledResult<{ ws: WebSocket; closed: Promise<unknown> }>).value;
    closedOne.ws.close();
    await closedOne.closed;
    await new Promise((r) => setTimeout(r, 50));
    await expect(open(extra.streamUrl)).resolves.toBeTruthy();
  });
});
