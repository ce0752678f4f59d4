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
    // "chi nhánh Tây Hồ", "điểm tiếp nhận phường Tây Hồ": the name; a number ("chi nhánh 2") stays for the rule below.
    .replace(/\b(chi nhanh|diem tiep nhan|diem phuc vu|diem)\b(?!\s*(so\s*)?\d)/g, ' ')
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
  // A ward named ("Tây Hồ" is the ward of one point and the former district of another) before a
  // district, as the whole answer or as whole words of a longer message.
  const words = ` ${t.replace(/[^a-z0-9]+/g, ' ')} `;
  const has = (name: string) => name !== '' && words.includes(` ${fold(name).replace(/[^a-z0-9]+/g, ' ').trim()} `);
  const ward =
    branches.find((b) => b.ward && fold(b.ward) === t) ??
    branches.find((b) => fold(b.district) === t) ??
    branches.find((b) => b.ward && has(b.ward)) ??
    branches.find((b) => has(b.district));
  if (ward) return ward;
  return (
    branches.find((b) => [b.district, b.ward ?? '', b.name].some((field) => field && (fold(field).includes(t) || t.includes(fold(field))))) ??
    branches.find((b) => fold(b.address).includes(t)) ??
    null
  );
}

/**
 * The person's name and phone said in one message ("…, tên Đỗ Minh Quân, sdt 0977 111 222", "người
 * đến là Trần Thị Hoa, sđt 0987 001 122"), or null: the name must follow a word that introduces it.
 */
export function nameAndPhoneIn(text: string): { name: string; phone: string } | null {
  const t = text.normalize('NFC');
  const phone = /(?:\+?84|0)(?:[\s.-]?\d){9}\b/.exec(t);
  const name = /(?:\btên(?: là)?|họ tên(?: là)?|người (?:đến|nộp|đi)(?: nộp)?(?: là)?)\s*:?\s*((?:\p{Lu}[\p{Ll}]*\s+){1,4}\p{Lu}[\p{Ll}]*)/u.exec(t);
  if (!phone || !name) return null;
  return { name: name[1].trim(), phone: phone[0].replace(/[\s.-]/g, '') };
}

/** "Đồng ý" or "Không" said in words at a confirmation ("đúng rồi, đặt giúp mình", "thôi không"), or null. */
export function confirmAnswer(text: string): 'yes' | 'no' | null {
  const f = fold(text).replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (/^(khong|ko|k|thoi|sai|nham|chua|khong dong y|huy)\b|\b(khong dung|sai roi|nham roi)\b/.test(f)) return 'no';
  if (/^(dong y|xac nhan|dung roi|dung|ok|oke|okay|yes|co|vang|da|chuan|chuan roi|duoc|duoc roi|dat di|dat giup|dat luon|chot)\b|\b(dat giup|dat di|dong y|xac nhan)\b/.test(f)) return 'yes';
  return null;
}
