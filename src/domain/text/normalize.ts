/**
 * Vietnamese text normalisation: the one place where text is made comparable.
 * Stored and displayed text is NFC with its diacritics; matching uses the folded form.
 */

/** NFC, trimmed, inner whitespace collapsed. Use before storing or comparing any Vietnamese text. */
export function nfc(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/**
 * Folds case, diacritics and đ→d, so "Đăng ký", "dang ky", "ĐĂNG KÝ" and a decomposed (NFD) input all
 * compare equal. Old and new tone placement ("hoà"/"hòa") fold to the same letters too.
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
}

/** Folded syllables (and numbers) of a text, in order. */
export function syllables(text: string): string[] {
  return fold(text).split(/[^a-z0-9]+/).filter((token) => token.length > 0);
}
