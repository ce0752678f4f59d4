/**
 * People on a keyboard without a Vietnamese input method often type Telex by hand, or their input
 * method is off: "caaps ddieenj mowis" for "cấp điện mới". Folded (no diacritics), a Telex syllable is
 * the plain syllable with doubled vowels (aa, ee, oo), dd, a w after a vowel, and a final tone letter
 * (s, f, r, x, j). This undoes that; the caller keeps the reading only when the result is a known word.
 */
export function untelex(word: string): string | null {
  if (word.length < 3 || !/^[a-z]+$/.test(word)) return null;
  let w = word;
  const marked = /[aeiouy][a-z]*[sfrxj]$/.test(w) && !/[aeiouy]$/.test(w.slice(0, -1)) ? true : /[aeiouy][sfrxj]$/.test(w);
  if (marked) w = w.slice(0, -1);
  const plain = w.replace(/dd/g, 'd').replace(/aa/g, 'a').replace(/ee/g, 'e').replace(/oo/g, 'o').replace(/([aou])w/g, '$1').replace(/^w/, 'u');
  return plain !== word ? plain : null;
}
