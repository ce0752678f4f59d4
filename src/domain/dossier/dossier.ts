/**
 * Dossiers (hồ sơ) and the rules of their status: due date in working days, overdue, the apology the
 * centre owes when late. Pure: the caller gives the clock and the calendar.
 */
import { z } from 'zod';
import type { WorkingCalendar } from '../calendar/working-days';
import type { LocalDate } from '../calendar/vietnam-time';

export const DossierStatus = z.enum(['received', 'in_review', 'supplement_requested', 'resolved', 'returned', 'rejected']);
export type DossierStatus = z.infer<typeof DossierStatus>;

export const STATUS_LABELS: Record<DossierStatus, string> = {
  received: 'Đã tiếp nhận',
  in_review: 'Đang giải quyết',
  supplement_requested: 'Cần bổ sung hồ sơ',
  resolved: 'Đã có kết quả, chờ trả',
  returned: 'Đã trả kết quả',
  rejected: 'Từ chối giải quyết',
};

export const TimelineEvent = z.object({
  at: z.string(),
  status: DossierStatus,
  note: z.string(),
  by: z.string(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const SupplementRequest = z.object({
  at: z.string(),
  documents: z.array(z.string().min(1)).min(1),
  reason: z.string().min(1),
  resolvedAt: z.string().nullable(),
});

export const Apology = z.object({
  at: z.string(),
  reason: z.string().min(1),
  newDueDate: z.string(),
  text: z.string(),
});

export const Dossier = z.object({
  code: z.string(),
  procedureCode: z.string(),
  procedureName: z.string(),
  branchId: z.string(),
  applicant: z.object({
    name: z.string(),
    phone: z.string(),
    idNumber: z.string(),
    /** Channel and address to notify, when the citizen agreed to be notified. */
    notify: z.object({ channel: z.string(), address: z.string() }).nullable(),
  }),
  receivedDate: z.string(),
  processingDays: z.number().nonnegative(),
  dueDate: z.string(),
  status: DossierStatus,
  timeline: z.array(TimelineEvent),
  supplements: z.array(SupplementRequest),
  apology: Apology.nullable(),
  resultReadyDate: z.string().nullable(),
  sample: z.boolean(),
  createdAt: z.string(),
});
export type Dossier = z.infer<typeof Dossier>;

/** Due date: the processing time counted in working days after the day of receipt. */
export function dueDate(received: LocalDate, processingDays: number, calendar: WorkingCalendar): LocalDate {
  return calendar.addWorkingDays(received, processingDays);
}

const FINISHED: DossierStatus[] = ['resolved', 'returned', 'rejected'];

/** Late when today is past the due date (or past the new date promised in an apology) and unfinished. */
export function isOverdue(dossier: Pick<Dossier, 'status' | 'dueDate' | 'apology'>, today: LocalDate): boolean {
  if (FINISHED.includes(dossier.status)) return false;
  return today > dossier.dueDate;
}

export function formatDate(date: LocalDate): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * A name as others may see it: initials and the given name ("Đỗ Thị Mẫu" → "Đ. T. Mẫu"). Whoever has a
 * dossier code and a 4-digit proof reads the citizen view, so it never carries the full name.
 */
export function shortName(name: string): string {
  const parts = name.trim().split(/\s+/);
  if (parts.length <= 1) return name;
  return parts.slice(0, -1).map((p) => p[0] + '.').join(' ') + ' ' + parts[parts.length - 1];
}

/** The written apology (thư xin lỗi) owed for a late dossier, addressed by the short name. */
export function apologyText(d: Pick<Dossier, 'code' | 'procedureName' | 'applicant'>, reason: string, newDueDate: LocalDate): string {
  return (
    `Kính gửi ông/bà ${shortName(d.applicant.name)}. Trung tâm Phục vụ hành chính công chân thành xin lỗi vì hồ sơ ${d.code} ` +
    `(${d.procedureName}) chưa được giải quyết đúng hẹn. Lý do: ${reason}. ` +
    `Ngày hẹn trả kết quả mới: ${formatDate(newDueDate)}. Mong ông/bà thông cảm.`
  );
}

/** Proof of identity: the last 4 digits of the applicant's phone or ID number. */
export function proofMatches(applicant: { phone: string; idNumber: string }, proof: string): boolean {
  const p = proof.replace(/\D/g, '');
  if (p.length !== 4) return false;
  return applicant.phone.endsWith(p) || applicant.idNumber.endsWith(p);
}

/** Dossier codes as printed on receipts (configurable); typed input is upper-cased and trimmed. */
export const DEFAULT_DOSSIER_CODE_PATTERN = /^[A-Z0-9]{2,12}(\.[A-Z0-9]{1,6})*-\d{6}-\d{4}$/;

export function normaliseDossierCode(input: string): string {
  return input.trim().toUpperCase().replace(/\s+/g, '');
}
