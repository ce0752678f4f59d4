/**
 * The assistant's action buttons, in one catalogue: what each does (its id, carried as the button's
 * value) and what it says (its label). A button's value is the routing key; the label is only read
 * back when a channel cannot carry a value (Zalo sends the label as the person's message) or the
 * person types it. A value is untrusted input: it is validated, and it can only choose what the same
 * label typed would choose.
 */
import { z } from 'zod';
import type { IntentName } from '../../knowledge/schemas';

export const ACTIONS = Object.freeze({
  find: { label: 'Tìm thủ tục', intent: 'procedure' },
  checklist: { label: 'Kiểm tra giấy tờ', intent: 'checklist' },
  book: { label: 'Đặt lịch', intent: 'booking' },
  status: { label: 'Tra cứu hồ sơ', intent: 'status' },
  manage: { label: 'Đổi lịch hẹn', intent: 'booking_manage' },
  rate: { label: 'Đánh giá', intent: 'feedback' },
  complain: { label: 'Khiếu nại', intent: 'complaint' },
  officer: { label: 'Gặp cán bộ', intent: 'human' },
  menu: { label: 'Menu', intent: 'menu' },
} as const satisfies Record<string, { label: string; intent: IntentName }>);

export type ActionId = keyof typeof ACTIONS;

const ACTION_IDS = Object.keys(ACTIONS) as [ActionId, ...ActionId[]];
const ActionValue = z.object({ action: z.enum(ACTION_IDS) });
const BY_LABEL = new Map<string, ActionId>(ACTION_IDS.map((id) => [ACTIONS[id].label.toLowerCase(), id]));

/** The action a label names ("Đặt lịch" → book), or null. */
export function actionByLabel(label: string): ActionId | null {
  return BY_LABEL.get(label.normalize('NFC').trim().toLowerCase()) ?? null;
}

/** The action a message carries: a button's value first, else its text when it is exactly a label. */
export function actionOf(activity: { text?: string; value?: unknown }): ActionId | null {
  const parsed = ActionValue.safeParse(activity.value);
  if (parsed.success) return parsed.data.action;
  return activity.text ? actionByLabel(activity.text) : null;
}
