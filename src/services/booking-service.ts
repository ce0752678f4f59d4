/**
 * Booking a counter slot, and looking a booking up, cancelling or moving it by code and phone. Every
 * path (REST, web chat, Zalo) books through here. A booking carries the seat and the daily quota it
 * uses (see domain/booking/seats.ts): inserting it is the reservation, cancelling it frees both in the
 * same write, so free places are always what the stored bookings say.
 */
import type { Branch, Procedure } from '../../knowledge/schemas';
import { newBookingCode, type Booking } from '../domain/booking/booking';
import { freeNumbers, idempotencyRequestKey, keyNumber, phoneQuotaKey, releasedKey, requestKeyOf, seatKey } from '../domain/booking/seats';
import type { Slot } from '../domain/booking/slots';
import type { Clock } from '../domain/calendar/clock';
import { addDays, localDate, type LocalDate } from '../domain/calendar/vietnam-time';
import type { Store } from '../store/types';
import type { AvailabilityService } from './availability-service';
import { reserve } from './booking-seats';
import type { BookingRules } from './booking-rules';
import { publicBooking, type PublicBooking } from './booking-view';
import { ServiceError } from './errors';
import type { WaitlistService } from './waitlist-service';

export { publicBooking, type PublicBooking } from './booking-view';

export interface BookingRequest {
  procedureCode: string;
  branchId: string;
  start: string;
  name: string;
  phone: string;
  age?: number;
  idempotencyKey?: string;
  /** Where the citizen booked from (web chat conversation, Zalo user), for reminders there. */
  notify?: { channel: string; address: string } | null;
}

/** Missed appointments: counted per phone for `windowDays`; at `limit` (0: never) booking is refused. */
export interface NoShowRules {
  limit: number;
  windowDays: number;
}

export const noShowKey = (phone: string) => `no-show|${phone}`;

/** Bookings the public may see; held places and ended holds belong to the waitlist. */
const VISIBLE: readonly Booking['status'][] = ['confirmed', 'cancelled', 'checked_in'];
/**
 * When the store may drop a day's counters: after the day, and never before a day of wall-clock time
 * (the store's expiry runs on the wall clock, not on the injected one).
 */
const endOfDay = (date: LocalDate) => new Date(Math.max(Date.parse(date + 'T00:00:00Z') + 2 * 86_400_000, Date.now() + 86_400_000));

const phoneLimit = (branch: Branch) =>
  new ServiceError(429, 'phone_limit', `Mỗi số điện thoại chỉ đặt được ${branch.booking.maxPerPhonePerDay} lịch trong một ngày.`);

export class BookingService {
  constructor(
    private readonly store: Store,
    private readonly availability: AvailabilityService,
    private readonly waitlist: WaitlistService,
    private readonly clock: Clock,
    private readonly rules: Pick<BookingRules, 'perClientPerDay' | 'lookup'>,
    private readonly noShows: NoShowRules = { limit: 0, windowDays: 90 },
  ) {}

  /** Appointments this phone missed within the window (officers see it; the limit reads it). */
  async noShowCount(phone: string): Promise<number> {
    return this.store.counters.get(noShowKey(phone));
  }

  /**
   * Confirmed bookings whose slot has ended without a check-in become `no_show`, each counted once
   * against its phone (the status change is atomic, so two processes cannot both count it). Looks
   * at today and yesterday, so a sweep missed overnight still catches the evening's slots.
   */
  async markNoShows(): Promise<number> {
    const now = this.clock.now();
    const today = localDate(now);
    const days = [addDays(today, -1), today];
    let marked = 0;
    for (const branch of await this.store.branches.list()) {
      for (const date of days) {
        for (const b of await this.store.bookings.listForBranchDay(branch.id, date)) {
          if (b.status !== 'confirmed' || Date.parse(b.start) + branch.slotMinutes * 60_000 > now.getTime()) continue;
          const changed = await this.store.bookings.transition(b.code, ['confirmed'], { status: 'no_show', updatedAt: now.toISOString() });
          if (!changed || typeof changed === 'string') continue;
          // The counter lives for the window after the latest miss (wall clock: the store's expiry runs on it).
          await this.store.counters.increment(noShowKey(b.phone), new Date(Date.now() + this.noShows.windowDays * 86_400_000));
          marked++;
        }
      }
    }
    return marked;
  }

