import { MessageFactory } from 'botbuilder';
import { TextPrompt, WaterfallDialog, type DialogContext, type WaterfallStepContext } from 'botbuilder-dialogs';
import { bookingText } from '../src/bot/format';
import { dayLabel, parseDay, parseTime } from '../src/bot/parse';
import { BookingCode, PhoneNumber } from '../src/domain/booking/booking';
import { localDate } from '../src/domain/calendar/vietnam-time';
import { ServiceError } from '../src/services/errors';
import type { PublicBooking } from '../src/services/booking-service';
import { clientOf, profileOf, say, type DialogServices, type ProfileAccessor } from './dialogServices';
import { InterruptibleDialog } from './interruptibleDialog';
import { hotlineText } from '../src/domain/centre/centre';
import { fold } from '../src/domain/text/normalize';

export const MANAGE_BOOKING_DIALOG = 'manageBookingDialog';
const WATERFALL = 'manageBookingWaterfall';
const CODE = 'manageBookingCode';
const PHONE = 'manageBookingPhone';
const TEXT = 'manageBookingText';
const CHOICE = 'manageBookingChoice';
const CANCEL = 'Hủy lịch';
const MOVE = 'Đổi giờ';
const KEEP = 'Giữ nguyên';

export interface ManageBookingOptions {
  bookingCode?: string | null;
  /** What the message asked for: cancelling goes straight to "hủy lịch này?". */
  action?: 'cancel' | 'move';
}

/** Which of the offered actions an answer chooses, by its label or in words; null: none. */
export function manageAction(text: string, offered: string[]): string | null {
  const f = fold(text).trim();
  const exact = offered.find((o) => fold(o) === f);
  if (exact) return exact;
  const said = /\bhuy\b/.test(f) && !/khong huy|dung huy/.test(f) ? CANCEL : /\b(doi|chuyen|doi sang|doi gio|doi ngay)\b/.test(f) ? MOVE : /\b(giu|giu nguyen|khong huy|thoi|khong)\b/.test(f) ? KEEP : null;
  return said && offered.includes(said) ? said : null;
}

interface Values {
  /** The code came from the profile (the booking just made), not from the message. */
  remembered?: boolean;
  code?: string;
  phone?: string;
  booking?: PublicBooking;
  times?: { time: string; start: string }[];
  /** The days the booking's branch accepts bookings for (its horizon). */
  days?: string[];
}
const values = (step: WaterfallStepContext) => step.values as Values;

/** Look up, cancel or move a booking with its code and the phone number it was made with. */
export class ManageBookingDialog extends InterruptibleDialog {
  protected readonly helpText = 'Mã đặt lịch gồm 8 ký tự (ví dụ K7M2QX9P). Tôi hỏi số điện thoại đã dùng khi đặt để xác minh.';

  /**
   * At "hủy lịch hẹn này?", "hủy" answers the question (the booking is cancelled); elsewhere it stops
   * this task, as in every task. Never "Đã hủy" for a booking that is still there.
   */
  protected override keeps(text: string, innerDc: DialogContext): boolean {
    return innerDc.activeDialog?.id === CHOICE && manageAction(text, [CANCEL, MOVE, KEEP]) !== null;
  }

