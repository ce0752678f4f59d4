/**
 * What a message does in the conversation, beside the task it names: polite openers and fillers
 * (never a task by themselves), a change of topic, a follow-up question about the procedure just
 * shown, a question about the centre, a complaint told in plain words, an off-topic question, a
 * message in English. Pure: folded text in, decisions out; the dialogs act on them.
 */
import { fold } from '../domain/text/normalize';

const words = (text: string) => text.split(/\s+/).filter(Boolean);
const bare = (word: string) => fold(word).replace(/[^a-z0-9]/g, '');

/**
 * Openers and fillers, as folded word sequences. Matched from the start of the message, repeatedly:
 * "dạ chị ơi cho em hỏi chút, em xin hỏi…" loses all of them.
 */
const OPENERS = [
  'da', 'vang', 'ok', 'oke', 'okay', 'tks', 'thanks', 'uh', 'u', 'a', 'o', 'oi', 'ua', 'vay', 'nhe',
  'chao em', 'chao anh', 'chao chi', 'chao ban', 'chao ad', 'em chao anh chi', 'xin chao', 'chao',
  'chi oi', 'anh oi', 'em oi', 'ban oi', 'ad oi', 'admin oi', 'co oi', 'chu oi', 'bac oi',
  'cho hoi', 'cho em hoi', 'cho chau hoi', 'cho con hoi', 'cho toi hoi', 'cho minh hoi', 'cho tui hoi', 'cho tao hoi',
  'chut', 'chut xiu', 'xiu', 'ti', 'voi', 'a ma', 'u ma', 'ua ma', 'ma nay',
  'xin hoi', 'em xin hoi', 'toi xin hoi', 'chau xin hoi', 'con xin hoi', 'minh xin hoi',
  'muon hoi', 'em muon hoi', 'toi muon hoi', 'minh muon hoi', 'chau muon hoi', 'con muon hoi',
  'hoi', 've', 've viec', 'viec', 'xin', 'cam on', 'ok cam on', 'cam on nhe',
  'lam on', 'nho', 'xin phep', 'xin phep hoi', 'cho minh xin', 'cho em xin', 'cho toi xin', 'cho biet', 'cho toi biet', 'cho em biet', 'cho minh biet',
  'muon biet', 'toi muon biet', 'em muon biet', 'minh muon biet', 'can hoi', 'toi can hoi', 'em can hoi', 'minh can hoi', 'hoi chut', 'hoi xiu', 'hoi them',
  'anh chi cho em hoi', 'anh chi oi', 'cac ban oi', 'tro ly oi', 'bot oi', 'hoi ti', 'cho hoi them', 'tien hoi', 'nhan tien', 'nhan tien cho hoi', 'tien the', 'tien the cho hoi',
  'vang a', 'da vang', 'ok roi', 'duoc roi', 'the con', 'the thi', 'vay thi', 'vay con',
];
const OPENER_SEQS = OPENERS.map((o) => o.split(' ')).sort((a, b) => b.length - a.length);

/** A change of topic said at the start ("à thôi", "khoan đã", "ờ thôi để sau", "à không, thôi giữ lịch"). */
const SWITCH_SEQS = [
  'thoi', 'khoan', 'khoan da', 'de sau', 'thoi de sau', 'thoi duoc roi', 'khong', 'thoi giu lich', 'giu lich', 'khong can', 'thoi khong can',
].map((o) => o.split(' ')).sort((a, b) => b.length - a.length);
const LEAD_SEQS = ['a', 'o', 'u', 'ua', 'ma', 'a ma', 'u ma', 'ua ma', 'ma nay', 'oi'].map((o) => o.split(' ')).sort((a, b) => b.length - a.length);

function matchSeq(folded: string[], at: number, seqs: string[][]): number {
  for (const seq of seqs) if (seq.every((w, i) => folded[at + i] === w)) return seq.length;
  return 0;
}

/** How the words of a change of topic are typed with their marks (typed without marks, any reads as them). */
const SWITCH_MARKED = new Set(['thôi', 'khoan', 'đã', 'để', 'sau', 'được', 'rồi', 'không', 'cần', 'giữ', 'lịch']);
/** A word typed without marks, or with the marks of one of `marked` (folding alone would take "thời" for "thôi"). */
function typedAs(word: string, marked: ReadonlySet<string>): boolean {
  const w = word.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  return w === bare(w) || marked.has(w);
}

/** The openers' words as typed with their marks (a word typed without marks may be any of them). */
const OPENER_MARKED = new Set(
  'dạ vâng ok oke okay tks thanks ừ uh à ạ ơi ủa ồ ờ vậy nhé chào em anh chị bạn ad admin cô chú bác cho hỏi cháu con tôi mình tui tao chút xíu tí với mà này xin muốn về việc cảm ơn làm nhờ phép biết cần thêm các trợ lý bot tiện nhân thế thì rồi được còn u a o'.split(' '),
);

