import { ComponentDialog, DialogTurnStatus, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { MENU } from '../src/bot/format';
import { say, type DialogServices } from './dialogServices';

/**
 * Base of every task dialog: "hủy" and "menu" end the task, "giúp" explains the current step,
 * "quay lại" starts the task again from its first question (or returns to the menu from there).
 */
export abstract class InterruptibleDialog extends ComponentDialog {
  protected abstract readonly helpText: string;

  constructor(
    id: string,
    protected readonly services: DialogServices,
  ) {
    super(id);
  }

  override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc)) ?? super.onContinueDialog(innerDc);
  }

  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    if (innerDc.context.activity.type !== 'message') return undefined;
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
    return undefined;
  }
}
