import { ComponentDialog, DialogTurnStatus, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { MENU } from '../src/bot/format';
import { asideLead, complaintLike, englishToVietnamese, handoverLike, isEnglish, topicSwitch, withoutOpeners } from '../src/bot/conversation-acts';
import { fold } from '../src/domain/text/normalize';
import { answerAside, REROUTE } from './asides';
import { say, type DialogServices } from './dialogServices';

/**
 * Base of every task dialog: "hủy" and "menu" end the task, "giúp" explains the current step,
 * "quay lại" starts the task again from its first question (or returns to the menu from there).
 */
export abstract class InterruptibleDialog extends ComponentDialog {
  protected abstract readonly helpText: string;
  /** Whether side questions (centre, a fact of the procedure, off-topic) are answered at this task's steps. */
  protected readonly answersAsides: boolean = true;
  /** After a side question: ask the current question again (true), or end this task (a choice list that the answer settled). */
  protected readonly resumesAfterAside: boolean = true;

  constructor(
    id: string,
    protected readonly services: DialogServices,
  ) {
    super(id);
  }

  override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc)) ?? super.onContinueDialog(innerDc);
  }

  /** A message this task takes as the answer to its step even when it starts like a change of topic ("thôi, tôi không để lại số"). */
  protected keeps(_text: string, _innerDc: DialogContext): boolean {
    return false;
  }

  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    if (innerDc.context.activity.type !== 'message') return undefined;
    if (this.keeps((innerDc.context.activity.text ?? '').normalize('NFC'), innerDc)) return undefined;
    const command = this.services.recognizer.command(innerDc.context.activity.text ?? '');
    if (command === 'cancel' || command === 'menu') {
      await say(innerDc.context, command === 'cancel' ? 'Đã hủy. Ông/bà cần giúp gì khác?' : 'Ông/bà cần giúp gì?', MENU);
      return innerDc.cancelAllDialogs(true);
    }
    if (command === 'help') {
      await say(innerDc.context, this.helpText + '\n\nGõ "quay lại" để làm lại từ đầu bước này, "hủy" để dừng.');
      await innerDc.repromptDialog();
      return { status: DialogTurnStatus.waiting };
    }
    if (command === 'back') {
      const root = innerDc.stack[0]; // the task's waterfall, under any prompt
      const atFirstQuestion = (root?.state?.stepIndex ?? 0) <= 0;
      if (!root || atFirstQuestion) {
        await say(innerDc.context, 'Đã quay về trang chính. Ông/bà cần giúp gì?', MENU);
        return innerDc.cancelAllDialogs(true);
      }
      await innerDc.context.sendActivity('Làm lại từ câu hỏi đầu tiên.');
      const options = root.state.options;
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(root.id, options);
    }
    return this.changeOfTopic(innerDc);
  }

  /**
   * "à thôi, cho hỏi…", "khoan đã, …": the task is left and the rest of the message answered. A side
   * question ("ủa mà cho hỏi…", the centre's hours, the fee of the procedure, something off-topic)
   * is answered and the current question asked again.
   */
  private async changeOfTopic(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const text = (innerDc.context.activity.text ?? '').normalize('NFC').trim();
    if (!text) return undefined;
    const switched = topicSwitch(text);
    if (switched !== null && switched.length > 0) {
      if (/\bhuy\b/.test(fold(switched))) {
        await say(innerDc.context, 'Đã hủy. Ông/bà cần giúp gì khác?', MENU);
        return innerDc.cancelAllDialogs(true);
      }
      innerDc.context.turnState.set(REROUTE, switched);
      return innerDc.cancelAllDialogs();
    }
    if (!this.answersAsides) return undefined;
    // An English message is answered by the main dialog, in both languages.
    if (isEnglish(text)) {
      if (englishToVietnamese(text)) {
        innerDc.context.turnState.set(REROUTE, text);
        return innerDc.cancelAllDialogs();
      }
      // "Cau Giay branch please": the answer to this step, with the English words around it left out.
      const answer = text.replace(/\b(branch|please|the|at|in|on|i|want|would|like|to|go|a|an|ok|okay|yes)\b/gi, ' ').replace(/\s+/g, ' ').trim();
      if (answer) innerDc.context.activity.text = answer;
      return undefined;
    }
    const question = withoutOpeners(text) || text;
    if (asideLead(text) && (handoverLike(question) || complaintLike(question))) {
      innerDc.context.turnState.set(REROUTE, question);
      return innerDc.cancelAllDialogs();
    }
    if (await answerAside(innerDc.context, this.services, question, !this.resumesAfterAside, true)) {
      if (!this.resumesAfterAside) return innerDc.cancelAllDialogs();
      await innerDc.repromptDialog();
      return { status: DialogTurnStatus.waiting };
    }
    if (asideLead(text)) {
      innerDc.context.turnState.set(REROUTE, question);
      return innerDc.cancelAllDialogs();
    }
    return undefined;
  }
}
