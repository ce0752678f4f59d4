import { Holiday } from '../../knowledge/schemas';
import { instantAt, localDate, localMinutes, toVietnamIso } from '../../src/domain/calendar/vietnam-time';
import { WorkingCalendar } from '../../src/domain/calendar/working-days';

const source = { url: 'https://example.gov.vn/thong-bao', title: 'test', retrievedAt: '2026-01-01' };
const calendar = new WorkingCalendar(
  Holiday.array().parse([
    { date: '2026-09-02', name: 'Quốc khánh', kind: 'holiday', source },
    { date: '2026-09-01', name: 'Quốc khánh (nghỉ liền)', kind: 'holiday', source },
    { date: '2026-08-29', name: 'Làm bù', kind: 'make_up_working_day', source },
  ]),
);

describe('Vietnam time, whatever the server time zone', () => {
  it('reads local dates and times at UTC+7', () => {
    const lateEvening = new Date('2026-11-22T18:30:00Z'); // 01:30 on the 23rd in Hanoi
    expect(localDate(lateEvening)).toBe('2026-11-23');
    expect(localMinutes(lateEvening)).toBe(90);
    expect(toVietnamIso(instantAt('2026-11-23', 8 * 60))).toBe('2026-11-23T08:00:00+07:00');
    expect(instantAt('2026-11-23', 8 * 60).toISOString()).toBe('2026-11-23T01:00:00.000Z');
  });
});

describe('working days', () => {
  it('skips weekends and holidays, counts make-up Saturdays', () => {
    expect(calendar.isWorkingDay('2026-11-21')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-09-02')).toBe(false);
    expect(calendar.isWorkingDay('2026-08-29')).toBe(true); // make-up Saturday
    expect(calendar.holiday('2026-09-01')).toBe('Quốc khánh (nghỉ liền)');
  });

  it('counts a processing time in working days after the day of receipt', () => {
    // Received Friday 28/8: Sat 29 (make-up) is 1, Mon 31 is 2, 1-2/9 holidays, Thu 3/9 is 3.
    expect(calendar.addWorkingDays('2026-08-28', 3)).toBe('2026-09-03');
    expect(calendar.addWorkingDays('2026-11-20', 1)).toBe('2026-11-23'); // Friday → Monday
    expect(calendar.workingDaysBetween('2026-11-20', '2026-11-24')).toBe(2);
  });
});