/** The message without its openers and fillers, in its own spelling ("" when it was only that). */
export function withoutOpeners(text: string): string {
  const original = words(text);
  const folded = original.map(bare);
  let at = 0;
  for (let n = matchSeq(folded, at, OPENER_SEQS); n > 0 && at < folded.length; n = matchSeq(folded, at, OPENER_SEQS)) {
    // Typed with other marks it is another word: "hội người cao tuổi" does not open with "hỏi".
    if (original.slice(at, at + n).some((w) => !typedAs(w, OPENER_MARKED))) break;
    at += n;
  }
  // Keep a procedure word used as an opener when nothing is left ("xin", "hỏi" alone stay).
  return original.slice(at).join(' ').replace(/^[\s,.!?:;-]+/, '');
}

/**
 * A message that begins by dropping what was going on ("à mà thôi, cho hỏi…", "khoan đã, …"):
 * returns what follows (possibly empty), or null when the message does not start so.
 */
export function topicSwitch(text: string): string | null {
  const original = words(text);
  const folded = original.map(bare);
  let at = matchSeq(folded, 0, LEAD_SEQS);
  const n = matchSeq(folded, at, SWITCH_SEQS);
  if (n === 0) return null;
  // Typed with other marks it is another word: "thời gian" is not "thôi", "khóa" not "khoan".
  if (original.slice(at, at + n).some((w) => !typedAs(w, SWITCH_MARKED))) return null;
  // "không" alone is an answer ("Không", "không, tôi muốn đổi sang 15h" at a confirmation), not a switch.
  if (folded.slice(at, at + n).join(' ') === 'khong' && at === 0) return null;
  at += n;
  const rest = original.slice(at).join(' ').replace(/^[\s,.!?:;-]+/, '');
  return withoutOpeners(rest);
}

/** "ủa mà", "à mà", "mà này" + a question: asked on the side, the current step goes on after it. */
export function asideLead(text: string): boolean {
  return /^(a|u|ua|o)\s+ma\b|^ma nay\b|^(nhan tien|tien the|tien hoi|hoi them|cho hoi them|a con|con nua|a quen|a nhan tien|a tien)\b/.test(fold(text));
}

export type FollowUpTopic = 'fee' | 'time' | 'deadline' | 'agency' | 'pickup' | 'place' | 'online' | 'documents' | 'proxy' | 'in_person' | 'legal' | 'child' | 'requirements' | 'forms' | 'copies';

const FOLLOW_UPS: [FollowUpTopic, RegExp][] = [
  ['deadline', /trong vong bao (nhieu|lau)|bao lau thi phai|han (cuoi|chot)|phai (di )?(nop|dang ky|lam) trong|cham nhat/],
  ['fee', /\b(le )?phi\b|bao nhieu tien|ton tien|mat tien|het bao nhieu|tien mot ban|\bgia\b|ton kem|nop tien|dong tien|tra tien|mien phi|bao nhieu (mot|1) (ban|lan|trang)|how much|\bfees?\b|\bcost\b|\bprice\b/],
  // "hợp đồng thuê nhà chỉ là bản photo thôi có được không": originals and copies of one paper.
  ['copies', /\b(ban photo|photo|ban sao|ban chinh|ban goc|cong chung|chung thuc)\b.*\b(duoc (khong|ko|k)|dc (khong|ko|k)|co (can|phai|duoc)|phai khong|khong a|ko a)\b|\b(co )?(can|phai) (cong chung|chung thuc|ban chinh|ban goc|ban sao)\b|\bphoto (co )?(duoc|dc) (khong|ko|k)\b/],
  ['time', /bao lau|may ngay|bao nhieu ngay|may tuan|may hom|thoi gian|thoi han|khi nao (thi )?(co|lay|nhan|xong|duoc)|bao gio (thi )?(co|lay|nhan|xong|duoc)|lau khong|nhanh khong|trong ngay|lay ngay|lay luon|co ket qua|how long|how many days/],
  ['online', /online|onl\b|truc tuyen|tren mang|qua mang|dich vu cong|khoi phai (len|den|di)|vneid|\binternet\b|qua app|tren app|ung dung|khong can (den|len|di)|o nha (lam|nop)|lam tai nha|nop tu xa|qua buu dien|buu chinh/],
  ['agency', /\bai (giai quyet|cap|ky|xu ly|lam|duyet|phu trach)\b|(co quan|don vi|cap) nao (giai quyet|cap|ky|xu ly|lam|duyet|phu trach|co tham quyen)|do (ai|co quan nao|cap nao)|tham quyen|co quan giai quyet|\bwho (issues|handles|decides)\b/],
  ['pickup', /\b(len|den) (nhan|lay)\b|\b(di|den|len) lay (ket qua|giay|the|so|ban|ho so)\b|nhan (ket qua|giay|the|so|ban)? ?(o|tai) dau|lay (ket qua|giay|the|so) (o|tai) dau|tra ket qua (o|tai) dau/],
  ['place', /(bo sung|mang|nop them|nop lai) .*(den|toi|o|di) dau|(nhan|lay) (ket qua )?(o|tai) dau|(lam|nop) (duoc )?(o|tai) (chi nhanh|trung tam|diem tiep nhan|mot cua)|o dau|noi nop|cho nao|ben nao|tai dau|where|nop (tai|o)|lam (tai|o) (dau|cho nao)/],
  ['proxy', /nho (nguoi|ai)|nguoi (khac|nha|than) (nop|lam|di)|(vo|chong|bo|me|con) (toi |em )?(nop|lam|di) (ho|thay)|uy quyen|nop ho\b(?! so)|lam ho\b(?! so| chieu| tich| khau| kinh)|di ho\b|nop thay|lam thay/],
  ['in_person', /den truc tiep|co mat|co phai (den|di|len|co mat)|phai (den|len|di) (tan noi|truc tiep|khong)|phai (di|den) ca hai|ca hai (nguoi )?(phai|co mat)|in person/],
  ['child', /\b(con|be|chau) ((toi|em|minh|nha) )?(\d+|muoi|may) (tuoi|thang)\b|\b(cho|cua) (con|be|chau|tre)\b.*(duoc khong|the nao|sao|khong|gi)|\b(con|be) (toi|em|minh|nha)? ?(duoi|chua du|moi)|tre (em|duoi|chua)|nguoi chua thanh nien|for my (child|son|daughter|kid)/],
  ['requirements', /dieu kien|yeu cau gi|ai (duoc|co the)|\bai (di|ra|dung ra|phai|duoc phep) (dang ky|nop|lam|khai)|co duoc (lam|dang ky|cap) khong|du tuoi|bao nhieu tuoi/],
  ['forms', /mau (don|to khai|so)|\bto khai\b|lay mau|tai mau|\bform\b|mau nao/],
  ['documents', /giay to gi|can (mang|chuan bi|nop)?\s*(nhung )?(gi|j)\b|ho so gom|thanh phan|which documents|what documents|documents do i need|mang theo (gi|nhung gi)|giay khai sinh khong|co can mang|(co )?phai mang|mang (theo )?(so|giay|ban|the)\b.*khong/],
  ['legal', /\bcan cu\b|luat nao|nghi dinh nao|thong tu nao|van ban nao/],
];

