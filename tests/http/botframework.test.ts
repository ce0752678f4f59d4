import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { fakeConnector, startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

const clock = fixedClock('2026-11-23T00:00:00Z');
const knowledge = tempDir();
let connector: Awaited<ReturnType<typeof fakeConnector>>;

beforeAll(async () => {
  writeTestKnowledge(knowledge.path);
  connector = await fakeConnector();
});
afterAll(() => {
  connector.server.close();
  knowledge.remove();
});

function message(serviceUrl: string, text = 'cap doi cccd', id = `m-${Math.random()}`) {
  return {
    type: 'message',
    id,
    channelId: 'emulator',
    serviceUrl,
    from: { id: 'user-1', name: 'User' },
    recipient: { id: 'bot', name: 'Bot' },
    conversation: { id: 'conv-1' },
    text,
    locale: 'vi-VN',
  };
}

const post = (app: App, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Waits a moment for replies the bot may still be POSTing, so "nothing was sent" is a real check. */
const settle = () => new Promise((r) => setTimeout(r, 300));

async function withApp(botFramework: { appId?: string; appPassword?: string; emulator: boolean }, run: (app: App) => Promise<void>) {
  const data = tempDir();
  const app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path, botFramework }, undefined, clock);
  try {
    await run(app);
  } finally {
    await app.stop();
    data.remove();
  }
}

describe('/api/messages without Bot Framework credentials (default configuration)', () => {
  it('refuses every request and sends nothing to the serviceUrl: it is not an open relay', async () => {
    await withApp({ emulator: false }, async (app) => {
      const before = connector.replies.length;
      const res = await post(app, message(connector.url, 'xin chao'));
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { code: 'channel_off', message: expect.stringMatching(/chưa được bật/) } });
      await settle();
      expect(connector.replies.length).toBe(before);
    });
  });
});

describe('/api/messages in Emulator mode (BOT_EMULATOR=1, no credentials)', () => {
  it('answers a loopback caller through a loopback serviceUrl', async () => {
    await withApp({ emulator: true }, async (app) => {
      const res = await post(app, message(connector.url));
      expect(res.status).toBe(200);
      expect(connector.replies.map((r) => r.text).join('\n')).toMatch(/Cấp đổi thẻ căn cước/);
      // "localhost" is loopback too.
      const before = connector.replies.length;
      expect((await post(app, message(connector.url.replace('127.0.0.1', 'localhost'), 'xin chao'))).status).toBe(200);
      expect(connector.replies.length).toBeGreaterThan(before);
    });
  });

  it('refuses a serviceUrl that is not on this machine, and sends nothing there', async () => {
    await withApp({ emulator: true }, async (app) => {
      for (const serviceUrl of ['http://10.0.0.7:4499/internal/admin', 'https://example.org/steal', 'http://127.0.0.1.example.org/', 'file:///etc/passwd']) {
        const before = connector.replies.length;
        const res = await post(app, message(serviceUrl, 'xin chao'));
        expect(res.status).toBe(403);
        expect(((await res.json()) as any).error.code).toBe('forbidden');
        await settle();
        expect(connector.replies.length).toBe(before);
      }
    });
  });

  it('answers a malformed activity with the API error shape', async () => {
    await withApp({ emulator: true }, async (app) => {
      const res = await post(app, { type: 'message', text: 'no serviceUrl or conversation' });
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).error.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['serviceUrl', 'conversation']));
    });
  });
});

describe('/api/messages with credentials', () => {
  it('rejects a request without a valid token with 401 in the API error shape', async () => {
    await withApp({ appId: '00000000-0000-0000-0000-000000000001', appPassword: 'secret', emulator: false }, async (app) => {
      const res = await post(app, message(connector.url, 'hi'));
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).error.code).toBe('unauthorized');
      const garbage = await post(app, message(connector.url, 'hi'), { authorization: 'Bearer garbage' });
      expect(garbage.status).toBe(401);
    });
  });
});
