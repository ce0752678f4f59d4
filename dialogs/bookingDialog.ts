import { communeFilingText, isCommuneLevel, isCommunePoint, placesFor } from '../src/domain/centre/centre';
import { ActionTypes, MessageFactory, type CardAction } from 'botbuilder';
import { ChoiceFactory, ChoicePrompt, ListStyle, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { bookingText } from '../src/bot/format';
import { confirmAnswer, dayLabel, matchBranch, meansAny, nameAndPhoneIn, parseDay, parseTime } from '../src/bot/parse';
import { PhoneNumber } from '../src/domain/booking/booking';
import { checkPersonName } from '../src/domain/text/person-name';
import { inertMarkdown } from '../src/domain/text/markdown';
import { localDate, type LocalDate } from '../src/domain/calendar/vietnam-time';
import { fold } from '../src/domain/text/normalize';
import { ServiceError } from '../src/services/errors';
import { clientOf, notifyTarget, profileOf, say, sharedLocation, turnSearch, type DialogServices, type ProfileAccessor } from './dialogServices';
import { InterruptibleDialog } from './interruptibleDialog';

export const BOOKING_DIALOG = 'bookingDialog';
const WATERFALL = 'bookingWaterfall';
const TEXT = 'bookingText';
const BRANCH = 'bookingBranch';
const DAY = 'bookingDay';
const TIME = 'bookingTime';
const NAME = 'bookingName';
const PHONE = 'bookingPhone';
const CONFIRM = 'bookingConfirm';
const CONFIRM_BOOKING = 'bookingConfirmBooking';
const ANY_BRANCH = 'Chi nhánh nào cũng được';
const WAITLIST = 'Vào danh sách chờ';

export interface BookingOptions {
  procedureCode?: string;
  /** The message that asked for the booking: a branch, day or time said in it is not asked again. */
  text?: string;
}

/** A day or a time said in so many words (a bare "một" or "mai" in a longer message is not a day). */
const SAYS_DAY = /thu (hai|ba|tu|nam|sau|bay)|\bthu [2-7]\b|chu nhat|hom nay|ngay mai|(sang|chieu|trua) mai\b|\bmai (sang|chieu|trua)\b|\d{1,2}\s*\/\s*\d{1,2}/;
const SAYS_TIME = /\b\d{1,2}\s*(h|gio)(\s*\d{1,2})?\b/;

interface BookingValues {
  procedureCode?: string;
  procedureName?: string;
  branchId?: string;
  branchName?: string;
  days?: LocalDate[];
  date?: LocalDate;
  times?: { time: string; start: string }[];
  start?: string;
  name?: string;
  phone?: string;
  alternatives?: { label: string; start: string }[];
}
const values = (step: WaterfallStepContext) => step.values as BookingValues;

/** Book a counter slot: procedure → branch → day → time → name and phone → confirmation with a code. */
export class BookingDialog extends InterruptibleDialog {
  protected readonly helpText =
    'Đặt lịch đến nộp hồ sơ: chọn chi nhánh (nộp ở chi nhánh nào cũng được), ngày và giờ còn chỗ, rồi cho biết họ tên và số điện thoại. Tôi gửi mã đặt lịch để đưa cán bộ tại quầy.';

  constructor(
    services: DialogServices,
    private readonly profile: ProfileAccessor,
  ) {
    super(BOOKING_DIALOG, services);
    this.addDialog(new TextPrompt(TEXT));
    this.addDialog(
      new TextPrompt(BRANCH, async (p) => {
        if (sharedLocation(p.context)) return true;
        if (!p.recognized.succeeded) return false;
        if (meansAny(p.recognized.value!) || matchBranch(p.recognized.value!, await this.services.availability.branches()) !== null) return true;
        // Two misses: the next step lists every place instead of asking the same question a third time.
        return p.attemptCount >= 2;
      }),
    );
    this.addDialog(new TextPrompt(DAY, async (p) => p.recognized.succeeded && parseDay(p.recognized.value!, this.today(), (p.options as { validations: LocalDate[] }).validations) !== null));
    this.addDialog(
      new TextPrompt(TIME, async (p) => {
        const times = (p.options as { validations: string[] }).validations;
        if (p.recognized.succeeded && parseTime(p.recognized.value!, times) !== null) return true;
        // "chiều", "buổi sáng": the free times of that half of the day, asked again.
        const half = p.recognized.succeeded ? halfOfDay(p.recognized.value!) : null;
        const inHalf = half ? times.filter((t) => (half === 'morning' ? t < '12:00' : t >= '12:00')) : [];
        if (half && inHalf.length > 0) {
          const shown = pickSpread(inHalf, 8);
          p.options.retryPrompt = MessageFactory.suggestedActions(shown, `Buổi ${half === 'morning' ? 'sáng' : 'chiều'} còn ${inHalf.length} khung giờ. Ông/bà chọn giờ nào?`);
        } else if (half) {
          p.options.retryPrompt = MessageFactory.suggestedActions(pickSpread(times, 8), `Buổi ${half === 'morning' ? 'sáng' : 'chiều'} ngày này đã hết chỗ. Xin chọn giờ khác.`);
        }
        return false;
      }),
    );
    this.addDialog(new TextPrompt(NAME, async (p) => p.recognized.succeeded && checkPersonName(p.recognized.value!).ok));
    this.addDialog(new TextPrompt(PHONE, async (p) => p.recognized.succeeded && PhoneNumber.safeParse(p.recognized.value).success));
    this.addDialog(new ChoicePrompt(CONFIRM, undefined, 'vi-vn'));
    // "Đồng ý" / "Không" by button or in words ("đúng rồi, đặt giúp mình").
    this.addDialog(new TextPrompt(CONFIRM_BOOKING, async (p) => p.recognized.succeeded && confirmAnswer(p.recognized.value!) !== null));
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        this.procedureStep.bind(this),
        this.branchStep.bind(this),
        this.dayStep.bind(this),
        this.timeStep.bind(this),
        this.nameStep.bind(this),
        this.phoneStep.bind(this),
        this.confirmStep.bind(this),
        this.bookStep.bind(this),
        this.fallbackStep.bind(this),
      ]),
    );
    this.initialDialogId = WATERFALL;
  }

  /** Where the user is: shared in this message (then remembered), or shared before. */
  private async location(step: WaterfallStepContext): Promise<{ lat: number; lon: number } | null> {
    const profile = await profileOf(this.profile, step.context);
    const shared = sharedLocation(step.context);
    if (shared) {
      profile.location = shared;
      await this.profile.set(step.context, profile);
    }
    return shared ?? profile.location ?? null;
  }

  private today(): LocalDate {
    return localDate(this.services.clock.now());
  }

  private async procedureStep(step: WaterfallStepContext<BookingOptions>) {
    const code = step.options.procedureCode ?? (await profileOf(this.profile, step.context)).lastProcedureCode;
    if (code) return step.next(code);
    return step.prompt(TEXT, { prompt: 'Ông/bà đặt lịch để làm thủ tục gì? (ví dụ: đăng ký khai sinh, đổi bằng lái)' });
  }

  private async branchStep(step: WaterfallStepContext<BookingOptions>) {
    const answer = step.result as string;
    const code = /^\d\.\d{6}/.test(answer) ? answer : turnSearch(step.context, this.services, answer, 1)[0]?.code;
    const procedure = code ? await this.services.catalog.get(code) : null;
    if (!procedure) {
      await say(step.context, 'Xin lỗi, tôi chưa tìm thấy thủ tục đó. Ông/bà thử gõ tên khác.', ['Đặt lịch', 'Menu']);
      return step.endDialog();
    }
    const centre = this.services.centre;
    const near = await this.location(step);
    const places = await this.services.availability.branches(near ?? undefined);
    // Only where the procedure is received: a commune-level one at commune points, never at a city branch.
    const branches = placesFor(centre, places, procedure);
    if (branches.length === 0) {
      if (centre && isCommuneLevel(procedure)) {
        // No commune point books it: the centre says where commune-level procedures are filed.
        await say(step.context, `**${procedure.name}**: ${communeFilingText(centre, places, procedure)}`, ['Kiểm tra giấy tờ', 'Menu']);
      } else {
        await say(step.context, 'Hiện chưa có chi nhánh nhận đặt lịch trực tuyến.', ['Menu']);
      }
      return step.endDialog();
    }
    Object.assign(values(step), { procedureCode: procedure.code, procedureName: procedure.name });
    const said = step.options.text ? matchBranch(step.options.text, branches) : null;
    if (said) return step.next(said.name);
    const options = branches.slice(0, 4).map(branchButton);
    const atCommune = branches.every((b) => isCommunePoint(centre, b));
    // A commune-level procedure bound to residence is filed in the person's own commune: say so, and
    // offer no "any point" (a point elsewhere would send the dossier back).
    const boundToResidence = atCommune && procedure.nonBoundary !== true;
    const lead = atCommune
      ? boundToResidence
        ? 'Thủ tục cấp xã, nộp tại xã, phường nơi ông/bà cư trú. Đặt lịch được tại các điểm tiếp nhận cấp xã dưới đây; ông/bà ở phường nào? '
        : 'Thủ tục cấp xã: ông/bà muốn đến điểm tiếp nhận cấp xã nào? '
      : 'Ông/bà muốn đến chi nhánh nào? Nộp ở chi nhánh nào cũng được; ';
    return step.prompt(
      BRANCH,
      ask(
        `Đặt lịch cho: **${procedure.name}**.\n\n` + lead + `có thể gõ tên quận, phường${near ? '' : ` hoặc gửi vị trí để tìm ${atCommune ? 'điểm' : 'chi nhánh'} gần nhất`}.`,
        `Tôi chưa nhận ra ${atCommune ? 'điểm tiếp nhận' : 'chi nhánh'} đó. Xin chọn trong danh sách hoặc gõ tên quận, phường.`,
        boundToResidence ? options : [...options, ANY_BRANCH],
      ),
    );
  }

  private async dayStep(step: WaterfallStepContext<BookingOptions>) {
    const v = values(step);
    const answer = (step.result as string | undefined) ?? '';
    const shared = sharedLocation(step.context);
    const procedure = await this.services.catalog.get(v.procedureCode!);
    const places = await this.services.availability.branches((await this.location(step)) ?? undefined);
    // The same places the previous step offered (where the procedure is received and can be booked).
    const branches = procedure ? placesFor(this.services.centre, places, procedure) : [];
    // A shared location or "any" tries the nearest branches in turn; a name picks that branch.
    // A name of a place that does not take this procedure matches none here (the day step then says so).
    const candidates = shared || meansAny(answer) ? branches : [matchBranch(answer, branches)].filter((b) => b !== null);
    for (const branch of candidates) {
      const days = await this.services.availability.freeDays(branch.id, v.procedureCode!);
      if (days.length > 0) {
        Object.assign(v, { branchId: branch.id, branchName: branch.name, days });
        const today = this.today();
        const said = step.options.text;
        if (said && SAYS_DAY.test(fold(said)) && parseDay(said, today, days)) return step.next(said);
        return step.prompt(
          DAY,
          ask(
            `Đặt lịch **${v.procedureName}** (mã ${v.procedureCode}) tại ${branch.name}, ${branch.address}.\n\nÔng/bà muốn đến ngày nào?`,
            // Say which days can be booked, with an example that is one of them (never a past date).
            `Chỉ đặt được lịch vào các ngày còn chỗ từ ${dayLabel(days[0], today)} đến ${dayLabel(days.at(-1)!, today)}. Xin chọn một ngày trong danh sách (hoặc gõ ví dụ "${days[Math.min(1, days.length - 1)].slice(8)}/${days[Math.min(1, days.length - 1)].slice(5, 7)}").`,
            days.slice(0, 5).map((d) => dayLabel(d, today)),
            { validations: days },
          ),
        );
      }
    }
    // A place that is not among those receiving this procedure ("gần Dịch Vọng Hậu" names a city branch
    // for a commune-level procedure): say so and offer the right places again.
    const named = candidates.length === 0 && !shared ? matchBranch(answer, places) : null;
    if (named) {
      await step.context.sendActivity(`${named.name} không nhận đặt lịch cho thủ tục này.`);
      return step.replaceDialog(WATERFALL, { procedureCode: v.procedureCode });
    }
    if (candidates.length === 0 && !shared) {
      const list = branches.slice(0, 12).map((b) => `- ${b.name}: ${b.address}`).join('\n');
      await say(step.context, `Tôi chưa nhận ra nơi ông/bà muốn đến. Nơi nhận đặt lịch thủ tục này:\n${list}\n\nÔng/bà bấm "Đặt lịch" rồi gõ tên một nơi trong danh sách, hoặc gặp cán bộ để được hướng dẫn.`, ['Đặt lịch', 'Gặp cán bộ', 'Menu']);
      return step.endDialog();
    }
    await say(step.context, 'Xin lỗi, chi nhánh này đã kín lịch trong những ngày tới (hoặc không có quầy cho thủ tục này). Ông/bà chọn chi nhánh khác nhé.', ['Đặt lịch', 'Menu']);
    return step.endDialog();
  }

  private async timeStep(step: WaterfallStepContext<BookingOptions>) {
    const v = values(step);
    const date = parseDay(step.result as string, this.today(), v.days!)!;
    const { slots } = await this.services.availability.slots(v.branchId!, v.procedureCode!, date);
    v.date = date;
    v.times = slots.map((s) => ({ time: s.time, start: s.start }));
    const said = step.options.text;
    if (said && SAYS_TIME.test(fold(said)) && parseTime(said, v.times.map((t) => t.time))) return step.next(said);
    const spread = pickSpread(slots.map((s) => s.time), 8);
    return step.prompt(
      TIME,
      ask(
        `Ngày ${date.split('-').reverse().join('/')} còn ${slots.length} khung giờ. Ông/bà chọn giờ nào? (có thể gõ, ví dụ "9h30")`,
        'Giờ đó không còn chỗ hoặc không phải khung giờ tiếp nhận. Xin chọn giờ trong danh sách.',
        spread,
        { validations: v.times.map((t) => t.time) },
      ),
    );
  }

  private async nameStep(step: WaterfallStepContext<BookingOptions>) {
    const v = values(step);
    const time = parseTime(step.result as string, v.times!.map((t) => t.time))!;
    v.start = v.times!.find((t) => t.time === time)!.start;
    const profile = await profileOf(this.profile, step.context);
    const someoneElse = profile.mode === 'volunteer';
    // Name and phone said in the message that asked for the booking: confirmed, not asked again.
    const given = step.options.text ? nameAndPhoneIn(step.options.text) : null;
    if (given && checkPersonName(given.name).ok && PhoneNumber.safeParse(given.phone).success) return step.next(`${given.name} ${given.phone}`);
    return step.prompt(
      NAME,
      ask(
        someoneElse ? 'Họ tên người đến nộp hồ sơ?' : 'Xin cho biết họ tên người đến nộp hồ sơ.',
        'Xin lỗi, tôi chưa ghi được họ tên này. Ông/bà vui lòng gõ lại họ tên bằng chữ (ít nhất 2 chữ cái, không có ký tự đặc biệt).',
        profile.name && !someoneElse ? [profile.name] : [],
      ),
    );
  }

  private async phoneStep(step: WaterfallStepContext<BookingOptions>) {
    const answer = (step.result as string).trim().normalize('NFC');
    // "Hoàng Văn Sơn 0915 246 802": the name and the phone in one message.
    const phone = /(?:\+?84|0)(?:[\s.-]?\d){9}\b/.exec(answer);
    const name = phone ? answer.replace(phone[0], ' ').replace(/[\s,;-]+$/, '').replace(/\s+/g, ' ').trim() : answer;
    values(step).name = name.length >= 2 ? name : answer;
    if (phone && name.length >= 2 && PhoneNumber.safeParse(phone[0].replace(/[\s.-]/g, '')).success) return step.next(phone[0].replace(/[\s.-]/g, ''));
    const profile = await profileOf(this.profile, step.context);
    return step.prompt(
      PHONE,
      ask(
        'Số điện thoại để nhận thông báo và hủy, đổi lịch?',
        'Số điện thoại chưa đúng. Xin nhập 10 số, ví dụ 0912345678.',
        profile.phone && profile.mode !== 'volunteer' ? [profile.phone] : [],
      ),
    );
  }

  private async confirmStep(step: WaterfallStepContext<BookingOptions>) {
    const v = values(step);
    v.phone = PhoneNumber.parse(step.result);
    return step.prompt(
      CONFIRM_BOOKING,
      ask(
        `Xác nhận đặt lịch:\n- ${v.procedureName}\n- ${v.branchName}\n- ${v.start!.slice(11, 16)} ngày ${v.date!.split('-').reverse().join('/')}\n- ${inertMarkdown(v.name!)}, ${v.phone}\n\nĐồng ý?`,
        'Xin chọn "Đồng ý" để đặt lịch, hoặc "Không" để thôi.',
        ['Đồng ý', 'Không'],
      ),
    );
  }

  private async bookStep(step: WaterfallStepContext<BookingOptions>) {
    if (confirmAnswer(String(step.result ?? '')) !== 'yes') {
      await say(step.context, 'Chưa đặt lịch. Ông/bà có thể đặt lại bất cứ lúc nào.', ['Đặt lịch', 'Menu']);
      return step.endDialog();
    }
    return this.book(step, true);
  }

  /**
   * Books the time in the dialog's values. When it filled up meanwhile, offers other times or the
   * waitlist (`offerOthers`), or, for an offered time that filled up too, says so and ends.
   */
  private async book(step: WaterfallStepContext<BookingOptions>, offerOthers: boolean) {
    const v = values(step);
    try {
      const { booking } = await this.services.bookings.book(
        { procedureCode: v.procedureCode!, branchId: v.branchId!, start: v.start!, name: v.name!, phone: v.phone!, idempotencyKey: `${step.context.activity.conversation.id}:${step.context.activity.id ?? v.start}`, notify: notifyTarget(step.context) },
        clientOf(step.context),
      );
      const profile = await profileOf(this.profile, step.context);
      // A volunteer books for others: their details and booking are not the volunteer's own.
      if (profile.mode !== 'volunteer') Object.assign(profile, { name: v.name, phone: v.phone, lastBookingCode: booking.code });
      await this.profile.set(step.context, profile);
      await say(step.context, `Đã đặt lịch.\n\n${bookingText(booking)}`, ['Kiểm tra giấy tờ', 'Đánh giá', 'Menu']);
      return step.endDialog(booking.code);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      if (error.code !== 'slot_full' || !offerOthers) {
        await say(step.context, error.code === 'slot_full' ? `${error.message} Xin ông/bà đặt lại để chọn giờ khác.` : error.message, ['Đặt lịch', 'Menu']);
        return step.endDialog();
      }
      // Full in the meantime: the nearest free times at this branch, or wait for a place.
      const alternatives = (error.details?.alternatives as { sameBranch: { start: string }[] } | undefined)?.sameBranch ?? [];
      const labels = alternatives.map((a) => `${a.start.slice(11, 16)} ${a.start.slice(8, 10)}/${a.start.slice(5, 7)}`);
      v.alternatives = alternatives.map((a, i) => ({ label: labels[i], start: a.start }));
      return step.prompt(CONFIRM, {
        prompt: `${error.message} Ông/bà chọn giờ khác, hoặc vào danh sách chờ: khi có người hủy, tôi giữ chỗ và báo ngay.`,
        choices: ChoiceFactory.toChoices([...labels, WAITLIST, 'Không']),
        style: ListStyle.suggestedAction,
      });
    }
  }

  /** After a full slot: book the time chosen instead, or join the waitlist. */
  private async fallbackStep(step: WaterfallStepContext<BookingOptions>) {
    const v = values(step);
    const chosen = step.result?.value as string | undefined;
    if (chosen === WAITLIST) {
      const notify = notifyTarget(step.context);
      try {
        const entry = await this.services.waitlist.join(
          { procedureCode: v.procedureCode!, branchId: v.branchId!, start: v.start!, name: v.name!, phone: v.phone!, notify },
          clientOf(step.context),
        );
        await say(
          step.context,
          `Đã vào danh sách chờ (vị trí ${entry.position}). Khi có chỗ, tôi giữ chỗ trong thời gian ngắn và ${notify ? 'báo tại đây' : 'báo qua số điện thoại'}; mã chờ: ${entry.id}.`,
          ['Menu'],
        );
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        await say(step.context, error.message, ['Đặt lịch', 'Menu']);
      }
      return step.endDialog();
    }
    const alternative = v.alternatives?.find((a) => a.label === chosen);
    if (!alternative) {
      await say(step.context, 'Chưa đặt lịch. Ông/bà có thể đặt lại bất cứ lúc nào.', ['Đặt lịch', 'Menu']);
      return step.endDialog();
    }
    v.start = alternative.start;
    v.date = alternative.start.slice(0, 10);
    // The step context's result is read-only: book directly instead of faking a confirmation.
    return this.book(step, false);
  }
}

