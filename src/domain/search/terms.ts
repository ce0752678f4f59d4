import { syllables } from '../text/normalize';

/**
 * Matching form of a folded syllable. Vietnamese writes final i/y both ways after a consonant
 * ("kí"/"ký", "lí"/"lý", "qui"/"quy"), so both spellings become one term.
 */
export function canonicalSyllable(syllable: string): string {
  if (syllable === 'quy') return 'qui';
  return syllable.replace(/^([bcdghklmnprstvx]+)y$/, '$1i');
}

/** The matching terms of a text: folded, canonical syllables in order. */
export function terms(text: string): string[] {
  return syllables(text).map(canonicalSyllable);
}

export function bigramKey(a: string, b: string): string {
  return a + ' ' + b;
}
