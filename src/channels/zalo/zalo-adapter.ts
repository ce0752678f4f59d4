/**
 * The same bot on Zalo: a Bot Framework adapter whose replies go out through the OA message API.
 * Cards become text; suggested actions become query buttons that send their text back.
 */
import { ActivityTypes, BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import type { Logger } from '../../logger';
import type { ZaloClient } from './zalo-client';
import { plainText, splitText } from './zalo-events';

export const ZALO_CHANNEL = 'zalo';

export class ZaloAdapter extends BotAdapter {
  constructor(
    private readonly client: ZaloClient,
    private readonly log: Logger,
  ) {
    super();
  }

  override async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type !== ActivityTypes.Message || !activity.recipient?.id) {
        responses.push({ id: '' });
        continue;
      }
      const parts = splitText(plainText(activity.text ?? ''));
      // Zalo's query button sends its payload back as the person's message: the label (an action's value
      // is an object that Zalo cannot carry; its label routes the same way).
      const buttons = (activity.suggestedActions?.actions ?? []).map((a) => {
        const label = typeof a.value === 'string' ? a.value : String(a.text ?? a.title);
        return { title: String(a.title ?? label), payload: label };
      });
      let id = '';
      for (let i = 0; i < parts.length; i++) {
        const outcome = await this.client.send(activity.recipient.id, parts[i], i === parts.length - 1 ? buttons : []);
        if (outcome.ok) id = outcome.messageId;
        else this.log.warn('zalo reply not delivered', { reason: outcome.reason, code: outcome.code });
      }
      responses.push({ id });
    }
    return responses;
  }

  override async updateActivity(): Promise<void> {
    throw new Error('Zalo: cập nhật tin nhắn không được hỗ trợ');
  }

  override async deleteActivity(): Promise<void> {
    throw new Error('Zalo: xóa tin nhắn không được hỗ trợ');
  }

  async process(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  override async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
