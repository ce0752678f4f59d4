/**
 * Reading a procedure's official documents for a checklist: which cases are alternatives the citizen
 * must choose between, which documents are conditional, and how to explain originals and copies.
 * Pure: only the procedure record.
 */
import type { DocumentCase, Procedure, RequiredDocument } from '../../knowledge/schemas';
import { fold } from './text/normalize';

/** Headings such as "* Giấy tờ phải nộp:" group documents that all apply; other names are situations. */
export function isHeading(c: DocumentCase): boolean {
  return c.name.trim() === '' || /^[*\-+•]/.test(c.name.trim()) || /^(giấy tờ|hồ sơ|thành phần)/i.test(c.name.trim());
}

/** Cases with documents, split into those that always apply and the situations to choose from. */
export function caseChoices(procedure: Procedure): { always: DocumentCase[]; situations: DocumentCase[] } {
  const withDocuments = procedure.documentCases.filter((c) => c.documents.length > 0);
  const always = withDocuments.filter(isHeading);
  const situations = withDocuments.filter((c) => !isHeading(c));
  // One situation only is not a choice: it applies.
  return situations.length === 1 ? { always: [...always, ...situations], situations: [] } : { always, situations };
}

/** How many of what: "1 bản chính", "1 bản sao có chứng thực", … */
export function quantityText(d: RequiredDocument): string {
  const parts: string[] = [];
  if (d.originals > 0) parts.push(`${d.originals} bản chính`);
  if (d.copies > 0) {
    const kind = d.copyKind === 'certified_copy' ? 'bản sao có chứng thực' : d.copyKind === 'copy_with_original' ? 'bản sao (mang bản chính để đối chiếu)' : 'bản sao';
    parts.push(`${d.copies} ${kind}`);
  }
  return parts.join(' + ') || 'theo hướng dẫn';
}

/** The official text says the agency looks the information up itself (VNeID, population database). */
export function dataReplacement(d: RequiredDocument): string | null {
  if (d.replaceableByData) return d.replaceableByData;
  if (/khai thác|cơ sở dữ liệu quốc gia về dân cư|căn cước điện tử|vneid/i.test(d.name)) {
    return 'Cơ quan tự khai thác thông tin này (Cơ sở dữ liệu quốc gia về dân cư, căn cước điện tử/VNeID); chỉ cần mang giấy tờ khi thông tin chưa có trên hệ thống.';
  }
  return null;
}

/** A short name for a document or case on a button (official text can be a paragraph). */
export function shortLabel(text: string, max = 60): string {
  const clean = text.replace(/^[-+*•\s]+/, '').trim();
  return clean.length <= max ? clean : clean.slice(0, max - 1).replace(/\s+\S*$/, '') + '…';
}

/** What a person says they have of one document; 'summary' asks for the verdict now ("tóm lại còn thiếu gì"). */
export type ItemAnswer = 'yes' | 'no' | 'unsure' | 'not_my_case' | 'summary';

/**
 * Reads an answer to "do you have this document?" typed in words, not only the buttons. A "yes, but"
 * ("có hợp đồng nhưng chưa công chứng") is not a yes: the paper may not be accepted, so it is asked
 * again at the counter (unsure). Null: not an answer (the question is asked again).
 */
export function itemAnswer(text: string, conditional: boolean): ItemAnswer | null {
  const f = fold(text).replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!f) return null;
  if (/\b(tom lai|con thieu (gi|nhung gi|cai gi)|thieu (gi|nhung gi|cai gi)|ket qua|tong ket|the la du chua|du chua)\b/.test(f)) return 'summary';
  // A question about the document ("có cần bản chính không?") is not an answer to whether one has it.
  if (/\?|\b(co (can|phai|duoc|bat buoc)|can (gi|nhung gi)|bao nhieu|the nao|o dau|nhu nao|la gi|gi khong|duoc khong|phai khong|lam sao|mau nao)\b/.test(fold(text))) return null;
  if (conditional && /khong thuoc (truong hop|dien)|khong phai (truong hop|cua) (toi|em|minh)|khong (ap dung|lien quan)|\bkhong can\b/.test(f)) return 'not_my_case';
  if (/^(khong ro|khong biet|chua ro|chua biet|chua chac|hong biet|ko ro|ko biet)\b|\bkhong (ro|biet|chac)\b|\b(nhung|ma) (chua|khong|ko|bi|het)\b|chua (cong chung|chung thuc|ky|xac nhan|dong dau)|het han|bi mat mot|\bban photo\b/.test(f)) return 'unsure';
  if (/^(chua|chua co|khong|khong co|ko|ko co|k|k co|kg|thieu|mat|bi mat|chua lam|no)\b|\b(chua co|khong co|ko co|bi mat|da mat|lam mat|thieu)\b/.test(f)) return 'no';
  if (/^(co|co roi|da co|roi|co a|da co roi|co day|yes|ok|oke|vang|da|du|day du|co du)\b|\b(co roi|da co|co du|co ban)\b|^em co\b|^toi co\b|^minh co\b/.test(f)) return 'yes';
  return null;
}

/**
 * An answer that may say two things ("tờ khai em cũng chưa có. tóm lại em còn thiếu gì"): the answer
 * about this document (the first clause that gives one) and whether the verdict is wanted now.
 */
export function itemReply(text: string, conditional: boolean): { answer: Exclude<ItemAnswer, 'summary'> | null; summary: boolean } {
  let answer: Exclude<ItemAnswer, 'summary'> | null = null;
  let summary = false;
  for (const clause of text.split(/[.!?;\n]+|,\s*(?=tóm lại|tom lai|vậy|vay)/i)) {
    const a = itemAnswer(clause, conditional);
    if (a === 'summary') summary = true;
    else if (a && !answer) answer = a;
  }
  return { answer, summary };
}
