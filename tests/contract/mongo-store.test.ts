import { openMongoStore } from '../../src/store/mongo/mongo-store';
import { MONGO_SKIP_MESSAGE, MONGODB_URI, mongoTestDatabase } from '../mongo-helpers';
import { STORE_CONTRACTS } from './all-contracts';
import { runStoreContract } from './harness';

if (!MONGODB_URI) {
  describe('store contract: MongoDB', () => {
    it.skip(MONGO_SKIP_MESSAGE, () => undefined);
  });
} else {
  runStoreContract(
    'MongoDB',
    () => {
      // A database per test, dropped afterwards, so the suite never touches real data.
      const database = mongoTestDatabase('contract');
      return {
        open: () => openMongoStore(database.uri),
        reopen: () => openMongoStore(database.uri),
        cleanup: () => database.drop(),
      };
    },
    STORE_CONTRACTS,
  );
}

describe('MongoDB unreachable', () => {
  it('fails to open with a clear error instead of hanging', async () => {
    const started = Date.now();
    await expect(openMongoStore('mongodb://127.0.0.1:1/motcua', { serverSelectionTimeoutMS: 300 })).rejects.toThrow(/ECONNREFUSED|Server selection timed out|connect/i);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
