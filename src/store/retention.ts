/** How long a web chat conversation's sequence numbers are kept (both stores). */
export const TRANSCRIPT_DAYS = 2;
/**
 * Activities kept per conversation. A client reads only what follows its watermark, and a turn
 * adds a handful, so this leaves ample room for a client that missed a few polls.
 */
export const TRANSCRIPT_KEEP = 40;
/** The embedded store keeps a conversation's activities in memory only while it is active… */
export const TRANSCRIPT_IDLE_MINUTES = 30;
/** …and at most this many characters of activities in all (about 32 MB). */
export const TRANSCRIPT_MEMORY_CHARS = 16_000_000;

const HOUR = 3_600_000;
/**
 * When a piece of bot state may be forgotten, counted from its last change. A conversation's
 * dialog (where the person is in a task) is dropped after a day without a word: they start again
 * from the menu. A web chat user exists for one page (a random id), so their state goes with the
 * transcript; a Zalo or Teams user's profile (mode, name) is kept a month.
 */
export function botStateExpiry(key: string, now: number): Date {
  if (key.includes('/conversations/')) return new Date(now + 24 * HOUR);
  if (key.startsWith('directline/')) return new Date(now + TRANSCRIPT_DAYS * 24 * HOUR);
  return new Date(now + 30 * 24 * HOUR);
}
