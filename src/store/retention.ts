/** How long a web chat transcript and an idle conversation's state are kept (both stores). */
export const TRANSCRIPT_DAYS = 2;
export const BOT_STATE_DAYS = 30;