  /** The phone's daily booking numbers still free on that day. */
  private async freeQuotas(phone: string, date: LocalDate, branch: Branch): Promise<number[]> {
    const used = (await this.store.bookings.phoneQuotas(phone, date)).map(keyNumber).filter((n): n is number => n !== null);
    return freeNumbers(used, branch.booking.maxPerPhonePerDay);
  }

  async book(request: BookingRequest, clientId: string): Promise<{ booking: PublicBooking; replayed: boolean }> {
    const key = request.idempotencyKey ?? null;
    // A repeated request finds its booking by the unique request key: no second booking, no waiting.
    const replay = async () => {
      const existing = key ? await this.store.bookings.byRequestKey(idempotencyRequestKey(key)) : null;
      return existing ? this.replay(existing, request) : null;
    };
    const earlier = await replay();
    if (earlier) return earlier;
    if (this.noShows.limit > 0 && (await this.noShowCount(request.phone)) >= this.noShows.limit) {
      throw new ServiceError(
        429,
        'no_show_limit',
        `Số điện thoại này đã ${this.noShows.limit} lần đặt lịch mà không đến nên tạm thời không đặt lịch trực tuyến được. Xin ông/bà đến lấy số trực tiếp tại quầy.`,
      );
    }
    const { branch, procedure } = await this.availability.branchAndProcedure(request.branchId, request.procedureCode);
    const slot = this.availability.bookableSlot(branch, procedure.field, request.start);
    const date = localDate(new Date(slot.start));

    // A full slot or a phone at its limit is refused from a read, before anything is written (a
    // request repeated while its twin took the last place gets the twin's booking).
    const seats = await this.availability.freeSeats(slot);
    if (seats.length === 0) {
      const twin = await replay();
      if (twin) return twin;
      throw await this.full(branch, procedure, slot);
    }
    const read = { seats, quotas: await this.freeQuotas(request.phone, date, branch) };
    if (read.quotas.length === 0) {
      const twin = await replay();
      if (twin) return twin;
      throw phoneLimit(branch);
    }

    // Against resellers, per client and day. A counter is enough here: one left behind by a crash
    // costs that client one of its generous daily allowance until the day ends, never a citizen's place.
    const clientKey = `client|${clientId}|${date}`;
    if (!(await this.store.counters.tryIncrement(clientKey, this.rules.perClientPerDay, endOfDay(date)))) {
      throw new ServiceError(429, 'client_limit', 'Đã đạt giới hạn số lịch đặt trong ngày từ thiết bị này.');
    }
    let booked: Booking | null = null;
    try {
      const outcome = await reserve(
        () => this.availability.freeSeats(slot),
        () => this.freeQuotas(request.phone, date, branch),
        async (seat, quota) => {
          const candidate = this.newBooking(procedure, branch, slot, request, seat, quota!);
          const inserted = await this.store.bookings.insert(candidate);
          if (inserted === 'inserted') booked = candidate;
          return inserted === 'inserted' ? 'done' : inserted;
        },
        read,
      );
      if (outcome === 'reserved' && booked) return { booking: publicBooking(booked), replayed: false };
      // Full, over the limit or a duplicate request: a concurrent twin of this request may have won.
      const twin = await replay();
      if (twin) return twin;
      if (outcome === 'phone_limit') throw phoneLimit(branch);
      if (outcome === 'duplicate_request') throw new ServiceError(409, 'request_in_progress', 'Yêu cầu đặt lịch này đang được xử lý, xin thử lại sau giây lát.');
      throw await this.full(branch, procedure, slot);
    } finally {
      if (!booked) await this.store.counters.decrement(clientKey);
    }
  }

  private async full(branch: Branch, procedure: Procedure, slot: Slot): Promise<ServiceError> {
    return new ServiceError(409, 'slot_full', 'Khung giờ này đã kín chỗ.', { alternatives: await this.availability.alternatives(branch, procedure, slot) });
  }

  private replay(existing: Booking, request: BookingRequest) {
    if (existing.phone !== request.phone) {
      throw new ServiceError(409, 'idempotency_conflict', 'Khóa idempotencyKey này đã được dùng cho một lịch khác.');
    }
    return { booking: publicBooking(existing), replayed: true };
  }

