/**
 * Booking a counter slot: the rules come from domain/booking, the atomic capacity check from the store.
 * Every path (REST, web chat, Zalo) books through here.
 */
import { randomUUID } from 'node:crypto';
import type { WaitlistEntry } from '../domain/booking/waitlist';
import type { Branch, Procedure } from '../../knowledge/schemas';
import { newBookingCode, type Booking, maskPhone } from '../domain/booking/booking';
import {
  REFUSAL_MESSAGES,
  checkBookable,
  distanceKm,
  openSlots,
  type Slot,
} from '../domain/booking/slots';
import type { Clock } from '../domain/calendar/clock';
import { addDays, localDate, toVietnamIso, type LocalDate } from '../domain/calendar/vietnam-time';
import type { WorkingCalendar } from '../domain/calendar/working-days';
import type { Store } from '../store/types';
import { ServiceError } from './errors';

export interface BookingLimits {
  /** Bookings one client (IP address or chat user) may make per day: against slot resellers. */
  perClientPerDay: number;
  /** How long a freed place is held for the first person on the waitlist. */
  waitlistHoldMinutes: number;
}

export interface SlotView extends Slot {
  remaining: number;
}

export interface BookingRequest {
  procedureCode: string;
  branchId: string;
  start: string;
  name: string;
  phone: string;
  age?: number;
  idempotencyKey?: string;
}

export interface PublicBooking {
  code: string;
  status: Booking['status'];
  procedureCode: string;
  procedureName: string;
  branchId: string;
  branchName: string;
  start: string;
  date: string;
  name: string;
  phone: string;
  priority: boolean;
}

export function publicBooking(b: Booking): PublicBooking {
  return {
    code: b.code,
    status: b.status,
    procedureCode: b.procedureCode,
    procedureName: b.procedureName,
    branchId: b.branchId,
    branchName: b.branchName,
    start: b.start,
    date: b.date,
    name: b.name,
    phone: maskPhone(b.phone),
    priority: b.priority,
  };
}

const slotKey = (capacityKey: string, start: string) => `slot|${capacityKey}|${start}`;
/** When the store may drop a day's counters: after the day, and never before a day of wall-clock time. */
const endOfDay = (date: LocalDate) => new Date(Math.max(Date.parse(addDays(date, 2) + 'T00:00:00Z'), Date.now() + 86_400_000));

export class BookingService {
  constructor(
    private readonly store: Store,
    private readonly calendar: WorkingCalendar,
    private readonly clock: Clock,
    private readonly limits: BookingLimits,
  ) {}

  async branches(near?: { lat: number; lon: number }) {
    const branches = await this.store.branches.list();
    if (!near) return branches.map((b) => ({ ...b, distanceKm: null as number | null }));
    return branches
      .map((b) => ({ ...b, distanceKm: Math.round(distanceKm(near, b.location) * 10) / 10 }))
      .sort((a, b) => a.distanceKm - b.distanceKm);
  }

  private async branchAndProcedure(branchId: string, procedureCode: string): Promise<{ branch: Branch; procedure: Procedure }> {
    const [branch, procedure] = await Promise.all([this.store.branches.get(branchId), this.store.procedures.get(procedureCode)]);
    if (!branch) throw new ServiceError(404, 'branch_not_found', `Không có chi nhánh ${branchId}.`);
    if (!procedure) throw new ServiceError(404, 'procedure_not_found', `Không có thủ tục mã ${procedureCode}.`);
    return { branch, procedure };
  }

  private async withRemaining(slots: Slot[]): Promise<SlotView[]> {
    const used = await Promise.all(slots.map((s) => this.store.counters.get(slotKey(s.capacityKey, s.start))));
    return slots.map((s, i) => ({ ...s, remaining: Math.max(0, s.capacity - used[i]) }));
  }

  /** Free slots of a branch for a procedure on a day, with remaining capacity. */
  async slots(branchId: string, procedureCode: string, date: LocalDate) {
    const { branch, procedure } = await this.branchAndProcedure(branchId, procedureCode);
    const result = openSlots(branch, procedure.field, date, this.clock.now(), this.calendar);
    if ('refusal' in result) {
      throw new ServiceError(400, result.refusal, REFUSAL_MESSAGES[result.refusal], {
        holiday: this.calendar.holiday(date),
      });
    }
    const slots = (await this.withRemaining(result.slots)).filter((s) => s.remaining > 0);
    return { branch: { id: branch.id, name: branch.name }, procedure: { code: procedure.code, name: procedure.name }, date, slots };
  }

