/**
 * Vietnamese answers, as text any channel can show (web chat renders the markdown, Zalo shows it
 * as is). Pure: records in, text out.
 */
import type { Procedure } from '../../knowledge/schemas';
import type { PublicBooking } from '../services/booking-service';
import type { citizenView } from '../services/dossier-service';
import { formatDate } from '../domain/dossier/dossier';
import { localDate } from '../domain/calendar/vietnam-time';
import { inertMarkdown } from '../domain/text/markdown';

export const MENU = ['Tìm thủ tục', 'Kiểm tra giấy tờ', 'Đặt lịch', 'Tra cứu hồ sơ'];

const ONLINE: Record<Procedure['onlineLevel'], string> = {
  full: 'Toàn trình (nộp và nhận kết quả trực tuyến)',
  partial: 'Một phần (nộp trực tuyến, nhận kết quả tại quầy hoặc qua bưu chính)',
  none: 'Chỉ nộp trực tiếp',
  unknown: 'Chưa công bố',
};

/** Names of record fields as citizens read them. */
const FIELD_NAMES: Record<string, string> = {
  processingTimes: 'thời hạn',
  fees: 'phí, lệ phí',
  documentCases: 'thành phần hồ sơ',
  legalBasis: 'căn cứ pháp lý',
  onlineLevel: 'mức độ trực tuyến',
  nonBoundary: 'nộp phi địa giới',
  agency: 'cơ quan giải quyết',
  requirements: 'yêu cầu, điều kiện',
  results: 'kết quả',
  resultDelivery: 'cách nhận kết quả',
  steps: 'trình tự thực hiện',
  levels: 'cấp thực hiện',
};

export function fieldNames(fields: string[]): string {
  return fields.map((f) => FIELD_NAMES[f] ?? f).join(', ');
}

export function formatMoney(vnd: number): string {
  return vnd === 0 ? 'Miễn phí' : `${vnd.toLocaleString('vi-VN')} đồng`;
}

export function processingTimeText(p: Procedure): string {
  if (p.processingTimes.length === 0) return 'Chưa có thông tin';
  const preferred =
    p.processingTimes.find((t) => t.method === 'direct' && t.unit !== 'other') ??
    p.processingTimes.find((t) => t.unit !== 'other') ??
    p.processingTimes[0];
  return preferred.text;
}

export function feeText(p: Procedure): string {
  if (p.fees.length === 0) return p.unverifiedFields.includes('fees') ? 'Chưa có thông tin chính thức' : 'Không thu phí';
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const f of p.fees) {
    const text = f.amountVnd !== null ? `${formatMoney(f.amountVnd)}${f.description ? ` (${shorten(f.description, 120)})` : ''}` : shorten(f.description, 160);
    if (!seen.has(text)) {
      seen.add(text);
      lines.push(text);
    }
    if (lines.length === 2) break;
  }
  return lines.join('; ');
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1).replace(/\s+\S*$/, '') + '…';
}

function whereToFile(p: Procedure): string {
  if (p.nonBoundary === true) return 'Nộp tại bất kỳ chi nhánh nào (không phụ thuộc nơi cư trú)';
  if (p.nonBoundary === false) return `Nộp tại ${p.agency} có thẩm quyền theo quy định`;
  return `${p.agency} (chưa công bố có nhận hồ sơ phi địa giới hay không)`;
}

/**
 * " (chưa xác minh)" after a fact that comes from a copy of the portal and that nobody has checked
 * against the official text; curated entries name a field with a note ("agency (…)"), so the prefix counts.
 */
function unverifiedMark(p: Procedure, field: string): string {
  return p.unverifiedFields.some((f) => f === field || f.startsWith(field + ' ')) ? ' _(chưa xác minh)_' : '';
}

