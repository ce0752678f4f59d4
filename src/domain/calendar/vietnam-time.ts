/**
 * Vietnam's clock. Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving since 1975), so local dates
 * and times are computed with a fixed offset, whatever the server's own time zone.
 */
export const VIETNAM_OFFSET_MINUTES = 7 * 60;
const OFFSET_MS = VIETNAM_OFFSET_MINUTES * 60_000;

/** A calendar date in Vietnam, `YYYY-MM-DD`. */
export type LocalDate = string;

export function localDate(instant: Date): LocalDate {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** Minutes since local midnight in Vietnam. */
export function localMinutes(instant: Date): number {
  const shifted = new Date(instant.getTime() + OFFSET_MS);
  return shifted.getUTCHours() * 60 + shifted.getUTCMinutes();
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const day = new Date(date + 'T00:00:00Z').getUTCDay();
  return day === 0 ? 7 : day;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The instant of a local date and "HH:MM" time in Vietnam. */
export function instantAt(date: LocalDate, minutes: number): Date {
  return new Date(new Date(date + 'T00:00:00Z').getTime() + minutes * 60_000 - OFFSET_MS);
}

export function parseHourMinute(hm: string): number {
  const [h, m] = hm.split(':').map(Number);
  return h * 60 + m;
}

export function formatHourMinute(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** ISO 8601 with the +07:00 offset, as people in Vietnam read it. */
export function toVietnamIso(instant: Date): string {
  const shifted = new Date(instant.getTime() + OFFSET_MS).toISOString();
  return shifted.slice(0, 19) + '+07:00';
}

export function isValidLocalDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const d = new Date(date + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}
