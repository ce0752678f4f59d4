/**
 * The dossier proof limit through the real HTTP server (audit 2.3 and 2.11): every attempt is
 * counted before the proof is evaluated, so concurrent guesses cannot all pass the check; a
 * stranger locks a code only for minutes, while the penalty on the guessing client lasts longer.
 * Runs on the embedded store, and on MongoDB when MONGODB_URI is set.
 */
import { request } from 'node:http';
import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';
import { storesUnderTest } from '../mongo-helpers';

/** A POST from a chosen loopback source address: the server tells clients apart by address. */
function postFrom(app: App, from: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const url = new URL(app.url + path);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress: from, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const lookup = (app: App, from: string, code: string, proof: string) => postFrom(app, from, `/api/dossiers/${code}/status`, { proof });

// A sample dossier seeded on start: phone 0900000001, ID 001000000001, so its proof is "0001".
const CODE = 'MAU-000000-0001';
const RIGHT = '0001';
/** Wrong proofs: none ends the phone or the ID of the sample dossier. */
const wrong = (i: number) => String(1000 + i).padStart(4, '0');

const tally = (results: { status: number }[]) => {
  const counts: Record<number, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
};

describe.each(storesUnderTest())('dossier proof limit (%s store)', (store) => {
  // Friday 20/11/2026, 09:00 in Hanoi; the tests move the clock past the windows.
  const clock = fixedClock('2026-11-20T02:00:00Z');
  const data = tempDir();
  const knowledge = tempDir();
  let app: App;

  beforeAll(async () => {
    writeTestKnowledge(knowledge.path);
    // The default limits (5 per code per 5 min, 30 per code per day, 10 per client per hour); only
    // the request budget is raised, so that it is the proof limit being measured.
    app = await startTestApp({ store, dataDir: data.path, knowledgeDir: knowledge.path, requestsPerMinute: 100_000 }, undefined, clock);
    await app.ready;
  });
  afterAll(async () => {
    await app.stop();
    data.remove();
    knowledge.remove();
  });

  it('100 concurrent wrong proofs: only the per-code limit (5) is evaluated, the rest get 429', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => lookup(app, '127.0.0.1', CODE, wrong(i))));
    const unexpected = results.filter((r) => r.status !== 404 && r.status !== 429).slice(0, 3);
    expect({ statuses: tally(results), unexpected }).toEqual({ statuses: { 404: 5, 429: 95 }, unexpected: [] });
    const refused = results.find((r) => r.status === 429)!;
    expect(refused.body.error).toEqual({ code: 'too_many_attempts', message: expect.stringMatching(/^Mã hồ sơ này đang tạm khóa tra cứu .* Xin thử lại sau \d phút\.$/) });
  });

  it('locks the code only for minutes: the owner, from another client, gets in once the short lock ends', async () => {
    expect((await lookup(app, '127.0.0.2', CODE, RIGHT)).status).toBe(429);
    clock.set('2026-11-20T02:05:00Z');
    const owner = await lookup(app, '127.0.0.2', CODE, RIGHT);
    expect(owner.status).toBe(200);
    expect(owner.body.dossier.code).toBe(CODE);
    // A right proof is not a failure: the owner may look again and again.
    for (let i = 0; i < 6; i++) expect((await lookup(app, '127.0.0.2', CODE, RIGHT)).status).toBe(200);
  });

  it('the per-client penalty holds across codes and lasts the hour, for that client only', async () => {
    clock.set('2026-11-20T02:10:00Z');
    // 10 wrong proofs on 10 different codes (unknown codes count as wrong proofs: same answer).
    const guesses = await Promise.all(Array.from({ length: 10 }, (_, i) => lookup(app, '127.0.0.3', `HN-261120-${String(100 + i).padStart(4, '0')}`, '1234')));
    expect(tally(guesses)).toEqual({ 404: 10 });
    const blocked = await lookup(app, '127.0.0.3', CODE, RIGHT);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.message).toMatch(/^Ông\/bà đã xác minh sai quá nhiều lần\. Xin thử lại sau \d+ phút\.$/);
    clock.set('2026-11-20T02:40:00Z'); // past the short per-code window, still inside the client's hour
    expect((await lookup(app, '127.0.0.3', 'HN-261120-0200', '1234')).status).toBe(429);
    expect((await lookup(app, '127.0.0.4', CODE, RIGHT)).status).toBe(200);
    clock.set('2026-11-20T03:00:00Z'); // the next hour
    expect((await lookup(app, '127.0.0.3', CODE, RIGHT)).status).toBe(200);
  });

  it('a code guessed from many addresses stops at 30 wrong proofs a day, then opens again the next day', async () => {
    const target = 'MAU-000000-0002'; // proof "0002"
    let evaluated = 0;
    // Seven short windows, five wrong proofs each, from a fresh address each time (under every per-client limit): the seventh finds the day closed.
    for (let w = 0; w < 7; w++) {
      clock.set(new Date(Date.parse('2026-11-20T04:00:00Z') + w * 5 * 60_000));
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => lookup(app, `127.0.1.${w + 1}`, target, wrong(w * 5 + i))));
      evaluated += results.filter((r) => r.status === 404).length;
    }
    expect(evaluated).toBe(30);
    const closed = await lookup(app, '127.0.2.1', target, '0002');
    expect(closed.status).toBe(429);
    expect(closed.body.error.message).toMatch(/đến hết ngày \(khoảng \d+ giờ nữa\)/);
    clock.set('2026-11-20T17:00:00Z'); // 00:00 on 21/11 in Vietnam
    expect((await lookup(app, '127.0.2.1', target, '0002')).status).toBe(200);
  });
});
