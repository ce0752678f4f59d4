/**
 * POST /api/zalo/webhook: signature checked on the raw body, replays and duplicates refused, 200
 * at once and the bot's work done afterwards, so a slow reply never makes Zalo send an event again.
 */
import type { Activity, TurnContext } from 'botbuilder';
import type * as restify from 'restify';
import type { Logger } from '../../logger';
import { sendError } from '../../http/errors';
import type { Store } from '../../store/types';
import { TurnQueue } from '../turn-queue';
import { ZALO_CHANNEL, type ZaloAdapter } from './zalo-adapter';
import type { ZaloClient, ZaloConfig } from './zalo-client';
import { ZaloEvent, interpret, plainText, zaloSignatureValid } from './zalo-events';
import { DEFAULT_CS_WINDOW_HOURS, insideWindow, lastInbound, recordInbound } from './zalo-window';
import { mayGoByPhone, stillWanted, takeForSending, templateData } from '../../services/notification-service';
import type { Notification } from '../../store/types';

export interface ZaloDeps {
  config: ZaloConfig;
  /** How far a webhook's timestamp may be from now (replay protection). */
  windowSeconds: number;
  adapter: ZaloAdapter;
  client: ZaloClient;
  store: Store;
  log: Logger;
  bot: (context: TurnContext) => Promise<void>;
}

const MEDIA_REPLY = 'Xin lỗi, hiện tôi chỉ đọc được tin nhắn chữ và vị trí. Ông/bà gõ câu hỏi giúp tôi nhé.';

export function registerZalo(server: restify.Server, deps: ZaloDeps): { idle(): Promise<void> } {
  const { config, adapter, client, store, log, bot } = deps;
  const turns = new TurnQueue();

  server.post('/api/zalo/webhook', async (req: restify.Request, res: restify.Response) => {
    const raw = typeof (req as { rawBody?: unknown }).rawBody === 'string' ? ((req as { rawBody?: string }).rawBody as string) : '';
    const parsed = ZaloEvent.safeParse(req.body);
    if (!raw || !parsed.success) {
      log.warn('zalo webhook rejected', { reason: 'malformed' });
      return void sendError(res, 400, 'bad_request', 'Sự kiện Zalo không hợp lệ.');
    }
    const event = parsed.data;
    if (event.app_id !== config.appId || !zaloSignatureValid(raw, req.header('x-zevent-signature'), event.app_id, event.timestamp, config.oaSecretKey)) {
      log.warn('zalo webhook rejected', { reason: 'signature' });
      return void sendError(res, 401, 'unauthorized', 'Chữ ký X-ZEvent-Signature không hợp lệ.');
    }
    if (Math.abs(Date.now() - Number(event.timestamp)) > deps.windowSeconds * 1000) {
      log.warn('zalo webhook rejected', { reason: 'stale timestamp' });
      return void sendError(res, 401, 'replay', 'Sự kiện quá cũ hoặc sai thời gian.');
    }
    const input = interpret(event);
    if (input.kind === 'ignored' || input.kind === 'unfollow') {
      if (input.kind === 'unfollow') log.info('zalo user unfollowed');
      return void res.send(200, { ok: true });
    }
    const key = input.kind === 'follow' ? `zalo-event|follow|${input.userId}|${event.timestamp}` : `zalo-event|${input.msgId}`;
    if (!(await store.counters.tryIncrement(key, 1, new Date(Date.now() + 48 * 3_600_000)))) {
      return void res.send(200, { ok: true, duplicate: true });
    }
    res.send(200, { ok: true });

    const base: Partial<Activity> = {
      channelId: ZALO_CHANNEL,
      serviceUrl: config.apiBase,
      conversation: { id: input.userId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: input.userId, name: '' },
      recipient: { id: event.recipient?.id ?? 'oa', name: 'Trợ lý Một Cửa' },
      locale: 'vi-VN',
      timestamp: new Date(Number(event.timestamp)),
    };
    void turns.run(input.userId, async () => {
      // Any message or follow opens the window in which the OA may answer with consultation messages.
      await recordInbound(store.meta, input.userId, Number(event.timestamp)).catch((error) => log.warn('zalo inbound time not recorded', { error }));
      switch (input.kind) {
        case 'text':
          return adapter.process({ ...base, type: 'message', id: input.msgId, text: input.text }, bot);
        case 'location':
          return adapter.process(
            { ...base, type: 'message', id: input.msgId, text: '', entities: [{ type: 'GeoCoordinates', latitude: input.lat, longitude: input.lon }] },
            bot,
          );
        case 'follow':
          return adapter.process({ ...base, type: 'conversationUpdate', membersAdded: [{ id: input.userId, name: '' }] }, bot);
        case 'media': {
          const outcome = await client.send(input.userId, MEDIA_REPLY);
          if (!outcome.ok) log.warn('zalo reply not delivered', { reason: outcome.reason });
        }
      }
    }).catch((error) => log.error('zalo turn failed', { error }));
  });

  return { idle: () => turns.idle() };
}

