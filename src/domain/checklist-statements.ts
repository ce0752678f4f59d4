/**
 * What a person says about their papers in their own words ("2 đứa có cccd rồi, tờ khai thì chưa có",
 * "em có bản án ly hôn và cccd, chưa có tờ khai"), read against one procedure's official documents;
 * and which of a procedure's cases a typed answer picks ("nộp trực tiếp", "số 2"). Pure: text and
 * records in, indexes out.
 */
import type { DocumentCase, RequiredDocument } from '../../knowledge/schemas';
import { fold } from './text/normalize';

/** What a statement says of one document. */
export type StatedAnswer = 'yes' | 'no' | 'unsure';

/**
 * Kinds of papers people name in everyday words: how they say it (`said`, over folded text) and how the
 * official list names it (`named`, over the folded head of a document's name). Only papers common to
 * many procedures; a paper not here is simply not recognised (the question for it is asked as usual).
 */
const PAPERS: readonly { said: RegExp; named: RegExp }[] = Object.freeze([
  // Identity papers: the official lists name them together ("Hộ chiếu/Thẻ căn cước…/giấy tờ tùy thân").
  { said: /\b(cccd|ccd|can cuoc|cmnd|cmt|chung minh (nhan dan|thu)|giay to tuy than|ho chieu|passport)\b/, named: /can cuoc|ho chieu|chung minh nhan dan|giay to tuy than/ },
  { said: /\b(to khai|mau (don|to khai|ct ?01|tk ?01)|ct ?01|tk ?01|phieu de nghi|don (de nghi|xin|dang ky|yeu cau))\b/, named: /^(mau (so )?[a-z0-9./-]+ )?(to khai|don |(phieu |giay |van ban )?de nghi|phieu yeu cau)/ },
  { said: /\b(giay )?chung sinh\b/, named: /chung sinh/ },
  { said: /\b(giay|ban sao|trich luc) khai sinh\b/, named: /khai sinh/ },
  { said: /\b(giay (chung nhan )?ket hon|giay dang ky ket hon|dang ky ket hon)\b/, named: /chung nhan ket hon|dang ky ket hon/ },
  { said: /\b(xac nhan (tinh trang )?hon nhan|giay doc than|xac nhan doc than)\b/, named: /tinh trang hon nhan/ },
  { said: /\b(ban an|quyet dinh (ly hon|cua toa|toa an)|giay ly hon|ly hon)\b/, named: /ly hon|ban an|quyet dinh (cua )?toa an|cham dut (quan he )?hon nhan/ },
  { said: /\b(giay bao tu|bao tu|chung tu)\b/, named: /bao tu|chung tu/ },
  { said: /\b(giay uy quyen|van ban uy quyen|hop dong uy quyen|uy quyen)\b/, named: /uy quyen/ },
  { said: /\b(hop dong (cho )?thue|giay to (chung minh )?cho o|cho o hop phap|xac nhan cho o)\b/, named: /cho o hop phap|hop dong (cho )?thue/ },
  { said: /\b(so do|so hong|giay chung nhan quyen su dung dat|gcn ?qsdd|qsdd)\b/, named: /giay chung nhan (quyen su dung dat|da cap|quyen so huu)/ },
  { said: /^anh\b|\b(anh|hinh) (the|3 ?x ?4|4 ?x ?6|2 ?x ?3|chan dung|thi|chua|da|roi|mau)\b|\btam anh\b|\b\d+ anh\b|\bchup anh\b/, named: /\banh (chan dung|mau|the)|\banh (co )?(kich thuoc|co) |\d+ ?x ?\d+ ?(cm)?\b.*anh|anh.*\d+ ?x ?\d+/ },
  { said: /\b(giay kham suc khoe|kham suc khoe|giay suc khoe)\b/, named: /suc khoe/ },
  { said: /\b(bang lai|gplx|giay phep lai xe|bang goc|bang cu)\b/, named: /giay phep lai xe/ },
  { said: /\b(so ho khau|ho khau|so tam tru)\b/, named: /so ho khau|so tam tru/ },
  { said: /\b(ca ?vet|giay dang ky xe|dang ky xe)\b/, named: /(giay|chung nhan) dang ky xe/ },
  { said: /\b(bang tot nghiep|van bang|bang (dai hoc|cap \d|thpt)|chung chi)\b/, named: /van bang|bang tot nghiep|chung chi/ },
  { said: /\b(xac nhan (thong tin )?cu tru|giay xac nhan cu tru|ct ?07)\b/, named: /xac nhan (thong tin )?(ve )?cu tru/ },
]);

/** How much of a document's name is its name (the rest explains cases and exceptions). */
const HEAD = 140;

function head(d: RequiredDocument): string {
  return fold(d.name.replace(/^[-+*•\s]+/, '')).slice(0, HEAD);
}

/**
 * The kind of paper (index into PAPERS) a document is: the one its name names first. "Tờ khai đăng ký
 * kết hôn" is a declaration, not a marriage certificate; "Thông tin về chỗ ở hợp pháp … căn cước điện
 * tử" is proof of residence, not an identity card. null: none of the everyday kinds.
 */
function kindsOf(documents: readonly RequiredDocument[]): (number | null)[] {
  return documents.map((d) => {
    const h = head(d);
    let best: { kind: number; at: number } | null = null;
    PAPERS.forEach((paper, kind) => {
      const m = paper.named.exec(h);
      if (m && (!best || m.index < best.at)) best = { kind, at: m.index };
    });
    return (best as { kind: number } | null)?.kind ?? null;
  });
}

/** The papers (indexes into PAPERS) a folded clause names. */
function saidKinds(clause: string): Set<number> {
  return new Set(PAPERS.flatMap((paper, kind) => (paper.said.test(clause) ? [kind] : [])));
}

