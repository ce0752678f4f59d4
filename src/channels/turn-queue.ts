import type { Activity, TurnContext } from 'botbuilder';
import { isStateConflict } from '../bot/store-storage';

/**
 * Turns of one conversation run one after another in this process, so its dialog state stays
 * consistent; different conversations run side by side.
 */
export class TurnQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();

  run(key: string, work: () => Promise<void>): Promise<void> {
    const next = (this.tails.get(key) ?? Promise.resolve()).then(work, work);
    const settled = next.catch(() => undefined);
    this.tails.set(key, settled);
    this.pending.add(settled);
    void settled.then(() => {
      this.pending.delete(settled);
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return next;
  }

  /** Resolves when every queued turn has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}

/**
 * Runs a turn of the bot, and again when its state changed under it (another process, or another
 * conversation of the same user, saved first: StoreStorage's eTag conflict), at most `attempts` times
 * in all. A run starts from the state as it is then, so no turn's changes are lost: this is what makes
 * two processes safe when one conversation's turns reach both at once. botbuilder's BotState caches
 * the state it read in the turn's turnState under a private symbol: those caches (objects
 * `{state, hash}`) are dropped so that the next run reads afresh. The replies of a run are held until
 * it ends (typing indicators go at once): a run that lost the race is dropped with its replies, so the
 * citizen sees one answer, the one made from the state that was saved; a run that failed otherwise
 * still sends what it said before failing. A conflict on the last attempt goes to the adapter's error
 * handler like any failure.
 */
export function retryOnStateConflict(logic: (context: TurnContext) => Promise<void>, attempts = 3): (context: TurnContext) => Promise<void> {
  return async (context) => {
    let held: Partial<Activity>[] | null = null;
    context.onSendActivities(async (_context, activities, next) => {
      if (!held || activities.every((a) => a.type === 'typing')) return next();
      held.push(...activities);
      return activities.map(() => ({ id: '' }));
    });
    const flush = async () => {
      const replies = held ?? [];
      held = null;
      if (replies.length) await context.sendActivities(replies);
    };
    for (let attempt = 1; ; attempt++) {
      held = [];
      try {
        await logic(context);
      } catch (error) {
        if (!isStateConflict(error) || attempt >= attempts) {
          await flush().catch(() => undefined);
          throw error;
        }
        held = null;
        for (const [key, value] of [...context.turnState]) {
          if (value && typeof value === 'object' && 'state' in value && 'hash' in value) context.turnState.delete(key);
        }
        continue;
      }
      await flush();
      return;
    }
  };
}
