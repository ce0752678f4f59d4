import { MongoClient } from 'mongodb';
import { openMongoStore } from '../../src/store/mongo/mongo-store';
import { MONGO_SKIP_MESSAGE, MONGODB_URI, mongoTestDatabase } from '../mongo-helpers';
import { STORE_CONTRACTS } from './all-contracts';
import { runStoreContract } from './harness';
import { bookingContract } from './booking-contract';

if (MONGODB_URI) {
  bookingContract('MongoDB', () => {
    const db = `motcua_booking_contract_${process.pid}_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
    const url = new URL(MONGODB_URI!);
    url.pathname = '/' + db;
    return {
      open: () => openMongoStore(url.toString()),
      // Documents as the previous version wrote them, before the store is opened (and migrates them).
      openWithLegacyBookings: async (documents) => {
        const client = await MongoClient.connect(url.toString());
        await client.db(db).collection('bookings').insertMany(documents.map((d) => ({ ...d })));
        await client.close();
        return openMongoStore(url.toString());
      },
      cleanup: async () => {
        const client = await MongoClient.connect(url.toString());
        await client.db(db).dropDatabase();
        await client.close();
      },
    };
  });
}

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
