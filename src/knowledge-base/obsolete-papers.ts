/**
 * Papers that official texts still name but that no longer have legal value (knowledge audit F11):
 * the record keeps the official wording, and the paper carries what to bring instead.
 */
import type { Procedure } from '../../knowledge/schemas';

const OBSOLETE_PAPERS: [RegExp, string][] = [
  [
    /chứng minh nhân dân|(?<!\p{L})cmnd(?!\p{L})/iu,
    'Chứng minh nhân dân không còn giá trị sử dụng từ 01/01/2025 (Luật Căn cước 2023): dùng thẻ căn cước, căn cước công dân còn hạn hoặc hộ chiếu.',
  ],
  [
    /sổ hộ khẩu|sổ tạm trú/iu,
    'Sổ hộ khẩu, sổ tạm trú không còn giá trị sử dụng từ 01/01/2023 (Luật Cư trú 2020): thông tin cư trú được tra trong Cơ sở dữ liệu về cư trú.',
  ],
];

/** What replaces an obsolete paper the text names, or null. */
export function obsoletePaper(text: string): string | null {
  return OBSOLETE_PAPERS.find(([re]) => re.test(text))?.[1] ?? null;
}

/**
 * Marks every document naming an obsolete paper, and the record when its documents, notes or steps
 * do; applied to converted and curated records alike.
 */
export function markObsoletePapers(p: Procedure): Procedure {
  let found = false;
  const documentCases = p.documentCases.map((c) => {
    if (c.notes.some((n) => obsoletePaper(n))) found = true;
    return {
      ...c,
      documents: c.documents.map((d) => {
        const note = d.obsoletePaper ?? obsoletePaper(d.name);
        if (note) found = true;
        return note === d.obsoletePaper ? d : { ...d, obsoletePaper: note };
      }),
    };
  });
  if (p.steps.some((s) => obsoletePaper(s))) found = true;
  if (!found) return p;
  const warnings = p.warnings.includes('obsolete_paper') ? p.warnings : [...p.warnings, 'obsolete_paper' as const].sort();
  return { ...p, documentCases, warnings };
}