  /**
   * Each attempt to prove ownership of a code is counted before it is evaluated (an atomic increment,
   * then the comparison), so concurrent guesses cannot all pass a check made before any was counted.
   * A right answer gives its count back; a wrong one stays counted until the window ends. Per code
   * the window is short (the owner is not locked out for long); per client it is longer.
   */
  private async counted<T>(code: string, clientId: string, evaluate: () => Promise<T>): Promise<T> {
    const { perCode, codeLockMinutes, perClient, clientLockMinutes } = this.rules.lookup;
    const now = this.clock.now().getTime();
    const window = (minutes: number) => {
      const length = minutes * 60_000;
      const index = Math.floor(now / length);
      // The window is in the key, so a lock ends on time even where the store's expiry runs late.
      return { index, expires: new Date(Math.max((index + 2) * length, Date.now() + length)) };
    };
    const byCode = window(codeLockMinutes);
    const byClient = window(clientLockMinutes);
    const codeKey = `booking-lookup|code|${code}|${byCode.index}`;
    const clientKey = `booking-lookup|client|${clientId}|${byClient.index}`;
    const [codeAttempts, clientAttempts] = await Promise.all([
      this.store.counters.increment(codeKey, byCode.expires),
      this.store.counters.increment(clientKey, byClient.expires),
    ]);
    if (clientAttempts > perClient || codeAttempts > perCode) {
      throw new ServiceError(
        429,
        'lookup_limit',
        clientAttempts > perClient
          ? 'Ông/bà đã nhập sai mã hoặc số điện thoại quá nhiều lần. Xin thử lại sau.'
          : `Mã đặt lịch này đã bị nhập sai số điện thoại nhiều lần nên tạm khóa tra cứu. Xin thử lại sau ${codeLockMinutes} phút.`,
      );
    }
    let result: T;
    try {
      result = await evaluate();
    } catch (error) {
      // A wrong phone stays counted; anything else (the store failing) was not a guess.
      if (!(error instanceof ServiceError && error.code === 'booking_not_found')) await this.giveBack(codeKey, clientKey);
      throw error;
    }
    await this.giveBack(codeKey, clientKey);
    return result;
  }

  private async giveBack(codeKey: string, clientKey: string): Promise<void> {
    await Promise.all([this.store.counters.decrement(codeKey), this.store.counters.decrement(clientKey)]);
  }

  private async owned(code: string, phone: string): Promise<Booking> {
    const booking = await this.store.bookings.get(code);
    // Same answer for an unknown code and a wrong phone: a code cannot be probed.
    if (!booking || booking.phone !== phone || !VISIBLE.includes(booking.status)) {
      throw new ServiceError(404, 'booking_not_found', 'Không tìm thấy lịch hẹn với mã và số điện thoại này.');
    }
    return booking;
  }

  async get(code: string, phone: string, clientId: string): Promise<PublicBooking> {
    return this.counted(code, clientId, async () => publicBooking(await this.owned(code, phone)));
  }

  /** Cancels: the seat and the phone's quota are freed by the same write that changes the status. */
  async cancel(code: string, phone: string, clientId: string): Promise<PublicBooking> {
    const booking = await this.counted(code, clientId, () => this.owned(code, phone));
    const cancelled = await this.store.bookings.transition(code, ['confirmed'], {
      status: 'cancelled',
      seatKey: releasedKey(code),
      phoneQuotaKey: releasedKey(code),
      updatedAt: this.clock.now().toISOString(),
    });
    if (!cancelled || typeof cancelled === 'string') throw new ServiceError(409, 'not_cancellable', 'Lịch hẹn này đã hủy hoặc đã làm thủ tục, không hủy được.');
    await this.passOn(booking);
    return publicBooking(cancelled);
  }

