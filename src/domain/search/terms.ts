import { fold, syllables } from '../text/normalize';

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

/**
 * The syllables of a text as typed (lower case, tones and vowel marks kept, đ read as d), one per
 * folded syllable of `syllables(text)`: "Để" gives "dể". A syllable typed without any mark is the
 * same as its folded form, which says nothing about which word was meant.
 */
export function typedSyllables(text: string): string[] {
  const out: string[] = [];
  let typed = '';
  for (const ch of text.normalize('NFC').toLowerCase()) {
    // ASCII needs no folding (most of a query typed without marks); fold only the rest
    const folded = ch < '\u0080' ? ch : fold(ch);
    if (folded === '') {
      // a lone combining mark: part of the syllable it follows, as in `syllables`
      if (typed) typed += ch;
    } else if (/^[a-z0-9]+$/.test(folded)) {
      typed += ch === 'đ' ? 'd' : ch;
    } else if (typed) {
      out.push(canonicalTyped(typed));
      typed = '';
    }
  }
  if (typed) out.push(canonicalTyped(typed));
  return out;
}

const FINAL_Y: Record<string, string> = { y: 'i', ý: 'í', ỳ: 'ì', ỷ: 'ỉ', ỹ: 'ĩ', ỵ: 'ị' };

/** `canonicalSyllable` for a typed syllable: "ký" and "kí" are one spelling. */
function canonicalTyped(syllable: string): string {
  if (fold(syllable) === 'quy') return 'qu' + (FINAL_Y[syllable.slice(2)] ?? syllable.slice(2));
  const m = /^([bcdghklmnprstvx]+)([yýỳỷỹỵ])$/.exec(syllable);
  return m ? m[1] + FINAL_Y[m[2]] : syllable;
}

/** The matching term of a typed syllable: `terms(text)` is `typedSyllables(text).map(termOf)`. */
export function termOf(typed: string): string {
  return canonicalSyllable(fold(typed));
}

/** Whether a typed syllable carries marks that tell words apart ("để" from "đẻ", both "de"). */
export function isMarked(typed: string): boolean {
  return fold(typed) !== typed;
}
