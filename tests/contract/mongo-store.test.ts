import { MongoClient } from 'mongodb';
import { openMongoStore } from '../../src/store/mongo/mongo-store';
import { storeContract } from './store-contract';
import { bookingContract } from './booking-contract';

const uri = process.env.MONGODB_URI;

if (uri) {
  bookingContract('MongoDB', () => {
    const db = `motcua_booking_contract_${process.pid}_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
    const url = new URL(uri);
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

if (!uri) {
  describe('store contract: MongoDB', () => {
    it.skip('skipped: set MONGODB_URI (e.g. mongodb://127.0.0.1:27017/motcua_test) to run the contract against MongoDB', () => {});
  });
} else {
  storeContract('MongoDB', () => {
    // A database per run, dropped afterwards, so the suite never touches real data.
    const db = `motcua_contract_${process.pid}_${Date.now()}`;
    const url = new URL(uri);
    url.pathname = '/' + db;
    return {
      open: () => openMongoStore(url.toString()),
      reopen: () => openMongoStore(url.toString()),
      cleanup: async () => {
        const client = await MongoClient.connect(url.toString());
        await client.db(db).dropDatabase();
        await client.close();
      },
    };
  });
}

describe('MongoDB unreachable', () => {
  it('fails to open with a clear error instead of hanging', async () => {
    const started = Date.now();
    await expect(openMongoStore('mongodb://127.0.0.1:1/motcua', { serverSelectionTimeoutMS: 300 })).rejects.toThrow(/ECONNREFUSED|Server selection timed out|connect/i);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
