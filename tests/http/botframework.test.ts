import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { fakeConnector, startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

describe('/api/messages (Bot Framework, Emulator without credentials)', () => {
  const data = tempDir();
  const knowledge = tempDir();
  let app: App;
  let connector: Awaited<ReturnType<typeof fakeConnector>>;
  beforeAll(async () => {
    writeTestKnowledge(knowledge.path);
    app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path }, undefined, fixedClock('2026-11-23T00:00:00Z'));
    connector = await fakeConnector();
  });
  afterAll(async () => {
    await app.stop();
    connector.server.close();
    data.remove();
    knowledge.remove();
  });

  it('answers a message through the connector at serviceUrl', async () => {
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: 'm1',
        channelId: 'emulator',
        serviceUrl: connector.url,
        from: { id: 'user-1', name: 'User' },
        recipient: { id: 'bot', name: 'Bot' },
        conversation: { id: 'conv-1' },
        text: 'cap doi cccd',
        locale: 'vi-VN',
      }),
    });
    expect(res.status).toBe(200);
    expect(connector.replies.map((r) => r.text).join('\n')).toMatch(/Cấp đổi thẻ căn cước/);
  });

  it('rejects a request without a valid token when an app id is configured', async () => {
    // botbuilder's CloudAdapter.process writes every refused request to console.error itself (an
    // AuthenticationError with its stack): expected here, so it is caught and checked, not printed.
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const securedData = tempDir();
    const secured = await startTestApp(
      { dataDir: securedData.path, knowledgeDir: knowledge.path, botFramework: { appId: '00000000-0000-0000-0000-000000000001', appPassword: 'secret' } },
      undefined,
      fixedClock('2026-11-23T00:00:00Z'),
    );
    const res = await fetch(`${secured.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', channelId: 'emulator', serviceUrl: connector.url, from: { id: 'u' }, recipient: { id: 'b' }, conversation: { id: 'c' }, text: 'hi' }),
    });
    expect(res.status).toBe(401);
    await secured.stop();
    securedData.remove();
    expect(consoleError).toHaveBeenCalledWith(expect.objectContaining({ statusCode: 401, message: expect.stringMatching(/Unauthorized/) }));
    consoleError.mockRestore();
  });
});
