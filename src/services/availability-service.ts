/**
 * Where and when a citizen can book: branches, free slots of a day, free days within the branch's
 * horizon, alternatives to a full slot. Free places are derived from the bookings themselves (the
 * seats they hold), never from a counter.
 */
import type { Branch, Procedure } from '../../knowledge/schemas';
import { REFUSAL_MESSAGES, bookableDates, checkBookable, daySlots, distanceKm, openSlots, type Slot } from '../domain/booking/slots';
import { freeNumbers, keyNumber } from '../domain/booking/seats';
import type { Clock } from '../domain/calendar/clock';
import { addDays, localDate, type LocalDate } from '../domain/calendar/vietnam-time';
import type { WorkingCalendar } from '../domain/calendar/working-days';
import type { Store } from '../store/types';
import { ServiceError } from './errors';

export interface SlotView extends Slot {
  remaining: number;
}

export interface Alternatives {
  sameBranch: { branchId: string; branchName: string; start: string; remaining: number }[];
  otherBranches: { branchId: string; branchName: string; start: string; remaining: number }[];
}

const byDistanceTo = (start: string) => (a: { start: string }, b: { start: string }) =>
  Math.abs(Date.parse(a.start) - Date.parse(start)) - Math.abs(Date.parse(b.start) - Date.parse(start));

/**
 * Reads that a burst of requests for one slot all repeat (the branch and procedure records, the
 * alternatives to a full slot), shared for a couple of seconds: 1,000 requests for a full slot then
 * cost the store one read each instead of six. Branch records change only on a knowledge import, and
 * alternatives are suggestions (booking one checks it again), so a few seconds' staleness is harmless.
 */
class ShortMemo {
  private readonly entries = new Map<string, { until: number; value: Promise<unknown> }>();
  constructor(private readonly ms: number) {}

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value as Promise<T>;
    if (this.entries.size > 1000) this.entries.clear();
    const value = load();
    this.entries.set(key, { until: now + this.ms, value });
    value.catch(() => this.entries.delete(key)); // a failed read is not remembered
    return value;
  }
}

export class AvailabilityService {
  private readonly memo = new ShortMemo(2_000);

  constructor(
    private readonly store: Store,
    private readonly calendar: WorkingCalendar,
    private readonly clock: Clock,
    /** Where the centre receives a procedure (src/domain/centre: commune-level ones at commune points only). */
    private readonly reception: (branchId: string, procedure: Procedure) => { code: string; message: string } | null = () => null,
  ) {}


  async branches(near?: { lat: number; lon: number }) {
    const branches = await this.store.branches.list();
    if (!near) return branches.map((b) => ({ ...b, distanceKm: null as number | null }));
    return branches
      .map((b) => ({ ...b, distanceKm: Math.round(distanceKm(near, b.location) * 10) / 10 }))
      .sort((a, b) => a.distanceKm - b.distanceKm);
  }

  async branch(branchId: string): Promise<Branch> {
    const branch = await this.store.branches.get(branchId);
    if (!branch) throw new ServiceError(404, 'branch_not_found', `Không có chi nhánh ${branchId}.`);
    return branch;
  }

  async branchAndProcedure(branchId: string, procedureCode: string): Promise<{ branch: Branch; procedure: Procedure }> {
    const [branch, procedure] = await Promise.all([
      this.memo.get(`branch|${branchId}`, () => this.store.branches.get(branchId)),
      this.memo.get(`procedure|${procedureCode}`, () => this.store.procedures.get(procedureCode)),
    ]);
    if (!branch) throw new ServiceError(404, 'branch_not_found', `Không có chi nhánh ${branchId}.`);
    if (!procedure) throw new ServiceError(404, 'procedure_not_found', `Không có thủ tục mã ${procedureCode}.`);
    const refusal = this.reception(branch.id, procedure);
    if (refusal) throw new ServiceError(400, refusal.code, refusal.message);
    return { branch, procedure };
  }

  /** The slot starting at `start` when it may be booked now; a 400 with the reason otherwise. */
  bookableSlot(branch: Branch, field: string, start: string | Date): Slot {
    const check = checkBookable(branch, field, new Date(start), this.clock.now(), this.calendar);
    if ('refusal' in check) throw new ServiceError(400, check.refusal, REFUSAL_MESSAGES[check.refusal]);
    return check.slot;
  }

