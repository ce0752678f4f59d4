/**
 * Short answers from records already known: one fact of the procedure just shown (fee, time, where,
 * online, documents…) and the centre's branches (addresses, hours, nearest). Pure: records in, text out.
 */
import type { Branch, Procedure } from '../../knowledge/schemas';
import { fold } from '../domain/text/normalize';
import type { CentreTopic, FollowUpTopic } from './conversation-acts';
import { feeText, legalName, processingTimeText, unverifiedMark, whereToFile } from './format';
import { dataReplacement, quantityText, shortLabel } from '../domain/checklist';
import { paperDocuments } from '../domain/checklist-statements';

/** Said when no centre is given (a directory without a centre file). */
const ANY_CENTRE_HOTLINE = 'đường dây nóng của Trung tâm';

const ONLINE_ANSWER: Record<Procedure['onlineLevel'], string> = {
  full: 'Có: thủ tục này làm trực tuyến toàn trình trên Cổng dịch vụ công (nộp và nhận kết quả trực tuyến).',
  partial: 'Một phần: nộp hồ sơ trực tuyến trên Cổng dịch vụ công được, nhưng nhận kết quả tại quầy hoặc qua bưu chính.',
  none: 'Chưa: thủ tục này chỉ nộp trực tiếp tại nơi tiếp nhận.',
  unknown: 'Chưa có thông tin chính thức về mức dịch vụ công trực tuyến của thủ tục này; xin xem Cổng dịch vụ công hoặc hỏi cán bộ.',
};

function sentences(text: string): string[] {
  return text.split(/(?<=[.;])\s+|\n+/).map((s) => s.trim()).filter(Boolean);
}

function clip(raw: string, max = 300): string {
  // A document name can start with its own bullet ("- Tờ khai…"): one bullet per line.
  const text = raw.replace(/^[-+*•\s]+/, '');
  return text.length <= max ? text : text.slice(0, max - 1).replace(/\s+\S*$/, '') + '…';
}

/** "53/2025/TT-BCA" → "Thông tư 53/2025/TT-BCA"; a name that already says its kind is kept. */
function legalTitle(code: string, name: string): string {
  if (!code) return name;
  if (name && name.length <= 90 && /^(Luật|Bộ luật|Nghị định|Nghị quyết|Thông tư|Quyết định)\b/.test(name)) return name;
  return legalName(code);
}

/** What a record says in words about doing the procedure: conditions, steps, and the notes of its cases. */
function recordText(p: Procedure): string {
  return [p.requirements, ...p.steps, ...p.documentCases.flatMap((c) => c.notes)].join('\n');
}

