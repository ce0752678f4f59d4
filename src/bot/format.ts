/**
 * Vietnamese answers, as text any channel can show (web chat renders the markdown, Zalo shows it
 * as is). Pure: records in, text out.
 */
import type { Fee, Procedure } from '../../knowledge/schemas';
import type { PublicBooking } from '../services/booking-service';
import type { citizenView } from '../services/dossier-service';
import { formatDate } from '../domain/dossier/dossier';
import { localDate } from '../domain/calendar/vietnam-time';
import { inertMarkdown } from '../domain/text/markdown';
import type { FeesOnDay, FilingMethod } from '../domain/fees/fee-rules';

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

/**
 * Field names as citizens read them; a curated entry may add a note after the field ("fees (mức thu …)"),
 * which is kept after the readable name.
 */
export function fieldNames(fields: string[]): string {
  return fields
    .map((f) => {
      if (FIELD_NAMES[f]) return FIELD_NAMES[f];
      const key = Object.keys(FIELD_NAMES).find((k) => f.startsWith(k + ' ') || f.startsWith(k + '['));
      if (!key) return f;
      const rest = f.slice(key.length);
      return rest.startsWith('[].formCode') ? 'số hiệu mẫu đơn, tờ khai' : FIELD_NAMES[key] + rest;
    })
    .join(', ');
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

export function feeText(p: Procedure & { feesInForce?: Record<FilingMethod, FeesOnDay> }): string {
  const today = p.feesInForce;
  const direct = today?.direct;
  // Amounts set by a dated rule (circular, resolution) replace the record's text, which may be out of date.
  const ruled = direct && direct.fees.length > 0 && direct.fees.every((f) => f.ruleId !== null);
  const parts: string[] = [];
  if (ruled) {
    const amounts = direct.fees.map((f) => `${f.item}: ${f.amountVnd === null ? 'chưa rõ mức thu' : formatMoney(f.amountVnd)}`).join('; ');
    const bases = [...new Set(direct.fees.map((f) => `${f.legalBasis ? legalName(f.legalBasis.code) : ''}${f.validUntil ? `, áp dụng đến ${formatDate(f.validUntil)}` : ''}`))];
    parts.push(`${amounts} (${bases.join('; ')})`);
  } else if (p.fees.length === 0) {
    parts.push(unverifiedMark(p, 'fees') ? 'Chưa có thông tin chính thức' : 'Không thu phí');
  } else {
    // The portal sometimes wraps one channel's copy of the same text in brackets: one text, shown once.
    const textOf = (f: Fee) => {
      const said = unstop(unwrap(unstop(f.description)));
      return unstop(f.amountVnd !== null ? `${formatMoney(f.amountVnd)}${said ? ` (${shorten(said, 120)})` : ''}` : shorten(said, 160));
    };
    const seen = new Map<string, Fee>();
    for (const f of p.fees) {
      if (!seen.has(textOf(f))) seen.set(textOf(f), f);
      if (seen.size === 2) break;
    }
    // Two online rows shown first would hide the counter's fee: then the first row of each method, labelled.
    const online = [...seen.values()][0];
    // The counter row for the same case as the online one shown ("cá nhân, hộ gia đình"), by shared words.
    const wordsOf = (t: string) => new Set(t.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean));
    const shared = (f: Fee) => [...wordsOf(f.description)].filter((w) => online && wordsOf(online.description).has(w)).length;
    const counter = p.fees.filter((f) => f.method === 'direct').sort((a, b) => shared(b) - shared(a))[0];
    if (counter && online && !seen.has(textOf(counter)) && [...seen.values()].every((f) => f.method === 'online')) {
      parts.push(`nộp trực tiếp: ${textOf(counter)}; nộp trực tuyến: ${textOf(online)}`);
    } else parts.push([...seen.keys()].join('; '));
  }
  const exempt = today?.online.exemption;
  if (exempt) parts.push(`nộp trực tuyến: miễn cho ${exempt.who} (${legalName(exempt.legalBasis.code)}${exempt.validUntil ? `, đến hết ${formatDate(exempt.validUntil)}` : ''})`);
  const unchecked = ruled && !unverifiedMark(p, 'fees') && (direct.fees.some((f) => !f.verified) || (exempt && !exempt.verified));
  return parts.join('; ') + (unchecked ? ' _(chưa xác minh)_' : '');
}