/**
 * Delivers the outbox's Zalo notifications. Inside the consultation window (the user wrote recently)
 * as a consultation message; outside it, or when Zalo still answers that the window is closed or the
 * user does not follow, as a template message (ZNS) to the citizen's phone when a template of that
 * kind is configured; otherwise marked failed (the citizen still sees it in the status look-up).
 * Notifications with no chat channel but a phone (booked on the website, never chatted) go by ZNS.
 */
export async function deliverZaloNotifications(store: Store, client: ZaloClient, log: Logger, config: ZaloConfig): Promise<number> {
  const hours = config.csWindowHours ?? DEFAULT_CS_WINDOW_HOURS;
  const templates = config.znsTemplates ?? {};
  const byPhone = async (n: Notification, reason: string) => {
    const templateId = templates[n.kind];
    if (!templateId || !n.recipient.phone || !(await mayGoByPhone(store, n))) {
      await store.outbox.markFailed(n.id, reason);
      log.info('zalo notification not sent: the citizen sees it in the status look-up', { reason, kind: n.kind });
      return;
    }
    const outcome = await client.sendTemplate(n.recipient.phone, templateId, await templateData(store, n), n.id);
    if (outcome.ok) {
      await store.outbox.markDelivered(n.id, new Date().toISOString(), 'zns');
      log.info('notification delivered', { channel: 'zns', kind: n.kind });
    } else if (outcome.reason === 'failed') {
      await store.outbox.release(n.id);
      log.warn('zalo template message failed, will retry', { code: outcome.code });
    } else {
      await store.outbox.markFailed(n.id, `zns_${outcome.reason}`);
      log.warn('zalo template message refused', { code: outcome.code, kind: n.kind });
    }
  };

  const now = new Date().toISOString();
  const chat = await store.outbox.pending('zalo', 50, now);
  // Phone-only notifications are worth reading only when some template can carry them.
  const anyTemplate = Object.values(templates).some(Boolean);
  const phoneOnly = anyTemplate ? [...(await store.outbox.pending('zns', 50, now)), ...(await store.outbox.pending(null, 50, now))] : [];
  for (const n of [...chat, ...phoneOnly]) {
    // Taken in the store first: of several processes polling this outbox, one sends it.
    if (!(await takeForSending(store, n))) continue;
    if (!(await stillWanted(store, n))) {
      await store.outbox.markFailed(n.id, 'obsolete');
      continue;
    }
    if (n.recipient.channel !== 'zalo' || !n.recipient.address) {
      await byPhone(n, 'no_channel');
      continue;
    }
    if (!insideWindow(await lastInbound(store.meta, n.recipient.address), Date.now(), hours)) {
      await byPhone(n, 'outside_window');
      continue;
    }
    const buttons = (n.actions ?? []).map((a) => ({ title: a, payload: a }));
    const outcome = await client.send(n.recipient.address, plainText(n.text), buttons);
    if (outcome.ok) {
      await store.outbox.markDelivered(n.id, new Date().toISOString());
      log.info('notification delivered', { channel: 'zalo', kind: n.kind });
    } else if (outcome.reason === 'failed') {
      await store.outbox.release(n.id);
      log.warn('zalo notification failed, will retry', { code: outcome.code });
    } else await byPhone(n, outcome.reason);
  }
  return chat.length + phoneOnly.length;
}
