/**
 * Notifications that must reach the citizen whatever Zalo's messaging window: booking reminders at
 * both offsets with a fixed clock, cancelling from a reminder, none for a cancelled or moved booking,
 * template messages (ZNS) by phone outside the window, and no-shows counted per phone. Against the
 * local fake of the Zalo API.
 */
import { createHash } from 'node:crypto';
import type { App } from '../../src/app';
import { recordInbound } from '../../src/channels/zalo/zalo-window';
import { fixedClock } from '../../src/domain/calendar/clock';
import { createOfficerToken } from '../../src/services/officer-auth';
import { api, startTestApp, writeTestKnowledge } from '../app-helpers';
import { fakeZalo } from '../fake-zalo';
import { tempDir } from '../helpers';

const APP_ID = '1234567890123456789';
const OA_KEY = 'oa-secret-key-for-tests';
const TEMPLATES = { booking_reminder: '1001', supplement_requested: '1002', dossier_resolved: '1003', dossier_late: '1004' };

const data = tempDir();
const knowledge = tempDir();
// Monday 23 November 2026, 07:00 in Hanoi.
const clock = fixedClock('2026-11-23T00:00:00Z');
let app: App;
let zalo: Awaited<ReturnType<typeof fakeZalo>>;
let officer: string;
let seq = 0;

beforeAll(async () => {
  zalo = await fakeZalo();
  writeTestKnowledge(knowledge.path);
  app = await startTestApp(
    {
      dataDir: data.path,
      knowledgeDir: knowledge.path,
      requestsPerMinute: 10_000,
      reminderOffsets: [86_400_000, 3_600_000],
      zalo: {
        appId: APP_ID,
        appSecret: 'app-secret',
        oaSecretKey: OA_KEY,
        accessToken: 'AT1',
        refreshToken: 'RT1',
        apiBase: zalo.url,
        oauthBase: zalo.url,
        businessApiBase: zalo.url,
        windowSeconds: 300,
        csWindowHours: 48,
        znsTemplates: TEMPLATES,
      },
    },
    undefined,
    clock,
  );
  officer = (await createOfficerToken(app.store, 'Cán bộ thử', 'officer', clock.now())).secret;
});
afterAll(async () => {
  await app.stop();
  zalo.server.close();
  data.remove();
  knowledge.remove();
});

async function say(userId: string, text: string) {
  const before = zalo.sent.length;
  const payload = { app_id: APP_ID, event_name: 'user_send_text', sender: { id: userId }, recipient: { id: '1' }, message: { msg_id: `n-${++seq}`, text }, timestamp: String(Date.now()) };
  const body = JSON.stringify(payload);
  const mac = createHash('sha256').update(`${APP_ID}${body}${payload.timestamp}${OA_KEY}`).digest('hex');
  const res = await fetch(`${app.url}/api/zalo/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` }, body });
  expect(res.status).toBe(200);
  await app.zalo!.idle();
  return zalo.sent.slice(before).filter((s) => s.userId === userId);
}

const book = async (start: string, phone: string, notify: { channel: string; address: string } | null, branchId = 'test-a') =>
  (await app.bookings.book({ procedureCode: '1.001193', branchId, start, name: 'Lê Thị Nhắc', phone, notify }, `test-${phone}`)).booking.code;
const reminders = async (code: string) => (await app.store.outbox.forRef(code)).filter((n) => n.kind === 'booking_reminder');