/**
 * A branch as a button: the official names share their first 40 characters ("Chi nhánh số 1 – Trung
 * tâm Phục vụ…"), so a phone cut them where they differ. The title leads with what tells them apart
 * ("Số 1 · Tây Hồ"); the full name is what the tap sends, so the answer is matched exactly.
 */
function branchButton(branch: { name: string; district: string }): CardAction {
  const number = /chi nhánh số\s*(\d+)/i.exec(branch.name)?.[1];
  // A commune point is known by its commune ("Phường Tây Hồ"): two may share a former district.
  const commune = /\b(phường|xã)\s+(.+)$/iu.exec(branch.name);
  const title = number
    ? `Số ${number} · ${branch.district}`
    : branch.name.length <= 28
      ? branch.name
      : commune
        ? `${commune[1].charAt(0).toUpperCase()}${commune[1].slice(1)} ${commune[2]}`
        : branch.district;
  return { type: ActionTypes.ImBack, title, value: branch.name };
}

/** A text prompt whose prompt and retry carry suggested-action buttons (free text is accepted too). */
function ask(prompt: string, retryPrompt: string, labels: (string | CardAction)[], extra: Record<string, unknown> = {}) {
  return { prompt: MessageFactory.suggestedActions(labels, prompt), retryPrompt: MessageFactory.suggestedActions(labels, retryPrompt), ...extra };
}

/** "sáng", "buổi chiều", "chiều nhé": which half of the day, or null. */
function halfOfDay(text: string): 'morning' | 'afternoon' | null {
  const f = fold(text).trim();
  if (/\d/.test(f)) return null;
  if (/\b(sang|buoi sang)\b/.test(f)) return 'morning';
  if (/\b(chieu|buoi chieu|trua)\b/.test(f)) return 'afternoon';
  return null;
}

/** Up to `n` times spread over the day, so morning and afternoon both show. */
function pickSpread(times: string[], n: number): string[] {
  if (times.length <= n) return times;
  return Array.from({ length: n }, (_, i) => times[Math.round((i * (times.length - 1)) / (n - 1))]);
}

