/**
 * A centre's own procedures first. The national catalogue holds each province's own copy of many
 * procedures side by side (scope `provincial`, promulgated by that province); a Hanoi citizen must
 * not be shown Huế's. Pure: given hits, who promulgated each, the centre's province and the query.
 */
import { fold } from '../text/normalize';

export interface Promulgation {
  scope: 'national' | 'provincial' | 'internal';
  /** "UBND tỉnh Nghệ An", "Trung tâm phục vụ hành chính công Thành phố Hà Nội", "Sở Xây dựng - tỉnh Quảng Ngãi". */
  promulgatedBy?: string;
}

/**
 * How much an own-province copy is lifted over the rest, so a province's copy of a national procedure
 * comes before the national one there: the national record carries the ranking's national and
 * full-record priors (0.04), and the copies' longer titles ("Thủ tục đề nghị …") cost them some
 * 0.03–0.07 of title coverage (measured: 0.916 against 0.983 for the legal-aid procedure).
 */
export const OWN_COPY_BONUS = 0.1;

/** The province or city a promulgating body belongs to ("UBND Thành phố Huế" → "huế", folded), or null. */
export function provinceOf(promulgatedBy: string | undefined): string | null {
  const match = /(?:tỉnh|thành phố|tp\.?)\s+(.+)$/iu.exec((promulgatedBy ?? '').normalize('NFC'));
  return match ? fold(match[1]).replace(/\s+/g, ' ').trim() : null;
}

/** Whether the query names the province (folded, whole words): "thủ tục của Huế", "hai phong". */
function names(query: string, province: string): boolean {
  return ` ${fold(query).replace(/[^a-z0-9]+/g, ' ')} `.includes(` ${province.replace(/[^a-z0-9]+/g, ' ')} `);
}

/**
 * Keeps national procedures and the centre province's own copies (lifted by OWN_COPY_BONUS); another
 * province's copy stays only when the query names that province or the procedure's code. A copy whose
 * promulgator is unknown stays (the record is not ours to judge). Order is by score otherwise.
 */
export function preferCentreProvince<H extends { code: string; score: number }>(
  hits: readonly H[],
  promulgationOf: (code: string) => Promulgation | undefined,
  centreProvince: string | null,
  query: string,
): H[] {
  if (!centreProvince) return [...hits];
  const own = fold(centreProvince).replace(/\s+/g, ' ').trim();
  const kept: { hit: H; rank: number }[] = [];
  for (const hit of hits) {
    const p = promulgationOf(hit.code);
    const province = p?.scope === 'provincial' ? provinceOf(p.promulgatedBy) : null;
    if (province === null) kept.push({ hit, rank: hit.score });
    else if (province === own) kept.push({ hit, rank: hit.score + OWN_COPY_BONUS });
    else if (names(query, province) || query.includes(hit.code)) kept.push({ hit, rank: hit.score });
  }
  return kept.sort((a, b) => b.rank - a.rank).map((k) => k.hit);
}
