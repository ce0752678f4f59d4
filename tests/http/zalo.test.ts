import { createHash } from 'node:crypto';
import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { createOfficerToken } from '../../src/services/officer-auth';
import { startTestApp, writeTestKnowledge } from '../app-helpers';
import { fakeZalo } from '../fake-zalo';
import { tempDir } from '../helpers';

const APP_ID = '1234567890123456789';
const OA_KEY = 'oa-secret-key-for-tests';
const OA_ID = '9876543210987654321';

const data = tempDir();
const knowledge = tempDir();
let app: App;
let zalo: Awaited<ReturnType<typeof fakeZalo>>;
let seq = 0;

beforeAll(async () => {
  zalo = await fakeZalo();
  writeTestKnowledge(knowledge.path);
  app = await startTestApp(
    {
      dataDir: data.path,
      knowledgeDir: knowledge.path,
      zalo: { appId: APP_ID, appSecret: 'app-secret', oaSecretKey: OA_KEY, accessToken: 'AT1', refreshToken: 'RT1', apiBase: zalo.url, oauthBase: zalo.url, windowSeconds: 300 },
    },
    undefined,
    fixedClock('2026-11-23T00:00:00Z'),
  );
});
afterAll(async () => {
  await app.stop();
  zalo.server.close();
  data.remove();
  knowledge.remove();
});

function event(userId: string, eventName: string, message?: Record<string, unknown>, timestamp = Date.now()) {
  return { app_id: APP_ID, event_name: eventName, sender: { id: userId }, recipient: { id: OA_ID }, message, timestamp: String(timestamp), user_id_by_app: '555' };
}

