/**
 * How the store contract runs: one suite function per repository (in the `*-contract.ts` files),
 * each given a fresh, empty store before every test. embedded-store.test.ts runs every suite
 * against the embedded store, mongo-store.test.ts against MongoDB (when MONGODB_URI is set).
 */
import type { Store } from '../../src/store/types';

export interface StoreFactory {
  /** A fresh, empty store. */
  open(): Promise<Store>;
  /** The same store opened again (after close), as after a restart. */
  reopen(): Promise<Store>;
  cleanup(): Promise<void>;
}

export interface ContractContext {
  /** The store under test, fresh for each test. */
  readonly store: Store;
  /** Closes the store and opens it again on the same data, as a server restart does. */
  restart(): Promise<Store>;
}

/** The assertions about one repository; it declares its own `describe`/`it` blocks. */
export type ContractSuite = (ctx: ContractContext) => void;

export function runStoreContract(name: string, factory: () => StoreFactory, suites: Record<string, ContractSuite>): void {
  describe(`store contract: ${name}`, () => {
    let f: StoreFactory;
    let store: Store | null = null;
    const ctx: ContractContext = {
      get store() {
        if (!store) throw new Error('the store is opened in beforeEach');
        return store;
      },
      restart: async () => {
        await store?.close();
        store = null;
        store = await f.reopen();
        return store;
      },
    };

    beforeEach(async () => {
      f = factory();
      store = await f.open();
    });
    afterEach(async () => {
      await store?.close();
      store = null;
      await f.cleanup();
    });

    for (const [repository, suite] of Object.entries(suites)) describe(repository, () => suite(ctx));
  });
}