/** Ends a reply with one full stop (official texts often end with their own). */
const ended = (text: string) => (/[.!?…]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/** One short reply about one fact of the procedure, from its record. */
export function followUpAnswer(p: Procedure, topic: FollowUpTopic, question = ''): string {
  return ended(followUpText(p, topic, question));
}

/** What the official list says of originals and copies of one document, in plain words. */
function copiesOf(d: Procedure['documentCases'][number]['documents'][number]): string {
  const parts = [`${shortLabel(d.name, 140)}: cần ${quantityText(d)}.`];
  if (d.copyKind === 'certified_copy') parts.push('Bản sao phải có chứng thực (hoặc cấp từ sổ gốc); bản photo thường không được nhận.');
  else if (d.copyKind === 'copy_with_original') parts.push('Nộp bản sao (photo) được, nhưng mang theo bản chính để cán bộ đối chiếu.');
  else if (d.copies > 0 && d.originals === 0) parts.push('Hồ sơ công bố không nói bản sao phải chứng thực; nếu chỉ có bản photo, xin mang theo bản chính để đối chiếu.');
  else if (d.originals > 0 && d.copies === 0) parts.push('Bản photo không thay được bản chính này.');
  const replacement = dataReplacement(d);
  if (replacement) parts.push(replacement);
  return parts.join(' ');
}

function followUpText(p: Procedure, topic: FollowUpTopic, question: string): string {
  const head = `**${p.name}** (mã ${p.code}):`;
  const all = p.documentCases.flatMap((c) => c.documents);
  switch (topic) {
    case 'fee':
      return `${head} phí, lệ phí: ${feeText(p)}`;
    case 'time':
      return `${head} thời hạn giải quyết: ${processingTimeText(p)}`;
    case 'deadline': {
      const text = recordText(p);
      const found = sentences(text).find((s) => /trong (thời hạn|vòng)|kể từ ngày|chậm nhất/i.test(s) && /\d+\s*(ngày|tháng)/i.test(s));
      return found ? `${head} ${clip(found)}` : `${head} hồ sơ không nêu hạn phải nộp; thời hạn giải quyết: ${processingTimeText(p)}`;
    }
    case 'pickup':
      return `${head} ${p.resultDelivery ? `trả kết quả: ${clip(p.resultDelivery, 200)}. ` : ''}Kết quả nhận tại nơi đã nộp hồ sơ theo ngày hẹn trên phiếu hẹn (mang phiếu hẹn và giấy tờ tùy thân), hoặc qua bưu chính, trực tuyến nếu đã chọn khi nộp`;
    case 'agency':
      return `${head} cơ quan giải quyết: ${p.agency}${unverifiedMark(p, 'agency')}. ${whereToFile(p)}.`;
    case 'place':
      return p.nonBoundary === true
        ? `${head} ${whereToFile(p).replace(/^Nộp/, 'nộp')}.`
        : `${head} nộp tại ${p.agency}${p.nonBoundary === false ? ' có thẩm quyền (theo nơi cư trú)' : ''}; có thể hỏi bộ phận một cửa gần nhất.`;
    case 'online':
      return `${head} ${ONLINE_ANSWER[p.onlineLevel]}`;
    case 'documents': {
      if (all.length === 0) return `${head} chưa có thành phần hồ sơ đã xác minh; xin xem trang chính thức: ${p.source.url}`;
      const everyone = all.filter((d) => !d.condition).slice(0, 5).map((d) => `- ${clip(d.name, 140)}`);
      const cases = p.documentCases.length > 1 ? `\nThủ tục có ${p.documentCases.length} trường hợp; chọn "Kiểm tra giấy tờ" để xem đúng giấy tờ của trường hợp mình.` : '';
      return `${head} giấy tờ cần mang${everyone.length ? ':\n' + everyone.join('\n') : ' tùy trường hợp.'}${cases}`;
    }
    case 'proxy': {
      const proxy = all.find((d) => /ủy quyền/i.test(d.name));
      return proxy
        ? `${head} được nhờ người khác nộp thay nếu có văn bản ủy quyền: ${clip(proxy.name, 160)}.`
        : `${head} người khác nộp thay thường cần văn bản ủy quyền (được chứng thực); xin hỏi cán bộ cho trường hợp của mình.`;
    }
    case 'in_person': {
      // What the record itself says about being there ("hai bên nam, nữ phải có mặt").
      const text = recordText(p);
      const present = sentences(text).find((x) => /có mặt|trực tiếp (đến|nộp|ký)/i.test(x));
      return present
        ? `${head} ${clip(present)}`
        : `${head} ${ONLINE_ANSWER[p.onlineLevel]} Khi nộp trực tiếp, người nộp mang giấy tờ tùy thân bản chính để cán bộ đối chiếu.`;
    }
    case 'legal': {
      // The kind of text with its number ("Thông tư 53/2025/TT-BCA"), as people cite it.
      const legal = p.legalBasis.slice(0, 4).map((l) => legalTitle(l.code, l.name));
      return `${head} căn cứ pháp lý: ${legal.join('; ') || 'chưa có thông tin'}.`;
    }
    case 'requirements': {
      const req = p.requirements.trim();
      // "ai đi đăng ký được": who files, when the record says it (its steps, notes, documents).
      const who = sentences([...p.steps, ...p.documentCases.flatMap((c) => [...c.notes, ...c.documents.map((d) => d.name)])].join('\n')).find((x) =>
        /người (có trách nhiệm|đi đăng ký|yêu cầu|đề nghị|nộp hồ sơ)|thân nhân|vợ, chồng|cha, mẹ|người thân/i.test(x),
      );
      if (!req && who) return `${head} ${clip(who, 300)}`;
      return req ? `${head} điều kiện: ${clip(req, 400)}` : `${head} hồ sơ công bố không nêu điều kiện riêng; ai thuộc đối tượng của thủ tục đều nộp được.`;
    }
    case 'forms': {
      const forms = all.filter((d) => d.formCode || d.forms.length > 0).slice(0, 4);
      const lines = forms.map((d) => `- ${clip(d.name, 120)}${d.forms[0]?.url ? ` (${d.forms[0].url})` : ''}`);
      return lines.length
        ? `${head} mẫu đơn, tờ khai:\n${lines.join('\n')}\nMẫu cũng có tại quầy hướng dẫn và trên Cổng dịch vụ công.`
        : `${head} chưa có mẫu đơn, tờ khai trong dữ liệu của tôi; mẫu có tại quầy hướng dẫn và trên Cổng dịch vụ công.`;
    }
    case 'copies': {
      // The paper the question names, when the official list has it; otherwise how to see each one.
      const named = paperDocuments(question, all).map((i) => all[i]);
      if (named.length > 0) return `${head} ${named.slice(0, 2).map(copiesOf).join(' ')}`;
      return all.length > 0
        ? `${head} hồ sơ công bố ghi số bản chính, bản sao của từng giấy tờ; chọn "Kiểm tra giấy tờ" để xem từng giấy tờ cần bản chính hay bản sao.`
        : `${head} chưa có thành phần hồ sơ đã xác minh; xin hỏi cán bộ hoặc xem trang chính thức: ${p.source.url}`;
    }
    case 'child':
      return `${head} cha, mẹ hoặc người giám hộ làm thay cho con chưa thành niên; chọn "Kiểm tra giấy tờ" để xem giấy tờ cần mang.`;
  }
}

const WEEKDAYS = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];

