/**
 * Qualifiers: what sets a variant apart from its base procedure (a foreign party, a re-issue, a
 * change, an end, an extension, a first time, a child). A question says one in its own words ("vợ
 * người Nhật", "đánh rơi", "đóng cửa tiệm"); an official name in the catalogue's ("có yếu tố nước
 * ngoài", "cấp lại", "chấm dứt"). The second stage reads whether the two agree. Pure; folded text in.
 */

export interface Qualifier {
  readonly name: string;
  /** How a question says it (folded text). */
  readonly asked: RegExp;
  /** How an official name says it (folded text). */
  readonly named: RegExp;
}

const COUNTRIES = 'my|nhat|nhat ban|han|han quoc|trung quoc|tq|uc|phap|duc|anh|dai loan|thai|thai lan|lao|campuchia|nga|singapore|canada|philippines|an do|indonesia|malaysia|tay';

export const QUALIFIERS: readonly Qualifier[] = Object.freeze([
  {
    name: 'foreign',
    asked: new RegExp(`nuoc ngoai|ngoai quoc|viet kieu|dinh cu|nguoi (${COUNTRIES})\\b|(vo|chong|ban trai|ban gai|nguoi yeu|bo|me|cha) (la )?(nguoi )?(${COUNTRIES})\\b|\\bo (${COUNTRIES})\\b|\\b(nhat ban|han quoc|trung quoc|dai loan|canada|singapore|philippines)\\b`),
    named: /nuoc ngoai/,
  },
  {
    name: 'reissue',
    asked: /\b(danh roi|danh mat|bi mat|lam mat|bi hong|bi rach|bi chay|moi an|lam lai|cap lai|xin lai|bi trom|moc tui)\b|\bmat (the|so|giay|bang|ho chieu|can cuoc|cccd|gplx|vi)\b|\b(the|so|giay|bang|ho chieu|can cuoc|cccd|gplx) (\S+ )?(bi (mat|hong|rach|nat)|hong|rach|nat|mat(?! (bao|may|tien|phi|nhieu|it|thoi|cong|lau|ngay|tuan|thang)))\b/,
    // "mất bao lâu", "mất tiền" are time and money, not a lost paper.
    named: /cap lai|bao mat|khai bao mat/,
  },
  {
    name: 'change',
    asked: /thay doi|\bdoi (ten|ho ten|dia chi|tru so|chu so huu|nganh|cho|sang cho)\b|chuyen (dia diem|cho|tru so|sang cho)|\bsua (lai|ten|sai|thong tin|nam sinh|ngay sinh)\b|cai chinh|dieu chinh|bo sung thong tin|\b(ghi )?sai (ten|ho|nam sinh|ngay sinh|thong tin|que)\b|ghi nham/,
    named: /thay doi|cai chinh|dieu chinh|sua doi/,
  },
  {
    name: 'end',
    asked: /dong cua|giai the|cham dut|\bhuy (bo )?(giay phep|dang ky|ho kinh doanh)|(ngung|dung|nghi|thoi|tam ngung|tam dung) (kinh doanh|hoat dong|ban hang|buon ban)|\bdep (tiem|quan|cua hang)\b/,
    named: /cham dut|giai the|tam ngung|ngung hoat dong/,
  },
  { name: 'extension', asked: /gia han/, named: /gia han/ },
  { name: 'first', asked: /lan dau/, named: /lan dau/ },
  {
    name: 'child',
    asked: /\b(con|be|chau) (toi|em|minh|nha|trai|gai)? ?(duoi 14|\d+ tuoi|moi sinh)|duoi 14 tuoi|tre em|chua thanh nien/,
    named: /duoi 14 tuoi|tre em|chua thanh nien/,
  },
]);

/** Which qualifiers a folded text carries, as bits in QUALIFIERS order. */
export function qualifierBits(folded: string, side: 'asked' | 'named'): number {
  let bits = 0;
  QUALIFIERS.forEach((q, i) => {
    if (q[side].test(folded)) bits |= 1 << i;
  });
  return bits;
}

const count = (bits: number) => {
  let n = 0;
  for (let b = bits; b; b &= b - 1) n++;
  return n;
};

/**
 * Agreement of a question's qualifiers with an official name's: the share of the question's found in
 * the name (0 when it has none), and the share of the name's that the question does not ask for.
 */
export function qualifierAgreement(asked: number, named: number): { agree: number; extra: number } {
  const n = count(named);
  return { agree: asked ? count(asked & named) / count(asked) : 0, extra: n ? count(named & ~asked) / n : 0 };
}