/** What a short question about "the procedure just shown" asks, or null. */
export function followUpTopic(text: string): FollowUpTopic | null {
  return followUpTopics(text)[0] ?? null;
}

/** Every fact a message asks about, in FOLLOW_UPS order ("làm ở đâu và cần gì": place and documents). */
export function followUpTopics(text: string): FollowUpTopic[] {
  const f = fold(text);
  return FOLLOW_UPS.filter(([, re]) => re.test(f)).map(([topic]) => topic);
}

/** "còn thiếu gì", "tổng kết lại em thiếu gì": the verdict of a documents check is asked for. */
export function asksWhatIsMissing(text: string): boolean {
  return /\b(con )?thieu (gi|nhung gi|cai gi|giay gi)\b|tong ket|tom lai .*(thieu|du chua|can gi)|\bdu (giay to )?chua\b/.test(fold(text));
}

export type CentreTopic = 'list' | 'nearest' | 'address' | 'hours' | 'holiday' | 'hotline' | 'parking' | 'booking_needed' | 'booking_fee' | 'boundary' | 'facility';

/** A phone number written in the message (the person's own, given for a booking or a call-back). */
const PHONE_GIVEN = /(?:\+?84|\b0)(?:[\s.-]?\d){8,10}\b/;

/** A question about the centre and its branches (not about a procedure), or null. */
export function centreTopic(text: string): CentreTopic | null {
  const f = fold(text);
  const aboutCentre = /trung tam|chi nhanh|mot cua|bo phan tiep nhan|co so|van phong/.test(f);
  if (/gui xe|do xe|bai xe|de xe|trong xe|cho xe/.test(f)) return 'parking';
  if (/(may|cho|dich vu|quay) photo|photo (o dau|duoc khong|gan|khong)|may in\b|\bwifi\b|cho ngoi|ghe cho|nha ve sinh|thang may|xe lan|khuyet tat|the ngan hang|chuyen khoan|quet ma|\batm\b|dong (nguoi|lam) (khong|qua)|vang (khong|nguoi)|luc nao vang|gio nao vang|lay so (thu tu)?|so thu tu|xep hang|nuoc uong|dieu hoa/.test(f)) return 'facility';
  if (/(co )?can dat lich (truoc)?|cu den (la )?duoc|khong can dat lich|phai dat lich/.test(f) && (/den|trung tam|truoc/.test(f) || /^(co )?(can|phai) dat lich (truoc )?(khong|ko|k)\b/.test(f))) return 'booking_needed';
  if (/(dat|hen) lich.*(mat (tien|phi)|co (mat )?phi|tra (tien|phi)|ton (tien|phi)|tinh phi|thu phi|mien phi)|(mat (tien|phi)|mien phi).*(dat|hen) lich/.test(f)) return 'booking_fee';
  if (/\btet\b|nghi le|ngay le|le .*nghi|nghi .*(le|tet)|co nghi khong/.test(f) && !/nghi viec/.test(f)) return 'holiday';
  // "thường trú ở Long Biên nhưng nộp ở chi nhánh Cầu Giấy được không": filing outside one's area.
  if (words(text).length <= 30 && /(thuong tru|tam tru|song|nha) .*\b(nhung|ma)\b.*\bnop\b.*(o|tai) (chi nhanh|trung tam|quan|phuong|xa)\b.*(duoc khong|duoc ko|dc khong|duoc k)\b|nop (ho so )?(o|tai) (chi nhanh|trung tam|noi|tinh|quan|phuong) (khac|bat ky|nao cung)|phi dia gioi|(khac|ngoai) (quan|phuong|xa|tinh|noi cu tru) (co )?(nop|lam) (duoc|dc)/.test(f)) return 'boundary';
  if (asksWhereToReport(f) || /goi ngoai gio|ngoai gio (hanh chinh|lam viec)|\b24\/7\b|goi (buoi )?toi (duoc|co)/.test(f)) return 'hotline';
  if (!PHONE_GIVEN.test(text) && /hotline|duong day nong|tong dai|so dien thoai|sdt\b|\bemail\b|goi (dien )?(cho|den|toi) (trung tam|chi nhanh)|lien he (voi )?(trung tam|chi nhanh)/.test(f) && (aboutCentre || /hotline|duong day nong|tong dai/.test(f))) return 'hotline';
  if (/\b(hom nay|ngay mai|mai)\b.*\b(co )?(lam|lam viec|mo cua|tiep dan)( viec)? (khong|ko)\b|trung tam (co )?(lam|lam viec|mo cua)( viec)? (khong|ko)\b/.test(f) && !/dat lich|hen/.test(f)) return 'hours';
  if (/\b(trua|sang|chieu|toi|thu (hai|ba|tu|nam|sau|bay)|chu nhat|cuoi tuan|ngay le|le|tet) (co )?(lam|lam viec|mo cua|tiep dan)( viec)? (khong|ko)\b|may gio|gio (lam viec|mo cua|dong cua|hanh chinh|nghi trua|tiep dan)|mo cua|dong cua|lam viec (den )?may gio|thu (7|bay)|chu nhat|cuoi tuan|lam viec (ca )?(ngay|sang|chieu|trua)|nghi trua|buoi trua|opening hours|what time/.test(f) && !/dat lich|hen/.test(f)) return 'hours';
  if (/co chi nhanh|chi nhanh (o|tai) |gan nhat|gan (nha|toi|em|minh)|nen den chi nhanh nao|den chi nhanh nao|nen den dau|nen nop o chi nhanh/.test(f)) return 'nearest';
  if (/(nhung|cac|bao nhieu|may) (chi nhanh|co so|diem tiep nhan)|chi nhanh nao|co so nao|danh sach chi nhanh/.test(f) && !/cung duoc|bat ky|nao cung/.test(f)) return 'list';
  if (/dia chi|duong nao|pho nao|o dau|cho nao|nam o|den bang|chi duong|ban do|di the nao|di nhu the nao/.test(f) && aboutCentre) return 'address';
  return null;
}