  /**
   * Moves a booking with one conditional update of the booking itself: the new seat (and the new day's
   * quota) are taken and the old ones freed in the same write, so a failure or a crash leaves the
   * booking either where it was or where it went, never both or neither.
   */
  async reschedule(code: string, phone: string, newStart: string, clientId: string): Promise<PublicBooking> {
    const booking = await this.counted(code, clientId, () => this.owned(code, phone));
    if (booking.status !== 'confirmed') throw new ServiceError(409, 'not_reschedulable', 'Chỉ đổi được lịch hẹn còn hiệu lực.');
    const branch = await this.availability.branch(booking.branchId);
    const slot = this.availability.bookableSlot(branch, booking.field, newStart);
    if (slot.start === booking.start) return publicBooking(booking);
    const date = localDate(new Date(slot.start));
    const dayChanges = date !== booking.date;
    let moved: Booking | null = null;
    const outcome = await reserve(
      () => this.availability.freeSeats(slot),
      dayChanges ? () => this.freeQuotas(booking.phone, date, branch) : null,
      async (seat, quota) => {
        const result = await this.store.bookings.transition(code, ['confirmed'], {
          start: slot.start,
          date,
          capacityKey: slot.capacityKey,
          seatKey: seatKey(slot.capacityKey, slot.start, seat),
          ...(dayChanges ? { phoneQuotaKey: phoneQuotaKey(booking.phone, date, quota!) } : {}),
          updatedAt: this.clock.now().toISOString(),
        });
        if (result === null) return 'not_applicable';
        if (typeof result === 'string') return result;
        moved = result;
        return 'done';
      },
    );
    if (outcome === 'phone_limit') throw phoneLimit(branch);
    if (outcome === 'full') {
      const procedure = (await this.store.procedures.get(booking.procedureCode))!;
      throw new ServiceError(409, 'slot_full', 'Khung giờ này đã kín chỗ.', { alternatives: await this.availability.alternatives(branch, procedure, slot) });
    }
    if (outcome !== 'reserved' || !moved) throw new ServiceError(409, 'not_reschedulable', 'Chỉ đổi được lịch hẹn còn hiệu lực.');
    await this.passOn(booking);
    return publicBooking(moved);
  }

  /** The place a booking left goes to the first person waiting for it, if anyone waits. */
  private async passOn(left: Booking): Promise<void> {
    // The place is already free for anyone; if the waitlist cannot be reached now, it only loses its turn.
    await this.waitlist.offerFreedPlace(left).catch(() => undefined);
  }

  /** Officer: any booking by its code, phone shown in full. */
  async officerGet(code: string): Promise<Booking> {
    const booking = await this.store.bookings.get(code);
    if (!booking || !VISIBLE.includes(booking.status)) throw new ServiceError(404, 'booking_not_found', `Không có lịch hẹn ${code}.`);
    return booking;
  }

  /** Officer: check a citizen in at the counter (the booking keeps its seat). */
  async checkIn(code: string): Promise<PublicBooking> {
    const booking = await this.store.bookings.transition(code, ['confirmed'], {
      status: 'checked_in',
      updatedAt: this.clock.now().toISOString(),
    });
    if (!booking || typeof booking === 'string') {
      const existing = await this.officerGet(code);
      throw new ServiceError(409, 'not_checkable', `Lịch hẹn ${code} đang ở trạng thái ${existing.status}.`);
    }
    return publicBooking(booking);
  }

  /** Officer: the day's bookings of a branch, priority first within each slot, with each phone's missed appointments. */
  async dayList(branchId: string, date: LocalDate) {
    await this.availability.branch(branchId);
    const list = (await this.store.bookings.listForBranchDay(branchId, date)).filter((b) => VISIBLE.includes(b.status) || b.status === 'no_show');
    const counts = new Map<string, number>();
    for (const phone of new Set(list.map((b) => b.phone))) counts.set(phone, await this.noShowCount(phone));
    return list.map((b) => ({ ...publicBooking(b), phone: b.phone, noShows: counts.get(b.phone) ?? 0 }));
  }

  /** A confirmed booking with a fresh code, on the given seat and daily quota. */
  private newBooking(procedure: Procedure, branch: Branch, slot: Slot, request: BookingRequest, seat: number, quota: number): Booking {
    const now = this.clock.now().toISOString();
    const code = newBookingCode();
    const date = localDate(new Date(slot.start));
    return {
      code,
      procedureCode: procedure.code,
      procedureName: procedure.name,
      branchId: branch.id,
      branchName: branch.name,
      field: procedure.field,
      start: slot.start,
      date,
      capacityKey: slot.capacityKey,
      name: request.name,
      phone: request.phone,
      priority: branch.booking.priorityAge !== null && (request.age ?? 0) >= branch.booking.priorityAge,
      idempotencyKey: request.idempotencyKey ?? null,
      seatKey: seatKey(slot.capacityKey, slot.start, seat),
      phoneQuotaKey: phoneQuotaKey(request.phone, date, quota),
      requestKey: requestKeyOf(request.idempotencyKey ?? null, code),
      holdUntil: null,
      waitlistEntryId: null,
      notify: request.notify ?? null,
      status: 'confirmed',
      createdAt: now,
      updatedAt: now,
    };
  }
}
