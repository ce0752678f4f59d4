import type { TurnContext } from 'botbuilder';
import { MENU } from '../src/bot/format';
import { centreTopic, followUpTopic, addressAsked, offTopic, placeOnly, statesPossession, withoutFollowUps } from '../src/bot/conversation-acts';
import { branchAt, centreAnswer, followUpAnswer } from '../src/bot/short-answers';
import { hotlineText, type CentreProfile } from '../src/domain/centre/centre';
import { fold } from '../src/domain/text/normalize';
import { profileOf, say, turnSearch, type DialogServices, type ProfileAccessor, rememberProcedure } from './dialogServices';

/**
 * The profile accessor of this turn, put in turn state by the main dialog: task dialogs answer side
 * questions about the procedure in context without each being handed the accessor.
 */
export const PROFILE_ACCESSOR = Symbol('profileAccessor');

/** Words of procedure names that say nothing about which procedure ("đăng ký", "cấp", "giấy"). */
const GENERIC = new Set(
  'dang ky cap lam giay to thu tuc so nop xin moi lai doi phai di cho nguoi con tinh thi ben nao a ban bao nhieu ngay tien phi le mat may co khong duoc gi o dau can mang the nay bo me vo chong con chau ong ba anh chi em toi minh thue phai xong nhanh mat ca hai nguoi vao tai cua voi va hoac trong ngoai theo viec tu nha nuoc hanh chinh chung nhan xac truong hop ho so online truc tuyen mot phan toan trinh thoi gian han lau giai quyet xu ly ket qua tra nhan'.split(' '),
);

/** A first-stage score above which a hit is the procedure a message names (procedure-index units). */
const CONFIDENT = 0.6;

/**
 * The procedure the message itself names when it is not the one in context: two words of its name
 * that are neither generic nor in the current procedure's name ("có cần giấy báo tử không" after the
 * death registration is still about it).
 */
export async function namesAnotherProcedure(context: TurnContext, services: DialogServices, text: string, current: string | null): Promise<string | null> {
  const hits = turnSearch(context, services, text, 3);
  const top = hits[0];
  if (!top || top.code === current) return null;
  // Named by an abbreviation or everyday word ("làm cccd cho con"): a confident hit that leaves the
  // procedure in context out of the first three is another procedure.
  // Words left once the question about the current one is taken out must name it ("làm trên mạng được
  // không" leaves nothing: "mạng" was the online question, not a telecom licence).
  const currentName = current ? ((await services.catalog.get(current))?.name ?? '') : '';
  const theirsToo = new Set(fold(currentName).split(/[^a-z0-9]+/));
  const said = fold(text).split(/[^a-z0-9]+/).filter((t) => t && !GENERIC.has(t));
  // "làm lại căn cước có cần mang giấy khai sinh không" after the ID card: the message names the
  // procedure in context ("căn cước"), and the birth certificate is a paper it asks about.
  if (current && said.some((t) => theirsToo.has(t))) return null;
  const rest = withoutFollowUps(text).split(' ').filter((t) => t && !GENERIC.has(t));
  if (current && rest.length > 0 && !statesPossession(text) && top.score >= CONFIDENT && !hits.some((h) => h.code === current)) return top.code;
  const mine = new Set(said.filter((t) => !theirsToo.has(t)));
  const theirs = fold(top.name).split(/[^a-z0-9]+/).filter((t) => mine.has(t));
  return new Set(theirs).size >= 2 ? top.code : null;
}

/**
 * Answers a question asked beside the current task, in one short reply, from records already known:
 * off-topic (a polite refusal), the centre (branches), a fact of the procedure in context. Returns
 * false when the message is none of these.
 */