  async book(request: BookingRequest, clientId: string): Promise<{ booking: PublicBooking; replayed: boolean }> {
    const key = request.idempotencyKey;
    if (!key) return this.bookOnce(request, clientId);
    const existing = await this.store.bookings.byIdempotencyKey(key);
    if (existing) return this.replay(existing, request);
    // The first request with a key claims it; repeats wait for its booking instead of booking again.
    const claim = `idempotency|${key}`;
    if (!(await this.store.counters.tryIncrement(claim, 1, new Date(Date.now() + 7 * 86_400_000)))) {
      for (let waited = 0; waited < 10_000; waited += 50) {
        const booked = await this.store.bookings.byIdempotencyKey(key);
        if (booked) return this.replay(booked, request);
        if ((await this.store.counters.get(claim)) === 0) return this.book(request, clientId); // the first one failed
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new ServiceError(409, 'request_in_progress', 'Yêu cầu đặt lịch này đang được xử lý, xin thử lại sau giây lát.');
    }
    try {
      return await this.bookOnce(request, clientId);
    } catch (error) {
      await this.store.counters.decrement(claim);
      throw error;
    }
  }

  private async bookOnce(request: BookingRequest, clientId: string): Promise<{ booking: PublicBooking; replayed: boolean }> {
    const { branch, procedure } = await this.branchAndProcedure(request.branchId, request.procedureCode);
    const start = new Date(request.start);
    const check = checkBookable(branch, procedure.field, start, this.clock.now(), this.calendar);
    if ('refusal' in check) throw new ServiceError(400, check.refusal, REFUSAL_MESSAGES[check.refusal]);
    const slot = check.slot;
    const date = localDate(start);
    const expires = endOfDay(date);

    const phoneKey = `phone|${request.phone}|${date}`;
    const clientKey = `client|${clientId}|${date}`;
    if (!(await this.store.counters.tryIncrement(phoneKey, branch.booking.maxPerPhonePerDay, expires))) {
      throw new ServiceError(
        429,
        'phone_limit',
        `Mỗi số điện thoại chỉ đặt được ${branch.booking.maxPerPhonePerDay} lịch trong một ngày.`,
      );
    }
    if (!(await this.store.counters.tryIncrement(clientKey, this.limits.perClientPerDay, expires))) {
      await this.store.counters.decrement(phoneKey);
      throw new ServiceError(429, 'client_limit', 'Đã đạt giới hạn số lịch đặt trong ngày từ thiết bị này.');
    }
    const release = async () => {
      await this.store.counters.decrement(phoneKey);
      await this.store.counters.decrement(clientKey);
    };

    // The capacity check and the reservation are one atomic step in the store.
    if (!(await this.store.counters.tryIncrement(slotKey(slot.capacityKey, slot.start), slot.capacity, expires))) {
      await release();
      throw new ServiceError(409, 'slot_full', 'Khung giờ này đã kín chỗ.', {
        alternatives: await this.alternatives(branch, procedure, slot),
      });
    }

    for (let attempt = 0; attempt < 5; attempt++) {
      const booking = this.newBooking(procedure, branch, { start: slot.start, date, capacityKey: slot.capacityKey }, request.name, request.phone, {
        priority: branch.booking.priorityAge !== null && (request.age ?? 0) >= branch.booking.priorityAge,
        idempotencyKey: request.idempotencyKey ?? null,
      });
      const outcome = await this.store.bookings.insert(booking);
      if (outcome === 'inserted') return { booking: publicBooking(booking), replayed: false };
      if (outcome === 'duplicate_idempotency_key') {
        // A concurrent request with the same key won: give back our reservation and its booking.
        await this.store.counters.decrement(slotKey(slot.capacityKey, slot.start));
        await release();
        return this.replay((await this.store.bookings.byIdempotencyKey(request.idempotencyKey!))!, request);
      }
    }
    await this.store.counters.decrement(slotKey(slot.capacityKey, slot.start));
    await release();
    throw new ServiceError(500, 'code_exhausted', 'Không tạo được mã đặt lịch, xin thử lại.');
  }

  private replay(existing: Booking, request: BookingRequest) {
    if (existing.phone !== request.phone) {
      throw new ServiceError(409, 'idempotency_conflict', 'Khóa idempotencyKey này đã được dùng cho một lịch khác.');
    }
    return { booking: publicBooking(existing), replayed: true };
  }

  /** When a slot is full: the nearest free times at this branch, and the same time at other branches. */
  async alternatives(branch: Branch, procedure: Procedure, full: Slot) {
    const now = this.clock.now();
    const date = localDate(new Date(full.start));
    const times: { branchId: string; branchName: string; start: string; remaining: number }[] = [];
    for (let d = 0; d <= branch.booking.horizonDays && times.length < 3; d++) {
      const day = addDays(date, d);
      const open = openSlots(branch, procedure.field, day, now, this.calendar);
      if ('refusal' in open) continue;
      const free = (await this.withRemaining(open.slots)).filter((s) => s.remaining > 0 && s.start !== full.start);
      free.sort((a, b) => Math.abs(Date.parse(a.start) - Date.parse(full.start)) - Math.abs(Date.parse(b.start) - Date.parse(full.start)));
      for (const s of free.slice(0, 3 - times.length)) times.push({ branchId: branch.id, branchName: branch.name, start: s.start, remaining: s.remaining });
    }
    const others: typeof times = [];
    for (const other of (await this.branches(branch.location)).filter((b) => b.id !== branch.id)) {
      if (others.length >= 2) break;
      const open = openSlots(other, procedure.field, date, now, this.calendar);
      if ('refusal' in open) continue;
      const free = (await this.withRemaining(open.slots)).filter((s) => s.remaining > 0);
      const closest = free.sort((a, b) => Math.abs(Date.parse(a.start) - Date.parse(full.start)) - Math.abs(Date.parse(b.start) - Date.parse(full.start)))[0];
      if (closest) others.push({ branchId: other.id, branchName: other.name, start: closest.start, remaining: closest.remaining });
    }
    return { sameBranch: times, otherBranches: others };
  }

  private async owned(code: string, phone: string): Promise<Booking> {
    const booking = await this.store.bookings.get(code);
    // Same answer for an unknown code and a wrong phone: a code cannot be probed.
    if (!booking || booking.phone !== phone) {
      throw new ServiceError(404, 'booking_not_found', 'Không tìm thấy lịch hẹn với mã và số điện thoại này.');
    }
    return booking;
  }

  async get(code: string, phone: string): Promise<PublicBooking> {
    return publicBooking(await this.owned(code, phone));
  }

  async cancel(code: string, phone: string): Promise<PublicBooking> {
    const booking = await this.owned(code, phone);
    const cancelled = await this.store.bookings.transition(code, ['confirmed'], {
      status: 'cancelled',
      updatedAt: this.clock.now().toISOString(),
    });
    if (!cancelled) throw new ServiceError(409, 'not_cancellable', 'Lịch hẹn này đã hủy hoặc đã làm thủ tục, không hủy được.');
    await this.releasePlace(booking.capacityKey, booking.start);
    await this.store.counters.decrement(`phone|${booking.phone}|${booking.date}`);
    return publicBooking(cancelled);
  }

  async reschedule(code: string, phone: string, newStart: string): Promise<PublicBooking> {
    const booking = await this.owned(code, phone);
    if (booking.status !== 'confirmed') throw new ServiceError(409, 'not_reschedulable', 'Chỉ đổi được lịch hẹn còn hiệu lực.');
    const branch = (await this.store.branches.get(booking.branchId))!;
    const check = checkBookable(branch, booking.field, new Date(newStart), this.clock.now(), this.calendar);
    if ('refusal' in check) throw new ServiceError(400, check.refusal, REFUSAL_MESSAGES[check.refusal]);
    const slot = check.slot;
    if (slot.start === booking.start) return publicBooking(booking);
    const date = localDate(new Date(slot.start));
    const expires = endOfDay(date);
    const newPhoneKey = `phone|${booking.phone}|${date}`;
    const dayChanges = date !== booking.date;
    if (dayChanges && !(await this.store.counters.tryIncrement(newPhoneKey, branch.booking.maxPerPhonePerDay, expires))) {
      throw new ServiceError(429, 'phone_limit', `Mỗi số điện thoại chỉ đặt được ${branch.booking.maxPerPhonePerDay} lịch trong một ngày.`);
    }
    if (!(await this.store.counters.tryIncrement(slotKey(slot.capacityKey, slot.start), slot.capacity, expires))) {
      if (dayChanges) await this.store.counters.decrement(newPhoneKey);
      const procedure = (await this.store.procedures.get(booking.procedureCode))!;
      throw new ServiceError(409, 'slot_full', 'Khung giờ này đã kín chỗ.', { alternatives: await this.alternatives(branch, procedure, slot) });
    }
    const moved = await this.store.bookings.transition(code, ['confirmed'], {
      start: slot.start,
      date,
      capacityKey: slot.capacityKey,
      updatedAt: this.clock.now().toISOString(),
    });
    if (!moved) {
      await this.store.counters.decrement(slotKey(slot.capacityKey, slot.start));
      if (dayChanges) await this.store.counters.decrement(newPhoneKey);
      throw new ServiceError(409, 'not_reschedulable', 'Chỉ đổi được lịch hẹn còn hiệu lực.');
    }
    await this.releasePlace(booking.capacityKey, booking.start);
    if (dayChanges) await this.store.counters.decrement(`phone|${booking.phone}|${booking.date}`);
    return publicBooking(moved);
  }

  /** Officer: any booking by its code, phone shown in full. */
  async officerGet(code: string): Promise<Booking> {
    const booking = await this.store.bookings.get(code);
    if (!booking) throw new ServiceError(404, 'booking_not_found', `Không có lịch hẹn ${code}.`);
    return booking;
  }

  /** Officer: check a citizen in at the counter. */
  async checkIn(code: string): Promise<PublicBooking> {
    const booking = await this.store.bookings.transition(code, ['confirmed'], {
      status: 'checked_in',
      updatedAt: this.clock.now().toISOString(),
    });
    if (!booking) {
      const existing = await this.store.bookings.get(code);
      if (!existing) throw new ServiceError(404, 'booking_not_found', `Không có lịch hẹn ${code}.`);
      throw new ServiceError(409, 'not_checkable', `Lịch hẹn ${code} đang ở trạng thái ${existing.status}.`);
    }
    return publicBooking(booking);
  }

  /** Officer: the day's bookings of a branch, priority first within each slot. */
  async dayList(branchId: string, date: LocalDate) {
    if (!(await this.store.branches.get(branchId))) throw new ServiceError(404, 'branch_not_found', `Không có chi nhánh ${branchId}.`);
    return (await this.store.bookings.listForBranchDay(branchId, date)).map((b) => ({ ...publicBooking(b), phone: b.phone }));
  }

  /** A confirmed booking with a fresh code. */
  private newBooking(
    procedure: Procedure,
    branch: Branch,
    slot: { start: string; date: LocalDate; capacityKey: string },
    name: string,
    phone: string,
    extra: { priority: boolean; idempotencyKey: string | null },
  ): Booking {
    const now = this.clock.now().toISOString();
    return {
      code: newBookingCode(),
      procedureCode: procedure.code,
      procedureName: procedure.name,
      branchId: branch.id,
      branchName: branch.name,
      field: procedure.field,
      start: slot.start,
      date: slot.date,
      capacityKey: slot.capacityKey,
      name,
      phone,
      ...extra,
      status: 'confirmed',
      createdAt: now,
      updatedAt: now,
    };
  }

  /**
   * A place in a slot became free: it is held for the first person waiting (who is notified), or
   * returned to the slot's capacity when nobody waits.
   */
  private async releasePlace(capacityKey: string, start: string): Promise<void> {
    for (;;) {
      const next = await this.store.waitlist.firstWaiting(capacityKey, start);
      if (!next) {
        await this.store.counters.decrement(slotKey(capacityKey, start));
        return;
      }
      const holdUntil = new Date(this.clock.now().getTime() + this.limits.waitlistHoldMinutes * 60_000).toISOString();
      const offered = await this.store.waitlist.transition(next.id, ['waiting'], { status: 'offered', holdUntil });
      if (!offered) continue; // taken by a concurrent release: try the next person
      await this.store.outbox.enqueue({
        id: randomUUID(),
        recipient: { phone: offered.phone, channel: offered.notify?.channel ?? null, address: offered.notify?.address ?? null },
        kind: 'slot_freed',
        text:
          `Đã có chỗ lúc ${offered.start.slice(11, 16)} ngày ${offered.date.split('-').reverse().join('/')} mà ông/bà chờ. ` +
          `Chỗ được giữ đến ${toVietnamIso(new Date(holdUntil)).slice(11, 16)}; xác nhận với mã chờ ${offered.id}.`,
        ref: offered.id,
        createdAt: this.clock.now().toISOString(),
        deliveredAt: null,
      });
      return;
    }
  }

  /** Joins the waitlist of a full slot; the position in line is returned. */
  async joinWaitlist(request: BookingRequest & { notify?: { channel: string; address: string } | null }) {
    const { branch, procedure } = await this.branchAndProcedure(request.branchId, request.procedureCode);
    const check = checkBookable(branch, procedure.field, new Date(request.start), this.clock.now(), this.calendar);
    if ('refusal' in check) throw new ServiceError(400, check.refusal, REFUSAL_MESSAGES[check.refusal]);
    const slot = check.slot;
    if ((await this.store.counters.get(slotKey(slot.capacityKey, slot.start))) < slot.capacity) {
      throw new ServiceError(409, 'slot_available', 'Khung giờ này vẫn còn chỗ, xin đặt lịch trực tiếp.');
    }
    const existing = await this.store.waitlist.findWaiting(slot.capacityKey, slot.start, request.phone);
    if (existing) throw new ServiceError(409, 'already_waiting', 'Số điện thoại này đã có trong danh sách chờ của khung giờ.');
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
      createdAt: this.clock.now().toISOString(),
      holdUntil: null,
      bookingCode: null,
    };
    await this.store.waitlist.add(entry);
    const position = await this.store.waitlist.countWaiting(slot.capacityKey, slot.start);
    return { id: entry.id, start: entry.start, branchId: entry.branchId, status: entry.status, position };
  }