describe('booking reminders', () => {
  const codes: Record<string, string> = {};

  it('reminds the day before, once even when two processes run, where the citizen booked', async () => {
    await say('u-in', 'xin chào'); // inside the window: a consultation message will do
    await recordInbound(app.store.meta, 'u-out', Date.now() - 3 * 86_400_000); // last wrote 3 days ago
    codes.inWindow = await book('2026-11-24T09:00:00+07:00', '0912000001', { channel: 'zalo', address: 'u-in' });
    codes.outWindow = await book('2026-11-24T09:15:00+07:00', '0912000002', { channel: 'zalo', address: 'u-out' });
    const rest = await api(app, 'POST', '/api/bookings', { procedureCode: '1.001193', branchId: 'test-a', start: '2026-11-24T09:30:00+07:00', name: 'Phạm Văn Web', phone: '0912000003' });
    expect(rest.status).toBe(201);
    codes.website = rest.body.booking.code;
    codes.cancelled = await book('2026-11-24T09:45:00+07:00', '0912000004', { channel: 'zalo', address: 'u-in' });
    expect((await api(app, 'POST', `/api/bookings/${codes.cancelled}/cancel`, { phone: '0912000004' })).status).toBe(200);
    codes.moved = await book('2026-11-24T10:00:00+07:00', '0912000005', { channel: 'zalo', address: 'u-in' });

    // Not yet due at 07:00 the day before.
    expect(await app.jobs.reminders()).toBe(0);
    clock.set('2026-11-23T03:05:00Z'); // 10:05 the day before: every appointment (09:00–10:00) is within a day
    const [a, b] = await Promise.all([app.jobs.reminders(), app.jobs.reminders()]);
    expect(a + b).toBe(4); // in window, out of window, website, moved; never the cancelled one
    expect(await app.jobs.reminders()).toBe(0);
    for (const code of [codes.inWindow, codes.outWindow, codes.website, codes.moved]) expect(await reminders(code)).toHaveLength(1);
    expect(await reminders(codes.cancelled)).toHaveLength(0);

    // Moved after its reminder was queued: the old one is dropped, the new time gets its own.
    expect((await api(app, 'POST', `/api/bookings/${codes.moved}/reschedule`, { phone: '0912000005', start: '2026-11-24T09:45:00+07:00' })).status).toBe(200);
    const sentBefore = zalo.sent.length;
    const templatesBefore = zalo.templates.length;
    await app.jobs.deliver();
    const consultation = zalo.sent.slice(sentBefore);
    expect(consultation.map((s) => s.userId)).toEqual(['u-in']);
    expect(consultation[0].text).toContain(`Mã đặt lịch: ${codes.inWindow}`);
    expect(consultation[0].text).toMatch(/lúc 09:00 ngày mai, 24\/11\/2026/);
    expect(consultation[0].buttons).toEqual([`Hủy lịch ${codes.inWindow}`]);
    // Outside the window and booked on the website: the approved template, to the phone.
    const byPhone = zalo.templates.slice(templatesBefore);
    expect(byPhone.map((t) => [t.phone, t.templateId]).sort()).toEqual([
      ['84912000002', '1001'],
      ['84912000003', '1001'],
    ]);
    expect(byPhone.find((t) => t.phone === '84912000002')!.data).toMatchObject({ booking_code: codes.outWindow, appointment_time: '09:15 24/11/2026', customer_name: 'Lê Thị Nhắc' });
    expect((await reminders(codes.outWindow))[0]).toMatchObject({ deliveredVia: 'zns' });
    expect((await reminders(codes.moved))[0]).toMatchObject({ failure: 'obsolete', deliveredAt: null });
    expect(await app.jobs.reminders()).toBe(1);
    expect((await reminders(codes.moved)).map((n) => n.bookingStart)).toEqual(['2026-11-24T10:00:00+07:00', '2026-11-24T09:45:00+07:00']);
  });

  it('reminds an hour before, with the smaller offset, once', async () => {
    clock.set('2026-11-24T01:35:00Z'); // 08:35 on the day: 09:00 and 09:30 are within the hour
    await app.jobs.reminders();
    expect(await app.jobs.reminders()).toBe(0);
    const hourBefore = (await reminders(codes.inWindow)).filter((n) => n.dedupeKey?.endsWith('|1h'));
    expect(hourBefore).toHaveLength(1);
    expect(hourBefore[0].text).toMatch(/lúc 09:00 hôm nay/);
    expect((await reminders(codes.website)).map((n) => n.dedupeKey!.split('|').at(-1))).toEqual(['1d', '1h']);
    expect(await reminders(codes.cancelled)).toHaveLength(0);
  });

  it('cancels from the reminder: the button goes through the cancel flow with its phone check', async () => {
    await app.jobs.deliver();
    let replies = await say('u-in', `Hủy lịch ${codes.inWindow}`);
    expect(replies.at(-1)!.text).toMatch(/Số điện thoại/);
    replies = await say('u-in', '0912999999'); // not the booking's phone
    expect(replies.at(-1)!.text).toMatch(/Không tìm thấy/);
    expect((await app.store.bookings.get(codes.inWindow))!.status).toBe('confirmed');
    await say('u-in', `Hủy lịch ${codes.inWindow}`);
    replies = await say('u-in', '0912000001');
    expect(replies.at(-1)!.buttons).toContain('Hủy lịch');
    replies = await say('u-in', 'Hủy lịch');
    expect((await app.store.bookings.get(codes.inWindow))!.status).toBe('cancelled');
    expect(replies.at(-1)!.text).toMatch(/hủy/i);
  });
});

