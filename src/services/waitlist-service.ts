/**
 * The waitlist of a full slot. A freed place is held for the first person in line (a `held` booking
 * that occupies the seat until its hold ends) and they are notified; the claimant gives the phone of
 * the entry. A place is held for at most `holdsInARow` people in a row, then it is open to anyone and
 * the rest of the line is told: a queue of fake entries cannot keep a place blocked for hours.
 */
import { randomUUID } from 'node:crypto';
import type { Branch } from '../../knowledge/schemas';
import { newBookingCode, type Booking } from '../domain/booking/booking';
import { freeNumbers, holdQuotaKey, keyNumber, phoneQuotaKey, releasedKey, seatKey, waitlistRequestKey } from '../domain/booking/seats';
import type { WaitlistEntry } from '../domain/booking/waitlist';
import type { Clock } from '../domain/calendar/clock';
import { localDate, toVietnamIso } from '../domain/calendar/vietnam-time';
import type { Store } from '../store/types';
import type { AvailabilityService } from './availability-service';
import { publicBooking, type PublicBooking } from './booking-view';
import { reserve } from './booking-seats';
import type { BookingRules } from './booking-rules';
import { ServiceError } from './errors';

export interface WaitlistRequest {
  procedureCode: string;
  branchId: string;
  start: string;
  name: string;
  phone: string;
  notify?: { channel: string; address: string } | null;
}

/** A place that became free: the slot it is in. */
export interface FreedPlace {
  branchId: string;
  field: string;
  capacityKey: string;
  start: string;
  date: string;
}

const dayMonth = (date: string) => date.split('-').reverse().join('/');
/** Per-day limits are dropped by the store some time after the day (its expiry runs on the wall clock). */
const afterTheDay = (now: Date) => new Date(Math.max(now.getTime(), Date.now()) + 2 * 86_400_000);

export class WaitlistService {
  constructor(
    private readonly store: Store,
    private readonly availability: AvailabilityService,
    private readonly clock: Clock,
    private readonly rules: BookingRules['waitlist'],
  ) {}

  /** Joins the waitlist of a full slot; the position in line is returned. */
  async join(request: WaitlistRequest, clientId: string) {
    const { branch, procedure } = await this.availability.branchAndProcedure(request.branchId, request.procedureCode);
    const slot = this.availability.bookableSlot(branch, procedure.field, request.start);
    if ((await this.availability.freeSeats(slot)).length > 0) {
      throw new ServiceError(409, 'slot_available', 'Khung giờ này vẫn còn chỗ, xin đặt lịch trực tiếp.');
    }
    const existing = await this.store.waitlist.findWaiting(slot.capacityKey, slot.start, request.phone);
    if (existing) throw new ServiceError(409, 'already_waiting', 'Số điện thoại này đã có trong danh sách chờ của khung giờ.');
    // Fake entries hold real places: a phone and a client may each join only a few lines a day.
    const now = this.clock.now();
    const today = localDate(now);
    const phoneKey = `waitlist|phone|${request.phone}|${today}`;
    if (!(await this.store.counters.tryIncrement(phoneKey, this.rules.perPhonePerDay, afterTheDay(now)))) {
      throw new ServiceError(429, 'waitlist_limit', `Mỗi số điện thoại chỉ vào được ${this.rules.perPhonePerDay} danh sách chờ trong một ngày.`);
    }
    if (!(await this.store.counters.tryIncrement(`waitlist|client|${clientId}|${today}`, this.rules.perClientPerDay, afterTheDay(now)))) {
      await this.store.counters.decrement(phoneKey);
      throw new ServiceError(429, 'waitlist_limit', 'Đã đạt giới hạn số lần vào danh sách chờ trong ngày từ thiết bị này.');
    }
    const entry: WaitlistEntry = {
      id: randomUUID(),
      capacityKey: slot.capacityKey,
      start: slot.start,
      date: localDate(new Date(slot.start)),
      branchId: branch.id,
      procedureCode: procedure.code,
      name: request.name,
      phone: request.phone,
      notify: request.notify ?? null,
      status: 'waiting',
      createdAt: now.toISOString(),
      holdUntil: null,
      bookingCode: null,
      round: null,
    };
    await this.store.waitlist.add(entry);
    const position = await this.store.waitlist.countWaiting(slot.capacityKey, slot.start);
    return { id: entry.id, start: entry.start, branchId: entry.branchId, status: entry.status, position };
  }