/**
 * A message that is only a place ("Cầu Giấy", "chi nhánh Tây Hồ", "gần Dịch Vọng Hậu", "em ở Hà
 * Đông"): the place, without the words around it, or null. Outside a task it asks about the branch there.
 */
export function placeOnly(text: string): string | null {
  const f = fold(text).replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim();
  const m = /^(?:(?:toi|em|minh|nha (?:toi|em|minh)|cho|o|tai|gan|khu|khu vuc|chi nhanh|trung tam|phuong|quan|xa|huyen|thi xa|cho nao|dang o|song o|thi|con|the|vay|a|o gan|gan nha)\s)*([a-z0-9 ]+?)(?:\s(?:a|nhe|nha|thi sao|duoc khong|co khong|the nao))*$/.exec(f);
  if (!m) return null;
  const place = m[1].trim();
  const n = place.split(' ').length;
  return n >= 1 && n <= 4 && !/\d/.test(place) ? place : null;
}

/** A short "and the address?" after a centre answer. */
export function addressAsked(text: string): boolean {
  return /dia chi|duong nao|pho nao|o dau|cho nao/.test(fold(text));
}

/**
 * A complaint told in plain words: brokers, money asked outside the fees, offers to go faster, rude
 * or negligent staff, dossiers sent back or results late again and again.
 */
