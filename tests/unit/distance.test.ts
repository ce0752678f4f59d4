import fc from 'fast-check';
import { osaDistance } from '../../src/domain/search/distance';

/**
 * The typo distance, rule by rule, and against a plain reading of its definition: the full table
 * of optimal string alignment, written here without any of the shortcuts the real one takes.
 */
function reference(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  const d = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[s.length][t.length];
}

describe('typo distance (optimal string alignment)', () => {
  it('counts a swap of two adjacent letters as one edit', () => {
    expect(osaDistance('khai', 'kahi')).toBe(1);
    expect(osaDistance('sinh', 'snih')).toBe(1);
    expect(osaDistance('ab', 'ba')).toBe(1);
  });

  it('counts an inserted letter as one edit', () => {
    expect(osaDistance('sinh', 'sinhh')).toBe(1);
    expect(osaDistance('dang', 'daang')).toBe(1);
  });

  it('counts a deleted letter as one edit', () => {
    expect(osaDistance('giay', 'gay')).toBe(1);
    expect(osaDistance('chung', 'chng')).toBe(1);
  });

  it('counts a substituted letter as one edit', () => {
    expect(osaDistance('thuong', 'thuomg')).toBe(1);
    expect(osaDistance('kitten', 'sitting')).toBe(3);
  });

  it('edits no part twice: "ca" → "abc" is 3, not the 2 of unrestricted Damerau-Levenshtein', () => {
    expect(osaDistance('ca', 'abc')).toBe(3);
  });

  it('treats a Vietnamese letter with its marks as one letter', () => {
    expect(osaDistance('nguyễn', 'nguyen')).toBe(1);
    expect(osaDistance('đăng', 'dang')).toBe(2);
    expect(osaDistance('khai sinh', 'khai sính')).toBe(1);
    expect(osaDistance('hộ', 'ộh')).toBe(1);
    // Outside the basic plane as well: an emoji is one letter, not two UTF-16 units.
    expect(osaDistance('a😀', 'a')).toBe(1);
  });

  it('measures against empty strings by length', () => {
    expect(osaDistance('', '')).toBe(0);
    expect(osaDistance('', 'abc')).toBe(3);
    expect(osaDistance('hộ', '')).toBe(2);
  });

  it('with a bound, gives the exact distance within it and a value past it otherwise', () => {
    expect(osaDistance('kitten', 'sitting', 3)).toBe(3);
    expect(osaDistance('kitten', 'sitting', 2)).toBe(3);
    expect(osaDistance('kitten', 'sitting', 1)).toBe(2);
    expect(osaDistance('a', 'abcdef', 2)).toBe(3); // lengths alone are too far apart
    expect(osaDistance('abcdef', 'badcfe', 0)).toBe(1);
    expect(osaDistance('same', 'same', 0)).toBe(0);
  });

  it('agrees with the definition on random words, bounded or not', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'ă', 'đ', 'ễ'), maxLength: 8 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, max) => {
        const expected = reference(a, b);
        expect(osaDistance(a, b)).toBe(expected);
        expect(osaDistance(b, a)).toBe(expected);
        const bounded = osaDistance(a, b, max);
        if (expected <= max) expect(bounded).toBe(expected);
        else expect(bounded).toBeGreaterThan(max);
      }),
      { numRuns: 3000 },
    );
  });
});
