import type { Holiday } from '../../../knowledge/schemas';
import { addDays, isoWeekday, type LocalDate } from './vietnam-time';

/**
 * Which days public offices work: Monday to Friday, except public holidays and compensatory days
 * off, plus the Saturdays or Sundays declared as make-up working days.
 */
export class WorkingCalendar {
  private readonly off = new Map<LocalDate, string>();
  private readonly makeUp = new Set<LocalDate>();

  constructor(holidays: readonly Holiday[]) {
    for (const h of holidays) {
      if (h.kind === 'make_up_working_day') this.makeUp.add(h.date);
      else this.off.set(h.date, h.name);
    }
  }

  /** The holiday's name when the date is a day off for a holiday, else null. */
  holiday(date: LocalDate): string | null {
    return this.off.get(date) ?? null;
  }

  isWorkingDay(date: LocalDate): boolean {
    if (this.off.has(date)) return false;
    if (this.makeUp.has(date)) return true;
    return isoWeekday(date) <= 5;
  }

  /**
   * The date `n` working days after `from` (the statutory way of counting a processing time: the day
   * of receipt is not counted).
   */
  addWorkingDays(from: LocalDate, n: number): LocalDate {
    let date = from;
    let left = Math.ceil(n);
    while (left > 0) {
      date = addDays(date, 1);
      if (this.isWorkingDay(date)) left--;
    }
    return date;
  }

  /** Working days strictly after `from` up to and including `to` (0 when `to` is not later). */
  workingDaysBetween(from: LocalDate, to: LocalDate): number {
    let n = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) n++;
    return n;
  }
}
