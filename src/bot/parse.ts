/**
 * Reading dates, times and branch names as people type them in Vietnamese. Pure.
 */
import { addDays, isoWeekday, type LocalDate } from '../domain/calendar/vietnam-time';
import { fold } from '../domain/text/normalize';

const WEEKDAYS = ['', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ Nhật'];

/** "Thứ Hai 23/11" (or "Hôm nay 23/11", "Ngày mai 24/11"). */
export function dayLabel(date: LocalDate, today: LocalDate): string {
  const [, m, d] = date.split('-');
  const name = date === today ? 'Hôm nay' : date === addDays(today, 1) ? 'Ngày mai' : WEEKDAYS[isoWeekday(date)];
  return `${name} ${d}/${m}`;
}

/** A day among the candidates from "mai", "hôm nay", "25/11", "thứ sáu", or a button label. */
export function parseDay(text: string, today: LocalDate, candidates: LocalDate[]): LocalDate | null {
  const t = fold(text).trim();
  const dm = /(\d{1,2})\s*[/.-]\s*(\d{1,2})/.exec(t);
  if (dm) {
    const found = candidates.find((c) => Number(c.slice(8)) === Number(dm[1]) && Number(c.slice(5, 7)) === Number(dm[2]));
    if (found) return found;
  }
  if (/hom nay/.test(t)) return candidates.find((c) => c === today) ?? null;
  if (/\bmai\b/.test(t)) return candidates.find((c) => c === addDays(today, 1)) ?? null;
  if (/\bngay kia\b|\bmot\b/.test(t)) return candidates.find((c) => c === addDays(today, 2)) ?? null;
  const names = ['', 'thu hai', 'thu ba', 'thu tu', 'thu nam', 'thu sau', 'thu bay', 'chu nhat'];
  const numbered = /\bthu\s*([2-7])\b/.exec(t);
  const weekday = numbered ? Number(numbered[1]) - 1 : names.findIndex((n, i) => i > 0 && t.includes(n));
  if (weekday > 0) return candidates.find((c) => isoWeekday(c) === weekday) ?? null;
  return null;
}

/** A time among the candidates ("08:15") from "8h15", "8 giờ 15", "08:15", "9h", "14h30". */
export function parseTime(text: string, candidates: string[]): string | null {
  const t = fold(text);
  const m = /(\d{1,2})\s*(?:h|:|gio|g)\s*(\d{1,2})?/.exec(t) ?? /^\s*(\d{1,2})\s*$/.exec(t);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  if (/chieu|toi/.test(t) && hour < 12) hour += 12;
  const wanted = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  return candidates.includes(wanted) ? wanted : null;
}

/** Whether a typed answer means "any branch". */
export function meansAny(text: string): boolean {
  return /bat ky|nao cung duoc|dau cung duoc|gan nhat|som nhat/.test(fold(text));
}

/** The branch a person names by number, name, district or ward ("chi nhánh 3", "Hà Đông", "cầu giấy"). */
export function matchBranch<B extends { id: string; name: string; district: string; ward: string | null; address: string }>(
  text: string,
  branches: B[],
): B | null {
  // "gần Dịch Vọng Hậu", "Cau Giay branch", "ở quận Hà Đông": the place without the words around it.
  const t = fold(text)
    .replace(/\b(gan|o|tai|khu|khu vuc|phuong|quan|branch|please)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!t) return null;
  const exact = branches.find((b) => fold(b.name) === t);
  if (exact) return exact;
  const number = /(?:chi nhanh|cn)\s*(?:so\s*)?(\d{1,2})\b/.exec(t);
  if (number) {
    const n = Number(number[1]);
    const byNumber = branches.find((b) => new RegExp(`(?:chi nhanh|cn)\\s*(?:so\\s*)?0*${n}\\b`).test(fold(b.name)));
    if (byNumber) return byNumber;
  }
  // A ward named exactly ("Tây Hồ" is the ward of one point and the former district of another) first.
  const ward = branches.find((b) => b.ward && fold(b.ward) === t) ?? branches.find((b) => fold(b.district) === t);
  if (ward) return ward;
  return (
    branches.find((b) => [b.district, b.ward ?? '', b.name].some((field) => field && (fold(field).includes(t) || t.includes(fold(field))))) ??
    branches.find((b) => fold(b.address).includes(t)) ??
    null
  );
}
