import type { TurnContext } from 'botbuilder';
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
 * Runs a turn of the bot, and once more when its state changed under it (another process, or
 * another conversation of the same user, saved first: StoreStorage's eTag conflict). The second run
 * starts from the state as it is now, so neither turn's changes are lost. botbuilder's BotState
 * caches the state it read in the turn's turnState under a private symbol: those caches (objects
 * `{state, hash}`) are dropped so that the second run reads afresh. Replies the first run already
 * sent stay sent; a second conflict goes to the adapter's error handler like any failure.
 */
export function retryOnStateConflict(logic: (context: TurnContext) => Promise<void>): (context: TurnContext) => Promise<void> {
  return async (context) => {
    try {
      await logic(context);
    } catch (error) {
      if (!isStateConflict(error)) throw error;
      for (const [key, value] of [...context.turnState]) {
        if (value && typeof value === 'object' && 'state' in value && 'hash' in value) context.turnState.delete(key);
      }
      await logic(context);
    }
  };
}
