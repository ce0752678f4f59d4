import { ChoiceFactory, ChoicePrompt, ListStyle, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { MENU } from '../src/bot/format';
import { followUpAnswer } from '../src/bot/short-answers';
import { hotlineText } from '../src/domain/centre/centre';
import { fold } from '../src/domain/text/normalize';
import { askPayingBroker, declinesContact } from '../src/bot/conversation-acts';
import { REROUTE } from './asides';
import { clientOf, say, turnSearch, type DialogServices } from './dialogServices';
import { InterruptibleDialog } from './interruptibleDialog';

export const FEEDBACK_DIALOG = 'feedbackDialog';
const WATERFALL = 'feedbackWaterfall';
const RATING = 'feedbackRating';
const TEXT = 'feedbackText';
const CONTACT = 'feedbackContact';
const STARS = ['1', '2', '3', '4', '5'];
const SKIP = 'Bỏ qua';

export interface FeedbackOptions {
  kind: 'rating' | 'complaint' | 'handover';
  text?: string;
}

/** A rating with a comment, a complaint, or a request to talk to an officer; each gets a reference. */
export class FeedbackDialog extends InterruptibleDialog {
  protected readonly helpText =
    'Ý kiến của ông/bà được chuyển tới Trung tâm kèm số tham chiếu. Phản ánh về cò dịch vụ, đòi tiền, thái độ cán bộ hay trễ hẹn đều được ghi nhận.';

  // A complaint's account or a contact answer is never a side question.
  protected override readonly answersAsides = false;

  /** Declining to leave a number is an answer here (the hand-over then ends with the hotline), not a change of topic. */
  protected override keeps(text: string): boolean {
    return declinesContact(text);
  }

  constructor(services: DialogServices) {
    super(FEEDBACK_DIALOG, services);
    this.addDialog(new ChoicePrompt(RATING, undefined, 'vi-vn'));
    this.addDialog(new TextPrompt(TEXT, async (p) => p.recognized.succeeded && p.recognized.value!.trim().length > 0 && p.recognized.value!.length <= 2000));
    this.addDialog(new TextPrompt(CONTACT));
    this.addDialog(new WaterfallDialog(WATERFALL, [this.firstStep.bind(this), this.textStep.bind(this), this.saveStep.bind(this), this.contactStep.bind(this)]));
    this.initialDialogId = WATERFALL;
  }

  private async firstStep(step: WaterfallStepContext<FeedbackOptions>) {
    if (step.options.kind !== 'rating') return step.next(null);
    return step.prompt(RATING, {
      prompt: 'Ông/bà chấm điểm trợ lý bao nhiêu sao (1 đến 5)?',
      choices: ChoiceFactory.toChoices(STARS),
      style: ListStyle.suggestedAction,
      retryPrompt: 'Xin chọn từ 1 đến 5.',
    });
  }

  private async textStep(step: WaterfallStepContext<FeedbackOptions>) {
    if (step.result) (step.values as FeedbackValues).rating = Number(step.result.value);
    const { kind, text } = step.options;
    if (text && kind !== 'rating') return step.next(text);
    const prompt =
      kind === 'rating'
        ? 'Cảm ơn ông/bà. Có góp ý gì thêm không? (gõ nội dung hoặc chọn "Bỏ qua")'
        : kind === 'complaint'
          ? 'Tôi rất tiếc về việc này. Xin mô tả sự việc: ở chi nhánh nào, thời gian, chuyện gì xảy ra. Thông tin được chuyển thẳng tới bộ phận giám sát.'
          : 'Ông/bà cần cán bộ hỗ trợ việc gì? Xin mô tả ngắn; sau đó tôi xin số điện thoại để cán bộ gọi lại.';
    return step.prompt(TEXT, { prompt: kind === 'rating' ? { type: 'message', text: prompt, suggestedActions: { actions: [{ type: 'imBack', title: SKIP, value: SKIP }], to: [] } } : prompt, retryPrompt: 'Xin nhập nội dung (tối đa 2.000 ký tự).' });
  }

  /**
   * A rating is saved at once. A complaint is saved at once too (the reference matters even if the
   * person leaves), then the assistant asks how to answer. A hand-over asks for a phone first: a
   * promise to call back is only made when there is a number to call.
   */
  private async saveStep(step: WaterfallStepContext<FeedbackOptions>) {
    const { kind } = step.options;
    const text = step.result === SKIP ? '' : (step.result as string);
    const values = step.values as FeedbackValues;
    values.text = text;
    if (kind === 'handover') {
      // A phone given with the question is the contact already; declining one ends with the hotline.
      if (contactIn(text)) return step.next(text);
      if (declinesContact(text)) return step.next('');
      return step.prompt(CONTACT, {
        prompt: `Xin để lại số điện thoại để cán bộ gọi lại trong giờ làm việc (hoặc gõ "Không"; khi đó xin gọi ${hotlineText(this.services.centre)} hoặc đến quầy hướng dẫn).`,
      });
    }
    const rating = values.rating;
    const reference = await this.services.feedback.record(kind, text, { channel: step.context.activity.channelId, userId: clientOf(step.context), rating });
    values.reference = reference;
    if (kind === 'rating') {
      await say(step.context, `Cảm ơn ông/bà đã đánh giá (mã ${reference}).`, MENU);
      return step.endDialog(reference);
    }
    // A complaint about what was charged ("bị thu 100 nghìn phí chứng thực"): the fee the record publishes.
    const published = await this.publishedFee(step, text);
    return step.prompt(CONTACT, {
      prompt:
        `Đã ghi nhận phản ánh, số tham chiếu **${reference}**; bộ phận giám sát của Trung tâm sẽ xem xét. ` +
        `Xin nhớ: không đưa tiền cho bất kỳ ai ngoài phí, lệ phí đã công bố (nộp tại quầy, có biên lai). Cần hỗ trợ thêm: gọi ${hotlineText(this.services.centre)}.\n\n` +
        (published ? `${published}\n\n` : '') +
        'Để Trung tâm trả lời, xin để lại số điện thoại hoặc email (hoặc gõ "Không").',
    });
  }

  /** The published fee of the procedure a complaint about money names, when the search is sure of it. */
  private async publishedFee(step: WaterfallStepContext<FeedbackOptions>, text: string): Promise<string | null> {
    if (!/\b(thu|phi|le phi|tien|nghin|ngan|trieu|dong)\b|\d+ ?k\b/.test(fold(text))) return null;
    const hit = turnSearch(step.context, this.services, text, 1)[0];
    if (!hit || hit.score < 0.6) return null;
    const procedure = await this.services.catalog.get(hit.code);
    return procedure ? `Mức công bố: ${followUpAnswer(procedure, 'fee')}` : null;
  }

  private async contactStep(step: WaterfallStepContext<FeedbackOptions>) {
    const { kind } = step.options;
    const values = step.values as FeedbackValues;
    const answer = String(step.result ?? '').trim();
    const contact = contactIn(answer);
    const meta = { channel: step.context.activity.channelId, userId: clientOf(step.context) };
    if (kind === 'handover') {
      const reference = await this.services.feedback.record('handover', contact ? `${values.text}\nLiên hệ: ${contact}` : values.text, meta);
      await say(
        step.context,
        contact
          ? `Đã chuyển yêu cầu tới cán bộ, số tham chiếu **${reference}**. Cán bộ sẽ gọi số ${contact} trong giờ làm việc.`
          : `Đã ghi yêu cầu, số tham chiếu **${reference}**. Không có số điện thoại nên cán bộ không gọi lại được: xin gọi ${hotlineText(this.services.centre)} hoặc đến quầy hướng dẫn tại chi nhánh và đưa số tham chiếu này.`,
        MENU,
      );
      return step.endDialog(reference);
    }
    const reference = values.reference!;
    // A dossier code given now ("mã hồ sơ là MAU-…"): kept with the complaint, and its status looked up.
    const dossierCode = this.services.recognizer.findDossierCode(answer);
    if (dossierCode) {
      await this.services.feedback.record('complaint', `Bổ sung cho ${reference}: hồ sơ ${dossierCode}`, meta);
      await step.context.sendActivity(`Đã ghi mã hồ sơ ${dossierCode} vào phản ánh **${reference}**.`);
      step.context.turnState.set(REROUTE, `tra cứu hồ sơ ${dossierCode}`);
      return step.endDialog(reference);
    }
    if (askPayingBroker(answer)) {
      await this.services.feedback.record('complaint', `Bổ sung cho ${reference}: ${answer}`, meta);
      await say(step.context, `Không nên. Không ai được thu tiền ngoài phí, lệ phí đã công bố (nộp tại quầy hoặc trực tuyến, có biên lai). Đã ghi câu hỏi vào phản ánh **${reference}**; ${hotlineText(this.services.centre)}.`, MENU);
      return step.endDialog(reference);
    }
    if (contact || (answer && !/^(khong|ko|k|thoi|cam on|cam on nhieu|da cam on|da em cam on|em cam on|ok)\b/.test(fold(answer)))) {
      await this.services.feedback.record('complaint', `Bổ sung cho ${reference}: ${answer}`, meta);
      await say(step.context, contact ? `Đã ghi cách liên hệ vào phản ánh **${reference}**; Trung tâm sẽ trả lời ông/bà qua đó.` : `Đã ghi thêm vào phản ánh **${reference}**. Không cần làm đơn giấy: phản ánh này đã được chuyển tới bộ phận giám sát.`, MENU);
    } else {
      await say(step.context, `Cảm ơn ông/bà. Xin giữ số tham chiếu **${reference}** để hỏi lại kết quả xử lý (${hotlineText(this.services.centre)}).`, MENU);
    }
    return step.endDialog(reference);
  }
}

interface FeedbackValues {
  rating?: number;
  text: string;
  reference?: string;
}

/** A phone number or an email address in the answer, as written. */
function contactIn(text: string): string | null {
  const email = /[\w.+-]+@[\w-]+(\.[\w-]+)+/.exec(text)?.[0];
  if (email) return email;
  const digits = /(?:\+?84|0)(?:[\s.-]?\d){8,10}/.exec(text)?.[0];
  return digits ? digits.replace(/[\s.-]/g, '') : null;
}
