/**
 * Free places are what the stored bookings say, whatever fails in between; quotas come back on a
 * cancellation; guesses at a booking's phone are limited; the waitlist cannot be flooded or chained.
 * All through the real HTTP server on the embedded store.
 */
import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import type { Store } from '../../src/store/types';
import { api, startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

// Monday 23/11/2026, 07:00 in Hanoi.
const T0 = '2026-11-23T00:00:00Z';
const clock = fixedClock(T0);
const data = tempDir();
const knowledge = tempDir();
let app: App;

beforeAll(async () => {
  writeTestKnowledge(knowledge.path);
  app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path, requestsPerMinute: 100_000, bookingsPerClientPerDay: 100_000 }, undefined, clock);
});
afterAll(async () => {
  await app.stop();
  data.remove();
  knowledge.remove();
});
afterEach(() => clock.set(T0));

let phoneSeq = 0;
const phone = () => `09${String(20000000 + ++phoneSeq).slice(-8)}`;
const book = (over: Record<string, unknown>) =>
  api(app, 'POST', '/api/bookings', { procedureCode: '1.001193', branchId: 'test-b', name: 'Nguyễn Văn An', phone: phone(), ...over });

/** Remaining places of a slot as the public sees them (a full slot is not listed). */
async function remaining(branch: string, start: string): Promise<number> {
  const { body } = await api(app, 'GET', `/api/slots?branch=${branch}&procedure=1.001193&date=${start.slice(0, 10)}`);
  return body.slots.find((s: { start: string }) => s.start === start)?.remaining ?? 0;
}
async function seatHolders(branch: string, start: string): Promise<number> {
  const day = await app.store.bookings.listForBranchDay(branch, start.slice(0, 10));
  return day.filter((b) => b.start === start && ['confirmed', 'checked_in', 'held'].includes(b.status)).length;
}

/**
 * Makes the store's booking, counter and waitlist repositories throw on their Nth call from now
 * (a disk error, a dropped connection), once; `restore()` puts the real methods back.
 */
function failOnCall(store: Store, n: number) {
  let calls = 0;
  const originals: [Record<string, unknown>, string, unknown][] = [];
  for (const repository of [store.bookings, store.counters, store.waitlist] as unknown as Record<string, unknown>[]) {
    for (const [name, method] of Object.entries(repository)) {
      if (typeof method !== 'function') continue;
      originals.push([repository, name, method]);
      repository[name] = (...args: unknown[]) => {
        if (++calls === n) return Promise.reject(new Error(`injected store fault at call ${n}`));
        return (method as (...a: unknown[]) => unknown).apply(repository, args);
      };
    }
  }
  return {
    calls: () => calls,
    restore: () => {
      for (const [repository, name, method] of originals) repository[name] = method;
    },
  };
}

