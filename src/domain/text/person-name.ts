/**
 * What a person's name may be, for bookings and dossiers, checked the same way over REST and in the
 * chat (security audit 3.9). Pure. A name that is invisible (zero-width characters only), that
 * reorders how the officer's list reads (bidi overrides and isolates: "\u202eNguyen gnaoH" shows as
 * "Hoang neyuguN"), or that holds a lone surrogate (not text at all, and broken in every export) is
 * refused, as are control and other invisible format characters and piles of combining marks.
 */
export type PersonNameCheck = { ok: true; name: string } | { ok: false; message: string };

export const NAME_MIN_LETTERS = 2;
export const NAME_MAX_LENGTH = 100;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// U+202A–202E embeddings and overrides, U+2066–2069 isolates, and the marks that act alike.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
// Control characters and invisible format characters (zero-width space and joiners, BOM, soft hyphen…).
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;
// Vietnamese needs at most two marks on a letter, and none once composed (NFC).
const MARK_PILE = /\p{M}{3,}/u;
const LETTER = /\p{L}/gu;

export function checkPersonName(raw: string): PersonNameCheck {
  if (LONE_SURROGATE.test(raw)) return { ok: false, message: 'họ tên có ký tự không hợp lệ' };
  if (BIDI_CONTROL.test(raw)) return { ok: false, message: 'họ tên có ký tự đảo chiều chữ, xin gõ lại bằng chữ thường' };
  const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (INVISIBLE.test(name)) return { ok: false, message: 'họ tên có ký tự ẩn, xin gõ lại bằng chữ thường' };
  if (MARK_PILE.test(name)) return { ok: false, message: 'họ tên có quá nhiều dấu trên một chữ' };
  if ((name.match(LETTER) ?? []).length < NAME_MIN_LETTERS) return { ok: false, message: `họ tên cần ít nhất ${NAME_MIN_LETTERS} chữ cái` };
  if (name.length > NAME_MAX_LENGTH) return { ok: false, message: `họ tên tối đa ${NAME_MAX_LENGTH} ký tự` };
  return { ok: true, name };
}
