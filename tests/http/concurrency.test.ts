import { request } from 'node:http';
import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

/** A raw HTTP POST on its own connection, so the 1,000 requests really are in flight together. */
function post(url: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const stores: [string, string | undefined][] = [['embedded store', undefined]];
if (process.env.MONGODB_URI) {
  const url = new URL(process.env.MONGODB_URI);
  url.pathname = `/motcua_concurrency_${process.pid}_${Date.now()}`;
  stores.push(['MongoDB', url.toString()]);
}

describe.each(stores)('never a double booking (%s)', (_name, mongodbUri) => {
  const data = tempDir();
  const knowledge = tempDir();
  let app: App;
  beforeAll(async () => {
    writeTestKnowledge(knowledge.path);
    app = await startTestApp(
      { dataDir: data.path, knowledgeDir: knowledge.path, bookingsPerClientPerDay: 100_000, requestsPerMinute: 100_000, mongodbUri },
      undefined,
      fixedClock('2026-11-23T00:00:00Z'),
    );
  });
  afterAll(async () => {
    if (mongodbUri) {
      const { MongoClient } = await import('mongodb');
      const client = await MongoClient.connect(mongodbUri);
      await client.db().dropDatabase();
      await client.close();
    }
    await app.stop();
    data.remove();
    knowledge.remove();
  });

  it('1,000 concurrent requests at a slot of capacity 3 make exactly 3 bookings', async () => {
    const start = '2026-11-23T10:00:00+07:00'; // branch test-b: one counter × 3 per slot
    const statuses = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        post(`${app.url}/api/bookings`, {
          procedureCode: '1.013978',
          branchId: 'test-b',
          start,
          name: 'Người thử tải',
          phone: `09${String(i).padStart(8, '0')}`,
        }),
      ),
    );
    const count = (s: number) => statuses.filter((x) => x === s).length;
    expect({ created: count(201), full: count(409) }).toEqual({ created: 3, full: 997 });
    const stored = await app.store.bookings.listForBranchDay('test-b', '2026-11-23');
    expect(stored.filter((b) => b.start === start && b.status === 'confirmed')).toHaveLength(3);
  });
});
