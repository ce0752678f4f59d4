import { ChoiceFactory, ChoicePrompt, ListStyle, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { procedureCard } from '../src/bot/format';
import type { FollowUpTopic } from '../src/bot/conversation-acts';
import { followUpAnswer } from '../src/bot/short-answers';
import type { SearchHit } from '../src/domain/search/procedure-index';
import { clientOf, profileOf, say, turnSearch, type DialogServices, type ProfileAccessor, rememberProcedure } from './dialogServices';
import { InterruptibleDialog } from './interruptibleDialog';

export const PROCEDURE_DIALOG = 'procedureDialog';
const WATERFALL = 'procedureWaterfall';
const CHOOSE = 'procedureChoice';
const NONE_OF_THESE = 'Không phải các thủ tục này';

export interface ProcedureOptions {
  query: string;
  hits?: SearchHit[];
  /** What the question asks of the procedure ("cần mang gì", "nhờ người nộp được không"). */
  topic?: FollowUpTopic | null;
}

/**
 * Questions the card does not answer: asked with the procedure's name in the first message ("đkkh
 * cần mang gì"), they get that answer instead of the card. Fee, time, agency, place and online are on
 * the card already.
 */
const ANSWERED_APART: ReadonlySet<FollowUpTopic> = new Set(['documents', 'forms', 'proxy', 'requirements', 'deadline', 'child', 'in_person', 'legal']);

/** Find a procedure: search, ask which one when the best are close, then the facts and next steps. */
export class ProcedureDialog extends InterruptibleDialog {
  protected readonly helpText =
    'Tôi tìm thủ tục theo cách ông/bà diễn đạt, có dấu hay không dấu, viết tắt (CCCD, GPLX, sổ đỏ…). Chọn một thủ tục trong danh sách hoặc gõ lại câu hỏi.';

  // A question asked instead of choosing ("làm online được không?") is answered for the best match,
  // named in the answer; the list is not asked again.
  protected override readonly resumesAfterAside = false;

  constructor(
    services: DialogServices,
    private readonly profile: ProfileAccessor,
  ) {
    super(PROCEDURE_DIALOG, services);
    this.addDialog(new ChoicePrompt(CHOOSE, undefined, 'vi-vn'));
    this.addDialog(new WaterfallDialog(WATERFALL, [this.searchStep.bind(this), this.answerStep.bind(this)]));
    this.initialDialogId = WATERFALL;
  }

  private async searchStep(step: WaterfallStepContext<ProcedureOptions>) {
    const { query } = step.options;
    const hits = step.options.hits ?? turnSearch(step.context, this.services, query, 5);
    if (hits.length === 0) {
      const reference = await this.services.feedback.record('unanswered', query, { channel: step.context.activity.channelId, userId: clientOf(step.context) });
      this.services.log.info('question not answered', { reference });
      await say(
        step.context,
        'Xin lỗi, tôi chưa tìm thấy thủ tục phù hợp. Ông/bà thử diễn đạt khác (ví dụ "làm giấy khai sinh", "đổi bằng lái") hoặc gặp cán bộ để được hỗ trợ.',
        ['Gặp cán bộ', 'Tìm thủ tục', 'Menu'],
      );
      return step.endDialog();
    }
    const close = hits.filter((h) => hits[0].score - h.score < 0.05).slice(0, 3);
    if (close.length === 1) return step.next(close[0].code);
    (step.values as { choices?: SearchHit[] }).choices = close;
    const profile = await profileOf(this.profile, step.context);
    rememberProcedure(profile, close[0].code, this.services.clock.now());
    await this.profile.set(step.context, profile);
    // The list in the text names each procedure in full with its code (buttons are cut short, and
    // channels that show few buttons still have the list); a number or the button picks one.
    const list = close.map((h, i) => `${i + 1}. ${h.name} (mã ${h.code})`).join('\n');
    return step.prompt(CHOOSE, {
      prompt: `Ông/bà hỏi về thủ tục nào?\n${list}`,
      choices: ChoiceFactory.toChoices([...close.map((h) => h.name.slice(0, 100)), NONE_OF_THESE]),
      style: ListStyle.suggestedAction,
      retryPrompt: 'Xin chọn một thủ tục trong danh sách, hoặc gõ "hủy".',
    });
  }

  private async answerStep(step: WaterfallStepContext<ProcedureOptions>) {
    let code: string | undefined = typeof step.result === 'string' ? step.result : undefined;
    if (!code) {
      const picked = step.result?.value as string | undefined;
      if (picked === NONE_OF_THESE || picked === undefined) {
        await say(step.context, 'Ông/bà mô tả thêm một chút (ví dụ: làm cho ai, làm lần đầu hay làm lại)?', ['Gặp cán bộ', 'Menu']);
        return step.endDialog();
      }
      code = ((step.values as { choices?: SearchHit[] }).choices ?? []).find((h) => h.name.slice(0, 100) === picked)?.code;
    }
    const procedure = code ? await this.services.catalog.get(code) : null;
    if (!procedure) {
      await say(step.context, 'Xin lỗi, tôi không mở được thủ tục này. Xin thử lại.', ['Tìm thủ tục', 'Menu']);
      return step.endDialog();
    }
    const profile = await profileOf(this.profile, step.context);
    rememberProcedure(profile, procedure.code, this.services.clock.now());
    await this.profile.set(step.context, profile);
    const officer = profile.mode === 'officer';
    const actions = procedure.detail === 'full' ? ['Kiểm tra giấy tờ', 'Đặt lịch'] : ['Đặt lịch'];
    // One message: Web Chat shows buttons only under the last message.
    const source = officer ? '' : `\n\nNguồn: [${procedure.source.title}](${procedure.source.url})`;
    const topic = step.options.topic;
    const body = topic && !officer && ANSWERED_APART.has(topic) ? followUpAnswer(procedure, topic) : procedureCard(procedure, officer);
    await say(step.context, body + source, officer ? [] : [...actions, 'Menu']);
    return step.endDialog(procedure.code);
  }
}
