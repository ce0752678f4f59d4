/**
 * Reading a procedure's official documents for a checklist: which cases are alternatives the citizen
 * must choose between, which documents are conditional, and how to explain originals and copies.
 * Pure: only the procedure record.
 */
import type { DocumentCase, Procedure, RequiredDocument } from '../../knowledge/schemas';

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
