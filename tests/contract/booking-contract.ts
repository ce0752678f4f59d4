/**
 * The contract of the booking and waitlist repositories, the same assertions for every store: the
 * unique keys a booking carries (code, seat, daily quota, request) are what prevents double booking,
 * so each store must refuse a duplicate of each, atomically, and report which one it was.
 * Called by embedded-store.test.ts (always) and mongo-store.test.ts (when MONGODB_URI is set).
 */
import { newBookingCode, type Booking } from '../../src/domain/booking/booking';
import { phoneQuotaKey, releasedKey, requestKeyOf, seatKey } from '../../src/domain/booking/seats';
import type { WaitlistEntry } from '../../src/domain/booking/waitlist';
import type { Store } from '../../src/store/types';

export interface BookingStoreFactory {
  /** A fresh, empty store. */
  open(): Promise<Store>;
  /** A fresh store whose bookings were written by a version without seats (raw documents), then opened. */
  openWithLegacyBookings(documents: Record<string, unknown>[]): Promise<Store>;
  cleanup(): Promise<void>;
}

const START = '2026-11-23T09:00:00+07:00';
const CAPACITY_KEY = 'contract-branch|q1';
let sequence = 0;

function booking(over: Partial<Booking> & { seat?: number; quota?: number } = {}): Booking {
  const { seat = 1, quota = 1, ...rest } = over;
  const code = rest.code ?? newBookingCode();
  const phone = rest.phone ?? '0912000001';
  const start = rest.start ?? START;
  return {
    code,
    procedureCode: '1.001193',
    procedureName: 'Đăng ký khai sinh',
    branchId: 'contract-branch',
    branchName: 'Chi nhánh thử nghiệm',
    field: 'Hộ tịch',
    start,
    date: start.slice(0, 10),
    capacityKey: CAPACITY_KEY,
    name: 'Nguyễn Văn Thử',
    phone,
    priority: false,
    status: 'confirmed',
    idempotencyKey: null,
    seatKey: seatKey(CAPACITY_KEY, start, seat),
    phoneQuotaKey: phoneQuotaKey(phone, start.slice(0, 10), quota),
    requestKey: requestKeyOf(rest.idempotencyKey ?? null, code),
    holdUntil: null,
    waitlistEntryId: null,
    createdAt: '2026-11-20T00:00:00.000Z',
    updatedAt: '2026-11-20T00:00:00.000Z',
    ...rest,
  };
}

function entry(over: Partial<WaitlistEntry> = {}): WaitlistEntry {
  return {
    id: `entry-${++sequence}`,
    capacityKey: CAPACITY_KEY,
    start: START,
    date: START.slice(0, 10),
    branchId: 'contract-branch',
    procedureCode: '1.001193',
    name: 'Trần Thị Chờ',
    phone: '0912000099',
    notify: null,
    status: 'waiting',
    createdAt: new Date(Date.UTC(2026, 10, 20, 0, 0, sequence)).toISOString(),
    holdUntil: null,
    bookingCode: null,
    round: null,
    ...over,
  };
}

