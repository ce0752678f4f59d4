import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { createOfficerToken } from '../../src/services/officer-auth';
import { api, startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

// Monday 23/11/2026, 07:00 in Hanoi. Tuesday 24/11 is a (test) holiday.
const clock = fixedClock('2026-11-23T00:00:00Z');
const data = tempDir();
const knowledge = tempDir();
let app: App;
let officer: string;

beforeAll(async () => {
  writeTestKnowledge(knowledge.path, { holidays: [{ date: '2026-11-24', name: 'Ngày nghỉ thử', kind: 'holiday' }] });
  app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path, requestsPerMinute: 10_000 }, undefined, clock);
  officer = (await createOfficerToken(app.store, 'Cán bộ thử', 'officer', clock.now())).secret;
});
afterAll(async () => {
  await app.stop();
  data.remove();
  knowledge.remove();
});

let phoneSeq = 0;
const phone = () => `09${String(10000000 + ++phoneSeq).slice(-8)}`;
const book = (over: Record<string, unknown> = {}) =>
  api(app, 'POST', '/api/bookings', {
    procedureCode: '1.001193',
    branchId: 'test-a',
    start: '2026-11-23T09:00:00+07:00',
    name: 'Nguyễn Văn An',
    phone: phone(),
    ...over,
  });