export function complaintLike(text: string): boolean {
  const f = fold(text);
  // "cho xin số điện thoại để phản ánh": a question about where to report (the hotline), answered as such.
  if (asksWhereToReport(f)) return false;
  return (
    /tu xung la co|\bco (ngoai|o|dung) (cong|cua)/.test(f) ||
    /(doi|lay|bat dua|vong) (them )?(\d+ ?(trieu|tr|nghin|ngan|k)\b|tien)|thu (them )?tien|\d+ ?(trieu|nghin|ngan|k)\b.*moi (nhan|lam|duoc|giai quyet)|tre han|cham tra|chua (co|tra) ket qua.*(thang|tuan|lau|roi)|boi duong|lai quả|\blai qua\b|phong bi|tien (ngoai|nuoc|che|ca phe)|dua (them )?tien|doi (toi |em |minh )?(\d+ ?(trieu|tr|nghin|ngan|k)\b|tien)|thu (them )?\d+ ?(trieu|nghin|ngan|k)\b|\d+ ?(trieu|nghin|ngan|k)\b.*(lam nhanh|nhanh)|lam nhanh.*\d+ ?(trieu|nghin|ngan|k)\b/.test(f) ||
    /(dich vu|trang|page).*lam .*nhanh|lien ket voi trung tam|lua dao/.test(f) ||
    /\bbao (dau|do|lo|qua)\b|lo (tron goi|het|giup|ho)|tron goi|\b(moi|ru|chao) (lam|nop|lo)\b.*\d+ ?(trieu|tr|nghin|ngan|k)\b|\bco (ngoai|truoc|o) cong\b|nguoi (ngoai|truoc|o) cong/.test(f) ||
    /khong ai nghe( may)?|goi (mai|hoai|nhieu lan) (ma )?khong|van chua (xong|co ket qua|giai quyet|tra)|(\d+|mot|hai|ba|may|nhieu) (thang|tuan) (roi )?(van|ma|nhung) (chua|khong) (co ket qua|xong|tra|giai quyet|duoc|nhan duoc|thay|ai|cap)|vong tien|\ban tien\b|tien bo tui|tien ngoai|ngoai le phi|phi ngoai|chi phi ngoai|tieu cuc|nhung nhieu|gay kho\b|lam kho\b|dun day|chen ngang|cho (ca buoi|ca ngay|mai)|doi (ca buoi|ca ngay|mai)|khong ai (tiep|giai quyet|tra loi|huong dan)|that vong|qua te|te qua|kem qua|phuc vu kem|khong chuyen nghiep/.test(f) ||
    /thai do|hach dich|quat|coc loc|kho chiu|cau gat|to tieng|mat lich su|bam dien thoai|khong tra loi|vo trach nhiem|gay kho de|nhung nhieu/.test(f) ||
    /tra ve \d+ lan|\d+ lan .*(tra ve|hen lai|len)|lan thu \d+|hen (lai|tiep).*(mai|van|roi)|tre hen|qua hen|hen lan|lam an kieu gi|buc minh|buc qua|phan anh|khieu nai|to cao|bao (trang|vu|viec) (do|nay)/.test(f)
  );
}

/** Asking for the number or the place to report ("số điện thoại để phản ánh", "phản ánh ở đâu"), folded text. */
function asksWhereToReport(f: string): boolean {
  return /(so|sdt|so dien thoai|hotline|duong day nong|tong dai|dia chi|email|kenh|noi|cho)( nao| gi)? (de |ma )?(phan anh|khieu nai|to cao|gop y)|(phan anh|khieu nai|to cao|gop y) (o dau|cho ai|qua dau|goi so nao|goi dau|the nao)/.test(f);
}

/**
 * "có nên nộp tiền cho họ không", "đưa tiền cho cò có nhanh hơn không": whether to pay someone outside
 * the published fees. The answer is always no, with where fees are paid and the hotline.
 */
export function askPayingBroker(text: string): boolean {
  return /(nen|co nen|co phai|co can|co duoc|co nen la) (nop|dua|tra|chuyen|gui|dong) (tien|phi)? ?(cho|toi|den) (ho|nguoi|co|ben|dich vu|anh|chi|ong|ba|ai)|(dua|nop|tra|chuyen) tien (cho|de) (co|dich vu|nguoi ngoai|ho)(.*(nhanh|duoc|khong))?/.test(fold(text));
}

/** Asking for a person ("cho gặp người thật", "kết nối với chuyên viên"). */
export function handoverLike(text: string): boolean {
  const f = fold(text);
  return /nguoi that|gap (truc tiep )?(can bo|nhan vien|nguoi phu trach|chuyen vien|lanh dao|tong dai vien)|tu van (truc tiep|vien)|tong dai vien|goi (lai )?cho (toi|em|minh)|lien he lai (voi )?(toi|em|minh)|nguoi (ho tro|tu van)|noi chuyen (voi|cung) (can bo|nhan vien|nguoi|co chu|chuyen vien)|ket noi (voi )?(chuyen vien|can bo|nhan vien)|nguoi phu trach|huong dan truc tiep|nguoi huong dan/.test(f);
}

/** Papers people name when they ask for fakes; "giả" folds like "giá" (price), hence the words after it. */
const FORGED_PAPER = '(bang|van bang|bang cap|chung chi|so do|so hong|can cuoc|cccd|ho chieu|bang lai|gplx|con dau|chu ky|hoc ba)';
const FORGERY = new RegExp(
  `\\b${FORGED_PAPER}( [a-z0-9]+){0,2} (?<!(nguoi|ong|ba|cu|cha|me|cu ba|cu ong) )gia\\b(?! (bao|nhieu|ca|tien|tri|han|dinh|the|re|mot|phi|bn|ban|lai|hien))|\\b(giay to|ho so|giay) gia\\b(?! (bao|nhieu|ca|tien|tri|han|dinh))|\\blam gia\\b(?! (han|dinh|tri|bao|nhieu|ca))|gia mao|\\bmua bang\\b|\\bchay (an|so|diem)\\b`,
);

/**
 * A matter a court settles, not an administrative procedure: divorce, custody and splitting property
 * on divorce, inheritance disputes (Luật Hôn nhân và gia đình 2014, art. 51–55; Bộ luật Tố tụng dân sự).
 * Recording a divorce already decided (abroad, or in the civil-status book) stays a procedure.
 */
