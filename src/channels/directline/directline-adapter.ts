/**
 * A Bot Framework adapter for our own Direct Line 3.0-compatible endpoint: activities from the web
 * chat are processed in this process, and the bot's replies are appended to the conversation's
 * transcript in the store, where the client reads them (polling with a watermark). Any process on
 * the same store can serve any conversation.
 */
import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { redactSecrets } from '../../bot/secrets';
import type { TranscriptRepository } from '../../store/types';

export const DIRECTLINE_CHANNEL = 'directline';
export const BOT_ID = 'motcua-assistant';

export class DirectLineAdapter extends BotAdapter {
  /** Told of each activity recorded (the WebSocket streams push it at once). */
  onRecorded: (conversationId: string) => void = () => undefined;

  constructor(private readonly transcripts: TranscriptRepository) {
    super();
  }

  /** Appends an activity to its conversation's transcript under the next watermark; its id. */
  async record(activity: Partial<Activity>): Promise<string> {
    const conversationId = activity.conversation!.id;
    const seq = await this.transcripts.append(conversationId, { ...activity, timestamp: new Date().toISOString() });
    this.onRecorded(conversationId);
    return `${conversationId}|${String(seq).padStart(7, '0')}`;
  }

  override async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === 'delay') {
        await new Promise((r) => setTimeout(r, Math.min(Number(activity.value) || 0, 2000)));
        responses.push({ id: '' });
        continue;
      }
      if (activity.type === ActivityTypes.InvokeResponse || activity.type === ActivityTypes.Trace) {
        responses.push({ id: '' });
        continue;
      }
      responses.push({ id: await this.record({ ...activity, from: activity.from ?? { id: BOT_ID, name: 'Trợ lý Một Cửa' } }) });
    }
    return responses;
  }

  override async updateActivity(): Promise<void> {
    throw new Error('Direct Line: cập nhật tin nhắn không được hỗ trợ');
  }

  override async deleteActivity(): Promise<void> {
    throw new Error('Direct Line: xóa tin nhắn không được hỗ trợ');
  }

  /**
   * A user's message: officer secrets are taken out first, then it is recorded in the transcript (Web
   * Chat shows it as sent when it comes back). The turn to run it, once queued, is returned with its id.
   */
  async receive(activity: Partial<Activity>): Promise<{ id: string; run: (logic: (context: TurnContext) => Promise<void>) => Promise<void> }> {
    const context = new TurnContext(this, activity);
    redactSecrets(context);
    const id = await this.record(context.activity);
    context.activity.id = id;
    return { id, run: (logic) => this.runMiddleware(context, logic) };
  }

  /** Runs the bot on an activity the server made itself (the welcome when a conversation starts). */
  async process(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const context = new TurnContext(this, activity);
    await this.runMiddleware(context, logic);
  }

  /** Proactive message into an existing conversation (notifications from the outbox). */
  override async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation', id: randomUUID() }, reference, true);
    const context = new TurnContext(this, activity);
    await this.runMiddleware(context, logic);
  }
}
