import type { App } from '../../src/app';
import { interpret, ZaloEvent } from '../../src/channels/zalo/zalo-events';
import { fixedClock } from '../../src/domain/calendar/clock';
import { createOfficerToken } from '../../src/services/officer-auth';
import { api, startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

/**
 * Input that looked valid and was not (security audit 3.9, 3.13, 4.2, and the UTC dates): names that
 * are invisible, reversed or broken text; coordinates that are not numbers; markdown images in names
 * and officers' texts; dates of a dossier's steps shown by their UTC day.
 */
// 03:17 on Wednesday 2 December in Vietnam; still Tuesday 1 December in UTC.
const clock = fixedClock('2026-12-01T20:17:00Z');
const data = tempDir();
const knowledge = tempDir();
let app: App;
let officer: string;

beforeAll(async () => {
  writeTestKnowledge(knowledge.path);
  app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path, requestsPerMinute: 1_000_000, bookingsPerClientPerDay: 1_000_000 }, undefined, clock);
  officer = (await createOfficerToken(app.store, 'Cán bộ thử', 'officer', new Date())).secret;
});
afterAll(async () => {
  await app.stop();
  data.remove();
  knowledge.remove();
});

/** A Direct Line conversation; `say` returns the texts of the bot's replies to that message. */
async function chat(userId = 'u-input') {
  const generated = await api(app, 'POST', '/v3/directline/tokens/generate');
  const auth = { authorization: `Bearer ${generated.body.token}` };
  const id = generated.body.conversationId as string;
  await api(app, 'POST', '/v3/directline/conversations', undefined, auth);
  let watermark = (await api(app, 'GET', `/v3/directline/conversations/${id}/activities`, undefined, auth)).body.watermark;
  const send = async (activity: Record<string, unknown>): Promise<string> => {
    const sent = await api(app, 'POST', `/v3/directline/conversations/${id}/activities`, { type: 'message', from: { id: userId }, ...activity }, auth);
    expect(sent.status).toBe(200);
    const next = await api(app, 'GET', `/v3/directline/conversations/${id}/activities?watermark=${watermark}`, undefined, auth);
    watermark = next.body.watermark;
    return next.body.activities
      .filter((a: { from: { id: string } }) => a.from.id !== userId)
      .map((a: { text?: string }) => a.text ?? '')
      .join('\n');
  };
  return { send, say: (text: string) => send({ text }) };
}

const BAD_NAMES: [string, string][] = [
  ['zero-width only', '\u200b\u200b\u200b'],
  ['zero-width joiners and spaces', ' \u200d \u2060 \ufeff '],
  ['right-to-left override', '\u202eNguyen gnaoH'],
  ['left-to-right embedding', 'Nguyễn \u202aVăn'],
  ['first-strong isolate', 'Trần \u2068Bình\u2069'],
  ['lone high surrogate', 'AB\ud800CD'],
  ['lone low surrogate', 'Lê \udc00Hoa'],
  ['control character', 'Phạm\u0007 Lan'],
  ['a pile of combining marks', 'Ha' + '\u0301'.repeat(99)],
];