/** "Thứ Hai–Thứ Sáu 08:00–12:00, 13:00–17:00; Thứ Bảy 08:00–12:00". */
export function openingHoursText(b: Branch): string {
  if (b.openingHours.length === 0) return 'chưa có thông tin công bố';
  const byDay = new Map<number, string>();
  for (const h of b.openingHours) byDay.set(h.weekday, [byDay.get(h.weekday), `${h.open}–${h.close}`].filter(Boolean).join(', '));
  const groups: { from: number; to: number; hours: string }[] = [];
  for (const day of [1, 2, 3, 4, 5, 6, 0]) {
    const hours = byDay.get(day);
    if (!hours) continue;
    const last = groups.at(-1);
    if (last && last.hours === hours && (last.to + 1) % 7 === day) last.to = day;
    else groups.push({ from: day, to: day, hours });
  }
  const text = groups.map((g) => `${WEEKDAYS[g.from]}${g.to !== g.from ? `–${WEEKDAYS[g.to]}` : ''} ${g.hours}`).join('; ') + (byDay.has(0) ? '' : '; nghỉ Chủ nhật và ngày lễ');
  // Example hours (no source gives them) are never told as fact.
  return b.unverifiedFields?.includes('openingHours') ? `${text} (giờ mẫu, chưa có nguồn công bố)` : text;
}

/** The branch a message names (by district, ward or name), or null. */
export function branchNamed(text: string, branches: Branch[]): Branch | null {
  const f = ` ${fold(text).replace(/[^a-z0-9]+/g, ' ')} `;
  return branches.find((b) => branchNames(b).some((n) => f.includes(` ${n} `))) ?? null;
}

/** District, ward, and the short name in brackets ("(Chi nhánh Cầu Giấy)"), folded. */
function branchNames(b: Branch): string[] {
  return [b.district, b.ward ?? '', /\(([^)]+)\)/.exec(b.name)?.[1] ?? ''].map((n) => fold(n).replace(/^chi nhanh /, '').replace(/[^a-z0-9]+/g, ' ').trim()).filter(Boolean);
}

/** The branch whose district, ward or short name is exactly the place given ("tây hồ"), or null. */
export function branchAt(place: string, branches: Branch[]): Branch | null {
  const f = fold(place).replace(/[^a-z0-9]+/g, ' ').trim();
  return branches.find((b) => branchNames(b).includes(f)) ?? null;
}

const line = (b: Branch) => `- ${b.name}: ${b.address}`;

