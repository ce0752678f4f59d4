/**
 * The consultation-message window: Zalo lets an OA answer a user with `/v3.0/oa/message/cs` only for
 * a while after the user's last message (48 hours by the public SDKs we found; not confirmed in the
 * official docs, hence configurable). We record when each user last wrote and choose the path from
 * it, instead of sending and waiting to be refused (refused messages may be charged or counted).
 */
import type { MetaRepository } from '../../store/types';

export const DEFAULT_CS_WINDOW_HOURS = 48;

const key = (userId: string) => `zalo-inbound|${userId}`;

/** When the user's message reached us (Zalo's own timestamp, ms): only ever moves forward. */
export async function recordInbound(meta: MetaRepository, userId: string, atMs: number): Promise<void> {
  const last = await lastInbound(meta, userId);
  if (last === null || atMs > last) await meta.set(key(userId), atMs);
}

export async function lastInbound(meta: MetaRepository, userId: string): Promise<number | null> {
  const value = await meta.get(key(userId));
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Whether a consultation message may still go to a user who last wrote at `last`. */
export function insideWindow(last: number | null, nowMs: number, hours: number): boolean {
  // A margin of five minutes: a message queued at the edge would otherwise be refused in transit.
  return last !== null && nowMs - last < hours * 3_600_000 - 5 * 60_000;
}