describe('a reminder in the web chat conversation', () => {
  it('appears in the conversation the citizen booked from, with the cancel button', async () => {
    const issued = await api(app, 'POST', '/v3/directline/tokens/generate');
    const { conversationId, token } = issued.body;
    const auth = { authorization: `Bearer ${token}` };
    expect((await api(app, 'POST', '/v3/directline/conversations', undefined, auth)).status).toBeLessThan(300);
    clock.set('2026-11-24T01:00:00Z'); // 08:00 on the 24th: booked more than a day ahead
    const code = await book('2026-11-25T09:00:00+07:00', '0915000001', { channel: 'webchat', address: conversationId });
    clock.set('2026-11-24T03:30:00Z'); // 10:30: within the day before
    await app.jobs.reminders();
    await app.jobs.deliver();
    const activities = (await api(app, 'GET', `/v3/directline/conversations/${conversationId}/activities?watermark=0`, undefined, auth)).body.activities;
    const reminder = activities.find((a: { text?: string }) => a.text?.includes(`Mã đặt lịch: ${code}`));
    expect(reminder.text).toMatch(/^Nhắc lịch hẹn/);
    expect(reminder.suggestedActions.actions.map((a: { value: string }) => a.value)).toEqual([`Hủy lịch ${code}`]);
    expect((await reminders(code))[0]).toMatchObject({ deliveredAt: expect.any(String) });
  });
});