describe('names', () => {
  it.each(BAD_NAMES)('REST refuses a booking name with %s (400, the field named)', async (_what, name) => {
    const res = await api(app, 'POST', '/api/bookings', { procedureCode: '1.001193', branchId: 'test-a', start: '2026-12-03T09:00:00+07:00', name, phone: '0912000111' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['name']);
    expect(res.body.error.fields[0].message).toMatch(/họ tên/);
  });

  it('REST refuses the same names for a dossier applicant and the waitlist', async () => {
    const dossier = await api(
      app,
      'POST',
      '/api/officer/dossiers',
      { procedureCode: '1.001193', branchId: 'test-a', applicant: { name: '\u202eNguyen gnaoH', phone: '0912000222', idNumber: '001099012345' } },
      { authorization: `Bearer ${officer}` },
    );
    expect(dossier.status).toBe(400);
    expect(dossier.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['applicant.name']);
    const waitlist = await api(app, 'POST', '/api/waitlist', { procedureCode: '1.001193', branchId: 'test-a', start: '2026-12-03T09:00:00+07:00', name: '\u200b\u200b', phone: '0912000333' });
    expect(waitlist.status).toBe(400);
    expect(waitlist.body.error.fields.map((f: { path: string }) => f.path)).toContain('name');
  });

  it('REST still takes real names, NFD typed or with hyphens and apostrophes, and stores them composed', async () => {
    const res = await api(app, 'POST', '/api/bookings', {
      procedureCode: '1.001193',
      branchId: 'test-a',
      start: '2026-12-03T09:15:00+07:00',
      name: '  Nguyễn  Thị Hồng-Nhung '.normalize('NFD'),
      phone: '0912000444',
    });
    expect(res.status).toBe(201);
    expect(res.body.booking.name).toBe('Nguyễn Thị Hồng-Nhung');
    const apostrophe = await api(app, 'POST', '/api/bookings', { procedureCode: '1.001193', branchId: 'test-a', start: '2026-12-03T09:30:00+07:00', name: "H'Hen Niê", phone: '0912000555' });
    expect(apostrophe.status).toBe(201);
  });

  it('the chat asks again, politely, for an invisible, reversed or broken name, and echoes a name without loading its image', async () => {
    const { say } = await chat('u-names');
    await say('đăng ký khai sinh');
    expect(await say('Đặt lịch')).toMatch(/chi nhánh nào/);
    expect(await say('hoan kiem')).toMatch(/ngày nào/);
    expect(await say('Thứ Năm 03/12')).toMatch(/giờ/);
    expect(await say('10h')).toMatch(/họ tên/);
    for (const [, name] of BAD_NAMES.filter(([what]) => /zero-width only|override|high surrogate/.test(what))) {
      const reply = await say(name);
      expect(reply).toMatch(/gõ lại họ tên bằng chữ/);
      expect(reply).not.toMatch(/Số điện thoại/);
    }
    expect(await say('Nguyễn ![x](http://127.0.0.1:9/pixel-from-name.png) Bình')).toMatch(/Số điện thoại/);
    const confirm = await say('0912000666');
    expect(confirm).toMatch(/Xác nhận đặt lịch/);
    expect(confirm).toMatch(/Nguyễn ! \[x\]/);
    expect(confirm).not.toContain('![');
    const booked = await say('Đồng ý');
    expect(booked).toMatch(/Mã đặt lịch/);
    expect(booked).not.toContain('![');
  });
});

describe('coordinates', () => {
  it('a GeoCoordinates entity with non-numbers is no location: never "NaN km"', async () => {
    for (const [latitude, longitude] of [
      ['abc', 105.85],
      [21.02, 'abc'],
      ['', ''],
      [null, 105.85],
      [1e309, 105.85],
      [95, 105.85],
      [{ $gt: 0 }, [1]],
      ['0x10', '105.85'],
    ]) {
      const { send } = await chat(`u-geo-${String(latitude)}`);
      const reply = await send({ text: '', entities: [{ type: 'GeoCoordinates', latitude, longitude }] });
      expect(reply).not.toMatch(/NaN|Infinity/);
      expect(reply).not.toMatch(/khoảng .* km/);
    }
  });

  it('real coordinates, as numbers or as numeric text, list the nearest branches with their distance', async () => {
    for (const point of [
      { latitude: 21.0285, longitude: 105.8542 },
      { latitude: '21.0285', longitude: '105.8542' },
    ]) {
      const { send } = await chat(`u-geo-ok-${typeof point.latitude}`);
      const reply = await send({ text: '', entities: [{ type: 'GeoCoordinates', ...point }] });
      expect(reply).toMatch(/Chi nhánh thử A.*\(khoảng \d+(\.\d+)? km\)/);
      expect(reply).not.toMatch(/NaN/);
    }
  });

  it('a Zalo location with strings that are not numbers is no location (Number("") would be 0)', () => {
    const location = (latitude: unknown, longitude: unknown) =>
      interpret(
        ZaloEvent.parse({
          app_id: '1',
          event_name: 'user_send_location',
          timestamp: '1764620220000',
          sender: { id: 'zu' },
          recipient: { id: 'oa' },
          message: { msg_id: 'm', attachments: [{ type: 'location', payload: { coordinates: { latitude, longitude } } }] },
        }),
      );
    for (const [lat, lon] of [
      ['', ''],
      [' ', '105.8'],
      ['abc', '105.8'],
      ['0x10', '105.8'],
      ['1e1', '105.8'],
      ['91', '105.8'],
    ]) {
      expect(location(lat, lon).kind).toBe('media');
    }
    expect(location('21.0285', '105.8542')).toMatchObject({ kind: 'location', lat: 21.0285, lon: 105.8542 });
    expect(location(21.0285, 105.8542)).toMatchObject({ kind: 'location', lat: 21.0285, lon: 105.8542 });
  });
});

describe("officers' texts and dossier dates", () => {
  it('shows the steps of a dossier by their Vietnam day and no image an officer wrote loads', async () => {
    const code = 'MAU-000000-0003';
    const supplement = await api(
      app,
      'POST',
      `/api/officer/dossiers/${code}/supplements`,
      { documents: ['Bản sao ![ảnh](http://127.0.0.1:9/pixel-from-officer.png) giấy khai sinh'], reason: 'Xem ![mẫu](http://127.0.0.1:9/p2.png)' },
      { authorization: `Bearer ${officer}` },
    );
    expect(supplement.status).toBe(200);
    const { say } = await chat('u-dossier');
    await say(`tra cuu ho so ${code}`);
    const reply = await say('0003');
    expect(reply).toMatch(new RegExp(`Hồ sơ \\*\\*${code}\\*\\*`));
    // Every step was recorded "now": 2 December in Vietnam, never the UTC 1 December.
    expect(reply).toMatch(/ {2}- 02\/12\/2026: /);
    expect(reply).not.toMatch(/ {2}- 01\/12\/2026/);
    expect(reply).toMatch(/Bản sao ! \[ảnh\]/);
    expect(reply).not.toContain('![');
    const outbox = await app.store.outbox.pending('sms', 100).catch(() => []);
    for (const n of outbox) expect(n.text).not.toContain('![');
  });
});
