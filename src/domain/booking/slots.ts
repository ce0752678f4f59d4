/**
 * Counter slots of a branch: generated from opening hours, the counters that serve a field and the
 * branch's booking rules. Pure: the caller gives the clock and the calendar.
 */
import type { Branch } from '../../../knowledge/schemas';
import type { WorkingCalendar } from '../calendar/working-days';
import {
  addDays,
  formatHourMinute,
  instantAt,
  isoWeekday,
  localDate,
  localMinutes,
  parseHourMinute,
  toVietnamIso,
  type LocalDate,
} from '../calendar/vietnam-time';

export interface Slot {
  /** Start instant, ISO with +07:00. */
  start: string;
  /** "08:15" local time, for people. */
  time: string;
  capacity: number;
  /** Key shared by all fields served by the same counters: they share the capacity. */
  capacityKey: string;
}

export type SlotRefusal =
  | 'field_not_served'
  | 'holiday'
  | 'closed'
  | 'past'
  | 'too_soon'
  | 'too_far'
  | 'not_a_slot';

export const REFUSAL_MESSAGES: Record<SlotRefusal, string> = {
  field_not_served: 'Chi nhánh này không có quầy tiếp nhận lĩnh vực của thủ tục.',
  holiday: 'Ngày này là ngày nghỉ lễ, chi nhánh không làm việc.',
  closed: 'Chi nhánh không làm việc vào thời gian này.',
  past: 'Thời gian này đã qua.',
  too_soon: 'Khung giờ này bắt đầu quá sớm để đặt trước; xin chọn khung giờ muộn hơn.',
  too_far: 'Chỉ đặt được lịch cho hôm nay và các ngày sắp tới trong giới hạn của chi nhánh.',
  not_a_slot: 'Thời gian này không trùng với khung giờ tiếp nhận nào.',
};

/** Counters that serve a field; a counter with no fields listed serves every field. */
export function countersFor(branch: Branch, field: string): Branch['counters'] {
  const f = field.normalize('NFC').toLowerCase();
  return branch.counters.filter((c) => c.fields.length === 0 || c.fields.some((x) => x.toLowerCase() === f));
}

/** The bookable days of a branch from now: today and the next horizonDays days. */
export function bookableDates(branch: Branch, now: Date): LocalDate[] {
  const today = localDate(now);
  return Array.from({ length: branch.booking.horizonDays + 1 }, (_, i) => addDays(today, i));
}

/** Every slot of a day for a field, before any booking (capacity = serving counters × per-counter). */
export function daySlots(
  branch: Branch,
  field: string,
  date: LocalDate,
  calendar: WorkingCalendar,
): { slots: Slot[] } | { refusal: SlotRefusal } {
  const counters = countersFor(branch, field);
  if (counters.length === 0) return { refusal: 'field_not_served' };
  if (calendar.holiday(date)) return { refusal: 'holiday' };
  const weekday = isoWeekday(date);
  const hours = branch.openingHours.filter((h) => h.weekday === weekday);
  if (hours.length === 0 && !(calendar.isWorkingDay(date) && weekday > 5)) return { refusal: 'closed' };
  // A make-up working Saturday follows Monday's hours when the branch lists none for Saturday.
  const effective = hours.length > 0 ? hours : branch.openingHours.filter((h) => h.weekday === 1);
  const capacityKey = `${branch.id}|${counters.map((c) => c.id).sort().join('+')}`;
  const slots: Slot[] = [];
  for (const period of effective) {
    const open = parseHourMinute(period.open);
    const close = parseHourMinute(period.close);
    for (let m = open; m + branch.slotMinutes <= close; m += branch.slotMinutes) {
      slots.push({
        start: toVietnamIso(instantAt(date, m)),
        time: formatHourMinute(m),
        capacity: counters.length * branch.capacityPerSlot,
        capacityKey,
      });
    }
  }
  return slots.length > 0 ? { slots } : { refusal: 'closed' };
}

/** Whether a person may book the slot starting at `start` now; the slot when yes. */
export function checkBookable(
  branch: Branch,
  field: string,
  start: Date,
  now: Date,
  calendar: WorkingCalendar,
): { slot: Slot } | { refusal: SlotRefusal } {
  if (start.getTime() <= now.getTime()) return { refusal: 'past' };
  const date = localDate(start);
  if (!bookableDates(branch, now).includes(date)) return { refusal: 'too_far' };
  const day = daySlots(branch, field, date, calendar);
  if ('refusal' in day) return day;
  const minutes = localMinutes(start);
  const slot = day.slots.find((s) => s.time === formatHourMinute(minutes) && start.getUTCSeconds() === 0);
  if (!slot) return { refusal: 'not_a_slot' };
  if (start.getTime() - now.getTime() < branch.booking.leadMinutes * 60_000) return { refusal: 'too_soon' };
  return { slot };
}

/** Slots of a day still open for booking now (lead time applied). */
export function openSlots(branch: Branch, field: string, date: LocalDate, now: Date, calendar: WorkingCalendar) {
  if (!bookableDates(branch, now).includes(date)) return { refusal: 'too_far' as const };
  const day = daySlots(branch, field, date, calendar);
  if ('refusal' in day) return day;
  const earliest = now.getTime() + branch.booking.leadMinutes * 60_000;
  return { slots: day.slots.filter((s) => new Date(s.start).getTime() >= earliest) };
}

/** Great-circle distance in km. */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}