/** The procedure card: for citizens, or terse with codes and legal basis for officers. */
export function procedureCard(p: Procedure, terse = false): string {
  const legal = p.legalBasis.slice(0, terse ? 6 : 3).map((l) => l.code || l.name);
  const mark = (field: string) => unverifiedMark(p, field);
  const unverified = p.unverifiedFields.length > 0 ? `\n\n_Chưa xác minh: ${fieldNames(p.unverifiedFields)}. Xin đối chiếu trang chính thức._` : '';
  if (terse) {
    return [
      `**${p.code}** ${p.name}`,
      `Cơ quan: ${p.agency}${mark('agency')} | Thời hạn: ${processingTimeText(p)}${mark('processingTimes')} | Phí: ${feeText(p)}${mark('fees')}`,
      `DVC: ${ONLINE[p.onlineLevel]}${mark('onlineLevel')} | Phi địa giới: ${p.nonBoundary === null ? 'chưa công bố' : p.nonBoundary ? 'có' : 'không'}${mark('nonBoundary')}`,
      `Căn cứ: ${legal.join('; ') || 'chưa có'}${legal.length ? mark('legalBasis') : ''}`,
    ].join('\n\n') + unverified;
  }
  return [
    `**${p.name}** (mã ${p.code})`,
    `- Cơ quan giải quyết: ${p.agency}${mark('agency')}`,
    `- Thời hạn: ${processingTimeText(p)}${p.processingTimes.length ? mark('processingTimes') : ''}`,
    `- Phí, lệ phí: ${feeText(p)}${p.fees.length ? mark('fees') : ''}`,
    `- Dịch vụ công trực tuyến: ${ONLINE[p.onlineLevel]}${p.onlineLevel !== 'unknown' ? mark('onlineLevel') : ''}`,
    `- Nơi nộp: ${whereToFile(p)}${p.nonBoundary !== null ? mark('nonBoundary') : ''}`,
    legal.length ? `- Căn cứ pháp lý: ${legal.join('; ')}${mark('legalBasis')}` : '',
  ]
    .filter(Boolean)
    .join('\n') + unverified;
}

export function bookingText(b: PublicBooking): string {
  const time = b.start.slice(11, 16);
  return [
    `Mã đặt lịch: **${b.code}**`,
    `- Thủ tục: ${b.procedureName}`,
    `- Nơi đến: ${b.branchName}`,
    `- Thời gian: ${time} ngày ${formatDate(b.date)}`,
    `- Người đặt: ${inertMarkdown(b.name)} (${b.phone})`,
    b.status === 'cancelled' ? '- Trạng thái: đã hủy' : '- Xin đến trước giờ hẹn 10 phút và đưa mã này cho cán bộ tại quầy.',
  ].join('\n');
}

export function dossierText(d: ReturnType<typeof citizenView>): string {
  const lines = [
    `Hồ sơ **${d.code}** (${d.procedure.name})`,
    `- Trạng thái: **${d.statusLabel}**`,
    `- Ngày nhận: ${formatDate(d.receivedDate)}; hẹn trả: ${formatDate(d.dueDate)}`,
  ];
  if (d.missing.length > 0) {
    // Documents, reasons, the apology and notes are officers' words.
    lines.push(`- Cần bổ sung: ${inertMarkdown(d.missing.flatMap((m) => m.documents).join('; '))} (lý do: ${inertMarkdown(d.missing.map((m) => m.reason).join('; '))})`);
  }
  if (d.apology) lines.push('', `_${inertMarkdown(d.apology.text)}_`);
  else if (d.overdue) lines.push('', 'Hồ sơ đã quá hạn hẹn trả. Trung tâm thành thật xin lỗi; cán bộ sẽ thông báo lý do và ngày hẹn mới. Ông/bà có thể chọn "Gặp cán bộ".');
  // Each step by its day in Vietnam: 03:17 on 2 December there is still 1 December in UTC.
  const recent = d.timeline.slice(-3).map((e) => `  - ${formatDate(localDate(new Date(e.at)))}: ${e.statusLabel}${e.note ? `, ${inertMarkdown(e.note)}` : ''}`);
  lines.push('- Tiến trình gần nhất:', ...recent);
  if (d.sample) lines.push('', '_(Hồ sơ mẫu để thử.)_');
  return lines.join('\n');
}
