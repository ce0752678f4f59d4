/**
 * Edit distance for typo tolerance: the optimal string alignment (OSA) distance, also called the
 * restricted Damerau-Levenshtein distance. It counts insertions, deletions, substitutions and swaps
 * of two adjacent letters, each as one edit, with the restriction that no part of the text is edited
 * twice: "ca" → "abc" is 3 (true Damerau-Levenshtein says 2, by swapping and then inserting between
 * the swapped letters). That restriction is what a typist's slips look like (one wrong, missing, extra
 * or swapped letter per place), and it is what the search used before (natural's
 * `DamerauLevenshteinDistance` with `restricted: true`), so search results did not move.
 *
 * Letters are compared as Unicode code points, so a Vietnamese letter with its marks ("ễ", "đ") is one
 * letter when the text is in NFC; callers compare text normalised the same way (the index folds it).
 */

/**
 * The OSA distance between `a` and `b`. With `max`, the work stops as soon as the distance is known
 * to exceed it, and the answer is then `max + 1` (any value above `max` means "too far"): the search
 * only wants candidates within one or two edits, so most comparisons end after a row or two.
 */
export function osaDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  const s = Array.from(a);
  const t = Array.from(b);
  const tooFar = max + 1;
  if (Math.abs(s.length - t.length) > max) return tooFar;
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;

  // Three rows of the (s.length + 1) × (t.length + 1) table: the row two above is needed for a swap.
  let twoAbove = new Array<number>(t.length + 1).fill(0);
  let above = Array.from({ length: t.length + 1 }, (_, j) => j);
  let row = new Array<number>(t.length + 1).fill(0);
  for (let i = 1; i <= s.length; i++) {
    row[0] = i;
    let rowMinimum = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(above[j] + 1, row[j - 1] + 1, above[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, twoAbove[j - 2] + 1);
      row[j] = d;
      if (d < rowMinimum) rowMinimum = d;
    }
    // No row's minimum is below the one above it (a swap costs at least what the diagonal did), so
    // once a whole row is past `max`, the final distance is too.
    if (rowMinimum > max) return tooFar;
    [twoAbove, above, row] = [above, row, twoAbove];
  }
  const distance = above[t.length];
  return distance > max ? tooFar : distance;
}