describe('a place is a booking', () => {
  it('keeps free places = capacity − bookings when the store fails at any step of booking or cancelling', async () => {
    // test-b: one counter × 3 per 30-minute slot. One slot per injected step.
    for (let n = 1; n <= 9; n++) {
      const start = `2026-11-25T${String(8 + Math.floor(n / 2)).padStart(2, '0')}:${n % 2 ? '30' : '00'}:00+07:00`;
      const owner = phone();
      const first = await book({ start, phone: owner });
      expect(first.status).toBe(201);

      const fault = failOnCall(app.store, n);
      const faulty = await book({ start, idempotencyKey: `fault-${n}-booking` });
      const cancel = await api(app, 'POST', `/api/bookings/${first.body.booking.code}/cancel`, { phone: owner });
      fault.restore();
      expect([201, 500, 503]).toContain(faulty.status);
      expect([200, 500, 503]).toContain(cancel.status);

      expect(await remaining('test-b', start)).toBe(3 - (await seatHolders('test-b', start)));
      // Whatever failed, the rest of the slot can still be booked, to the last place and no further.
      const free = 3 - (await seatHolders('test-b', start));
      const fill = await Promise.all(Array.from({ length: free + 1 }, () => book({ start })));
      expect(fill.filter((r) => r.status === 201)).toHaveLength(free);
      expect(fill.filter((r) => r.status === 409)).toHaveLength(1);
      expect(await seatHolders('test-b', start)).toBe(3);
    }
  });

  it('gives a phone its daily booking back when the store fails mid-booking, and when it cancels', async () => {
    const owner = phone();
    for (let n = 1; n <= 6; n++) {
      const fault = failOnCall(app.store, n);
      const r = await book({ start: '2026-11-26T09:00:00+07:00', phone: owner });
      fault.restore();
      if (r.status === 201) await api(app, 'POST', `/api/bookings/${r.body.booking.code}/cancel`, { phone: owner });
    }
    const a = await book({ start: '2026-11-26T10:00:00+07:00', phone: owner });
    const b = await book({ start: '2026-11-26T10:30:00+07:00', phone: owner });
    expect([a.status, b.status]).toEqual([201, 201]);
    const third = await book({ start: '2026-11-26T11:00:00+07:00', phone: owner });
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('phone_limit');
    // A cancellation gives the day's booking back at once.
    expect((await api(app, 'POST', `/api/bookings/${a.body.booking.code}/cancel`, { phone: owner })).status).toBe(200);
    expect((await book({ start: '2026-11-26T11:00:00+07:00', phone: owner })).status).toBe(201);
  });

  it('frees a cancelled place at once and a moved one in the same write', async () => {
    const start = '2026-11-26T14:00:00+07:00';
    const owners = [phone(), phone(), phone()];
    const booked = await Promise.all(owners.map((p) => book({ start, phone: p })));
    expect(booked.map((b) => b.status)).toEqual([201, 201, 201]);
    expect(await remaining('test-b', start)).toBe(0);
    await api(app, 'POST', `/api/bookings/${booked[0].body.booking.code}/cancel`, { phone: owners[0] });
    expect(await remaining('test-b', start)).toBe(1);
    const moved = await api(app, 'POST', `/api/bookings/${booked[1].body.booking.code}/reschedule`, { phone: owners[1], start: '2026-11-26T14:30:00+07:00' });
    expect(moved.status).toBe(200);
    expect(await remaining('test-b', start)).toBe(2);
    expect(await remaining('test-b', '2026-11-26T14:30:00+07:00')).toBe(2);
  });

  it('books without an idempotency key as often as there are places (no null key to collide on)', async () => {
    const start = '2026-11-26T15:00:00+07:00';
    const results = await Promise.all([book({ start }), book({ start }), book({ start })]);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
  });
});

describe('look-up, cancel and move by code and phone', () => {
  it('evaluates at most the per-code limit of 100 concurrent wrong guesses, and lets the owner in after the short lock', async () => {
    const owner = phone();
    const { body } = await book({ start: '2026-11-27T09:00:00+07:00', phone: owner });
    const code = body.booking.code;
    const guesses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => api(app, 'POST', `/api/bookings/${code}/lookup`, { phone: `0987${String(i).padStart(6, '0')}` })),
    );
    const statuses = guesses.map((g) => g.status);
    expect(statuses.filter((s) => s === 404)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(95);
    expect(guesses.find((g) => g.status === 429)!.body.error).toMatchObject({ code: 'lookup_limit', message: expect.stringMatching(/tạm khóa/) });
    // Cancel and move are counted the same way.
    expect((await api(app, 'POST', `/api/bookings/${code}/cancel`, { phone: owner })).status).toBe(429);
    // The guesses also count against this client (100 > 20): both windows end by 08:00 Hanoi time.
    clock.set('2026-11-23T01:00:00Z');
    const lookup = await api(app, 'POST', `/api/bookings/${code}/lookup`, { phone: owner });
    expect(lookup.status).toBe(200);
  });

  it('locks a client out for longer after too many wrong guesses over many codes', async () => {
    clock.set('2026-11-23T02:00:00Z'); // a new window for this client
    const codes = Array.from({ length: 21 }, (_, i) => `ABCD${String(2345 + i).replace(/[01]/g, '7')}`.slice(0, 8));
    const answers = [];
    for (const code of codes) answers.push((await api(app, 'POST', `/api/bookings/${code}/lookup`, { phone: '0987000000' })).status);
    expect(answers.slice(0, 20).every((s) => s === 404)).toBe(true);
    expect(answers[20]).toBe(429);
    clock.set('2026-11-23T02:30:00Z'); // the per-code lock would be over; the client's is not
    expect((await api(app, 'POST', `/api/bookings/ZZZZ2345/lookup`, { phone: '0987000000' })).status).toBe(429);
  });
});