  constructor(
    services: DialogServices,
    private readonly profile: ProfileAccessor,
  ) {
    super(MANAGE_BOOKING_DIALOG, services);
    this.addDialog(
      new TextPrompt(CODE, async (p) => {
        if (p.recognized.succeeded && BookingCode.safeParse(p.recognized.value).success) return true;
        // "tôi quên mã rồi": how to go on without it, instead of the format again.
        if (p.recognized.succeeded && /quen|khong nho|mat ma|khong co ma|khong biet ma/.test(fold(p.recognized.value!))) {
          p.options.retryPrompt = MessageFactory.suggestedActions(
            ['Đặt lịch', 'Menu'],
            `Không có mã thì tôi chưa mở được lịch hẹn: mã đặt lịch là điều chứng minh lịch hẹn là của ông/bà (tôi không tra theo số điện thoại). Mã có trong tin nhắn xác nhận khi đặt. Không tìm lại được: gõ "hủy" rồi đặt lịch mới, hoặc gọi ${hotlineText(this.services.centre)} kèm số điện thoại đã đặt.`,
          );
        }
        return false;
      }),
    );
    this.addDialog(new TextPrompt(PHONE, async (p) => p.recognized.succeeded && PhoneNumber.safeParse(p.recognized.value).success));
    this.addDialog(new TextPrompt(TEXT));
    // "Hủy lịch", "Đổi giờ", "Giữ nguyên" by button or in words ("ừ hủy đi", "đổi sang ngày khác", "thôi giữ").
    this.addDialog(new TextPrompt(CHOICE, async (p) => p.recognized.succeeded && manageAction(p.recognized.value!, (p.options as { validations?: string[] }).validations ?? [CANCEL, MOVE, KEEP]) !== null));
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        this.codeStep.bind(this),
        this.phoneStep.bind(this),
        this.showStep.bind(this),
        this.actStep.bind(this),
        this.timeStep.bind(this),
        this.moveStep.bind(this),
      ]),
    );
    this.initialDialogId = WATERFALL;
  }

  private async codeStep(step: WaterfallStepContext<ManageBookingOptions>) {
    if (step.options.bookingCode) return step.next(step.options.bookingCode);
    // The booking made in this conversation's profile ("hủy lịch vừa đặt"): its code and phone are
    // already the server's record of what this user booked, so neither is asked again.
    const profile = await profileOf(this.profile, step.context);
    if (profile.lastBookingCode && profile.phone && profile.mode !== 'officer') {
      values(step).remembered = true;
      return step.next(profile.lastBookingCode);
    }
    return step.prompt(CODE, { prompt: step.options.action === 'cancel' ? 'Để hủy lịch hẹn, xin cho biết mã đặt lịch (8 ký tự).' : 'Xin cho biết mã đặt lịch (8 ký tự).', retryPrompt: `Mã đặt lịch gồm 8 chữ và số, ví dụ K7M2QX9P; mã có trong tin nhắn xác nhận khi đặt. Quên mã: gõ "hủy" rồi đặt lịch mới, hoặc gọi ${hotlineText(this.services.centre)} kèm số điện thoại đã đặt.` });
  }

  private async phoneStep(step: WaterfallStepContext) {
    values(step).code = BookingCode.parse(step.result);
    if ((await profileOf(this.profile, step.context)).mode === 'officer') {
      // Officers look a booking up for any citizen, without the phone.
      try {
        const b = await this.services.bookings.officerGet(values(step).code!);
        await say(step.context, `${b.code} | ${b.status} | ${b.procedureCode} | ${b.branchId} | ${b.start.slice(0, 16).replace('T', ' ')} | ${b.name} ${b.phone}${b.priority ? ' | ưu tiên' : ''}`);
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        await say(step.context, error.message);
      }
      return step.endDialog();
    }
    if (values(step).remembered) return step.next((await profileOf(this.profile, step.context)).phone);
    return step.prompt(PHONE, { prompt: 'Số điện thoại đã dùng khi đặt lịch?', retryPrompt: 'Xin nhập 10 số, ví dụ 0912345678.' });
  }

  private async showStep(step: WaterfallStepContext<ManageBookingOptions>) {
    const v = values(step);
    v.phone = PhoneNumber.parse(step.result);
    try {
      v.booking = await this.services.bookings.get(v.code!, v.phone, clientOf(step.context));
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      await say(step.context, error.message, ['Đặt lịch', 'Menu']);
      return step.endDialog();
    }
    if (v.booking.status !== 'confirmed') {
      await say(step.context, bookingText(v.booking), ['Đặt lịch', 'Menu']);
      return step.endDialog();
    }
    const lead = v.remembered ? 'Lịch hẹn ông/bà vừa đặt:\n' : '';
    const cancelling = step.options.action === 'cancel';
    const choices = cancelling ? [CANCEL, KEEP] : [CANCEL, MOVE, KEEP];
    return step.prompt(CHOICE, {
      prompt: MessageFactory.suggestedActions(choices, `${lead}${bookingText(v.booking)}\n\n${cancelling ? 'Ông/bà xác nhận hủy lịch hẹn này?' : 'Ông/bà muốn làm gì với lịch hẹn này?'}`),
      retryPrompt: MessageFactory.suggestedActions(choices, `Xin chọn ${choices.map((c) => `"${c}"`).join(', ')}.`),
      validations: choices,
    });
  }

  private async actStep(step: WaterfallStepContext) {
    const v = values(step);
    const action = manageAction(String(step.result ?? ''), [CANCEL, MOVE, KEEP])!;
    if (action === KEEP) {
      await say(step.context, 'Lịch hẹn giữ nguyên. Hẹn gặp ông/bà tại chi nhánh.', ['Kiểm tra giấy tờ', 'Menu']);
      return step.endDialog();
    }
    if (action === CANCEL) {
      try {
        const cancelled = await this.services.bookings.cancel(v.code!, v.phone!, clientOf(step.context));
        await say(step.context, `Đã hủy lịch hẹn ${cancelled.code}. Chỗ đã được trả lại cho người khác.`, ['Đặt lịch', 'Menu']);
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        await say(step.context, error.message, ['Menu']);
      }
      return step.endDialog();
    }
    const today = localDate(this.services.clock.now());
    v.days = await this.services.availability.bookableDays(v.booking!.branchId);
    return step.prompt(TEXT, { prompt: MessageFactory.suggestedActions(v.days.slice(0, 5).map((d) => dayLabel(d, today)), 'Đổi sang ngày nào?') });
  }

  private async timeStep(step: WaterfallStepContext) {
    const v = values(step);
    const today = localDate(this.services.clock.now());
    const date = parseDay(step.result as string, today, v.days!);
    const booking = v.booking!;
    const slots = date ? await this.services.availability.slots(booking.branchId, booking.procedureCode, date).catch(() => null) : null;
    if (!slots || slots.slots.length === 0) {
      await say(step.context, 'Ngày đó không còn chỗ hoặc chi nhánh không làm việc. Lịch cũ vẫn giữ nguyên.', ['Đổi lịch hẹn', 'Menu']);
      return step.endDialog();
    }
    v.times = slots.slots.map((s) => ({ time: s.time, start: s.start }));
    return step.prompt(TEXT, { prompt: MessageFactory.suggestedActions(v.times.slice(0, 8).map((t) => t.time), 'Giờ nào?') });
  }

  private async moveStep(step: WaterfallStepContext) {
    const v = values(step);
    const time = parseTime(step.result as string, v.times!.map((t) => t.time));
    if (!time) {
      await say(step.context, 'Giờ đó không còn chỗ. Lịch cũ vẫn giữ nguyên.', ['Đổi lịch hẹn', 'Menu']);
      return step.endDialog();
    }
    try {
      const moved = await this.services.bookings.reschedule(v.code!, v.phone!, v.times!.find((t) => t.time === time)!.start, clientOf(step.context));
      await say(step.context, `Đã đổi lịch.\n\n${bookingText(moved)}`, ['Menu']);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      await say(step.context, `${error.message} Lịch cũ vẫn giữ nguyên.`, ['Menu']);
    }
    return step.endDialog();
  }
}
