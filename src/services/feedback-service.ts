import { randomInt } from 'node:crypto';
import type { Clock } from '../domain/calendar/clock';
import type { FeedbackItem, Store } from '../store/types';

const PREFIX: Record<FeedbackItem['kind'], string> = { rating: 'DG', complaint: 'PA', handover: 'HT', unanswered: 'CH' };

/** Ratings, complaints, hand-over requests and unanswered questions, each with a reference number. */
export class FeedbackService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async record(kind: FeedbackItem['kind'], text: string, meta: { channel: string; userId: string; rating?: number }): Promise<string> {
    const reference = `${PREFIX[kind]}-${String(randomInt(1_000_000)).padStart(6, '0')}`;
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
  }

  list(kind: FeedbackItem['kind'] | null, limit: number): Promise<FeedbackItem[]> {
    return this.store.feedback.list(kind, limit);
  }
}
