import type { Clock } from '../domain/calendar/clock';
import { localDate } from '../domain/calendar/vietnam-time';
import type { FeedbackItem, Store } from '../store/types';

const PREFIX: Record<FeedbackItem['kind'], string> = { rating: 'DG', complaint: 'PA', handover: 'HT', unanswered: 'CH' };
/** Attempts when a reference is taken anyway (a counter lost with a restored store): never lose the feedback. */
const ATTEMPTS = 5;

/** The store refused a second item with the same reference (NeDB's and MongoDB's unique-index errors). */
function duplicateReference(error: unknown): boolean {
  const e = error as { errorType?: string; code?: number } | null;
  return e?.errorType === 'uniqueViolated' || e?.code === 11000;
}

/** Ratings, complaints, hand-over requests and unanswered questions, each with a reference number. */
export class FeedbackService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /**
   * References are `CH-261201-0042`: the kind, the Vietnam date and that day's sequence number from
   * the store's atomic counter, so two items never get the same one (random numbers collided as the
   * list grew). The date keeps them short and tells staff when it was left.
   */
  private async nextReference(kind: FeedbackItem['kind']): Promise<string> {
    const now = this.clock.now();
    const day = localDate(now).replace(/-/g, '').slice(2);
    // Kept well past the day (a new day starts a new sequence). The store expires counters on its own
    // wall clock, which can be ahead of the injected clock: the later of the two decides.
    const keepUntil = new Date(Math.max(now.getTime(), Date.now()) + 3 * 86_400_000);
    const n = await this.store.counters.increment(`feedback-ref|${PREFIX[kind]}|${day}`, keepUntil);
    return `${PREFIX[kind]}-${day}-${String(n).padStart(4, '0')}`;
  }

  async record(kind: FeedbackItem['kind'], text: string, meta: { channel: string; userId: string; rating?: number }): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      const reference = await this.nextReference(kind);
      try {
        await this.store.feedback.add({
          reference,
          kind,
          text: text.normalize('NFC').slice(0, 2000),
          rating: meta.rating ?? null,
          channel: meta.channel,
          userId: meta.userId,
          createdAt: this.clock.now().toISOString(),
        });
        return reference;
      } catch (error) {
        if (!duplicateReference(error) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  list(kind: FeedbackItem['kind'] | null, limit: number): Promise<FeedbackItem[]> {
    return this.store.feedback.list(kind, limit);
  }
}
