/**
 * The store does not answer (MongoDB down, the data directory unusable): the server still starts,
 * /healthz says so, every caller gets a polite "temporarily unavailable", and service resumes by
 * itself once the store is back.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { App } from '../../src/app';
import { UNAVAILABLE_MESSAGE } from '../../src/store/availability';
import { fakeConnector, startTestApp, writeTestKnowledge } from '../app-helpers';
import { memoryLogger, tempDir } from '../helpers';

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const messageFor = (serviceUrl: string) => ({
  type: 'message',
  id: 'm1',
  channelId: 'emulator',
  serviceUrl,
  from: { id: 'user-1', name: 'Người dân' },
  recipient: { id: 'bot', name: 'Bot' },
  conversation: { id: 'conv-outage' },
  text: 'cap doi cccd',
  locale: 'vi-VN',
});

describe('embedded store directory unusable at start', () => {
  const root = tempDir();
  const knowledge = tempDir();
  // A file where the data directory's parent should be: nobody, root included, can create it.
  const blocker = join(root.path, 'mounted-volume');
  const dataDir = join(blocker, 'data');
  const log = memoryLogger();
  let app: App;
  let connector: Awaited<ReturnType<typeof fakeConnector>>;

  beforeAll(async () => {
    writeTestKnowledge(knowledge.path);
    writeFileSync(blocker, 'not a directory');
    connector = await fakeConnector();
    // Emulator mode: without credentials /api/messages is otherwise off.
    app = await startTestApp({ dataDir, knowledgeDir: knowledge.path, botFramework: { emulator: true } }, log);
  });
  afterAll(async () => {
    await app.stop();
    connector.server.close();
    root.remove();
    knowledge.remove();
  });

  it('starts anyway and says on /healthz that the store is unavailable', async () => {
    expect(app.isReady()).toBe(false);
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unavailable', store: 'embedded' });
    expect(log.lines.some((l) => /"level":"error"/.test(l) && /store unavailable at start/.test(l))).toBe(true);
  });

  it('answers API calls with a polite 503 and a time to retry', async () => {
    for (const [method, path] of [
      ['GET', '/api/procedures/search?q=cccd'],
      ['POST', '/api/bookings'],
      ['POST', '/v3/directline/tokens/generate'],
      ['GET', '/api/dossiers/MAU-000000-0001?proof=0001'],
    ] as const) {
      const res = await fetch(app.url + path, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('10');
      expect(await res.json()).toEqual({ error: { code: 'unavailable', message: UNAVAILABLE_MESSAGE } });
    }
  });

  it('still serves the chat page, which tells the citizen and reconnects by itself', async () => {
    const res = await fetch(app.url + '/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<script src="/webchat/app.js"></script>');
    // The page's script is a file (its Content-Security-Policy allows no inline script): served too.
    const script = await fetch(app.url + '/webchat/app.js');
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('Trang sẽ tự kết nối lại');
  });

  it('the bot apologises on the Bot Framework channel instead of failing', async () => {
    const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(messageFor(connector.url)) });
    expect(res.status).toBe(200);
    expect(connector.replies.map((r) => r.text)).toEqual([UNAVAILABLE_MESSAGE]);
  });

  it('recovers by itself once the directory can be created, with the knowledge seeded', async () => {
    rmSync(blocker);
    mkdirSync(blocker);
    await app.ready;
    expect(app.isReady()).toBe(true);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const search = (await (await fetch(`${app.url}/api/procedures/search?q=cap%20doi%20cccd`)).json()) as { results: { name: string }[] };
    expect(search.results[0].name).toMatch(/Cấp đổi thẻ căn cước/);
    connector.replies.length = 0;
    await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(messageFor(connector.url)) });
    expect(connector.replies.map((r) => r.text).join('\n')).toMatch(/Cấp đổi thẻ căn cước/);
    expect(log.lines.some((l) => /service resumed/.test(l))).toBe(true);
  }, 30_000);
});

describe('MongoDB not reachable at start', () => {
  const knowledge = tempDir();
  let app: App;
  beforeAll(async () => {
    writeTestKnowledge(knowledge.path);
    const port = await closedPort();
    app = await startTestApp({ dataDir: knowledge.path, knowledgeDir: knowledge.path, mongodbUri: `mongodb://127.0.0.1:${port}/motcua?serverSelectionTimeoutMS=500` });
  }, 30_000);
  afterAll(async () => {
    await app.stop();
    knowledge.remove();
  });

  it('starts, reports the outage on /healthz and answers politely', async () => {
    expect(app.isReady()).toBe(false);
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'unavailable', store: 'mongodb' });
    const res = await fetch(`${app.url}/api/branches`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(UNAVAILABLE_MESSAGE);
  });
});

describe('a store failing during a request', () => {
  it('answers 503 with the polite message for connectivity and disk errors, 500 for bugs', async () => {
    const { createBaseServer } = await import('../../src/http/server');
    const server = createBaseServer({ maxBodyBytes: 1000, log: memoryLogger() });
    const mongoDown = Object.assign(new Error('connection refused'), { name: 'MongoNetworkError' });
    const diskFull = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    server.get('/mongo-down', async () => {
      throw mongoDown;
    });
    server.get('/disk-full', async () => {
      throw diskFull;
    });
    server.get('/bug', async () => {
      throw new TypeError('undefined is not a function');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const base = `http://127.0.0.1:${server.address().port}`;
    try {
      for (const path of ['/mongo-down', '/disk-full']) {
        const res = await fetch(base + path);
        expect(res.status).toBe(503);
        expect(await res.json()).toEqual({ error: { code: 'unavailable', message: UNAVAILABLE_MESSAGE } });
      }
      const bug = await fetch(base + '/bug');
      expect(bug.status).toBe(500);
    } finally {
      server.close();
    }
  });
});