  /** The slot a booking is in, whether or not it may still be booked (its capacity today). */
  slotOf(branch: Branch, field: string, date: LocalDate, start: string): Slot | null {
    const day = daySlots(branch, field, date, this.calendar);
    return 'refusal' in day ? null : (day.slots.find((s) => s.start === start) ?? null);
  }

  /** Seat numbers of these slots held by bookings (confirmed, checked in or held for the waitlist). */
  private async taken(capacityKey: string, starts: string[]): Promise<Map<string, number[]>> {
    const taken = new Map<string, number[]>(starts.map((s) => [s, []]));
    if (starts.length === 0) return taken;
    for (const { start, seatKey } of await this.store.bookings.occupiedSeats(capacityKey, starts)) {
      const n = keyNumber(seatKey);
      if (n !== null) taken.get(start)?.push(n);
    }
    return taken;
  }

  /** The seats of a slot nobody holds, lowest first: what a new booking tries, in order. */
  async freeSeats(slot: Pick<Slot, 'capacityKey' | 'start' | 'capacity'>): Promise<number[]> {
    return freeNumbers((await this.taken(slot.capacityKey, [slot.start])).get(slot.start)!, slot.capacity);
  }

  /** Remaining = capacity − bookings holding a seat of the slot (never below 0). */
  async withRemaining(slots: Slot[]): Promise<SlotView[]> {
    const byKey = new Map<string, Slot[]>();
    for (const s of slots) byKey.set(s.capacityKey, [...(byKey.get(s.capacityKey) ?? []), s]);
    const taken = new Map<string, number>();
    for (const [capacityKey, group] of byKey) {
      for (const [start, seats] of await this.taken(capacityKey, group.map((s) => s.start))) taken.set(`${capacityKey}|${start}`, seats.length);
    }
    return slots.map((s) => ({ ...s, remaining: Math.max(0, s.capacity - (taken.get(`${s.capacityKey}|${s.start}`) ?? 0)) }));
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

  /** The days a booking may be made for at this branch now (today and the branch's horizon). */
  async bookableDays(branchId: string): Promise<LocalDate[]> {
    return bookableDates(await this.branch(branchId), this.clock.now());
  }

  /** Bookable days that still have a free slot for the procedure. */
  async freeDays(branchId: string, procedureCode: string): Promise<LocalDate[]> {
    const days: LocalDate[] = [];
    for (const date of await this.bookableDays(branchId)) {
      try {
        if ((await this.slots(branchId, procedureCode, date)).slots.length > 0) days.push(date);
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
      }
    }
    return days;
  }

  /** When a slot is full: the nearest free times at this branch, and the same time at other branches. */
  alternatives(branch: Branch, procedure: Procedure, full: Slot): Promise<Alternatives> {
    return this.memo.get(`alternatives|${branch.id}|${procedure.field}|${full.start}`, () => this.findAlternatives(branch, procedure, full));
  }

  private async findAlternatives(branch: Branch, procedure: Procedure, full: Slot): Promise<Alternatives> {
    const now = this.clock.now();
    const date = localDate(new Date(full.start));
    const times: Alternatives['sameBranch'] = [];
    for (let d = 0; d <= branch.booking.horizonDays && times.length < 3; d++) {
      const open = openSlots(branch, procedure.field, addDays(date, d), now, this.calendar);
      if ('refusal' in open) continue;
      const free = (await this.withRemaining(open.slots)).filter((s) => s.remaining > 0 && s.start !== full.start).sort(byDistanceTo(full.start));
      for (const s of free.slice(0, 3 - times.length)) times.push({ branchId: branch.id, branchName: branch.name, start: s.start, remaining: s.remaining });
    }
    const others: Alternatives['otherBranches'] = [];
    // Only places that receive the procedure (a commune-level one is not offered at a city branch).
    for (const other of (await this.branches(branch.location)).filter((b) => b.id !== branch.id && this.reception(b.id, procedure) === null)) {
      if (others.length >= 2) break;
      const open = openSlots(other, procedure.field, date, now, this.calendar);
      if ('refusal' in open) continue;
      const closest = (await this.withRemaining(open.slots)).filter((s) => s.remaining > 0).sort(byDistanceTo(full.start))[0];
      if (closest) others.push({ branchId: other.id, branchName: other.name, start: closest.start, remaining: closest.remaining });
    }
    return { sameBranch: times, otherBranches: others };
  }
}