export function courtMatter(text: string): boolean {
  const f = fold(text);
  // A divorce already decided is a fact of the person's case ("em có bản án ly hôn", "trước em có ly hôn rồi").
  if (/ghi (vao so|chu)|ghi chu ly hon|trich luc ly hon|sau (khi )?ly hon|ly hon (xong|roi)|da ly hon|ban an|quyet dinh (ly hon|cua toa)|(co|da) ly hon/.test(f)) return false;
  return /\bly (hon|di)\b|thuan tinh|don phuong ly|gianh quyen nuoi con|tranh chap (dat|thua ke|tai san)|kien (doi|ra toa)/.test(f);
}

/** Questions no centre answers: markets, films, food, lottery, shopping, weather, football, insults. */
export function offTopic(text: string): 'insult' | 'illegal' | 'other' | null {
  const f = fold(text);
  // Forged papers, bribes to skip the rules: never a procedure, whatever words it shares with one.
  if (FORGERY.test(f)) return 'illegal';
  if (/\b(do )?vo dung\b|\bngu (nhu|the|qua|vay|the a)|\bdo ngu\b|bot ngu|may ngu|\bdo (dien|diec|hau|te)\b|\bkem coi\b|vo tich su|\bvcl\b|\bdm\b|\bdit\b|\bcut\b|bot (rac|lom|do)|rac ruoi/.test(f)) return 'insult';
  // Whole words only: "tất cả sinh viên" holds "ca si", "về số" folds like "vé số".
  if (/\b(?:nau (an|mon|com)|mon (an|ngon)|\bdu lich\b|ca si|\btran (dau|bong)\b|doi tuyen|(mua|do|ket qua|trung) ve so|danh de|gia (xang|vang|do|usd|nha|dat|lua)|mua (dien thoai|laptop|may tinh|quan ao)|\btaxi\b|\bgrab\b|\bcafe\b|ca phe|karaoke|\bgym\b|that tinh|tam su|hoc tieng anh|lap trinh|mat khau wifi|\bbao (so|cap)\b|ban la ai|ban co khoe|ke chuyen|noi dua|dua thoi|bitcoin|tien ao|ty gia|ve may bay|khach san|nha hang|ke chuyen|chuyen cuoi|hat (mot|1) bai|bai hat|am nhac|\bgame\b|lien quan mobile|\bbong ro\b|world cup|ngoai hang anh|\bvtv\b|lich thi dau|horoscope|tu vi|cung hoang dao|boi toan|xem boi|lam tho|giai toan|bai tap|ban ten (la )?gi|ban bao nhieu tuoi|ban (co )?nguoi yeu|an com chua|may gio roi|thoi tiet|troi (mua|nang)|du bao|chung khoan|co phieu|ma ck|(xem|chieu|bo|rap) phim|phim (gi|hay|nao|moi)|\brap\b.*chieu|quan (an|bun|pho|com|ca phe|nhau)|bun cha|an gi ngon|\bngon\b.*(gan|quan)|xo so|so xo|lo de|thoi tiet|troi co mua|bong da|\bda bong\b|ty so|shopee|lazada|tiktok shop|gia vang|gia xang|cong thuc nau|nau mon|nguoi yeu|crush)\b/.test(f)) return 'other';
  return null;
}

