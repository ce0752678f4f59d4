/**
 * MongoDB store (official driver). Indexes are created at start; every write is an upsert keyed by
 * the natural id, so several stateless server processes can share one database.
 */
import { MongoClient, type Collection, type Document } from 'mongodb';
import type { Branch, Procedure, ProcedureSummary } from '../../../knowledge/schemas';
import { SUMMARY_FIELDS, type Store, type UpsertReport } from '../types';

const WITHOUT_ID = { projection: { _id: 0 } } as const;

async function upsertBy<T extends Document>(
  collection: Collection<T>,
  key: keyof T & string,
  records: readonly T[],
): Promise<UpsertReport> {
  if (records.length === 0) return { inserted: 0, updated: 0 };
  const report = { inserted: 0, updated: 0 };
  for (let i = 0; i < records.length; i += 500) {
    const batch = records.slice(i, i + 500);
    const result = await collection.bulkWrite(
      batch.map((record) => ({
        replaceOne: { filter: { [key]: record[key] } as never, replacement: record, upsert: true },
      })),
      { ordered: false },
    );
    report.inserted += result.upsertedCount;
    report.updated += result.matchedCount;
  }
  return report;
}

export async function openMongoStore(uri: string, options: { serverSelectionTimeoutMS?: number } = {}): Promise<Store> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000 });
  await client.connect();
  const db = client.db();
  const procedures = db.collection<Procedure>('procedures');
  const branches = db.collection<Branch>('branches');
  const meta = db.collection<{ key: string; value: unknown }>('meta');
  await procedures.createIndex({ code: 1 }, { unique: true });
  await branches.createIndex({ id: 1 }, { unique: true });
  await meta.createIndex({ key: 1 }, { unique: true });
  const summaryProjection = { _id: 0, ...Object.fromEntries(SUMMARY_FIELDS.map((f) => [f, 1])) };

  return {
    kind: 'mongodb',
    procedures: {
      upsertMany: (records) => upsertBy(procedures, 'code', records),
      get: (code) => procedures.findOne({ code }, WITHOUT_ID) as Promise<Procedure | null>,
      summaries: () =>
        procedures.find({}, { projection: summaryProjection }).sort({ code: 1 }).toArray() as Promise<ProcedureSummary[]>,
      count: () => procedures.countDocuments(),
    },
    branches: {
      upsertMany: (records) => upsertBy(branches, 'id', records),
      get: (id) => branches.findOne({ id }, WITHOUT_ID) as Promise<Branch | null>,
      list: () => branches.find({}, WITHOUT_ID).sort({ id: 1 }).toArray() as Promise<Branch[]>,
    },
    meta: {
      get: async (key) => (await meta.findOne({ key }))?.value ?? null,
      set: async (key, value) => {
        await meta.updateOne({ key }, { $set: { key, value } }, { upsert: true });
      },
    },
    ping: async () => {
      await db.command({ ping: 1 });
    },
    close: () => client.close(),
  };
}