  /**
   * A place became free (a cancellation, a move, a hold that ended): hold it for the first person
   * waiting and notify them. `round` counts the holds in a row for this place.
   */
  async offerFreedPlace(place: FreedPlace, round = 1): Promise<void> {
    const branch = await this.store.branches.get(place.branchId);
    const slot = branch ? this.availability.slotOf(branch, place.field, place.date, place.start) : null;
    if (!branch || !slot) return;
    if (round > this.rules.holdsInARow) return this.tellTheLine(place);
    const now = this.clock.now();
    // Never held past the last moment it could be booked.
    const holdEnd = Math.min(now.getTime() + this.rules.holdMinutes * 60_000, Date.parse(place.start) - branch.booking.leadMinutes * 60_000);
    if (holdEnd <= now.getTime()) return;
    const holdUntil = new Date(holdEnd).toISOString();
    for (;;) {
      const next = await this.store.waitlist.firstWaiting(place.capacityKey, place.start);
      if (!next) return;
      // The hold is written first: a crash before the entry is marked leaves a hold that simply ends.
      let hold: Booking | null = null;
      const outcome = await reserve(
        () => this.availability.freeSeats(slot),
        null,
        async (seat) => {
          const candidate = this.holdBooking(next, branch, place, seat, holdUntil);
          const inserted = await this.store.bookings.insert(candidate);
          if (inserted === 'inserted') hold = candidate;
          return inserted === 'inserted' ? 'done' : inserted;
        },
      );
      if (outcome !== 'reserved' || !hold) return; // booked by someone else first, or already held for them
      const held: Booking = hold;
      const offered = await this.store.waitlist.transition(next.id, ['waiting'], { status: 'offered', holdUntil, bookingCode: held.code, round });
      if (!offered) {
        await this.releaseHold(held.code); // the entry left the line meanwhile: try the next person
        continue;
      }
      await this.notify(offered, `Đã có chỗ lúc ${offered.start.slice(11, 16)} ngày ${dayMonth(offered.date)} mà ông/bà chờ. Chỗ được giữ đến ${toVietnamIso(new Date(holdUntil)).slice(11, 16)}; xác nhận với mã chờ ${offered.id} và số điện thoại đã đăng ký.`);
      return;
    }
  }

  /** After the holds in a row: the place is open to anyone, and the people still waiting are told. */
  private async tellTheLine(place: FreedPlace): Promise<void> {
    for (const entry of await this.store.waitlist.waiting(place.capacityKey, place.start, 10)) {
      await this.notify(entry, `Đang có chỗ trống lúc ${entry.start.slice(11, 16)} ngày ${dayMonth(entry.date)} mà ông/bà chờ. Chỗ không được giữ riêng: ai đặt trước được trước.`);
    }
  }

  private async notify(entry: WaitlistEntry, text: string): Promise<void> {
    await this.store.outbox.enqueue({
      id: randomUUID(),
      recipient: { phone: entry.phone, channel: entry.notify?.channel ?? null, address: entry.notify?.address ?? null },
      kind: 'slot_freed',
      text,
      ref: entry.id,
      createdAt: this.clock.now().toISOString(),
      deliveredAt: null,
    });
  }

  private holdBooking(entry: WaitlistEntry, branch: Branch, place: FreedPlace, seat: number, holdUntil: string): Booking {
    const now = this.clock.now().toISOString();
    const code = newBookingCode();
    return {
      code,
      procedureCode: entry.procedureCode,
      procedureName: '',
      branchId: branch.id,
      branchName: branch.name,
      field: place.field,
      start: place.start,
      date: place.date,
      capacityKey: place.capacityKey,
      name: entry.name,
      phone: entry.phone,
      priority: false,
      status: 'held',
      idempotencyKey: null,
      seatKey: seatKey(place.capacityKey, place.start, seat),
      phoneQuotaKey: holdQuotaKey(code),
      requestKey: waitlistRequestKey(entry.id),
      holdUntil,
      waitlistEntryId: entry.id,
      createdAt: now,
      updatedAt: now,
    };
  }

