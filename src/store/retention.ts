/** How long a web chat conversation's sequence numbers and an idle conversation's state are kept (both stores). */
export const TRANSCRIPT_DAYS = 2;
export const BOT_STATE_DAYS = 30;
/**
 * Activities kept per conversation. A client reads only what follows its watermark, and a turn
 * adds a handful, so this leaves ample room for a client that missed a few polls.
 */
export const TRANSCRIPT_KEEP = 40;
/** The embedded store keeps a conversation's activities in memory only while it is active. */
export const TRANSCRIPT_IDLE_MINUTES = 30;
