/**
 * The rules that turn official texts, as the public copies hold them, into facts we may show: what a
 * fee of 0 means, which processing time is the headline, what a unit "khác" stands for, which body
 * still exists after the two-level reform of 01/7/2025, which papers are no longer valid. Pure
 * functions, used by scripts/convert-national.ts and tested one by one (tests/scripts/national-rules.test.ts).
 * Findings F1–F13 refer to the knowledge audit of 2026-12.
 */
import type { DocumentCase, Fee, LegalBasis, ProcessingTime, Procedure, RecordWarning, RequiredDocument } from '../knowledge/schemas';
import { fold, nfc } from '../src/domain/text/normalize';
import { obsoletePaper } from '../src/knowledge-base/obsolete-papers';

export function clean(text: string | null | undefined): string {
  return nfc(text ?? '').replace(/\s+/g, ' ').trim();
}

type Method = ProcessingTime['method'];

/** "Trực tiếp" / DIRECT → direct … (the copies name the channel either way). */
export function methodOf(code: string | null | undefined, words?: string | null): Method {
  const byCode: Record<string, Method> = { DIRECT: 'direct', ONLINE: 'online', POSTAL: 'post' };
  if (code && byCode[code]) return byCode[code];
  const w = fold(words ?? '');
  if (w.includes('truc tiep')) return 'direct';
  if (w.includes('truc tuyen')) return 'online';
  if (w.includes('buu chinh')) return 'post';
  return 'any';
}

// ---------------------------------------------------------------------------------------------- fees

/** Amounts written in a text: "100.000 đồng", "20.000 vnđ", "250,000 đồng/bản", "4.000.000đ". */
export function amountsInText(text: string): number[] {
  const out: number[] = [];
  const re = /(?<![\d.,])(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:đồng|đ(?![\p{L}])|vnđ|vnd)/giu;
  for (const m of text.matchAll(re)) out.push(Number(m[1].replace(/[.,]/g, '')));
  return out;
}

/**
 * A description that only says the fee is waived ("Miễn lệ phí", "Không thu phí"). Anything that also
 * names an amount, a body that sets the amount (HĐND), a rate or a case ("trường hợp…", "quá hạn") is
 * not an exemption for everyone, so the amount stays unknown (F1).
 */
