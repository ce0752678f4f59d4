/**
 * Two turns of one conversation racing (as two processes behind one MongoDB, or two conversations
 * of one user, can): each reads the state, works, and saves. Without eTags the later save silently
 * dropped the other turn's change; now the later save conflicts, and its turn runs again on fresh
 * state, so both changes are kept.
 */
import { ActivityHandler, ConversationState, TestAdapter, TurnContext } from 'botbuilder';
import { StateConflictError, StoreStorage, isStateConflict } from '../../src/bot/store-storage';
import { retryOnStateConflict } from '../../src/channels/turn-queue';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store';
import type { Store } from '../../src/store/types';
import { tempDir } from '../helpers';

describe('bot state under racing turns', () => {
  const dir = tempDir('motcua-race-');
  let store: Store;
  beforeAll(async () => {
    store = await openEmbeddedStore(dir.path);
  });
  afterAll(async () => {
    await store.close();
    dir.remove();
  });

  /** A bot that notes each message's text in the conversation state, after a pause that lets the other turn in. */
  function notingBot(storage: StoreStorage, pause: (text: string) => Promise<void>) {
    const state = new ConversationState(storage);
    const notes = state.createProperty<string[]>('notes');
    const bot = new ActivityHandler();
    let runs = 0;
    bot.onMessage(async (context, next) => {
      runs++;
      const list = await notes.get(context, []);
      await pause(context.activity.text ?? '');
      list.push(context.activity.text ?? '');
      await state.saveChanges(context, false);
      await next();
    });
    return { bot, state, runs: () => runs };
  }

  const turn = (adapter: TestAdapter, text: string) =>
    new TurnContext(adapter, { ...adapter.conversation, type: 'message', text, from: adapter.conversation.user, recipient: adapter.conversation.bot, channelId: 'test' } as never);

  it('keeps both turns\' changes: the one that saved second runs again', async () => {
    const storage = new StoreStorage(store.botState);
    const adapter = new TestAdapter();
    let releaseFirst!: () => void;
    const firstMayFinish = new Promise<void>((r) => (releaseFirst = r));
    // "một" waits until "hai" has saved, so both read the same state and "một" saves last.
    const { bot, state, runs } = notingBot(storage, (text) => (text === 'một' ? firstMayFinish : Promise.resolve()));
    const seed = turn(adapter, 'khởi đầu');
    await bot.run(seed);

    const run = retryOnStateConflict((context) => bot.run(context));
    const one = run(turn(adapter, 'một'));
    await new Promise((r) => setTimeout(r, 20));
    await run(turn(adapter, 'hai'));
    releaseFirst();
    await one;

    const check = turn(adapter, '');
    expect(await state.createProperty<string[]>('notes').get(check)).toEqual(['khởi đầu', 'hai', 'một']);
    expect(runs()).toBe(4); // seed, "hai", "một" twice
  });

  it('the run that lost the race is dropped with its replies: one answer per message, made from the saved state', async () => {
    const storage = new StoreStorage(store.botState);
    const adapter = new TestAdapter();
    adapter.conversation.conversation.id = 'race-replies';
    const state = new ConversationState(storage);
    const notes = state.createProperty<string[]>('notes');
    let releaseFirst!: () => void;
    const firstMayFinish = new Promise<void>((r) => (releaseFirst = r));
    const bot = new ActivityHandler();
    let runs = 0;
    let waited = false;
    bot.onMessage(async (context, next) => {
      runs++;
      const text = context.activity.text ?? '';
      const list = await notes.get(context, []);
      await context.sendActivity({ type: 'typing' });
      if (text === 'một' && !waited) {
        waited = true;
        await firstMayFinish;
      }
      list.push(text);
      await context.sendActivity(`${text}: ${list.join(', ')}`);
      await state.saveChanges(context, false);
      await next();
    });
    const run = retryOnStateConflict((context) => bot.run(context));
    await run(turn(adapter, 'khởi đầu'));
    const one = run(turn(adapter, 'một'));
    await new Promise((r) => setTimeout(r, 20));
    await run(turn(adapter, 'hai'));
    releaseFirst();
    await one;
    const sent = adapter.activeQueue.filter((a) => a.type === 'message').map((a) => a.text);
    // "một" first ran on the state before "hai" ("một: khởi đầu, một", never sent), lost, and ran again after "hai" was saved.
    expect(sent).toEqual(['khởi đầu: khởi đầu', 'hai: khởi đầu, hai', 'một: khởi đầu, hai, một']);
    expect(adapter.activeQueue.filter((a) => a.type === 'typing').length).toBe(4);
    expect(runs).toBe(4);
  });

  it('a turn that keeps losing gives up after three runs, with botbuilder\'s conflict error', async () => {
    let runs = 0;
    const run = retryOnStateConflict(async () => {
      runs++;
      throw new StateConflictError('k');
    });
    await expect(run(turn(new TestAdapter(), 'x'))).rejects.toThrow(StateConflictError);
    expect(runs).toBe(3);
  });

  it('without the retry the losing turn fails with botbuilder\'s conflict error, nothing overwritten', async () => {
    const storage = new StoreStorage(store.botState);
    const adapter = new TestAdapter();
    adapter.conversation.conversation.id = 'race-2';
    let releaseFirst!: () => void;
    const firstMayFinish = new Promise<void>((r) => (releaseFirst = r));
    const { bot, state } = notingBot(storage, (text) => (text === 'một' ? firstMayFinish : Promise.resolve()));
    await bot.run(turn(adapter, 'khởi đầu'));
    const one = bot.run(turn(adapter, 'một')).then(() => null, (error: unknown) => error);
    await new Promise((r) => setTimeout(r, 20));
    await bot.run(turn(adapter, 'hai'));
    releaseFirst();
    const error = await one;
    expect(error).toBeInstanceOf(StateConflictError);
    expect(isStateConflict(error)).toBe(true);
    expect((error as Error).message).toMatch(/due to eTag conflict/);
    expect(await state.createProperty<string[]>('notes').get(turn(adapter, ''))).toEqual(['khởi đầu', 'hai']);
  });

  it('two first turns of a conversation with no state yet: the later save conflicts instead of overwriting', async () => {
    const storage = new StoreStorage(store.botState);
    const adapter = new TestAdapter();
    adapter.conversation.conversation.id = 'race-first';
    let releaseFirst!: () => void;
    const firstMayFinish = new Promise<void>((r) => (releaseFirst = r));
    let waited = false;
    const { bot, state, runs } = notingBot(storage, async (text) => {
      if (text === 'một' && !waited) {
        waited = true;
        await firstMayFinish;
      }
    });
    const run = retryOnStateConflict((context) => bot.run(context));
    const one = run(turn(adapter, 'một'));
    await new Promise((r) => setTimeout(r, 20));
    await run(turn(adapter, 'hai'));
    releaseFirst();
    await one;
    expect(await state.createProperty<string[]>('notes').get(turn(adapter, ''))).toEqual(['hai', 'một']);
    expect(runs()).toBe(3);
  });

  it('"*" on state never read, and an explicit eTag, follow the Storage contract', async () => {
    const storage = new StoreStorage(store.botState);
    await storage.write({ k: { a: 1, eTag: '*' } });
    const read = (await storage.read(['k'])).k as { eTag: string };
    expect(read).toMatchObject({ a: 1 });
    await expect(storage.write({ k: { a: 2, eTag: 'not-the-one' } })).rejects.toThrow(StateConflictError);
    await storage.write({ k: { a: 3, eTag: read.eTag } });
    await expect(storage.write({ k: { a: 4, eTag: read.eTag } })).rejects.toThrow(/eTag conflict/);
    await storage.write({ k: { a: 5, eTag: '*' } });
    expect(await storage.read(['k'])).toEqual({ k: expect.objectContaining({ a: 5 }) });
  });
});