/** "có nhưng chưa công chứng", "chỉ là bản photo": the paper may not be accepted; the officer decides. */
const UNSURE = /\b(ban photo|photo thoi|chi (la )?photo|chua (cong chung|chung thuc|ky|dong dau|xac nhan)|het han|khong ro|chua biet|chua chac)\b/;
const NO = /\b(chua co|khong co|ko co|k co|kg co|chua lam|chua xin|chua chup|chua|thieu|bi mat|lam mat|da mat|mat roi|khong mang)\b/;
const YES = /\b(co|da co|co roi|roi|du|day du|mang theo|cam theo|san)\b/;
/** A question about a paper ("có cần cccd không") says nothing about having it. */
const QUESTION = /\?|\b(co can|can (gi|khong|ko)|co phai|phai khong|duoc khong|dc khong|duoc ko|dc ko|the nao|la gi|o dau|bao nhieu|nhu nao|lam sao)\b/;

function polarity(clause: string): StatedAnswer | null {
  if (QUESTION.test(clause)) return null;
  if (UNSURE.test(clause)) return 'unsure';
  if (NO.test(clause)) return 'no';
  if (YES.test(clause)) return 'yes';
  return null;
}

/**
 * The documents a message says the person has, lacks or is unsure of, as indexes into `documents` with
 * the answer; only papers it names (PAPERS) and only with a clear "có / chưa có / photo" in the same
 * clause. "có hợp đồng nhưng chưa công chứng": the "nhưng" clause makes the paper before it unsure.
 */
export function statedDocuments(text: string, documents: readonly RequiredDocument[]): Map<number, StatedAnswer> {
  const stated = new Map<number, StatedAnswer>();
  const kinds = kindsOf(documents);
  let previous: number[] = [];
  // Clauses at punctuation and at "nhưng", "còn" (with its marks: unmarked "con" is also "child").
  for (const clause of text.normalize('NFC').split(/[.,;!\n]+|\s(?=(?:nhưng|nhung|còn|mà chưa|ma chua)\s)/i)) {
    const c = fold(clause).replace(/[^a-z0-9? ]+/g, ' ').replace(/\s+/g, ' ').trim();
    if (!c) continue;
    const said = saidKinds(c);
    const named = new Set(kinds.flatMap((k, i) => (k !== null && said.has(k) ? [i] : [])));
    const answer = polarity(c);
    if (named.size === 0) {
      // "… nhưng chưa công chứng": about the paper just named.
      if (answer === 'unsure' && /^(nhung|ma)\b/.test(c)) for (const i of previous) stated.set(i, 'unsure');
      continue;
    }
    previous = [...named];
    if (answer) for (const i of named) stated.set(i, answer);
  }
  return stated;
}

/** The documents (indexes) a message names by an everyday word, whatever it says of them. */
export function paperDocuments(text: string, documents: readonly RequiredDocument[]): number[] {
  const said = saidKinds(fold(text.normalize('NFC')).replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' '));
  return kindsOf(documents).flatMap((k, i) => (k !== null && said.has(k) ? [i] : []));
}

/** Whether a message names a paper with a "có / chưa có / photo" beside it (whatever the procedure). */
export function mentionsPapers(text: string): boolean {
  return text
    .normalize('NFC')
    .split(/[.,;!\n]+/)
    .some((clause) => {
      const c = fold(clause).replace(/[^a-z0-9? ]+/g, ' ').replace(/\s+/g, ' ').trim();
      return PAPERS.some((p) => p.said.test(c)) && polarity(c) !== null;
    });
}

/** Words of case names that tell nothing apart ("trường hợp", "cấp", "phiếu"…) are weighed by rarity instead of listed. */
function tokens(text: string): string[] {
  return fold(text).split(/[^a-z0-9]+/).filter((t) => t.length > 1);
}

/** Everyday words for how a dossier is filed, written as the official case names say it. */
const WAYS: readonly [RegExp, string][] = Object.freeze([
  [/\b(buu dien|gui buu dien|qua buu|ship)\b/, 'buu chinh'],
  [/\b(online|qua mang|tren mang|vneid|dich vu cong)\b/, 'truc tuyen'],
  [/\b(den quay|len quay|tai quay|tu di nop|nop tay)\b/, 'truc tiep'],
  [/\b(lam ho|nop ho|nho nguoi|cho nguoi khac|thay cho)\b/, 'uy quyen nguoi khac'],
]);

/**
 * Which case (index into `cases`) a typed answer picks: its number ("2", "số 2", "trường hợp 3") or
 * the words that tell its name from the others (each shared word weighed by how few names have it);
 * null when no case clearly wins.
 */
export function caseFromText(text: string, cases: readonly Pick<DocumentCase, 'name'>[]): number | null {
  const f = fold(text).trim();
  const number = /^(?:so |truong hop |th |cai |loai |thu )?(\d{1,2})(?:\b|\.)/.exec(f);
  if (number) {
    const i = Number(number[1]) - 1;
    return i >= 0 && i < cases.length ? i : null;
  }
  let said = f;
  for (const [re, words] of WAYS) if (re.test(f)) said += ` ${words}`;
  const mine = new Set(tokens(said));
  const names = cases.map((c) => new Set(tokens(c.name)));
  const df = new Map<string, number>();
  for (const n of names) for (const t of n) df.set(t, (df.get(t) ?? 0) + 1);
  const scores = names.map((n) => [...n].filter((t) => mine.has(t) && df.get(t)! < cases.length).reduce((s, t) => s + Math.log(cases.length / df.get(t)!), 0));
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
  const [best, second] = order;
  // A clear winner: at least one rare word more than the next case.
  if (!best || best[0] < Math.log(cases.length) || (second && best[0] - second[0] < Math.log(2))) return null;
  return best[1];
}