export function isExemption(description: string): boolean {
  const d = fold(description);
  if (!/^[\s\-+*•.(]*(mien|khong thu|khong phai nop|khong mat)/.test(d)) return false;
  if (amountsInText(description).length > 0) return false;
  // An exemption for some people only ("Miễn lệ phí cho người thuộc hộ nghèo…") is not free for all.
  return !/hoi dong nhan dan|hdnd|muc thu|muc le phi|muc phi|theo quy dinh|qua han|truong hop|doi voi|tru |ngoai ra|\d|(^|[^a-z])(cho|khi|neu|rieng)([^a-z]|$)/.test(d);
}

export interface FeeInput {
  method: Method;
  kind: Fee['kind'];
  /** The portal's number (null: none shown). */
  value: number | null;
  currency: 'VND' | 'USD' | 'other';
  description: string;
}

/**
 * One fee row as we may show it, or null when the copy states nothing (no amount and no text: the
 * portal's "Miễn phí" or "Không có thông tin" for a value of 0 is not a statement that it is free).
 */
export function feeFrom(input: FeeInput, warn: Set<RecordWarning>): Fee | null {
  const description = clean(input.description);
  const base = { method: input.method, kind: input.kind, exemptions: null };
  if (input.currency !== 'VND') {
    if (input.value === null && !description) return null;
    const stated = input.value !== null ? `${input.value} ${input.currency === 'USD' ? 'USD' : ''}`.trim() : '';
    return { ...base, amountVnd: null, description: [stated, description].filter(Boolean).join(': ') };
  }
  if (input.value === null || input.value === 0) {
    if (!description) return null;
    return { ...base, amountVnd: isExemption(description) ? 0 : null, description };
  }
  if (input.value < 1000) {
    // F2: the portal's number is a typo when its own text gives another amount that starts with the
    // same digits (100 vs "100.000 đồng/lần"); otherwise the amount is kept and flagged.
    const inText = amountsInText(description).filter((a) => a >= 1000);
    const match = inText.find((a) => String(a).startsWith(String(input.value)));
    if (match !== undefined) {
      warn.add('fee_amount_corrected');
      return { ...base, amountVnd: match, description };
    }
    // No plausible amount in đồng is that small (consular fees in USD, thousands dropped): the
    // number is shown as the portal wrote it, without a unit, and not as an amount.
    warn.add('fee_amount_suspicious');
    const said = `Cổng Dịch vụ công ghi mức ${input.value}, không rõ đơn vị`;
    return { ...base, amountVnd: null, description: description ? `${said}: ${description}` : said };
  }
  return { ...base, amountVnd: input.value, description };
}

/** Fee rows without repeats (the same fee is often published once per channel). */
export function uniqueFees(fees: (Fee | null)[]): Fee[] {
  const seen = new Set<string>();
  return fees.filter((f): f is Fee => {
    if (!f) return false;
    const key = JSON.stringify([f.method, f.kind, f.amountVnd, f.description]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

// ------------------------------------------------------------------------------------------- times

const UNIT: Record<string, ProcessingTime['unit']> = {
  WORKING_DAY: 'working_days',
  DAY: 'days',
  HOUR: 'hours',
  MONTH: 'months',
};
const UNIT_WORDS: Record<ProcessingTime['unit'], string> = {
  working_days: 'ngày làm việc',
  days: 'ngày',
  hours: 'giờ',
  months: 'tháng',
  same_day: 'trong ngày',
  other: '',
};

/** "5 Ngày làm việc", "8 Ngày", "24 Giờ", "3 Tháng", "3" (unit "khác"), or words. */
export function parseTimeText(text: string): { amount: number | null; unitCode: string | null; words: string } {
  const t = clean(text);
  const m = /^(\d+(?:[.,]\d+)?)\s*(ngày làm việc|ngày|giờ|tháng)?$/i.exec(t);
  if (!m) return { amount: null, unitCode: null, words: /^không có thông tin$/i.test(t) ? '' : t };
  const unit = (m[2] ?? '').toLowerCase();
  const unitCode = unit === 'ngày làm việc' ? 'WORKING_DAY' : unit === 'ngày' ? 'DAY' : unit === 'giờ' ? 'HOUR' : unit === 'tháng' ? 'MONTH' : 'OTHER';
  return { amount: Number(m[1].replace(',', '.')), unitCode, words: '' };
}

/** "07 ngày làm việc" for amount 7 somewhere in the text (0-padded or not, not part of a larger number). */
function mentions(text: string, amount: number, unit: string): boolean {
  return new RegExp(`(?<![\\d.,/])0?${amount}\\s*(?:\\([^)]{0,20}\\)\\s*)?${unit}`, 'iu').test(text);
}

/**
 * One processing-time row. The unit comes from the portal's code, except where its own texts say
 * otherwise (F6): "khác"/OTHER and bare numbers are read from the method's description and the steps
 * (0 is the same day), and "ngày" is working days when the text says "N ngày làm việc".
 */
export function timeFrom(
  method: Method,
  amount: number | null,
  unitCode: string | null,
  words: string,
  context: { description: string; steps: string },
): ProcessingTime | null {
  const description = clean(context.description);
  const text = `${description} ${context.steps}`;
  if (amount === null) {
    const w = clean(words);
    return w ? { method, amount: null, unit: 'other', text: w } : null;
  }
  let unit: ProcessingTime['unit'] = UNIT[unitCode ?? ''] ?? 'other';
  if (unit === 'days' && mentions(text, amount, 'ngày làm việc')) unit = 'working_days';
  if (unit === 'other') {
    if (amount === 0 || (/ngay trong ngày|trong ngày làm việc|giải quyết trong ngày|trả kết quả trong ngày/iu.test(text) && amount <= 1)) unit = 'same_day';
    else if (mentions(text, amount, 'ngày làm việc')) unit = 'working_days';
    else if (mentions(text, amount, 'giờ')) unit = 'hours';
    else if (mentions(text, amount, 'tháng')) unit = 'months';
    else if (mentions(text, amount, 'ngày')) unit = 'days';
  }
  const stated =
    unit === 'same_day'
      ? 'Trong ngày'
      : unit === 'other'
        ? `${amount} (Cổng Dịch vụ công không ghi đơn vị thời gian)`
        : `${amount} ${UNIT_WORDS[unit]}`;
  return { method, amount: unit === 'same_day' ? 0 : amount, unit, text: stated };
}

const METHOD_ORDER: Method[] = ['direct', 'online', 'post', 'any'];

/**
 * Rows in the order they should be read: the counter first (what a service centre handles), then
 * online and post; rows with a known unit before unknown ones; the case list (general case .01 first)
 * after the channels. Readers that take the first row (the card, due dates) then get the right one
 * instead of whatever row the portal listed first (F6).
 */
export function orderTimes(channelRows: ProcessingTime[], caseRows: { code: string; row: ProcessingTime }[]): ProcessingTime[] {
  const rank = (t: ProcessingTime) => METHOD_ORDER.indexOf(t.method) * 2 + (t.unit === 'other' ? 1 : 0);
  const channels = channelRows.map((row, i) => ({ row, i })).sort((a, b) => rank(a.row) - rank(b.row) || a.i - b.i).map((x) => x.row);
  const cases = [...caseRows].sort((a, b) => a.code.localeCompare(b.code)).map((c) => c.row);
  const seen = new Set<string>();
  return [...channels, ...cases].filter((t) => {
    const key = JSON.stringify([t.method, t.amount, t.unit, t.text]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

// ---------------------------------------------------------------------------------- online level

/** F8: "partial" only when the portal lists an online submission; full only when it says toàn trình. */
export function onlineLevelOf(methods: Method[], fullProcess: boolean | null | undefined): Procedure['onlineLevel'] {
  if (methods.length === 0) return fullProcess ? 'full' : 'unknown';
  if (!methods.includes('online')) return 'none';
  return fullProcess ? 'full' : 'partial';
}

// ---------------------------------------------------------------------------------------- agencies

/** Bodies of levels or unit types abolished by the reform of 01/7/2025 (F4). */
const STALE_BODY = /(?<!\p{L})(thị trấn|cấp huyện|huyện|quận|thị xã)(?!\p{L})/iu;

export function isStaleBody(name: string): boolean {
  return STALE_BODY.test(name);
}

/** The post-reform name when the official catalogue uses one for the same body. */
const RENAMED: [RegExp, string][] = [
  // Either tone placement ("Ủy", "Uỷ"), with or without "cấp": the sibling records say "Ủy ban nhân dân cấp xã".
  [/^(ủy|uỷ) ban nhân dân (các |cấp )?xã,? phường,? thị trấn\.?$/iu, 'Ủy ban nhân dân cấp xã'],
  [/^ubnd (các |cấp )?xã,? phường,? thị trấn\.?$/iu, 'Ủy ban nhân dân cấp xã'],
  // District courts ended on 01/7/2025; the catalogue names their successor "Tòa án nhân dân khu vực" (3.000163).
  [/^(tòa|toà) án nhân dân cấp huyện, quận, thị xã, thành phố thuộc tỉnh và tương đương\.?$/iu, 'Tòa án nhân dân khu vực'],
];

/**
 * The agency to show: the first body the official catalogue names for the code that still exists,
 * else the copy's bodies, renamed where the catalogue gives the new name; a body of an abolished
 * level is shown only when nothing else is known, and then the record is flagged.
 */
export function chooseAgency(catalogue: string[], copy: string[], warn: Set<RecordWarning>): { agency: string | null; agencies: string[] } {
  const renamed = [...catalogue, ...copy].map(clean).filter(Boolean).map((a) => RENAMED.find(([re]) => re.test(a))?.[1] ?? a);
  const agencies = [...new Set(renamed)];
  const current = agencies.find((a) => !isStaleBody(a));
  if (current) return { agency: current, agencies };
  if (agencies.length > 0) warn.add('stale_body_name');
  return { agency: agencies[0] ?? null, agencies };
}

// ------------------------------------------------------------------------------------------ papers

// --------------------------------------------------------------------------------------- documents

const FILE = /\.(docx?|pdf|xlsx?|rar|zip|odt)$/i;
/** Words a form's file name starts with, glued even after a capital or in lower case ("NHNNPhụ lục V.docx"). */
const FORM_WORD = /^(mẫu|mãu|mau|phụ lục|phu luc|pl\d|biểu mẫu|tờ khai|to khai)/i;

/**
 * Trap 5: the page copy glues an attached form's file name to the end of the document name
 * ("…của Bộ Công an)Mẫu DC01 Phiếu thu thập thông tin dân cư.docx"). The file name starts where a
 * capital letter follows a non-space character; the shortest such tail ending in a file extension is
 * taken, repeatedly (a name may carry two files). Names that cannot be split are left as they are.
 */
export function splitFormFileNames(name: string): { name: string; files: string[] } {
  let head = clean(name);
  const files: string[] = [];
  for (let guard = 0; guard < 6 && FILE.test(head); guard++) {
    // The last boundary (shortest tail) whose tail is a plausible file name.
    let cut = -1;
    for (let i = head.length - 1; i > 0; i--) {
      const prev = head[i - 1];
      if (/\s/.test(prev)) continue;
      const capital = /\p{Lu}/u.test(head[i]) && /[)\].;:,\p{Ll}\d]/u.test(prev);
      const formWord = prev !== '(' && FORM_WORD.test(head.slice(i, i + 12));
      if (!capital && !formWord) continue;
      const tail = head.slice(i);
      if (tail.length <= 200 && FILE.test(tail)) {
        cut = i;
        break;
      }
    }
    if (cut < 0) break;
    files.unshift(head.slice(cut).trim());
    head = head.slice(0, cut).trim();
  }
  return { name: head, files };
}

function copyKind(name: string, copies: number): RequiredDocument['copyKind'] {
  const n = name.toLowerCase();
  if (/bản sao (có )?chứng thực|bản sao được chứng thực/.test(n)) return 'certified_copy';
  if (/bản sao.*(kèm|xuất trình) bản chính/.test(n)) return 'copy_with_original';
  if (copies > 0 || /bản sao|bản chụp/.test(n)) return 'copy';
  return 'unspecified';
}

/** "Trường hợp …: …" / "Trường hợp … thì …": the condition is the clause before the colon or "thì". */
function conditionOf(name: string): string | null {
  const m = /^[-+*•\s]*((?:trường hợp|đối với|nếu)[^:]{3,200}?)(?::|\s+thì\s)/i.exec(name);
  return m ? nfc(m[1]) : null;
}

export interface PaperInput {
  name: string;
  originals: number;
  copies: number;
  forms: string[];
  formUrls?: (string | null)[];
  /** The copy flagged that the name may end with a form's file name. */
  mayBeGlued?: boolean;
}

/**
 * A paper of the dossier. `required` is unknown (F7: the portal's flag is its default, not a fact).
 * A paper with no original and no copy is an official note, not something to hand in.
 */
export function paperFrom(input: PaperInput, warn: Set<RecordWarning>): RequiredDocument | string | null {
  let name = clean(input.name);
  const forms = input.forms.map((f, i) => ({ name: clean(f), url: input.formUrls?.[i] ?? null })).filter((f) => f.name);
  if (input.mayBeGlued || FILE.test(name)) {
    const split = splitFormFileNames(name);
    if (split.files.length > 0 && split.name) {
      name = split.name;
      for (const f of split.files) if (!forms.some((x) => x.name === f)) forms.push({ name: f, url: null });
    } else if (input.mayBeGlued) warn.add('document_name_glued');
  }
  if (!name) return null;
  if (input.originals === 0 && input.copies === 0) return name;
  const obsolete = obsoletePaper(name);
  if (obsolete) warn.add('obsolete_paper');
  return {
    name,
    originals: input.originals,
    copies: input.copies,
    copyKind: copyKind(name, input.copies),
    required: null,
    condition: conditionOf(name),
    formCode: /mẫu(?: số)? ([A-ZĐ]{1,4}\d{1,3}[a-z]?(?:\/[\w/-]+)?)/i.exec(name)?.[1] ?? null,
    forms,
    commonMistakes: [],
    replaceableByData: null,
    obsoletePaper: obsolete,
  };
}

/**
 * A case heading that only says which papers are shown at the counter ("Các giấy tờ phải xuất trình
 * (bản chính), bao gồm:", "Khi nộp hồ sơ trực tiếp cần xuất trình …") is a group that applies to
 * everyone, not a situation to choose: it is marked as a group heading ("* …", as the portal writes
 * its other groups) so the checklist does not offer it as an alternative.
 */
export function caseHeading(heading: string): string {
  const h = clean(heading);
  if (!/xuất trình/iu.test(h) || /^[*\-+•]/.test(h) || /^(trường hợp|đối với|nếu)/iu.test(h)) return h;
  return `* ${h}`;
}

/** Papers grouped under their case heading, in the order published. */
export function casesFrom(groups: { heading: string; papers: PaperInput[] }[], warn: Set<RecordWarning>): DocumentCase[] {
  const out: DocumentCase[] = [];
  for (const g of groups) {
    const heading = caseHeading(g.heading);
    let target = out.find((c) => c.name === heading);
    if (!target) out.push((target = { name: heading, documents: [], notes: [] }));
    for (const p of g.papers) {
      const paper = paperFrom(p, warn);
      if (typeof paper === 'string') target.notes.push(paper);
      else if (paper) target.documents.push(paper);
    }
  }
  return out;
}

export function hasDocuments(cases: DocumentCase[]): boolean {
  return cases.some((c) => c.documents.length > 0);
}

// ------------------------------------------------------------------------------------- legal basis

/**
 * Trap 5: the page copy runs legal texts together ("…Luật Căn cước17/2024/TT-BCAThông tư…"). Names
 * cannot be split reliably, so the text is kept verbatim and only the document codes (which have a
 * fixed shape: number/year/issuer) are read from it.
 */
export function legalCodes(text: string): LegalBasis[] {
  const re = /(?<![\d/])(\d{1,4}\/\d{4}\/(?:TTg|[A-ZĐ]+\d{0,2})(?:-(?:TTg|[A-ZĐ]+\d{0,2}))*)(?=(\p{L}*))/gu;
  const seen = new Set<string>();
  const out: LegalBasis[] = [];
  // Laws end in QH + the legislature's two digits; digits glued after them start the next code.
  // Other issuers carry no digits: digits glued after one ("TT-BTC47/2019/TT-BTC") start the next code too.
  const text2 = clean(text)
    .replace(/(QH\d{2})(?=\d{1,4}\/\d{4}\/)/g, '$1 ')
    .replace(/(TTg|[A-ZĐ])(?<!QH)(?=\d{1,4}\/\d{4}\/)/gu, '$1 ');
  for (const m of text2.matchAll(re)) {
    let code = m[1];
    // A capital glued after the code that begins the next title ("TT-BCALuật") is not part of it;
    // a lower-case word glued after it ("TT-BCAngày") leaves the code whole.
    const next = m[2] ?? '';
    if (next && /\p{Ll}/u.test(next[0]) && NEXT_TITLE.test(code.slice(-1) + next)) code = code.slice(0, -1);
    code = code.replace(/-$/, '');
    if (!seen.has(code)) {
      seen.add(code);
      out.push({ code, name: code });
    }
  }
  return out;
}

/** Words a legal text's title starts with. */
const NEXT_TITLE = /^(Luật|Thông|Nghị|Quyết|Văn|Bộ|Pháp|Chỉ|Công|Hiến|Lệnh|Sắc|Hướng|Quy)/u;

// ------------------------------------------------------------------------------------------- names

/** Trap 1: a copy whose name shares too few words with the catalogue's is another procedure. */
export function sameProcedure(catalogueName: string, copyName: string): boolean {
  const words = (s: string) => new Set(fold(s).replace(/^thu tuc /, '').split(/[^a-z0-9]+/).filter((w) => w.length > 1));
  const a = words(catalogueName);
  const b = words(copyName);
  if (a.size === 0 || b.size === 0) return true;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / Math.min(a.size, b.size) >= 0.5;
}

/** Which catalogue line wins when two share a code after trimming (F13): the one citizens can use. */
export function preferLine<T extends { type: string }>(a: T, b: T): T {
  const rank = (t: string) => (t === 'STANDARD' ? 0 : t === 'SPECIFIC' ? 1 : 2);
  return rank(b.type) < rank(a.type) ? b : a;
}

// ------------------------------------------------------------------------- corrections of the audit

export interface Correction {
  /** Why, with the official text it rests on. */
  because: string;
  agency?: string;
  /** Replaces the published rows: the law's time for every channel. */
  processingTime?: { amount: number | null; unit: ProcessingTime['unit']; text: string };
  /**
   * Same-day procedures: a dossier received after 15:00 is returned the next working day, the latest
   * date a receipt may promise (due dates are counted from the working-days row).
   */
  nextWorkingDayAfter15h?: boolean;
  obsolete?: string;
  /** Document names the portal copy got wrong, replaced wherever they occur (exact text). */
  documentNames?: { from: string; to: string }[];
  /** Papers whose own text says copy or original while the portal counts them otherwise (name contains `includes`). */
  documentCounts?: { includes: string; originals: number; copies: number }[];
  /** Replaces the description of every fee row (amounts untouched): a superseded basis named. */
  feeDescription?: string;
  /** Fee rows the portal record leaves out, each naming its text (amount null unless read in it). */
  addFees?: Fee[];
  /**
   * Fee rows (description starting with `startsWith`) whose amount contradicts their own text: the amount
   * becomes unknown and the description, replaced, says what the portal wrote.
   */
  amountInDoubt?: { startsWith: string; description: string };
  /** Legal texts in force the portal record does not list yet, put first. */
  addLegalBasis?: LegalBasis[];
}

const HO_TICH = 'Luật Hộ tịch 60/2014/QH13';
const GPLX_FEE_BECAUSE =
  'Kiểm toán tri thức 12/2026, mục 3.6 và F3: Nghị quyết 66.22/2026/NQ-CP ngày 09/7/2026, Phụ lục II, dẫn Thông tư 154/2025/TT-BTC là văn bản thu lệ phí cấp đổi, cấp lại giấy phép lái xe hiện hành (thủ tục 3.000347, 3.000348); mức 135.000 đồng trên trang Cổng theo Thông tư 37/2023/TT-BTC, mức trực tuyến 115.000 đồng chỉ đến hết 31/12/2025';
const GPLX_FEE = 'Lệ phí cấp giấy phép lái xe theo Thông tư 154/2025/TT-BTC, văn bản thu hiện hành; mức thu chưa được xác minh (trang Cổng ghi 135.000 đồng/lần theo văn bản cũ)';
const GPLX_FEE_BASIS: LegalBasis = { code: '154/2025/TT-BTC', name: 'Thông tư số 154/2025/TT-BTC của Bộ Tài chính về lệ phí cấp giấy phép lái xe (Nghị quyết 66.22/2026/NQ-CP, Phụ lục II, dẫn là văn bản hiện hành; chưa đọc văn bản gốc)' };

/**
 * Values the knowledge audit of 2026-12 (§3, §7) established from official texts, where the portal
 * copy is wrong or misleading. Each names its legal basis.
 */
export const AUDIT_CORRECTIONS: Record<string, Correction> = {
  '1.001193': {
    because: `${HO_TICH}, Điều 16 khoản 2; trình tự trên Cổng Dịch vụ công`,
    processingTime: { amount: 0, unit: 'same_day', text: 'Ngay trong ngày; hồ sơ nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo' },
    nextWorkingDayAfter15h: true,
  },
  '1.000894': {
    because: `${HO_TICH}, Điều 18 khoản 2; phí bản sao trích lục 8.000 đồng/bản theo Thông tư 281/2016/TT-BTC (Bộ pháp điển, đề mục Phí và lệ phí), Nghị quyết 66.22/2026/NQ-CP Phụ lục II ghi cùng mức`,
    addFees: [
      {
        method: 'any',
        kind: 'fee',
        amountVnd: 8000,
        description: 'Phí cấp bản sao Trích lục kết hôn (nếu có yêu cầu): 8.000 đồng/bản (Thông tư 281/2016/TT-BTC)',
        exemptions: null,
      },
    ],
    processingTime: { amount: 0, unit: 'same_day', text: 'Ngay trong ngày (nhận sau 15 giờ: ngày làm việc tiếp theo); trường hợp cần xác minh điều kiện kết hôn thì không quá 05 ngày làm việc' },
    nextWorkingDayAfter15h: true,
  },
  '1.000656': {
    because: `${HO_TICH}, Điều 34 khoản 2; miễn lệ phí khai tử đúng hạn (trong 15 ngày kể từ ngày chết): Điều 11 khoản 1 điểm b, Điều 33 khoản 1`,
    feeDescription:
      'Miễn lệ phí khi đăng ký trong 15 ngày kể từ ngày chết (Luật Hộ tịch 60/2014/QH13, Điều 11, Điều 33); quá hạn: theo mức Hội đồng nhân dân thành phố quy định; miễn cho người thuộc gia đình có công với cách mạng, hộ nghèo, người khuyết tật (mức thu tại Hà Nội chưa xác minh); phí bản sao Trích lục khai tử theo Thông tư 281/2016/TT-BTC',
    processingTime: { amount: 0, unit: 'same_day', text: 'Ngay trong ngày (nhận sau 15 giờ: ngày làm việc tiếp theo); trường hợp cần xác minh thì lâu hơn (Cổng ghi đến 05 ngày làm việc)' },
    nextWorkingDayAfter15h: true,
  },
  '2.000635': {
    because: 'Trình tự trên Cổng Dịch vụ công (mã 2.000635)',
    processingTime: { amount: 0, unit: 'same_day', text: 'Ngay trong ngày; yêu cầu nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo' },
    nextWorkingDayAfter15h: true,
  },
  '1.004859': {
    because: `${HO_TICH}, Điều 28 khoản 2`,
    processingTime: { amount: 3, unit: 'working_days', text: '03 ngày làm việc; trường hợp cần xác minh thì kéo dài thêm không quá 03 ngày làm việc' },
  },
  '1.001022': {
    because: `${HO_TICH}, Điều 25 khoản 2`,
    processingTime: { amount: 3, unit: 'working_days', text: '03 ngày làm việc; trường hợp cần xác minh thì kéo dài thêm không quá 05 ngày làm việc' },
  },
  '2.000806': {
    because: 'Kiểm toán tri thức 12/2026, mục 3.1 và mục 7 điểm 15: thành phần hồ sơ ghi "phải nộp bản sao hộ chiếu", bản ghi Cổng đếm là 1 bản chính',
    documentCounts: [{ includes: 'phải nộp bản sao hộ chiếu', originals: 0, copies: 1 }],
  },
  '2.000986': {
    because: 'Kiểm toán tri thức 12/2026, mục 3.1: văn bản của thủ tục còn yêu cầu sổ hộ khẩu và chuyển hồ sơ cho Công an cấp huyện',
    processingTime: { amount: 20, unit: 'working_days', text: '20 ngày làm việc' },
    obsolete:
      'Thủ tục liên thông này được công bố theo văn bản cũ: còn yêu cầu sổ hộ khẩu (không còn giá trị từ 01/01/2023) và chuyển hồ sơ cho Công an cấp huyện (không còn từ 01/7/2025). Làm khai sinh cho con: thủ tục 1.001193; đăng ký thường trú: 1.004222.',
  },
  '2.001023': {
    because: 'Kiểm toán tri thức 12/2026, mục 3.1: cơ quan thực hiện ghi nhầm là Công đoàn cơ quan BHXH Việt Nam',
    agency: 'Ủy ban nhân dân cấp xã (phối hợp với cơ quan bảo hiểm xã hội)',
    processingTime: { amount: 15, unit: 'working_days', text: '15 ngày làm việc' },
    obsolete:
      'Thủ tục liên thông này được công bố theo văn bản cũ (căn cứ pháp lý từ 2005–2015, gửi dữ liệu cho Bảo hiểm xã hội cấp huyện). Làm khai sinh cho con: thủ tục 1.001193.',
  },
  '1.013225': {
    because: 'Kiểm toán tri thức 12/2026, mục 3.8, theo trang thủ tục trên Cổng Dịch vụ công và Nghị định 175/2024/NĐ-CP, Phụ lục II, Mẫu số 1: hàng "20 ngày" mâu thuẫn với thời hạn chung; tên đơn của các trường hợp xây mới chép nhầm từ thủ tục sửa chữa, cải tạo',
    processingTime: { amount: 10, unit: 'working_days', text: '10 ngày làm việc (nhà ở riêng lẻ: 07 ngày làm việc)' },
    documentNames: [
      {
        from: 'Đơn đề nghị cấp giấy phép sửa chữa, cải tạo công trình theo Mẫu số 1 Phụ lục số II',
        to: 'Đơn đề nghị cấp giấy phép xây dựng theo Mẫu số 1 Phụ lục số II',
      },
    ],
  },
  '1.010385': {
    because:
      'Kiểm toán tri thức 12/2026, F4: Công an cấp huyện không còn sau khi sắp xếp bộ máy năm 2025; danh mục quốc gia có cùng thủ tục thực hiện tại cấp xã, mã 1.010386, cơ quan Công an cấp xã',
    agency: 'Công an cấp xã',
    obsolete:
      'Mã này là thủ tục "thực hiện tại cấp huyện", cơ quan Công an huyện không còn. Trình báo mất hộ chiếu tại Công an cấp xã: thủ tục 1.010386 (hoặc Công an cấp tỉnh: 1.001445).',
  },
  '1.011727': {
    because:
      'Kiểm toán tri thức 12/2026, F4: Công an cấp huyện không còn sau khi sắp xếp bộ máy năm 2025; danh mục quốc gia có cùng thủ tục thực hiện tại cấp xã, mã 1.011728, cơ quan Công an cấp xã',
    agency: 'Công an cấp xã',
    obsolete:
      'Mã này là thủ tục "thực hiện tại cấp huyện", cơ quan Công an huyện không còn. Trình báo mất thẻ ABTC tại Công an cấp xã: thủ tục 1.011728 (hoặc cấp tỉnh: 1.011726).',
  },
  '2.001583': {
    because:
      'Kiểm toán tri thức 12/2026, mục 3.7: trang Cổng Dịch vụ công ghi lệ phí đăng ký doanh nghiệp 50.000 đồng, trong khi chính đoạn văn nói mức thu bằng 50% mức tại điểm 1 Biểu phí kèm Thông tư 47/2019/TT-BTC (Thông tư 64/2025/TT-BTC); chưa đọc Thông tư 47/2019 nên không ghi số tiền',
    amountInDoubt: { startsWith: '- Lệ phí đăng ký doanh nghiệp: Bằng 50%', description: 'Lệ phí đăng ký doanh nghiệp: 50% mức tại điểm 1 Biểu phí kèm Thông tư 47/2019/TT-BTC (Thông tư 64/2025/TT-BTC); Cổng ghi 50.000 đồng, chưa xác minh' },
  },
  '2.001610': {
    because:
      'Kiểm toán tri thức 12/2026, mục 3.7: bản ghi chỉ có phí công bố, thiếu lệ phí đăng ký doanh nghiệp; lệ phí theo điểm 1 Biểu phí, lệ phí đăng ký doanh nghiệp kèm Thông tư 47/2019/TT-BTC và Thông tư 64/2025/TT-BTC, như trang Cổng Dịch vụ công của thủ tục anh em 2.001583 (cùng Quyết định 92/QĐ-BTC) ghi',
    addFees: [
      {
        method: 'direct',
        kind: 'charge',
        amountVnd: null,
        description:
          'Lệ phí đăng ký doanh nghiệp: 50% mức tại điểm 1 Biểu phí kèm Thông tư 47/2019/TT-BTC (Thông tư 64/2025/TT-BTC); số tiền chưa xác minh',
        exemptions: null,
      },
    ],
  },
  '3.000346': {
    because:
      'Kiểm toán tri thức 12/2026, mục 3.6, theo trình tự trên trang thủ tục của Cổng Dịch vụ công (Quyết định 1025/QĐ-BCA): thời hạn tính từ ngày kết thúc kỳ sát hạch, 03 ngày cho giấy phép điện tử, 07 ngày cho giấy phép PET; hàng "7 ngày làm việc" của kênh trực tuyến không khớp',
    processingTime: {
      amount: 3,
      unit: 'days',
      text: 'Giấy phép lái xe điện tử: trong 03 ngày kể từ ngày kết thúc kỳ sát hạch; giấy phép bằng chất liệu PET: trong 07 ngày (sau khi nộp lệ phí); hồ sơ dự sát hạch gửi Phòng Cảnh sát giao thông trước kỳ sát hạch ít nhất 07 ngày làm việc',
    },
  },
  '3.000347': {
    because: GPLX_FEE_BECAUSE,
    feeDescription: GPLX_FEE,
    addLegalBasis: [GPLX_FEE_BASIS],
  },
  '3.000348': {
    because: GPLX_FEE_BECAUSE,
    feeDescription: GPLX_FEE,
    addLegalBasis: [GPLX_FEE_BASIS],
  },
  '1.013067': {
    because: 'Kiểm toán tri thức 12/2026, mục 3.9, theo trang thủ tục trên Cổng Dịch vụ công (Quyết định 1383/QĐ-BCA): hàng đầu "7 ngày làm việc" chỉ dành cho biển trúng đấu giá, đổi biển, biển định danh; Nghị quyết 66.22/2026/NQ-CP dẫn Thông tư 155/2025/TT-BTC là văn bản thu lệ phí hiện hành',
    processingTime: {
      amount: 2,
      unit: 'working_days',
      text: 'Cấp chứng nhận đăng ký xe: không quá 02 ngày làm việc; biển số mới: cấp ngay khi nhận đủ hồ sơ hợp lệ; biển trúng đấu giá, đổi biển, biển định danh: không quá 07 ngày làm việc',
    },
    feeDescription: 'Lệ phí đăng ký, cấp biển số theo Thông tư 155/2025/TT-BTC (thay Thông tư 60/2023/TT-BTC); mức thu theo loại xe và khu vực chưa được xác minh',
  },
};

/** Applies the audit's correction of a code, if any, to a converted record. */
export function applyCorrection(p: Procedure, warn: Set<RecordWarning>): Procedure {
  const c = AUDIT_CORRECTIONS[p.code];
  if (!c) return p;
  const next: Procedure = { ...p };
  if (c.agency) {
    next.agency = c.agency;
    // A body of an abolished level gives way to the corrected one in the list too.
    if (p.agencies.some(isStaleBody)) next.agencies = [c.agency, ...p.agencies.filter((a) => !isStaleBody(a) && a !== c.agency)];
  }
  if (c.processingTime) {
    const methods = [...new Set(p.processingTimes.map((t) => t.method))];
    const channels: Method[] = methods.length ? methods.sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b)) : ['any'];
    next.processingTimes = channels.map((method) => ({ method, ...c.processingTime! }));
    if (c.nextWorkingDayAfter15h) {
      next.processingTimes.push({ method: 'any', amount: 1, unit: 'working_days', text: 'Hồ sơ nhận sau 15 giờ: trả kết quả trong ngày làm việc tiếp theo' });
    }
  }
  if (c.documentNames) {
    next.documentCases = next.documentCases.map((dc) => ({
      ...dc,
      documents: dc.documents.map((d) => {
        const rename = c.documentNames!.find((r) => d.name.includes(r.from));
        return rename ? { ...d, name: d.name.replace(rename.from, rename.to) } : d;
      }),
    }));
  }
  if (c.documentCounts) {
    next.documentCases = next.documentCases.map((dc) => ({
      ...dc,
      documents: dc.documents.map((d) => {
        const count = c.documentCounts!.find((r) => d.name.includes(r.includes));
        return count ? { ...d, originals: count.originals, copies: count.copies } : d;
      }),
    }));
  }
  if (c.feeDescription) next.fees = next.fees.map((f) => ({ ...f, description: c.feeDescription! }));
  if (c.amountInDoubt) {
    const doubt = c.amountInDoubt;
    next.fees = next.fees.map((f) => (f.description.startsWith(doubt.startsWith) && f.amountVnd !== null ? { ...f, amountVnd: null, description: doubt.description } : f));
  }
  if (c.addFees) next.fees = [...next.fees, ...c.addFees];
  if (c.addLegalBasis) next.legalBasis = [...c.addLegalBasis, ...next.legalBasis.filter((l) => !c.addLegalBasis!.some((a) => a.code === l.code))];
  if (c.obsolete) {
    warn.add('obsolete_record');
    next.notes = [p.notes, c.obsolete].filter(Boolean).join('\n');
  }
  next.notes = [next.notes, `Hiệu chỉnh theo kiểm toán tri thức 12/2026 (${c.because}).`].filter(Boolean).join('\n');
  return next;
}
