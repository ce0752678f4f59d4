import { randomUUID } from 'node:crypto';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import type { BotStateRepository } from '../store/types';

/**
 * What botbuilder's own storages (MemoryStorage, Cosmos DB, Blob) throw when an item changed since it
 * was read; the same message, so code written for them recognises it.
 */
export class StateConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'StateConflictError';
  }
}

export function isStateConflict(error: unknown): boolean {
  return error instanceof StateConflictError || (error instanceof Error && /due to eTag conflict/.test(error.message));
}

/**
 * Bot Framework state kept in the project's store (embedded or MongoDB), so that a restart, or
 * another process behind the same MongoDB, resumes a conversation where it was.
 *
 * Writes are optimistic: an item is replaced only if it still has the eTag it was read with, and a
 * write that lost the race throws StateConflictError (the turn is then run again on fresh state).
 * botbuilder's BotState always sets `eTag: "*"` on the object it read before writing it back, so
 * the eTag each returned object was read with is remembered here: "*" on such an object still
 * means "as I read it" (for an item read absent: "only if still absent"), while "*" on any other
 * object and an item without eTag are unconditional, as the Storage contract says. An explicit eTag
 * is honoured.
 */
/** Marks an item read while nothing was stored under its key (no eTag is ever this value). */
const READ_ABSENT = '\u0000absent';

export class StoreStorage implements Storage {
  private readonly readETags = new WeakMap<object, string>();

  constructor(private readonly repository: BotStateRepository) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys.length) return {};
    const items = (await this.repository.read(keys)) as StoreItems;
    for (const item of Object.values(items)) {
      if (item && typeof item === 'object' && typeof (item as StoreItem).eTag === 'string') this.readETags.set(item, (item as StoreItem).eTag!);
    }
    // A key with nothing stored reads as an empty item (what BotState makes of a missing one anyway),
    // remembered as read absent: its first save then creates it only if nobody has meanwhile, so two
    // first turns at once (one user's first messages reaching two processes) cannot overwrite each other.
    for (const key of keys) {
      if (items[key] === undefined) {
        const empty: StoreItem = {};
        this.readETags.set(empty, READ_ABSENT);
        items[key] = empty;
      }
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const unconditional: StoreItems = {};
    for (const [key, item] of Object.entries(changes)) {
      const given = (item as StoreItem | null)?.eTag;
      const expected = given && given !== '*' ? given : item && typeof item === 'object' ? this.readETags.get(item) : undefined;
      const eTag = randomUUID();
      const value = { ...(item as object), eTag };
      if (expected === undefined) {
        unconditional[key] = value;
      } else if (expected === READ_ABSENT) {
        if (!(await this.repository.insertIfAbsent(key, value))) throw new StateConflictError(key);
      } else if (!(await this.repository.replaceIf(key, value, expected))) {
        throw new StateConflictError(key);
      }
      // A second save of the same object in one turn is conditional on what this one wrote.
      if (item && typeof item === 'object') this.readETags.set(item, eTag);
    }
    if (Object.keys(unconditional).length) await this.repository.write(unconditional);
  }

  async delete(keys: string[]): Promise<void> {
    await this.repository.delete(keys);
  }
}