  /** Ends a hold: the seat (and the entry's request key) are given back in the same write. */
  private async releaseHold(code: string): Promise<Booking | null> {
    const released = await this.store.bookings.transition(code, ['held'], {
      status: 'released',
      seatKey: releasedKey(code),
      requestKey: releasedKey(code),
      holdUntil: null,
      updatedAt: this.clock.now().toISOString(),
    });
    return typeof released === 'string' ? null : released;
  }

  /** The person offered a freed place takes it, with the phone of the entry: the hold becomes their booking. */
  async claim(id: string, phone: string): Promise<PublicBooking> {
    await this.sweep();
    const entry = await this.store.waitlist.get(id);
    if (!entry || entry.phone !== phone) throw new ServiceError(404, 'waitlist_not_found', 'Không tìm thấy lượt chờ với mã và số điện thoại này.');
    if (entry.status !== 'offered' || !entry.bookingCode) {
      throw new ServiceError(409, 'not_offered', entry.status === 'waiting' ? 'Chưa có chỗ trống, xin chờ thông báo.' : 'Lượt giữ chỗ này đã hết hiệu lực.');
    }
    const code = entry.bookingCode;
    const { branch, procedure } = await this.availability.branchAndProcedure(entry.branchId, entry.procedureCode);
    let claimed: Booking | null = null;
    // One conditional update: held → confirmed with one of the phone's daily bookings, or nothing.
    const outcome = await reserve(
      async () => [0], // the seat is already the hold's
      async () => freeNumbers((await this.store.bookings.phoneQuotas(phone, entry.date)).map(keyNumber).filter((n): n is number => n !== null), branch.booking.maxPerPhonePerDay),
      async (_seat, quota) => {
        const result = await this.store.bookings.transition(code, ['held'], {
          status: 'confirmed',
          procedureName: procedure.name,
          phoneQuotaKey: phoneQuotaKey(phone, entry.date, quota!),
          requestKey: waitlistRequestKey(entry.id),
          holdUntil: null,
          updatedAt: this.clock.now().toISOString(),
        });
        if (result === null) return 'not_applicable';
        if (typeof result === 'string') return result;
        claimed = result;
        return 'done';
      },
    );
    if (outcome === 'phone_limit') {
      throw new ServiceError(429, 'phone_limit', `Mỗi số điện thoại chỉ đặt được ${branch.booking.maxPerPhonePerDay} lịch trong một ngày.`);
    }
    if (outcome !== 'reserved' || !claimed) throw new ServiceError(409, 'not_offered', 'Lượt giữ chỗ này đã hết hiệu lực.');
    // The booking is confirmed already; marking the entry is bookkeeping (a sweep leaves a confirmed booking alone).
    await this.store.waitlist.transition(id, ['offered'], { status: 'booked' });
    return publicBooking(claimed);
  }

  /** Ends holds nobody claimed in time and passes each place on. Safe to run in every process. */
  async sweep(): Promise<number> {
    const now = this.clock.now().toISOString();
    let passed = 0;
    for (const entry of await this.store.waitlist.expiredOffers(now, 100)) {
      if (!(await this.store.waitlist.transition(entry.id, ['offered'], { status: 'expired' }))) continue;
      const released = entry.bookingCode ? await this.releaseHold(entry.bookingCode) : null;
      if (!released) continue; // claimed just in time
      await this.offerFreedPlace(released, (entry.round ?? 1) + 1);
      passed++;
    }
    // A hold whose entry was never marked (a crash between the two writes) ends on its own time.
    for (const hold of await this.store.bookings.expiredHolds(now, 100)) {
      const released = await this.releaseHold(hold.code);
      if (released) await this.offerFreedPlace(released);
    }
    return passed;
  }
}