/** English words we can turn into a Vietnamese question for the search. */
const ENGLISH: [RegExp, string][] = [
  [/temporary residence card|residence card|temporary residence/i, 'cấp thẻ tạm trú cho người nước ngoài'],
  [/work permit/i, 'cấp giấy phép lao động cho người nước ngoài'],
  [/passport/i, 'cấp hộ chiếu'],
  [/birth (certificate|registration)|register (a|the|my)? ?(birth|baby|child)/i, 'đăng ký khai sinh'],
  [/marriage|get married/i, 'đăng ký kết hôn'],
  [/criminal record/i, 'lý lịch tư pháp'],
  [/id card|identity card|citizen id/i, 'cấp thẻ căn cước'],
  [/driv(er'?s|ing) licen[cs]e/i, 'đổi giấy phép lái xe'],
  [/notari[sz]|certified cop/i, 'chứng thực bản sao'],
  [/business registration|register a business/i, 'đăng ký hộ kinh doanh'],
];

/** A message written in English (no Vietnamese letters, mostly common English words). */
export function isEnglish(text: string): boolean {
  if (/[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i.test(text)) return false;
  const w = words(text.toLowerCase().replace(/[^a-z' ]/g, ' '));
  // Words that are also Vietnamese syllables typed without marks ("can", "to", "do", "a", "i") do not count.
  const english = w.filter((x) => /^(does|how|what|which|where|when|could|need|want|get|my|for|of|is|are|am|please|with|you|your|book|appointment|documents?|apply|office|hello|help|branch|foreigner|working|card|passport|register|would|like|this|that|there|have|has|need|i'm|want)$/.test(x));
  return w.length >= 2 && english.length >= Math.max(2, Math.ceil(w.length * 0.25));
}

/** The Vietnamese question an English message stands for ("" when none of our words is in it). */
export function englishToVietnamese(text: string): string {
  const topic = ENGLISH.find(([re]) => re.test(text))?.[1] ?? '';
  // A question about the procedure already shown ("How much is the fee?", "Where do I apply?"), or the centre.
  if (!topic) {
    if (/\b(open|opening|hours|saturday|sunday|weekend|close|closing)\b/i.test(text)) return 'trung tâm làm việc mấy giờ, thứ bảy có làm việc không';
    if (/\b(address|where is the (centre|center|office|branch)|branches)\b/i.test(text)) return 'địa chỉ các chi nhánh trung tâm';
    if (/\b(phone number|hotline|call)\b/i.test(text)) return 'số điện thoại đường dây nóng trung tâm';
    if (/\b(fee|fees|cost|price|how much)\b/i.test(text)) return 'lệ phí bao nhiêu';
    if (/\bhow long|how many days|when (will|can|do)\b/i.test(text)) return 'mất bao lâu';
    if (/\bonline\b/i.test(text)) return 'làm online được không';
    if (/\bwhere\b/i.test(text)) return 'nộp ở đâu';
  }
  const booking = /\b(book|appointment|schedule)\b/i.test(text);
  const documents = /\bdocuments?|papers|what do i need|which .* need\b/i.test(text);
  if (booking) return `đặt lịch ${topic}`.trim();
  if (documents && !topic) return 'giấy tờ gì';
  return topic;
}

/** Chat spellings of everyday words ("đk", "mún", "j", "ko", "z"), written out so the search and the intents read them. */
const CHAT_WORDS: Record<string, string> = {
  đk: 'đăng ký', mún: 'muốn', mun: 'muốn', j: 'gì', ko: 'không', k: 'không', kg: 'không', hok: 'không', hông: 'không',
  z: 'vậy', dz: 'vậy', dc: 'được', đc: 'được', dk: 'đăng ký', vs: 'với', ms: 'mới', trc: 'trước', ng: 'người', lm: 'làm', bik: 'biết', bít: 'biết', hem: 'không', hk: 'không', khg: 'không', kh: 'không', r: 'rồi', oy: 'rồi', thui: 'thôi', nhìu: 'nhiều', wa: 'quá', cmnd: 'chứng minh nhân dân', gplx: 'giấy phép lái xe', đkkd: 'đăng ký kinh doanh', hc: 'hộ chiếu', e: 'em', tks: 'cảm ơn', thanks: 'cảm ơn', bn: 'bao nhiêu', bnhieu: 'bao nhiêu', ntn: 'như thế nào', bj: 'bị', thj: 'thì', lun: 'luôn', nx: 'nữa', cx: 'cũng', ak: 'à', ik: 'đi', mik: 'mình', mk: 'mình',
};

export function writtenOut(text: string): string {
  return text
    .split(/(\s+)/)
    .map((w) => {
      const m = /^([^\p{L}\p{N}]*)([\p{L}\p{N}]+)([^\p{L}\p{N}]*)$/u.exec(w);
      const key = m?.[2].toLowerCase();
      return m && key && CHAT_WORDS[key] ? m[1] + CHAT_WORDS[key] + m[3] : w;
    })
    .join('');
}

/**
 * A task said in so many words, whatever procedure is named with it: "đặt lịch làm lý lịch tư pháp"
 * (the procedure's "lịch" must not eat the task's), "hẹn giờ lên chứng thực", "hủy lịch vừa đặt".
 */
export function explicitTask(text: string): 'booking' | 'booking_manage' | null {
  const f = fold(text);
  if (/(huy|doi|doi sang|di doi|xem lai|kiem tra) (cai |buoi |cuoc )?(dat lich|lich|lich hen|lich da dat|buoi hen|gio hen|hen)\b|quen ma\b|lich (hen )?(vua|da|moi) dat/.test(f)) return 'booking_manage';
  if (/\b(dat|hen|lay|dang ky) (lich|hen)\b|hen gio|hen ngay|lay so truoc|\bbook\b/.test(f)) return 'booking';
  return null;
}

/** Asking how to use the assistant ("tôi không biết dùng cái này", "hướng dẫn sử dụng"). */
export function helpLike(text: string): boolean {
  // Said of the assistant in a short message; in a story ("bà chủ nhà không biết dùng điện thoại") it is the story.
  if (words(text).length > 14) return false;
  return /khong biet (dung|su dung|bat dau|hoi)|dung (cai nay )?(the nao|nhu the nao|ra sao)|huong dan (su dung|cach dung)|ai (do )?giup (toi|em|minh)|giup (toi|em|minh) voi$/.test(fold(text));
}

/** Words a task needs in the message itself (the rest of a procedure's name is not enough). */
const TASK_WORDS: Partial<Record<string, RegExp>> = {
  booking: /\b(dat|hen|lich|lay so|book|appointment)\b/,
  booking_manage: /\b(huy|doi|doi lich|lich hen|ma dat)\b/,
  status: /tra cuu|tinh trang|tien do|\bho so\b.*(den dau|sao roi|xong chua|the nao roi)|ket qua/,
  checklist: /giay to|ho so|chuan bi|\bmang\b|kiem tra|can (gi|j|nhung gi)|\bgom\b|thanh phan|documents/,
  feedback: /danh gia|gop y|cham diem|phan hoi|\bsao\b/,
};

/** Whether the message says the task in words of its own, beside the procedure's name. */
export function saysTask(intent: string, text: string): boolean {
  const re = TASK_WORDS[intent];
  return !re || re.test(fold(text));
}

/**
 * Thanks and closings said alone ("xin cảm ơn", "ok cảm ơn nhé", "không cần đâu", "vậy thôi"): the
 * conversation is ending, not asking; never the welcome or an opener waiting for its question.
 */
export function closingLike(text: string): boolean {
  const f = fold(text).replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!f || f.split(' ').length > 10 || /\?|bao nhieu|the nao|o dau|khong a$|duoc khong|co (can|phai)|\bnhung\b|thi sao|sao (a|vay)?$/.test(fold(text))) return false;
  return (
    /\b(cam on|cam ta|thank|thanks|tks|thank you)\b/.test(f) ||
    /^(da |vang |ok |oke |u |uh )?(khong can|khong can dau|khong can nua|thoi khong can|vay thoi|the thoi|vay la du|du roi|hieu roi|ro roi|xong roi|het roi|khong con gi|khong co gi nua|tam biet|bye|bai bai)( a| nhe| nha| roi| dau| nhieu)*$/.test(f)
  );
}

/** Declining to leave a way to be reached ("thôi tôi không muốn để lại số điện thoại", "không cho số đâu"). */
export function declinesContact(text: string): boolean {
  return /\bkhong (muon |the |can |thich |tien |co )?(de lai|cho|dua|cung cap|gui|nhan)? ?(so|sdt|so dien thoai|so dt|thong tin|email|lien lac|lien he)\b|\bkhong co (so|sdt|dien thoai|email)\b|\bkhong (goi|lien lac) (lai )?(cung duoc|dau)|\bkhoi (de lai|goi)/.test(fold(text));
}

const SLOT_DAY_WORDS = '(hom nay|ngay mai|mai|ngay kia|thu (hai|ba|tu|nam|sau|bay|[2-7])|chu nhat|\\d{1,2} ?[/.-] ?\\d{1,2}([/.-]\\d{2,4})?)( (nay|tuan nay|tuan sau|tuan toi|toi))?';
const SLOT_TIME_WORDS = '(luc )?\\d{1,2} ?(h|gio|g|:) ?(\\d{1,2})?( ?(phut|sang|chieu|trua|toi))?';
const SLOT_LEAD = '((vay|the|ok|oke|u|da|con|hay|de|cho|dat|doi sang|sang|chuyen sang|lay) )*';
const SLOT_TAIL = '( (nhe|nha|a|duoc khong|dc khong|duoc ko|di|luon|cung duoc))*';
/** Built once: these read every message that reaches the main dialog. */
const SLOT_DAY = new RegExp(`^${SLOT_LEAD}(sang |chieu |trua )?${SLOT_DAY_WORDS}( ${SLOT_DAY_WORDS})?( (sang|chieu|trua))?( ${SLOT_TIME_WORDS})?${SLOT_TAIL}$`);
const SLOT_TIME = new RegExp(`^${SLOT_LEAD}${SLOT_TIME_WORDS}${SLOT_TAIL}$`);

/**
 * A short message that only answers a booking question ("thứ năm", "mai", "11h", "10h30 sáng",
 * "0915 246 802", "Đồng ý"): which kind, or null. Outside a task it is never a search ("mai" is not
 * "mai táng", "11h" not a radio licence form): the person thinks a booking is under way.
 */
export function slotAnswer(text: string): 'day' | 'time' | 'phone' | 'confirmation' | null {
  const f = fold(text).replace(/[^a-z0-9/.:\- ]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!f || f.split(' ').length > 7) return null;
  if (SLOT_DAY.test(f)) return 'day';
  if (SLOT_TIME.test(f)) return 'time';
  if (/^([a-z]+ ){0,5}(sdt |so |so dien thoai )?(\+?84|0)[\d .-]{8,13}$/.test(f)) return 'phone';
  if (/^(dong y|xac nhan|ok chuan roi|chuan roi|dung roi|ok dat di|dat di|ok)( (nhe|nha|a|luon))*$/.test(f)) return 'confirmation';
  return null;
}

/** The follow-up patterns matching every occurrence, built once. */
const FOLLOW_UPS_ALL = FOLLOW_UPS.map(([, re]) => new RegExp(re.source, 'g'));

/** The message with what it asks of the procedure in context taken out ("làm trên mạng được không" → "lam"). */
export function withoutFollowUps(text: string): string {
  let f = fold(text);
  for (const re of FOLLOW_UPS_ALL) f = f.replace(re, ' ');
  return f.replace(/\s+/g, ' ').trim();
}

/**
 * Saying which papers one has ("2 đứa có cccd rồi, tờ khai thì chưa có", "bệnh viện có cấp giấy báo tử
 * rồi"): the documents check of the procedure in context, not a new procedure named by the paper.
 */
export function statesPossession(text: string): boolean {
  const f = fold(text);
  if (words(text).length > 25 || /\?|\b(o dau|bao nhieu|the nao|lam sao|khong a$|duoc khong)\b/.test(f)) return false;
  return /\b(da co|co roi|chua co|co san|co du|da lam|co cap)\b|\bco\b.{1,40}\broi\b/.test(f);
}
