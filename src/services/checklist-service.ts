import { randomBytes } from 'node:crypto';
import type { Clock } from '../domain/calendar/clock';
import type { Checklist, Store } from '../store/types';

/** Checklists completed in a conversation, kept so a volunteer can open and print them. */
export class ChecklistService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async save(checklist: Omit<Checklist, 'id' | 'createdAt'>): Promise<Checklist> {
    const saved: Checklist = { ...checklist, id: randomBytes(9).toString('base64url'), createdAt: this.clock.now().toISOString() };
    await this.store.checklists.save(saved);
    return saved;
  }

  get(id: string): Promise<Checklist | null> {
    return /^[A-Za-z0-9_-]{8,32}$/.test(id) ? this.store.checklists.get(id) : Promise.resolve(null);
  }
}