export function bookingContract(name: string, makeFactory: () => BookingStoreFactory): void {
  describe(`booking and waitlist contract: ${name}`, () => {
    let factory: BookingStoreFactory;
    let store: Store;
    beforeEach(async () => {
      factory = makeFactory();
      store = await factory.open();
    });
    afterEach(async () => {
      await store.close();
      await factory.cleanup();
    });

    describe('bookings', () => {
      it('stores a booking and finds it by code and by request key', async () => {
        const b = booking({ idempotencyKey: 'client-key-1' });
        expect(await store.bookings.insert(b)).toBe('inserted');
        expect(await store.bookings.get(b.code)).toEqual(b);
        expect(await store.bookings.byRequestKey('request|client-key-1')).toEqual(b);
        expect(await store.bookings.get('NOSUCHCD')).toBeNull();
      });

      it('refuses a duplicate of each unique key and says which', async () => {
        const first = booking({ idempotencyKey: 'client-key-2' });
        expect(await store.bookings.insert(first)).toBe('inserted');
        expect(await store.bookings.insert(booking({ seat: 1, phone: '0912000002' }))).toBe('duplicate_seat');
        expect(await store.bookings.insert(booking({ seat: 2, quota: 1 }))).toBe('duplicate_phone_quota');
        expect(await store.bookings.insert(booking({ seat: 3, phone: '0912000003', idempotencyKey: 'client-key-2' }))).toBe('duplicate_request');
        expect(await store.bookings.insert(booking({ code: first.code, seat: 4, phone: '0912000004' }))).toBe('duplicate_code');
        expect(await store.bookings.occupiedSeats(CAPACITY_KEY, [START])).toEqual([{ start: START, seatKey: first.seatKey }]);
      });

      it('stores any number of bookings without an idempotency key (no null key to collide on)', async () => {
        const outcomes = [];
        for (let seat = 1; seat <= 5; seat++) outcomes.push(await store.bookings.insert(booking({ seat, phone: `091200010${seat}` })));
        expect(outcomes).toEqual(Array(5).fill('inserted'));
      });

      it('lets exactly one of many concurrent inserts take a seat', async () => {
        const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => store.bookings.insert(booking({ seat: 1, phone: `09120002${String(i).padStart(2, '0')}` }))));
        expect(outcomes.filter((o) => o === 'inserted')).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'duplicate_seat')).toHaveLength(19);
      });

      it('frees the seat and the quota in the same conditional update that cancels', async () => {
        const b = booking();
        await store.bookings.insert(b);
        const cancelled = await store.bookings.transition(b.code, ['confirmed'], { status: 'cancelled', seatKey: releasedKey(b.code), phoneQuotaKey: releasedKey(b.code) });
        expect(cancelled).toMatchObject({ code: b.code, status: 'cancelled' });
        expect(await store.bookings.transition(b.code, ['confirmed'], { status: 'cancelled' })).toBeNull();
        expect(await store.bookings.occupiedSeats(CAPACITY_KEY, [START])).toEqual([]);
        expect(await store.bookings.phoneQuotas(b.phone, b.date)).toEqual([]);
        expect(await store.bookings.insert(booking({ phone: b.phone }))).toBe('inserted');
      });

      it('moves a booking to a free seat atomically, and refuses a taken one without changing anything', async () => {
        const a = booking({ seat: 1, phone: '0912000301' });
        const b = booking({ seat: 2, phone: '0912000302' });
        await store.bookings.insert(a);
        await store.bookings.insert(b);
        expect(await store.bookings.transition(b.code, ['confirmed'], { seatKey: a.seatKey })).toBe('duplicate_seat');
        expect(await store.bookings.get(b.code)).toEqual(b);
        const later = '2026-11-23T10:00:00+07:00';
        const moved = await store.bookings.transition(b.code, ['confirmed'], { start: later, seatKey: seatKey(CAPACITY_KEY, later, 1) });
        expect(moved).toMatchObject({ start: later });
        expect((await store.bookings.occupiedSeats(CAPACITY_KEY, [START, later])).map((s) => s.seatKey).sort()).toEqual([a.seatKey, seatKey(CAPACITY_KEY, later, 1)].sort());
      });

      it('counts held places as occupied, lists expired holds, and lists a branch day in order', async () => {
        const held = booking({ status: 'held', phoneQuotaKey: 'hold|X', holdUntil: '2026-11-23T01:00:00.000Z' });
        const confirmed = booking({ seat: 2, phone: '0912000401', priority: true });
        await store.bookings.insert(held);
        await store.bookings.insert(confirmed);
        expect((await store.bookings.occupiedSeats(CAPACITY_KEY, [START])).length).toBe(2);
        expect(await store.bookings.phoneQuotas(held.phone, held.date)).toEqual([]);
        expect((await store.bookings.expiredHolds('2026-11-23T02:00:00.000Z', 10)).map((b) => b.code)).toEqual([held.code]);
        expect(await store.bookings.expiredHolds('2026-11-23T00:30:00.000Z', 10)).toEqual([]);
        expect((await store.bookings.listForBranchDay('contract-branch', '2026-11-23')).map((b) => b.code)).toEqual([confirmed.code, held.code]);
      });
    });

    describe('bookings stored before seats existed', () => {
      it('get their seat, quota and request keys at start, oldest first, cancelled ones released', async () => {
        await store.close();
        await factory.cleanup();
        factory = makeFactory();
        const legacy = (over: Partial<Booking>) => {
          const { seatKey: _s, phoneQuotaKey: _p, requestKey: _r, holdUntil: _h, waitlistEntryId: _w, ...old } = booking(over);
          void _s, _p, _r, _h, _w;
          return old;
        };
        store = await factory.openWithLegacyBookings([
          legacy({ code: 'LEGACY2B', phone: '0912000502', createdAt: '2026-11-20T02:00:00.000Z', idempotencyKey: 'old-key' }),
          legacy({ code: 'LEGACY3C', phone: '0912000503', createdAt: '2026-11-20T03:00:00.000Z', status: 'cancelled' }),
          legacy({ code: 'LEGACY1A', phone: '0912000501', createdAt: '2026-11-20T01:00:00.000Z' }),
        ]);
        expect(await store.bookings.get('LEGACY1A')).toMatchObject({ seatKey: seatKey(CAPACITY_KEY, START, 1), requestKey: 'none|LEGACY1A' });
        expect(await store.bookings.get('LEGACY2B')).toMatchObject({ seatKey: seatKey(CAPACITY_KEY, START, 2), requestKey: 'request|old-key' });
        expect(await store.bookings.get('LEGACY3C')).toMatchObject({ seatKey: releasedKey('LEGACY3C'), phoneQuotaKey: releasedKey('LEGACY3C') });
        expect(await store.bookings.insert(booking({ seat: 1, phone: '0912000504' }))).toBe('duplicate_seat');
        expect(await store.bookings.insert(booking({ seat: 3, phone: '0912000504' }))).toBe('inserted');
      });
    });

    describe('waitlist', () => {
      it('keeps the line in order and changes an entry only from the expected status', async () => {
        const first = entry({ phone: '0912000601' });
        const second = entry({ phone: '0912000602' });
        await store.waitlist.add(second);
        await store.waitlist.add(first);
        expect(await store.waitlist.get(first.id)).toEqual(first);
        expect((await store.waitlist.firstWaiting(CAPACITY_KEY, START))!.id).toBe(first.id); // created earlier, added later
        expect(await store.waitlist.countWaiting(CAPACITY_KEY, START)).toBe(2);
        expect((await store.waitlist.findWaiting(CAPACITY_KEY, START, '0912000602'))!.id).toBe(second.id);
        const offered = await store.waitlist.transition(first.id, ['waiting'], { status: 'offered', holdUntil: '2026-11-23T01:00:00.000Z', bookingCode: 'HOLD2345', round: 1 });
        expect(offered).toMatchObject({ status: 'offered', round: 1, bookingCode: 'HOLD2345' });
        expect(await store.waitlist.transition(first.id, ['waiting'], { status: 'offered' })).toBeNull();
        expect((await store.waitlist.waiting(CAPACITY_KEY, START, 10)).map((e) => e.id)).toEqual([second.id]);
        expect((await store.waitlist.expiredOffers('2026-11-23T02:00:00.000Z', 10)).map((e) => e.id)).toEqual([first.id]);
        expect(await store.waitlist.expiredOffers('2026-11-23T00:30:00.000Z', 10)).toEqual([]);
      });

      it('lets one of many concurrent offers of the same entry win', async () => {
        const e = entry();
        await store.waitlist.add(e);
        const results = await Promise.all(Array.from({ length: 10 }, () => store.waitlist.transition(e.id, ['waiting'], { status: 'offered' })));
        expect(results.filter((r) => r !== null)).toHaveLength(1);
      });
    });
  });
}