describe('waitlist', () => {
  /** Fills a test-a slot (2 places for civil status) and returns its start. */
  async function fullSlot(time: string): Promise<{ start: string; holders: { code: string; phone: string }[] }> {
    const start = `2026-11-25T${time}:00+07:00`;
    const holders = [];
    for (let i = 0; i < 2; i++) {
      const p = phone();
      const r = await book({ branchId: 'test-a', start, phone: p });
      expect(r.status).toBe(201);
      holders.push({ code: r.body.booking.code, phone: p });
    }
    return { start, holders };
  }
  const join = (start: string, p: string) =>
    api(app, 'POST', '/api/waitlist', { procedureCode: '1.001193', branchId: 'test-a', start, name: 'Phạm Thị Dung', phone: p, notify: { channel: 'zalo', address: `zalo-${p}` } });

  it('limits entries per phone and per client', async () => {
    const slots = [];
    for (const time of ['08:00', '08:15', '08:30', '08:45', '09:00', '09:15']) slots.push((await fullSlot(time)).start);
    const p = phone();
    expect((await join(slots[0], p)).status).toBe(201);
    expect((await join(slots[1], p)).status).toBe(201);
    expect((await join(slots[2], p)).status).toBe(201);
    const perPhone = await join(slots[3], p);
    expect(perPhone.status).toBe(429);
    expect(perPhone.body.error.code).toBe('waitlist_limit');
    expect((await join(slots[3], phone())).status).toBe(201);
    expect((await join(slots[4], phone())).status).toBe(201);
    const perClient = await join(slots[5], phone());
    expect(perClient.status).toBe(429);
    expect(perClient.body.error.message).toMatch(/thiết bị này/);
  });

  it('holds a freed place for two people in a row at most, checks the phone at claim, then opens the place to anyone', async () => {
    clock.set('2026-11-24T00:00:00Z'); // a new day for this client's waitlist allowance
    const { start, holders } = await fullSlot('10:00');
    const waiting = [phone(), phone(), phone()];
    const ids: string[] = [];
    for (const p of waiting) ids.push((await join(start, p)).body.waitlist.id);

    await api(app, 'POST', `/api/bookings/${holders[0].code}/cancel`, { phone: holders[0].phone });
    expect(await remaining('test-a', start)).toBe(0); // held for the first in line
    const wrongPhone = await api(app, 'POST', `/api/waitlist/${ids[0]}/claim`, { phone: waiting[1] });
    expect(wrongPhone.status).toBe(404);

    clock.set('2026-11-24T00:16:00Z');
    expect(await app.waitlist.sweep()).toBe(1); // passed to the second
    expect(await remaining('test-a', start)).toBe(0);
    clock.set('2026-11-24T00:32:00Z');
    expect(await app.waitlist.sweep()).toBe(1); // two holds in a row: now open to anyone
    expect(await remaining('test-a', start)).toBe(1);
    expect((await api(app, 'POST', `/api/waitlist/${ids[1]}/claim`, { phone: waiting[1] })).status).toBe(409);
    const told = await app.store.outbox.forRef(ids[2]);
    expect(told.map((n) => n.text)).toEqual([expect.stringMatching(/ai đặt trước được trước/)]);
    expect((await book({ branchId: 'test-a', start })).status).toBe(201);
  });

  it('a claimed hold becomes the claimant\'s booking on the same place', async () => {
    clock.set('2026-11-24T02:00:00Z');
    const { start, holders } = await fullSlot('11:00');
    const p = phone();
    const id = (await join(start, p)).body.waitlist.id;
    await api(app, 'POST', `/api/bookings/${holders[1].code}/cancel`, { phone: holders[1].phone });
    const claimed = await api(app, 'POST', `/api/waitlist/${id}/claim`, { phone: p });
    expect(claimed.status).toBe(201);
    expect(claimed.body.booking).toMatchObject({ start, status: 'confirmed', procedureName: expect.stringMatching(/khai sinh/i) });
    expect(await seatHolders('test-a', start)).toBe(2);
    expect((await api(app, 'POST', `/api/bookings/${claimed.body.booking.code}/lookup`, { phone: p })).status).toBe(200);
  });
});
