/**
 * The MongoDB half of the tests. It runs only when MONGODB_URI names a server (in CI, the
 * MongoDB-wire test server `.ci/run` starts); without it those tests are skipped with a message,
 * so `npm test` passes on a machine without MongoDB.
 */
import { MongoClient } from 'mongodb';

export const MONGODB_URI: string | undefined = process.env.MONGODB_URI || undefined;

export const MONGO_SKIP_MESSAGE = 'MongoDB half not run: set MONGODB_URI (e.g. mongodb://127.0.0.1:27017/motcua_test) to run it';

let sequence = 0;

/**
 * A database of its own on the server in MONGODB_URI: jest runs test files in parallel workers,
 * and each test gets an empty store. Names stay within MongoDB's 63 characters.
 */
export function mongoTestDatabase(label: string): { uri: string; name: string; drop(): Promise<void> } {
  if (!MONGODB_URI) throw new Error('MONGODB_URI is not set: guard the test with describeOnMongo or storesUnderTest()');
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 24);
  const name = `t_${slug}_${process.pid}_${Date.now().toString(36)}_${++sequence}`.slice(0, 63);
  const url = new URL(MONGODB_URI);
  url.pathname = '/' + name;
  const uri = url.toString();
  return {
    uri,
    name,
    drop: async () => {
      const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
      try {
        await client.db(name).dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

/** `describe` when MONGODB_URI is set; otherwise one skipped test that says how to run it. */
export function describeOnMongo(name: string, body: () => void): void {
  if (MONGODB_URI) describe(name, body);
  else describe(name, () => it.skip(MONGO_SKIP_MESSAGE, () => undefined));
}

/**
 * The stores a test should run on: always the embedded one, MongoDB too when MONGODB_URI is set
 * (otherwise a skipped test in the file says how to run that half).
 */
export function storesUnderTest(): ('embedded' | 'mongodb')[] {
  if (!MONGODB_URI) describe('on MongoDB', () => it.skip(MONGO_SKIP_MESSAGE, () => undefined));
  return MONGODB_URI ? ['embedded', 'mongodb'] : ['embedded'];
}
