import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { api, startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

const data = tempDir();
const knowledge = tempDir();
let app: App;

beforeAll(async () => {
  writeTestKnowledge(knowledge.path);
  app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path }, undefined, fixedClock('2026-11-23T00:00:00Z'));
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
  return { id: started.body.conversationId as string, auth, started };
}

describe('Direct Line 3.0-compatible API', () => {
  it('starts a conversation with a welcome, takes a message, and returns the reply after the watermark', async () => {
    const { id, auth, started } = await start();
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ conversationId: id, token: expect.any(String), expires_in: 3600, userId: expect.stringMatching(/^dl-/) });
    const first = await api(app, 'GET', `/v3/directline/conversations/${id}/activities`, undefined, auth);
    expect(first.body.activities[0].text).toMatch(/Xin chào/);
    const watermark = first.body.watermark;

    const sent = await api(app, 'POST', `/v3/directline/conversations/${id}/activities`, { type: 'message', from: { id: 'u1' }, text: 'doi GPLX' }, auth);
    expect(sent.status).toBe(200);
    expect(sent.body.id).toMatch(new RegExp(`^${id}\\|`));
    const next = await api(app, 'GET', `/v3/directline/conversations/${id}/activities?watermark=${watermark}`, undefined, auth);
    const [echo, ...replies] = next.body.activities;
    // Who sent it is the user the token names, not the id the client wrote.
    expect(echo).toMatchObject({ from: { id: started.body.userId }, text: 'doi GPLX' });
    expect(replies[0].text).toMatch(/Đổi giấy phép lái xe\*\* \(mã 3\.000347\)/);
    expect(replies[0].suggestedActions.actions.map((a: { title: string }) => a.title)).toContain('Đặt lịch');
    expect(Number(next.body.watermark)).toBeGreaterThan(Number(watermark));
    const nothingNew = await api(app, 'GET', `/v3/directline/conversations/${id}/activities?watermark=${next.body.watermark}`, undefined, auth);
    expect(nothingNew.body).toEqual({ activities: [], watermark: next.body.watermark });
  });

  it('refuses a forged token, and a token of another conversation', async () => {
    const a = await start();
    const b = await start();
    const forged = a.auth.authorization.slice(0, -4) + 'AAAA';
    expect((await api(app, 'GET', `/v3/directline/conversations/${a.id}/activities`, undefined, { authorization: forged })).status).toBe(403);
    expect((await api(app, 'GET', `/v3/directline/conversations/${a.id}/activities`, undefined, b.auth)).status).toBe(403);
    expect((await api(app, 'POST', `/v3/directline/conversations/${a.id}/activities`, { type: 'message', text: 'x' })).status).toBe(403);
  });

  it('answers an oversize message with a JSON error and keeps the conversation usable', async () => {
    const { id, auth } = await start();
    const big = await api(app, 'POST', `/v3/directline/conversations/${id}/activities`, { type: 'message', from: { id: 'u1' }, text: 'a'.repeat(2500) }, auth);
    expect(big.status).toBe(400);
    expect(big.body.error.fields[0].path).toBe('text');
    const ok = await api(app, 'POST', `/v3/directline/conversations/${id}/activities`, { type: 'message', from: { id: 'u1' }, text: 'xin chào' }, auth);
    expect(ok.status).toBe(200);
  });

  it('notifies a web chat user who subscribed when an officer asks for supplements', async () => {
    const { id, auth } = await start();
    const say = (text: string) => api(app, 'POST', `/v3/directline/conversations/${id}/activities`, { type: 'message', from: { id: 'u9' }, text }, auth);
    await say('tra cuu ho so MAU-000000-0002');
    await say('0002');
    await say('Nhận thông báo');
    await app.dossiers.requestSupplement('MAU-000000-0002', ['Giấy tờ chứng minh chỗ ở hợp pháp'], 'Bản chụp không rõ', 'Cán bộ thử');
    const { deliverWebChatNotifications } = await import('../../src/channels/directline/notifications');
    expect(await deliverWebChatNotifications(app.store, app.directLine, { info() {}, warn() {}, error() {}, debug() {} })).toBeGreaterThanOrEqual(1);
    const all = await api(app, 'GET', `/v3/directline/conversations/${id}/activities`, undefined, auth);
    const last = all.body.activities.at(-1);
    expect(last.text).toMatch(/MAU-000000-0002 cần bổ sung: Giấy tờ chứng minh chỗ ở hợp pháp/);
    expect(last.channelData).toMatchObject({ notification: 'supplement_requested' });
  });

  it('refreshes a token for the same conversation', async () => {
    const { id, auth } = await start();
    const refreshed = await api(app, 'POST', '/v3/directline/tokens/refresh', undefined, auth);
    expect(refreshed.body.conversationId).toBe(id);
    expect((await api(app, 'GET', `/v3/directline/conversations/${id}/activities`, undefined, { authorization: `Bearer ${refreshed.body.token}` })).status).toBe(200);
  });

  it('serves the web chat page and the bundled botframework-webchat, with no CDN', async () => {
    const page = await fetch(app.url + '/');
    const html = await page.text();
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(html).toContain('<script src="/webchat/webchat.js"></script>');
    expect(html).not.toMatch(/https?:\/\/cdn|botframework\.com/);
    const bundle = await fetch(app.url + '/webchat/webchat.js');
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
  });
});