/** A short answer about the centre from its branch records. */
export function centreAnswer(
  topic: CentreTopic,
  text: string,
  branches: Branch[],
  nextHoliday: string | null,
  hotline: string = ANY_CENTRE_HOTLINE,
): { text: string; branch: Branch | null } {
  // A commune-level point is not a branch of the centre: it is listed apart, for commune-level procedures.
  const open = branches.filter((b) => b.status === 'operating' && b.kind !== 'commune');
  const communes = branches.filter((b) => b.status === 'operating' && b.kind === 'commune');
  const named = branchNamed(text, open);
  const list = (bs: Branch[]) => bs.map(line).join('\n');
  const communeList = communes.length > 0 ? `\n\nThủ tục cấp xã (hộ tịch, chứng thực…) nộp tại điểm tiếp nhận cấp xã, ví dụ:\n${list(communes)}` : '';
  switch (topic) {
    case 'list':
      return { text: `Các chi nhánh có trong dữ liệu của tôi (${open.length}); nộp ở chi nhánh nào cũng được:\n${list(open)}${communeList}`, branch: null };
    case 'address': {
      const place = named ?? branchNamed(text, communes);
      return place
        ? { text: `${place.name}: ${place.address}. Giờ làm việc: ${openingHoursText(place)}.`, branch: place }
        : { text: `Địa chỉ các chi nhánh:\n${list(open)}${communeList}`, branch: null };
    }
    case 'nearest':
      return named
        ? { text: `Gần ông/bà nhất là ${named.name}: ${named.address}. Nộp ở chi nhánh nào cũng được.`, branch: named }
        : {
            text: `Tôi chưa biết chi nhánh ở khu vực đó; hồ sơ nộp ở chi nhánh nào cũng được. Các chi nhánh:\n${list(open)}\nGửi vị trí để tìm chi nhánh gần nhất.`,
            branch: null,
          };
    case 'hours': {
      const bs = named ? [named] : open;
      const same = new Set(bs.map(openingHoursText)).size === 1;
      const body = same ? `(giờ Việt Nam) ${openingHoursText(bs[0])}` : bs.map((b) => `- ${b.name}: ${openingHoursText(b)}`).join('\n');
      return { text: `Giờ làm việc${named ? ` của ${named.name}` : ' của các chi nhánh'}: ${body}.`, branch: named };
    }
    case 'holiday':
      return {
        text: `Trung tâm nghỉ các ngày lễ, Tết theo quy định (Tết Dương lịch 01/01, Tết Nguyên đán, 30/4, 1/5, 2/9…)${nextHoliday ? `; ngày nghỉ lễ gần nhất: ${nextHoliday}` : ''}. Ngày thường: ${open[0] ? openingHoursText(open[0]) : 'giờ hành chính'}.`,
        branch: null,
      };
    case 'hotline': {
      const phone = named?.phone ?? null;
      return {
        text: phone
          ? `Điện thoại ${named!.name}: ${phone}. Phản ánh, kiến nghị: ${hotline}.`
          : `Số điện thoại riêng của ${named ? named.name : 'từng chi nhánh'} chưa có trong dữ liệu của tôi. Hỏi đáp, phản ánh: ${hotline}; hoặc chọn "Gặp cán bộ" để cán bộ liên hệ lại.`,
        branch: named,
      };
    }
    case 'parking':
      return { text: `Tôi chưa có thông tin về chỗ gửi xe tại ${named ? named.name : 'các chi nhánh'}. Xin hỏi bảo vệ hoặc quầy hướng dẫn khi đến, hoặc gọi ${hotline}.`, branch: named };
    case 'facility':
      return { text: `Tôi chưa có thông tin về việc này tại ${named ? named.name : 'các chi nhánh'}. Xin hỏi quầy hướng dẫn khi đến, hoặc gọi ${hotline}.`, branch: named };
    case 'boundary':
      return {
        text: 'Các chi nhánh của Trung tâm làm việc theo mô hình một cửa phi địa giới hành chính: thủ tục cấp thành phố nộp ở chi nhánh nào cũng được, không phụ thuộc nơi cư trú. Thủ tục cấp xã và thủ tục của công an (cư trú, căn cước) nộp theo quy định của từng thủ tục. Ông/bà làm thủ tục gì để tôi xem cụ thể?',
        branch: null,
      };
    case 'booking_fee':
      return { text: 'Đặt lịch miễn phí: Trung tâm không thu tiền đặt lịch. Chỉ nộp phí, lệ phí của thủ tục theo mức đã công bố, tại quầy hoặc trực tuyến, có biên lai.', branch: null };
    case 'booking_needed':
      return { text: 'Không bắt buộc đặt lịch: ông/bà có thể đến lấy số tại quầy. Đặt lịch trước giúp không phải chờ lâu; chọn "Đặt lịch" để chọn chi nhánh, ngày và giờ.', branch: null };
  }
}

/**
 * For a message that tells the person's case after a procedure was shown: the record's conditions and
 * deadline when it states them, where to file, and what to do next. Nothing is inferred about the case.
 */
export function caseAnswer(p: Procedure): string {
  const head = `Về **${p.name}** (mã ${p.code}):`;
  const text = recordText(p);
  const deadline = sentences(text).find((s) => /trong (thời hạn|vòng)|kể từ ngày|chậm nhất/i.test(s) && /\d+\s*(ngày|tháng)/i.test(s));
  const parts = [head];
  if (p.requirements.trim()) parts.push(`điều kiện theo hồ sơ công bố: ${clip(p.requirements.trim(), 240)}`);
  if (deadline && !p.requirements.includes(deadline)) parts.push(clip(deadline, 200));
  parts.push(ended(whereToFile(p)));
  parts.push('Trường hợp riêng của ông/bà xin hỏi cán bộ; chọn "Kiểm tra giấy tờ" để xem giấy tờ cần mang.');
  return parts.join(' ');
}
