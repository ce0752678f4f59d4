/** How long a web chat transcript and an idle conversation's state are kept (both stores). */
export const TRANSCRIPT_DAYS = 2;
export const BOT_STATE_DAYS = 30;
/** Activities kept per conversation: a client only ever reads those after its watermark. */
export const TRANSCRIPT_KEEP = 200;