export async function answerAside(context: TurnContext, services: DialogServices, text: string, withButtons: boolean, inTask = false): Promise<boolean> {
  const accessor = context.turnState.get(PROFILE_ACCESSOR) as ProfileAccessor | undefined;
  const off = offTopic(text);
  if (off) {
    await say(
      context,
      off === 'insult'
        ? 'Xin lỗi vì tôi chưa giúp được ông/bà như mong muốn. Tôi chỉ hỗ trợ thủ tục hành chính; ông/bà có thể chọn "Gặp cán bộ" để được cán bộ hỗ trợ.'
        : off === 'illegal'
          ? 'Xin lỗi, tôi không thể giúp việc này: làm, mua hay dùng giấy tờ giả là vi phạm pháp luật. Tôi chỉ hỗ trợ thủ tục hành chính: nếu cần cấp lại hoặc xin bản sao giấy tờ thật, ông/bà cứ hỏi tôi thủ tục.'
          : 'Xin lỗi, câu này nằm ngoài phạm vi của tôi: tôi chỉ hỗ trợ thủ tục hành chính (tìm thủ tục, giấy tờ, đặt lịch, tra cứu hồ sơ).',
      withButtons ? [...MENU, 'Gặp cán bộ'] : [],
    );
    return true;
  }
  const profile = accessor ? await profileOf(accessor, context) : null;
  const topic = centreTopic(text) ?? (profile?.lastBranchId && addressAsked(text) && text.split(/\s+/).length <= 6 ? 'address' : null);
  if (topic) {
    const branches = (await services.availability.branches()).map(({ distanceKm: _d, ...b }) => b);
    const named = profile?.lastBranchId && topic === 'address' && !/chi nhanh|trung tam/.test(fold(text)) ? branches.find((b) => b.id === profile.lastBranchId) : undefined;
    const answer = centreAnswer(topic, named ? `${text} ${named.district}` : text, branches, null, hotlineText(services.centre));
    if (profile && accessor && answer.branch) {
      profile.lastBranchId = answer.branch.id;
      await accessor.set(context, profile);
    }
    await say(context, answer.text, withButtons ? ['Đặt lịch', 'Menu'] : []);
    return true;
  }
  // Outside a task, a message that is only a place asks about the branch there ("chi nhánh Tây Hồ").
  const place = inTask ? null : placeOnly(text);
  if (place) {
    const branches = (await services.availability.branches()).map(({ distanceKm: _d, ...b }) => b);
    const named = branchAt(place, branches.filter((b) => b.status === 'operating'));
    if (named) {
      const answer = centreAnswer('address', place, branches, null, hotlineText(services.centre));
      if (profile && accessor) {
        profile.lastBranchId = named.id;
        await accessor.set(context, profile);
      }
      await say(context, answer.text, withButtons ? ['Đặt lịch', 'Menu'] : []);
      return true;
    }
    // "gần Dịch Vọng Hậu": near a place no branch is named after: the branches, and how to find the nearest.
    if (/^(o )?gan\b/.test(fold(text).trim())) {
      await say(context, centreAnswer('nearest', text, branches, null, hotlineText(services.centre)).text, withButtons ? ['Đặt lịch', 'Menu'] : []);
      return true;
    }
  }
  const follow = followUpTopic(text);
  const current = profile?.lastProcedureCode ?? null;
  // A follow-up that names another procedure ("thế làm hộ chiếu mất mấy ngày") is about that one.
  // Outside a task, a question naming a new procedure gets that procedure's card instead.
  const other = follow ? await namesAnotherProcedure(context, services, text, current) : null;
  if (other && !inTask) return false;
  // "lấy kết quả ở đâu" with no procedure in context: where results are collected, in general.
  if (follow === 'pickup' && !current && !other && text.split(/\s+/).length <= 10) {
    await say(context, PICKUP_GENERAL, withButtons ? ['Tra cứu hồ sơ', 'Menu'] : []);
    return true;
  }
  if (follow && (current || other)) {
    const procedure = await services.catalog.get((other ?? current)!);
    if (!procedure) return false;
    if (other && profile && accessor) {
      rememberProcedure(profile, other, services.clock.now());
      await accessor.set(context, profile);
    }
    // "con tôi 12 tuổi có làm được không": the catalogue's own procedure for a child, when it has one.
    if (follow === 'child' && !other) {
      const variant = childVariant(services, procedure);
      if (variant) {
        const child = await services.catalog.get(variant);
        if (child && profile && accessor) {
          rememberProcedure(profile, child.code, services.clock.now());
          await accessor.set(context, profile);
        }
        if (child) {
          await say(context, `Với trẻ em là thủ tục khác: ${followUpAnswer(child, 'agency')}`, withButtons ? ['Kiểm tra giấy tờ', 'Đặt lịch', 'Menu'] : []);
          return true;
        }
      }
    }
    const next = procedure.detail === 'full' ? ['Kiểm tra giấy tờ', 'Đặt lịch', 'Menu'] : ['Đặt lịch', 'Menu'];
    await say(context, followUpAnswer(procedure, follow, text), withButtons ? next : []);
    return true;
  }
  return false;
}

/** The variant of a procedure for a child ("… cho người dưới 14 tuổi"), if the catalogue lists one apart. */
function childVariant(services: DialogServices, procedure: { code: string; name: string }): string | null {
  const named = (n: string) => /duoi 14 tuoi|tre em|chua thanh nien|tre duoi/.test(fold(n));
  if (named(procedure.name)) return null;
  // The same procedure for a child: its name keeps most of the original's own words ("căn cước").
  const own = fold(procedure.name).split(/[^a-z0-9]+/).filter((t) => t && !GENERIC.has(t));
  const keeps = (n: string) => {
    const words = new Set(fold(n).split(/[^a-z0-9]+/));
    return own.length > 0 && own.filter((t) => words.has(t)).length / own.length >= 0.6;
  };
  const hit = services.catalog.search(`${procedure.name} cho trẻ em dưới 14 tuổi`, { limit: 5 }).find((h) => h.code !== procedure.code && named(h.name) && keeps(h.name));
  return hit?.code ?? null;
}

const PICKUP_GENERAL =
  'Kết quả nhận tại nơi đã nộp hồ sơ (chi nhánh, bộ phận một cửa) theo ngày hẹn trên phiếu hẹn: mang phiếu hẹn và giấy tờ tùy thân; hoặc qua bưu chính, trực tuyến nếu đã chọn khi nộp. Muốn biết hồ sơ đã có kết quả chưa: chọn "Tra cứu hồ sơ".';

export const fallback = (centre: CentreProfile | undefined) =>
  `Xin lỗi, câu này tôi chưa trả lời được. Tôi chỉ hỗ trợ thủ tục hành chính: tìm thủ tục, kiểm tra giấy tờ, đặt lịch, tra cứu hồ sơ. Câu hỏi đã được ghi lại để cải thiện; cần người hỗ trợ: chọn "Gặp cán bộ" hoặc gọi ${hotlineText(centre)}.`;

/** Set by a task dialog that a message left (topic change): what the main dialog routes instead. */
export const REROUTE = Symbol('reroute');