  /** The person offered a freed place takes it: a booking on the place held for them. */
  async claimWaitlist(id: string, phone: string): Promise<PublicBooking> {
    await this.sweepWaitlist();
    const entry = await this.store.waitlist.get(id);
    if (!entry || entry.phone !== phone) throw new ServiceError(404, 'waitlist_not_found', 'Không tìm thấy lượt chờ với mã và số điện thoại này.');
    if (entry.status !== 'offered') {
      throw new ServiceError(409, 'not_offered', entry.status === 'waiting' ? 'Chưa có chỗ trống, xin chờ thông báo.' : 'Lượt giữ chỗ này đã hết hiệu lực.');
    }
    const { branch, procedure } = await this.branchAndProcedure(entry.branchId, entry.procedureCode);
    const booking = this.newBooking(procedure, branch, entry, entry.name, entry.phone, { priority: false, idempotencyKey: `waitlist:${entry.id}` });
    const taken = await this.store.waitlist.transition(id, ['offered'], { status: 'booked', bookingCode: booking.code });
    if (!taken) throw new ServiceError(409, 'not_offered', 'Lượt giữ chỗ này đã hết hiệu lực.');
    // The place was held for this person since it was freed: no new reservation is needed.
    if ((await this.store.bookings.insert(booking)) !== 'inserted') {
      booking.code = newBookingCode();
      await this.store.bookings.insert(booking);
    }
    await this.store.counters.increment(`phone|${booking.phone}|${booking.date}`, endOfDay(booking.date));
    return publicBooking(booking);
  }

  /** Ends holds nobody claimed in time and passes each place on. Safe to run in every process. */
  async sweepWaitlist(): Promise<number> {
    const expired = await this.store.waitlist.expiredOffers(this.clock.now().toISOString(), 100);
    let passed = 0;
    for (const entry of expired) {
      if (await this.store.waitlist.transition(entry.id, ['offered'], { status: 'expired' })) {
        await this.releasePlace(entry.capacityKey, entry.start);
        passed++;
      }
    }
    return passed;
  }
}