describe('branches and slots', () => {
  it('lists branches nearest first with the distance', async () => {
    const { status, body } = await api(app, 'GET', '/api/branches?near=20.97,105.78');
    expect(status).toBe(200);
    expect(body.branches.map((b: any) => b.id)).toEqual(['test-b', 'test-a']);
    expect(body.branches[0].distanceKm).toBeLessThan(1);
    expect(body.branches[1].distanceKm).toBeGreaterThan(5);
  });

  it('lists free slots after the lead time, with remaining capacity per field', async () => {
    const { status, body } = await api(app, 'GET', '/api/slots?branch=test-a&procedure=1.001193&date=2026-11-23');
    expect(status).toBe(200);
    expect(body.slots[0]).toMatchObject({ start: '2026-11-23T08:00:00+07:00', time: '08:00', capacity: 2, remaining: 2 });
    expect(body.slots.map((s: any) => s.time)).not.toContain('12:00');
    expect(body.slots.at(-1).time).toBe('16:45');
    const residence = await api(app, 'GET', '/api/slots?branch=test-a&procedure=1.004222&date=2026-11-23');
    expect(residence.body.slots[0].capacity).toBe(1);
  });

  it.each([
    ['2026-11-24', 'holiday'],
    ['2026-11-29', 'closed'],
    ['2026-12-15', 'too_far'],
    ['2026-11-31', 'bad_request'],
  ])('refuses %s (%s)', async (date, code) => {
    const { status, body } = await api(app, 'GET', `/api/slots?branch=test-a&procedure=1.001193&date=${date}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe(code);
  });

  it('refuses a field the branch has no counter for', async () => {
    const { status, body } = await api(app, 'GET', '/api/slots?branch=test-a&procedure=1.013978&date=2026-11-23');
    expect(status).toBe(400);
    expect(body.error.code).toBe('field_not_served');
  });
});

describe('booking, overbooking, cancelling, rebooking', () => {
  it('books a slot and gives a short, unambiguous code', async () => {
    const { status, body } = await book({ start: '2026-11-23T10:00:00+07:00' });
    expect(status).toBe(201);
    expect(body.booking.code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
    expect(body.booking.phone).toMatch(/^09\d\*{4}\d{3}$/);
    expect(body.booking).toMatchObject({ status: 'confirmed', branchId: 'test-a', start: '2026-11-23T10:00:00+07:00' });
  });

  it('never books more than the slot holds, offers other times and branches, and frees a cancelled place at once', async () => {
    const start = '2026-11-23T09:15:00+07:00';
    const phones = [phone(), phone(), phone()];
    const first = await book({ start, phone: phones[0] });
    const second = await book({ start, phone: phones[1] });
    expect([first.status, second.status]).toEqual([201, 201]);
    const third = await book({ start, phone: phones[2] });
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe('slot_full');
    expect(third.body.error.alternatives.sameBranch.length).toBeGreaterThan(0);
    expect(third.body.error.alternatives.sameBranch[0].start).not.toBe(start);
    expect(third.body.error.alternatives.otherBranches[0]).toMatchObject({ branchId: 'test-b' });

    const cancel = await api(app, 'POST', `/api/bookings/${first.body.booking.code.toLowerCase()}/cancel`, { phone: phones[0] });
    expect(cancel.status).toBe(200);
    expect(cancel.body.booking.status).toBe('cancelled');
    const again = await book({ start, phone: phones[2] });
    expect(again.status).toBe(201);
    const cancelTwice = await api(app, 'POST', `/api/bookings/${first.body.booking.code}/cancel`, { phone: phones[0] });
    expect(cancelTwice.status).toBe(409);
  });

  it('does not let a wrong phone see or cancel a booking', async () => {
    const { body } = await book({ start: '2026-11-23T10:30:00+07:00' });
    const wrong = await api(app, 'POST', `/api/bookings/${body.booking.code}/cancel`, { phone: '0987654321' });
    expect(wrong.status).toBe(404);
    const unknown = await api(app, 'POST', `/api/bookings/ABCDEFGH/cancel`, { phone: '0987654321' });
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
  });

  it('reschedules and moves the capacity with the booking', async () => {
    const owner = phone();
    const { body } = await book({ start: '2026-11-23T14:00:00+07:00', phone: owner });
    const moved = await api(app, 'POST', `/api/bookings/${body.booking.code}/reschedule`, { phone: owner, start: '2026-11-25T14:00:00+07:00' });
    expect(moved.status).toBe(200);
    expect(moved.body.booking).toMatchObject({ start: '2026-11-25T14:00:00+07:00', date: '2026-11-25' });
    const slots = await api(app, 'GET', '/api/slots?branch=test-a&procedure=1.001193&date=2026-11-23');
    expect(slots.body.slots.find((s: any) => s.time === '14:00').remaining).toBe(2);
  });

  it('books once per idempotency key, however often the request is repeated', async () => {
    const request = { start: '2026-11-23T15:00:00+07:00', phone: phone(), idempotencyKey: 'retry-key-0001' };
    const results = await Promise.all([book(request), book(request), book(request)]);
    const codes = new Set(results.map((r) => r.body.booking.code));
    expect(codes.size).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    const slots = await api(app, 'GET', '/api/slots?branch=test-a&procedure=1.001193&date=2026-11-23');
    expect(slots.body.slots.find((s: any) => s.time === '15:00').remaining).toBe(1);
  });

  it('limits bookings per phone per day', async () => {
    const owner = phone();
    expect((await book({ start: '2026-11-23T15:15:00+07:00', phone: owner })).status).toBe(201);
    expect((await book({ start: '2026-11-23T15:30:00+07:00', phone: owner })).status).toBe(201);
    const third = await book({ start: '2026-11-23T15:45:00+07:00', phone: owner });
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('phone_limit');
  });

  it.each([
    [{ start: '2026-11-23T06:00:00+07:00' }, 'past'],
    [{ start: '2026-11-24T09:00:00+07:00' }, 'holiday'],
    [{ start: '2026-11-23T12:15:00+07:00' }, 'not_a_slot'],
    [{ start: '2026-11-23T09:07:00+07:00' }, 'not_a_slot'],
    [{ start: '2026-12-20T09:00:00+07:00' }, 'too_far'],
    [{ procedureCode: '1.013978' }, 'field_not_served'],
    [{ phone: '12345' }, 'bad_request'],
    [{ start: 'tomorrow 9am' }, 'bad_request'],
  ])('refuses %j with %s, and stores nothing', async (over, code) => {
    const before = await api(app, 'GET', '/api/slots?branch=test-a&procedure=1.001193&date=2026-11-23');
    const { status, body } = await book(over);
    expect(status).toBe(400);
    expect(body.error.code).toBe(code);
    const after = await api(app, 'GET', '/api/slots?branch=test-a&procedure=1.001193&date=2026-11-23');
    expect(after.body).toEqual(before.body);
  });

  it('refuses a slot that starts within the lead time', async () => {
    clock.set('2026-11-23T01:00:00Z'); // 08:00
    try {
      const { status, body } = await book({ start: '2026-11-23T08:15:00+07:00' });
      expect(status).toBe(400);
      expect(body.error.code).toBe('too_soon');
      expect((await book({ start: '2026-11-23T08:30:00+07:00' })).status).toBe(201);
    } finally {
      clock.set('2026-11-23T00:00:00Z');
    }
  });

  it('answers malformed JSON and oversize bodies with a JSON error', async () => {
    const bad = await api(app, 'POST', '/api/bookings', '{"procedureCode": ');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
    const big = await api(app, 'POST', '/api/bookings', { name: 'x'.repeat(100_000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
  });
});

describe('waitlist', () => {
  it('holds a freed place for the first person waiting, notifies them, and passes it on when unclaimed', async () => {
    const start = '2026-11-25T09:00:00+07:00';
    const holders = [phone(), phone()];
    const booked = await Promise.all(holders.map((p) => book({ start, phone: p })));
    expect(booked.map((b) => b.status)).toEqual([201, 201]);
    const [first, second] = [phone(), phone()];
    const join = (p: string) =>
      api(app, 'POST', '/api/waitlist', { procedureCode: '1.001193', branchId: 'test-a', start, name: 'Phạm Thị Dung', phone: p, notify: { channel: 'zalo', address: `zalo-${p}` } });
    expect((await join(first)).body.waitlist.position).toBe(1);
    const secondEntry = (await join(second)).body.waitlist;
    expect(secondEntry.position).toBe(2);
    expect((await join(first)).status).toBe(409);

    // A cancellation: the place is held for the first in line, not given to anyone who books now.
    await api(app, 'POST', `/api/bookings/${booked[0].body.booking.code}/cancel`, { phone: holders[0] });
    expect((await book({ start })).status).toBe(409);
    const entries = await Promise.all([first, second].map((p) => app.store.waitlist.findWaiting('test-a|a1+a2', start, p)));
    expect(entries.map((e) => e!.status)).toEqual(['offered', 'waiting']);
    const notice = await app.store.outbox.forRef(entries[0]!.id);
    expect(notice[0]).toMatchObject({ kind: 'slot_freed', recipient: { channel: 'zalo', address: `zalo-${first}` } });

    // Unclaimed after the hold: it passes to the second person, who claims it.
    clock.set('2026-11-23T00:20:00Z');
    try {
      expect(await app.waitlist.sweep()).toBe(1);
      expect((await api(app, 'POST', `/api/waitlist/${entries[0]!.id}/claim`, { phone: first })).status).toBe(409);
      const claimed = await api(app, 'POST', `/api/waitlist/${secondEntry.id}/claim`, { phone: second });
      expect(claimed.status).toBe(201);
      expect(claimed.body.booking).toMatchObject({ start, status: 'confirmed' });
    } finally {
      clock.set('2026-11-23T00:00:00Z');
    }
    const slots = await api(app, 'GET', '/api/slots?branch=test-a&procedure=1.001193&date=2026-11-25');
    expect(slots.body.slots.find((s: any) => s.time === '09:00')).toBeUndefined(); // still full: 2 bookings
    const stored = (await app.store.bookings.listForBranchDay('test-a', '2026-11-25')).filter((b) => b.start === start && (b.status === 'confirmed' || b.status === 'checked_in'));
    expect(stored).toHaveLength(2);
  });
});

describe('officers', () => {
  it('need a valid token; citizens never do', async () => {
    expect((await api(app, 'GET', '/api/officer/bookings?branch=test-a&date=2026-11-23')).status).toBe(401);
    expect(
      (await api(app, 'GET', '/api/officer/bookings?branch=test-a&date=2026-11-23', undefined, { authorization: 'Bearer mc_wrongwrongwrongwrongwrong' })).status,
    ).toBe(401);
  });

  it('list the day, priority first within a slot, and check a citizen in', async () => {
    const young = await book({ start: '2026-11-23T16:00:00+07:00', age: 30 });
    const elder = await book({ start: '2026-11-23T16:00:00+07:00', age: 80 });
    const auth = { authorization: `Bearer ${officer}` };
    const list = await api(app, 'GET', '/api/officer/bookings?branch=test-a&date=2026-11-23', undefined, auth);
    expect(list.status).toBe(200);
    const at16 = list.body.bookings.filter((b: any) => b.start === '2026-11-23T16:00:00+07:00');
    expect(at16.map((b: any) => b.code)).toEqual([elder.body.booking.code, young.body.booking.code]);
    const checkIn = await api(app, 'POST', `/api/officer/bookings/${young.body.booking.code}/check-in`, undefined, auth);
    expect(checkIn.body.booking.status).toBe('checked_in');
    expect((await api(app, 'POST', `/api/officer/bookings/${young.body.booking.code}/check-in`, undefined, auth)).status).toBe(409);
  });
});
