import type { Logger } from '../../logger';
import { stillWanted, takeForSending } from '../../services/notification-service';
import type { Store } from '../../store/types';
import { BOT_ID, DIRECTLINE_CHANNEL, type DirectLineAdapter } from './directline-adapter';

/**
 * Delivers the outbox's web chat notifications (supplement requested, dossier late or ready, a
 * waitlist place freed, a booking reminder with its "Hủy lịch" button) into the citizen's
 * conversation, where the page's polling shows them. A reminder of a booking cancelled or moved since
 * is dropped. Each is taken in the store before it is recorded, so several processes polling one
 * outbox record it once.
 */
export async function deliverWebChatNotifications(store: Store, adapter: DirectLineAdapter, log: Logger): Promise<number> {
  const pending = await store.outbox.pending('webchat', 50, new Date().toISOString());
  for (const n of pending) {
    if (!n.recipient.address) continue;
    // Another process polling the same outbox may have taken it since it was listed.
    if (!(await takeForSending(store, n))) continue;
    if (!(await stillWanted(store, n))) {
      await store.outbox.markFailed(n.id, 'obsolete');
      continue;
    }
    try {
      await adapter.record({
        type: 'message',
        channelId: DIRECTLINE_CHANNEL,
        conversation: { id: n.recipient.address, isGroup: false, conversationType: 'personal', name: '' },
        from: { id: BOT_ID, name: 'Trợ lý Một Cửa' },
        recipient: { id: 'user', name: '' },
        text: n.text,
        ...(n.actions?.length ? { suggestedActions: { to: [], actions: n.actions.map((a) => ({ type: 'imBack', title: a, value: a })) } } : {}),
        channelData: { notification: n.kind, ref: n.ref },
      });
    } catch (error) {
      // Not recorded: let it go at once rather than when the lease ends.
      await store.outbox.release(n.id).catch(() => undefined);
      throw error;
    }
    await store.outbox.markDelivered(n.id, new Date().toISOString());
    log.info('notification delivered', { channel: 'webchat', kind: n.kind });
  }
  return pending.length;
}
