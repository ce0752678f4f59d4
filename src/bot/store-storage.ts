import type { Storage, StoreItems } from 'botbuilder';
import type { BotStateRepository } from '../store/types';

/**
 * Bot Framework state kept in the project's store (embedded or MongoDB), so that a restart, or
 * another process behind the same MongoDB, resumes a conversation where it was.
 */
export class StoreStorage implements Storage {
  constructor(private readonly repository: BotStateRepository) {}

  read(keys: string[]): Promise<StoreItems> {
    return keys.length ? this.repository.read(keys) : Promise.resolve({});
  }

  async write(changes: StoreItems): Promise<void> {
    // Last write wins: one conversation's turns are processed one after another.
    const items = Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, { ...v, eTag: String(Date.now()) }]));
    await this.repository.write(items);
  }

  async delete(keys: string[]): Promise<void> {
    await this.repository.delete(keys);
  }
}
