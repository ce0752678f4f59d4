import { ChoiceFactory, ChoicePrompt, ListStyle, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { MENU } from '../src/bot/format';
import { clientOf, say, type DialogServices } from './dialogServices';
import { InterruptibleDialog } from './interruptibleDialog';

export const FEEDBACK_DIALOG = 'feedbackDialog';
const WATERFALL = 'feedbackWaterfall';
const RATING = 'feedbackRating';
const TEXT = 'feedbackText';
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

  constructor(services: DialogServices) {
    super(FEEDBACK_DIALOG, services);
    this.addDialog(new ChoicePrompt(RATING, undefined, 'vi-vn'));
    this.addDialog(new TextPrompt(TEXT, async (p) => p.recognized.succeeded && p.recognized.value!.trim().length > 0 && p.recognized.value!.length <= 2000));
    this.addDialog(new WaterfallDialog(WATERFALL, [this.firstStep.bind(this), this.textStep.bind(this), this.saveStep.bind(this)]));
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
    if (step.result) (step.values as { rating?: number }).rating = Number(step.result.value);
    const { kind, text } = step.options;
    if (text && kind !== 'rating') return step.next(text);
    const prompt =
      kind === 'rating'
        ? 'Cảm ơn ông/bà. Có góp ý gì thêm không? (gõ nội dung hoặc chọn "Bỏ qua")'
        : kind === 'complaint'
          ? 'Xin mô tả sự việc: ở chi nhánh nào, thời gian, chuyện gì xảy ra. Thông tin được chuyển thẳng tới bộ phận giám sát.'
          : 'Ông/bà cần cán bộ hỗ trợ việc gì? Cán bộ sẽ liên hệ lại.';
    return step.prompt(TEXT, { prompt: kind === 'rating' ? { type: 'message', text: prompt, suggestedActions: { actions: [{ type: 'imBack', title: SKIP, value: SKIP }], to: [] } } : prompt, retryPrompt: 'Xin nhập nội dung (tối đa 2.000 ký tự).' });
  }

  private async saveStep(step: WaterfallStepContext<FeedbackOptions>) {
    const { kind } = step.options;
    const text = step.result === SKIP ? '' : (step.result as string);
    const rating = (step.values as { rating?: number }).rating;
    const reference = await this.services.feedback.record(kind, text, { channel: step.context.activity.channelId, userId: clientOf(step.context), rating });
    const reply =
      kind === 'rating'
        ? `Cảm ơn ông/bà đã đánh giá (mã ${reference}).`
        : kind === 'complaint'
          ? `Đã ghi nhận phản ánh, số tham chiếu **${reference}**. Trung tâm sẽ xem xét và trả lời. Xin nhớ: không ai được thu tiền ngoài phí, lệ phí đã công bố.`
          : `Đã chuyển yêu cầu tới cán bộ, số tham chiếu **${reference}**. Cán bộ sẽ liên hệ lại trong giờ làm việc.`;
    await say(step.context, reply, MENU);
    return step.endDialog(reference);
  }
}