/** "64/2025/TT-BTC" → "Thông tư 64/2025/TT-BTC", as citizens read a legal text's name. */
export function legalName(code: string): string {
  const kind = LEGAL_KINDS.find(([re]) => re.test(code))?.[1];
  return kind ? `${kind} ${code}` : code;
}

/** The kind of legal text a number names, by its suffix; one list for the fee line and the legal-basis answer. */
const LEGAL_KINDS: readonly [RegExp, string][] = [
  [/\/QH\d*$/, 'Luật'],
  [/\/(NĐ|ND)-CP$/, 'Nghị định'],
  [/\/NQ-/, 'Nghị quyết'],
  [/\/TT/, 'Thông tư'],
  [/\/QĐ|\/QD/, 'Quyết định'],
];

function unwrap(text: string): string {
  const t = text.trim();
  return t.startsWith('(') && t.endsWith(')') && !/\)/.test(t.slice(1, -1).replace(/\([^()]*\)/g, '')) ? t.slice(1, -1).trim() : t;
}

/** A text without its closing full stop (or ';', ','): lines are joined with '; ', and 'X.' is the same text as 'X'. */
function unstop(text: string): string {
  return text.replace(/[\s.;,]+$/u, '');
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : unstop(text.slice(0, max - 1).replace(/\s+\S*$/, '')) + '…';
}

/**
 * Where the citizen files. "Not bound to residence" means any office of the competent body, not any
 * branch of this centre: a passport goes to any provincial immigration office (audit 12/2026, §3.9).
 */
export function whereToFile(p: Procedure): string {
  if (p.nonBoundary === true) return `Nộp tại ${p.agency} ở bất kỳ địa phương nào (không phụ thuộc nơi cư trú)`;
  if (p.nonBoundary === false) return `Nộp tại ${p.agency} có thẩm quyền theo quy định`;
  return `${p.agency} (chưa công bố có nhận hồ sơ phi địa giới hay không)`;
}

/**
 * " (chưa xác minh)" after a fact that comes from a copy of the portal and that nobody has checked
 * against the official text; curated entries name a field with a note ("agency (…)"), so the prefix counts.
 */
export function unverifiedMark(p: Procedure, field: string): string {
  return p.unverifiedFields.some((f) => f === field || f.startsWith(field + ' ')) ? ' _(chưa xác minh)_' : '';
}

/**
 * One plain line when the official text is out of date: it names papers that no longer count (CMND,
 * sổ hộ khẩu) or the whole record is obsolete (the converter's warnings), so nobody brings the wrong paper.
 */
export function paperWarning(p: Procedure): string {
  const papers = p.documentCases.flatMap((c) => c.documents.map((d) => d.obsoletePaper ?? '')).concat(p.steps);
  const cmnd = papers.some((t) => /chứng minh nhân dân|(?<!\p{L})cmnd(?!\p{L})/iu.test(t));
  const hoKhau = papers.some((t) => /sổ hộ khẩu|sổ tạm trú/i.test(t));
  const say: string[] = [];
  if (p.warnings.includes('obsolete_record')) say.push('Văn bản gốc của thủ tục này đã cũ, xin hỏi cán bộ trước khi nộp');
  if (p.warnings.includes('obsolete_paper') && cmnd) say.push('không dùng chứng minh nhân dân nữa, xin mang thẻ căn cước (hoặc căn cước công dân còn hạn, hộ chiếu)');
  if (p.warnings.includes('obsolete_paper') && hoKhau) say.push('không cần sổ hộ khẩu, sổ tạm trú: cán bộ tra thông tin cư trú trong cơ sở dữ liệu');
  if (say.length === 0) return '';
  const line = say.join('; ');
  return `- Lưu ý: ${line.charAt(0).toUpperCase()}${line.slice(1)}.`;
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
    paperWarning(p),
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