async function webhook(payload: Record<string, unknown>, signature?: string) {
  const body = JSON.stringify(payload);
  const mac = createHash('sha256').update(`${payload.app_id}${body}${payload.timestamp}${OA_KEY}`).digest('hex');
  const res = await fetch(`${app.url}/api/zalo/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-zevent-signature': signature ?? `mac=${mac}` },
    body,
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Sends a text as a Zalo user and returns the replies the fake API received. */
async function say(userId: string, text: string) {
  const before = zalo.sent.length;
  const res = await webhook(event(userId, 'user_send_text', { msg_id: `msg-${++seq}`, text }));
  expect(res.status).toBe(200);
  await app.zalo!.idle();
  return zalo.sent.slice(before).filter((s) => s.userId === userId);
}

describe('Zalo webhook security', () => {
  it('refuses a forged or missing signature and processes nothing', async () => {
    const before = zalo.sent.length;
    expect((await webhook(event('u-forged', 'user_send_text', { msg_id: 'f1', text: 'xin chào' }), 'mac=' + 'a'.repeat(64))).status).toBe(401);
    expect((await webhook(event('u-forged', 'user_send_text', { msg_id: 'f2', text: 'xin chào' }), '')).status).toBe(401);
    await app.zalo!.idle();
    expect(zalo.sent.length).toBe(before);
  });

  it('refuses a replayed event outside the time window', async () => {
    const old = await webhook(event('u-replay', 'user_send_text', { msg_id: 'r1', text: 'xin chào' }, Date.now() - 10 * 60_000));
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('replay');
  });

  it('acknowledges a duplicate msg_id once and answers it once', async () => {
    const payload = event('u-dup', 'user_send_text', { msg_id: 'dup-1', text: 'xin chào' });
    const first = await webhook(payload);
    const second = await webhook(payload);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body.duplicate).toBe(true);
    await app.zalo!.idle();
    expect(zalo.sent.filter((s) => s.userId === 'u-dup')).toHaveLength(1);
  });
});

describe('Zalo sender identity', () => {
  it('takes the user from the signed event: a signature does not carry over to another sender', async () => {
    const signed = event('u-alice', 'user_send_text', { msg_id: 'who-1', text: 'xin chào' });
    const mac = createHash('sha256').update(`${signed.app_id}${JSON.stringify(signed)}${signed.timestamp}${OA_KEY}`).digest('hex');
    const before = zalo.sent.length;
    const readdressed = await fetch(`${app.url}/api/zalo/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` },
      body: JSON.stringify({ ...signed, sender: { id: 'u-mallory' } }),
    });
    expect(readdressed.status).toBe(401);
    await app.zalo!.idle();
    expect(zalo.sent.length).toBe(before);
  });

  it('keeps records and limits on the signed sender; an officer secret typed there is never stored', async () => {
    await say('u-asker', 'thủ tục quvexi ở phường');
    const unanswered = await app.dialogServices.feedback.list('unanswered', 50);
    expect(unanswered.find((u) => u.text === 'thủ tục quvexi ở phường')).toMatchObject({ channel: 'zalo', userId: 'zalo:u-asker' });

    const { secret } = await createOfficerToken(app.store, 'Cán bộ Zalo', 'officer', new Date(), 30);
    const replies = await say('u-zalo-officer', `tôi là cán bộ ${secret}`);
    expect(replies.at(-1)!.text).toMatch(/Chế độ cán bộ: Cán bộ Zalo/);
    expect(JSON.stringify(await app.dialogServices.feedback.list(null, 500))).not.toContain(secret);
    // Another Zalo user is not an officer.
    expect((await say('u-other', 'tra cứu hồ sơ MAU-000000-0002')).at(-1)!.text).toMatch(/để xác minh/);
  });
});

describe('the same bot on Zalo', () => {
  it('welcomes a new follower, answers text with buttons, politely declines media and ignores its own echoes', async () => {
    const before = zalo.sent.length;
    await webhook({ app_id: APP_ID, event_name: 'follow', oa_id: OA_ID, follower: { id: 'u-new' }, timestamp: String(Date.now()) });
    await app.zalo!.idle();
    expect(zalo.sent.at(-1)!.text).toMatch(/Xin chào! Tôi là trợ lý Một Cửa/);
    const card = await say('u-new', 'doi bang lai');
    expect(card[0].text).toMatch(/Đổi giấy phép lái xe \(mã 3\.000347\)/);
    expect(card[0].text).not.toContain('**');
    expect(card[0].buttons).toEqual(expect.arrayContaining(['Đặt lịch', 'Menu']));
    // Zalo sends a query button's payload back as the person's message: the label, which routes like the value.
    expect(card[0].payloads).toEqual(card[0].buttons.map((b: string) => b));
    await webhook(event('u-new', 'user_send_image', { msg_id: 'img-1', attachments: [{ type: 'image', payload: { url: 'https://x/y.jpg' } }] }));
    await app.zalo!.idle();
    expect(zalo.sent.at(-1)!.text).toMatch(/chỉ đọc được tin nhắn chữ và vị trí/);
    const count = zalo.sent.length;
    await webhook({ ...event(OA_ID, 'oa_send_text', { msg_id: 'echo-1', text: 'xin chào' }) });
    await app.zalo!.idle();
    expect(zalo.sent.length).toBe(count);
    expect(zalo.sent.length).toBeGreaterThan(before);
  });

  it('books a slot through webhooks, with the nearest branch found from a shared location', async () => {
    const user = 'u-booking';
    await say(user, 'đăng ký khai sinh');
    let replies = await say(user, 'Đặt lịch');
    expect(replies.at(-1)!.text).toMatch(/muốn đến chi nhánh nào/);
    const before = zalo.sent.length;
    await webhook(event(user, 'user_send_location', { msg_id: `loc-${++seq}`, attachments: [{ type: 'location', payload: { coordinates: { latitude: '21.0250', longitude: '105.8550' } } }] }));
    await app.zalo!.idle();
    replies = zalo.sent.slice(before);
    expect(replies.at(-1)!.text).toMatch(/Chi nhánh thử A/);
    replies = await say(user, replies.at(-1)!.buttons[1]);
    replies = await say(user, '10h');
    replies = await say(user, 'Trần Văn Zalo');
    replies = await say(user, '0903123456');
    expect(replies.at(-1)!.buttons).toEqual(['Đồng ý', 'Không']);
    replies = await say(user, 'Đồng ý');
    expect(replies.at(-1)!.text).toMatch(/Mã đặt lịch: [A-Z0-9]{8}/);
    // Booked on Zalo: its reminders go to this Zalo user.
    const code = /Mã đặt lịch: ([A-Z0-9]{8})/.exec(replies.at(-1)!.text)![1];
    expect((await app.store.bookings.get(code))!.notify).toEqual({ channel: 'zalo', address: user });
  });
});

describe('Zalo sending', () => {
  it('refreshes an expired access token, storing the new single-use refresh token first', async () => {
    zalo.state.valid = 'AT-rotated-by-zalo';
    const replies = await say('u-token', 'xin chào');
    expect(replies).toHaveLength(1);
    expect(zalo.refreshes.at(-1)).toMatchObject({ refresh_token: 'RT1', app_id: APP_ID, grant_type: 'refresh_token' });
    expect(await app.store.meta.get('zalo-tokens')).toMatchObject({ accessToken: zalo.state.valid, refreshToken: `RT${zalo.refreshes.length + 1}` });
    expect(replies[0].token).toBe(zalo.state.valid);
  });

  it('retries transient failures with backoff', async () => {
    zalo.state.failNext.push({ status: 502, error: -1 }, { status: 200, error: -32 });
    const replies = await say('u-flaky', 'xin chào');
    expect(replies).toHaveLength(1);
  });

  it('does not retry forever a user outside the messaging window; the notification stays for the look-up', async () => {
    // Never wrote to the OA: outside the window by our own record, so nothing is even tried.
    await app.dossiers.create(
      { code: 'HN-261123-0778', procedureCode: '1.001193', branchId: 'test-a', applicant: { name: 'Ngô Văn Lặng', phone: '0912777778', idNumber: '001090777778', notify: { channel: 'zalo', address: 'u-silent' } } },
      'test',
    );
    await app.dossiers.requestSupplement('HN-261123-0778', ['Giấy chứng sinh'], 'Thiếu giấy chứng sinh', 'test');
    const sentBefore = zalo.sent.length;
    expect(await app.zalo!.deliverNotifications()).toBe(1);
    expect(zalo.sent.length).toBe(sentBefore);
    expect((await app.store.outbox.forRef('HN-261123-0778'))[0].failure).toBe('outside_window');

    await app.dossiers.create(
      { code: 'HN-261123-0777', procedureCode: '1.001193', branchId: 'test-a', applicant: { name: 'Ngô Văn Zalo', phone: '0912777777', idNumber: '001090777777', notify: { channel: 'zalo', address: 'u-window' } } },
      'test',
    );
    await app.dossiers.requestSupplement('HN-261123-0777', ['Giấy chứng sinh'], 'Thiếu giấy chứng sinh', 'test');
    // The user wrote recently, so a consultation message is tried; Zalo still says the window is closed.
    await say('u-window', 'cảm ơn');
    zalo.state.failNext.push({ status: 200, error: -230 });
    expect(await app.zalo!.deliverNotifications()).toBe(1);
    const [note] = await app.store.outbox.forRef('HN-261123-0777');
    expect(note.failure).toBe('outside_window');
    expect(zalo.state.failNext).toEqual([]);
    expect(await app.zalo!.deliverNotifications()).toBe(0);
    const view = await app.dossiers.lookup('HN-261123-0777', '7777', 'test');
    expect(view.missing[0].documents).toEqual(['Giấy chứng sinh']);
  });
});