describe('dossier notifications by Zalo', () => {
  it('inside the window a consultation message; outside it and for a phone only, the approved template', async () => {
    await app.dossiers.create(
      { code: 'HN-261123-0901', procedureCode: '1.001193', branchId: 'test-a', applicant: { name: 'Đỗ Văn Ngoài', phone: '0913000001', idNumber: '001090000901', notify: { channel: 'zalo', address: 'u-out' } } },
      'test',
    );
    await app.dossiers.create(
      { code: 'HN-261123-0902', procedureCode: '1.001193', branchId: 'test-a', applicant: { name: 'Vũ Thị Điện', phone: '0913000002', idNumber: '001090000902', notify: null } },
      'test',
    );
    await app.dossiers.create(
      { code: 'HN-261123-0903', procedureCode: '1.001193', branchId: 'test-a', applicant: { name: 'Hà Văn Trong', phone: '0913000003', idNumber: '001090000903', notify: { channel: 'zalo', address: 'u-in' } } },
      'test',
    );
    await app.dossiers.requestSupplement('HN-261123-0901', ['Giấy chứng sinh'], 'Thiếu giấy chứng sinh', 'test');
    await app.dossiers.markLate('HN-261123-0902', 'Chờ xác minh', '2026-12-10', 'test');
    await app.dossiers.requestSupplement('HN-261123-0903', ['Giấy chứng sinh'], 'Thiếu giấy chứng sinh', 'test');
    const sentBefore = zalo.sent.length;
    const templatesBefore = zalo.templates.length;
    await app.jobs.deliver();
    expect(zalo.sent.slice(sentBefore).map((s) => s.userId)).toEqual(['u-in']);
    const byPhone = zalo.templates.slice(templatesBefore);
    expect(byPhone).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ phone: '84913000001', templateId: '1002', data: { dossier_code: 'HN-261123-0901' } }),
        expect.objectContaining({ phone: '84913000002', templateId: '1004', data: { dossier_code: 'HN-261123-0902', new_due_date: '10/12/2026' } }),
      ]),
    );
    expect(byPhone).toHaveLength(2);
    // The sample dossiers of the first start (phones 09000000NN) are never messaged.
    expect(zalo.templates.filter((t) => t.phone.startsWith('849000000'))).toEqual([]);
    // Our notification id is the tracking id Zalo reports back.
    const [late] = await app.store.outbox.forRef('HN-261123-0902');
    expect(byPhone.find((t) => t.templateId === '1004')!.trackingId).toBe(late.id);
  });

  it('still handles Zalo refusing inside the window: the template by phone, else marked failed', async () => {
    await say('u-in', 'cảm ơn');
    await app.dossiers.requestSupplement('HN-261123-0903', ['Tờ khai'], 'Thiếu tờ khai', 'test');
    zalo.state.failNext.push({ status: 200, error: -230 });
    const templatesBefore = zalo.templates.length;
    await app.jobs.deliver();
    expect(zalo.templates.slice(templatesBefore)).toEqual([expect.objectContaining({ phone: '84913000003', templateId: '1002' })]);
  });
});

describe('no-shows', () => {
  it('marks confirmed bookings not checked in after their slot, counts them per phone once, shows officers', async () => {
    clock.set('2026-11-24T02:00:00Z'); // 09:00 on the 24th
    const missed = await book('2026-11-25T08:00:00+07:00', '0914000001', null);
    const came = await book('2026-11-25T08:15:00+07:00', '0914000002', null);
    const auth = { authorization: `Bearer ${officer}` };
    expect((await api(app, 'POST', `/api/officer/bookings/${came}/check-in`, undefined, auth)).status).toBe(200);
    clock.set('2026-11-25T01:20:00Z'); // 08:20: the 08:00 slot has ended, the 08:15 one has not
    await app.jobs.noShows();
    expect((await app.store.bookings.get(missed))!.status).toBe('no_show');
    expect((await app.store.bookings.get(came))!.status).toBe('checked_in');
    await app.jobs.noShows();
    expect((await api(app, 'GET', '/api/officer/no-shows?phone=0914000001', undefined, auth)).body).toEqual({ phone: '0914000001', noShows: 1 });
    expect((await api(app, 'GET', '/api/officer/no-shows?phone=0914000002', undefined, auth)).body.noShows).toBe(0);
    expect((await api(app, 'GET', '/api/officer/no-shows?phone=0914000001')).status).toBe(401);
    expect((await api(app, 'GET', '/api/officer/no-shows?phone=abc', undefined, auth)).status).toBe(400);
    const day = await api(app, 'GET', '/api/officer/bookings?branch=test-a&date=2026-11-25', undefined, auth);
    expect(day.body.bookings.find((b: { code: string }) => b.code === missed)).toMatchObject({ status: 'no_show', noShows: 1 });
    // Counting does not limit booking unless NO_SHOW_LIMIT is set (off by default).
    expect((await api(app, 'POST', '/api/bookings', { procedureCode: '1.001193', branchId: 'test-a', start: '2026-11-26T09:00:00+07:00', name: 'Lê Thị Nhắc', phone: '0914000001' })).status).toBe(201);
  });
});
