/**
 * Two servers on one MongoDB database (when MONGODB_URI is set; in CI the MongoDB-wire test server,
 * which is not MongoDB: this shows the code's use of the store across processes, not MongoDB's own
 * locking or durability). Each server is a whole app of its own (its own store connection, bot,
 * turn queue, adapters, caches, timers) started in this test process; nothing passes between them
 * except through the database, as between two processes behind a load balancer.
 */
import { request } from 'node:http';
import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { recordInbound } from '../../src/channels/zalo/zalo-window';
import { api, startTestApp, writeTestKnowledge } from '../app-helpers';
import { fakeZalo } from '../fake-zalo';
import { tempDir } from '../helpers';
import { describeOnMongo, mongoTestDatabase } from '../mongo-helpers';

const PER_MINUTE = 30;

describeOnMongo('two server processes on one MongoDB database', () => {
  // Monday 23/11/2026, 07:00 in Hanoi.
  const clock = fixedClock('2026-11-23T00:00:00Z');
  const knowledge = tempDir();
  const dataA = tempDir();
  const dataB = tempDir();
  let database: ReturnType<typeof mongoTestDatabase>;
  let zalo: Awaited<ReturnType<typeof fakeZalo>>;
  let a: App;
  let b: App;

  beforeAll(async () => {
    writeTestKnowledge(knowledge.path);
    database = mongoTestDatabase('scale');
    zalo = await fakeZalo();
    const config = (dataDir: string) => ({
      dataDir,
      knowledgeDir: knowledge.path,
      mongodbUri: database.uri,
      requestsPerMinute: PER_MINUTE,
      bookingsPerClientPerDay: 1000,
      zalo: { appId: 'app-1', appSecret: 'app-secret', oaSecretKey: 'oa-key', accessToken: 'AT1', refreshToken: 'RT1', apiBase: zalo.url, oauthBase: zalo.url, windowSeconds: 300 },
    });
    // The first start imports the knowledge; the second finds it imported.
    a = await startTestApp(config(dataA.path), undefined, clock);
    await a.ready;
    b = await startTestApp(config(dataB.path), undefined, clock);
    await b.ready;
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await database?.drop();
    await new Promise((r) => zalo?.server.close(r));
    for (const dir of [knowledge, dataA, dataB]) dir.remove();
  });

  /** A Direct Line conversation opened on `a`; each message is sent to the server given and read back from the other. */
  async function conversation() {
    const token = (await api(a, 'POST', '/v3/directline/tokens/generate')).body.token as string;
    const headers = { authorization: `Bearer ${token}` };
    const id = (await api(a, 'POST', '/v3/directline/conversations', undefined, headers)).body.conversationId as string;
    const all = async (server: App) => (await api(server, 'GET', `/v3/directline/conversations/${id}/activities?watermark=0`, undefined, headers)).body.activities as any[];
    let seen = (await all(b)).length;
    const talk = async (server: App, text: string): Promise<string> => {
      const sent = await api(server, 'POST', `/v3/directline/conversations/${id}/activities`, { type: 'message', from: { id: 'u' }, text }, headers);
      expect(sent.status).toBe(200);
      const activities = await all(server === a ? b : a);
      const replies = activities.slice(seen).filter((x) => x.from?.role !== 'user');
      seen = activities.length;
      return replies.map((r) => r.text ?? '').join('\n');
    };
    return { id, headers, talk, all };
  }

  it('keeps a conversation\'s dialog state when its turns alternate between the two processes', async () => {
    const { talk, all } = await conversation();
    expect(await talk(a, 'đăng ký thường trú')).toMatch(/Đăng ký thường trú/);
    expect(await talk(b, 'Đặt lịch')).toMatch(/Đặt lịch cho: \*\*Đăng ký thường trú\*\*/);
    expect(await talk(a, 'hoan kiem')).toMatch(/Chi nhánh thử A/);
    await talk(b, 'Ngày mai 24/11');
    expect(await talk(a, '9h30')).toMatch(/họ tên/);
    await talk(b, 'Nguyễn Văn Bình');
    expect(await talk(a, '12345')).toMatch(/chưa đúng/);
    expect(await talk(b, '0912 345 678')).toMatch(/09:30 ngày 24\/11\/2026/);
    const done = await talk(a, 'Đồng ý');
    const code = /Mã đặt lịch: \*\*([A-Z0-9]{8})\*\*/.exec(done)![1];
    expect(await b.bookings.get(code, '0912345678', 'test')).toMatchObject({ start: '2026-11-24T09:30:00+07:00', branchId: 'test-a', procedureCode: '1.004222' });
    // Every activity numbered once across both processes, and the welcome said once.
    const activities = await all(a);
    const ids = activities.map((x) => x.id as string);
    expect(new Set(ids).size).toBe(ids.length);
    const welcome = activities.slice(0, activities.findIndex((x) => x.from?.role === 'user')).map((x) => x.text);
    expect(welcome.length).toBeGreaterThanOrEqual(1);
    expect(new Set(welcome).size).toBe(welcome.length);
  });

  it('answers each of two messages sent to both processes at once exactly once, never with an apology', async () => {
    const { id, headers, talk, all } = await conversation();
    const post = (server: App, text: string) =>
      api(server, 'POST', `/v3/directline/conversations/${id}/activities`, { type: 'message', from: { id: 'u' }, text }, headers);
    // Inside a dialog every turn changes the conversation's state, so two turns at once race for it.
    await talk(a, 'đăng ký thường trú');
    expect(await talk(b, 'Đặt lịch')).toMatch(/Đặt lịch cho/);
    const pairs = [
      ['hoan kiem', 'Hoàn Kiếm'],
      ['Ngày mai 24/11', 'thứ tư'],
      ['9h30', '10h'],
      ['Nguyễn Văn Bình', 'Trần Thị Hoa'],
    ];
    for (const [one, two] of pairs) {
      const sent = await Promise.all([post(a, one), post(b, two)]);
      expect(sent.map((s) => s.status)).toEqual([200, 200]);
    }
    const activities = await all(b);
    expect(activities.map((x) => x.text ?? '').join('\n')).not.toMatch(/tạm thời gián đoạn/);
    const users = activities.filter((x) => x.from?.role === 'user');
    expect(users).toHaveLength(2 + 2 * pairs.length);
    const answer = (message: { id: string; text: string }) => {
      const replies = activities.filter((x) => x.replyToId === message.id && x.type === 'message');
      // Each of these messages is answered with one message at any step of the dialog; a run that
      // lost the race for the state is dropped with its replies, so it is one answer, not two.
      expect({ text: message.text, replies: replies.length }).toEqual({ text: message.text, replies: 1 });
      return replies[0].text as string;
    };
    for (const message of users) answer(message);
    // The two messages of a pair took turns on the state: the second was answered at the step the
    // first led to (not both at the same step, one of them then lost, as when the later save wins).
    for (const [one, two] of pairs) {
      const [first, second] = [users.find((u) => u.text === one), users.find((u) => u.text === two)];
      expect(answer(first)).not.toEqual(answer(second));
    }
    // The dialog is still under way, where the last turn saved it: it goes on from there.
    expect(await talk(a, 'à thôi, cho hỏi lệ phí đăng ký thường trú')).not.toMatch(/tạm thời gián đoạn/);
  });

  it('never books a slot beyond its capacity when both processes take bookings for it at once', async () => {
    const start = '2026-11-23T10:00:00+07:00'; // branch test-b: 3 places per slot
    const book = (server: App, i: number) =>
      api(server, 'POST', '/api/bookings', { procedureCode: '1.013978', branchId: 'test-b', start, name: 'Người thử', phone: `09${String(77_000_000 + i)}` });
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => book(i % 2 ? a : b, i)));
    const count = (s: number) => outcomes.filter((o) => o.status === s).length;
    expect({ created: count(201), full: count(409) }).toEqual({ created: 3, full: 17 });
    const stored = await a.store.bookings.listForBranchDay('test-b', '2026-11-23');
    expect(stored.filter((x) => x.start === start && x.status === 'confirmed')).toHaveLength(3);
  });

  it('delivers an outbox notification once when both processes poll the outbox at the same time', async () => {
    const { id, all } = await conversation();
    await recordInbound(a.store.meta, 'u-scale', Date.now());
    const applicant = (n: number, notify: { channel: string; address: string }) => ({ name: 'Hà Văn Hai', phone: `091300000${n}`, idNumber: `00109000090${n}`, notify });
    await a.dossiers.create({ code: 'HN-261123-0951', procedureCode: '1.001193', branchId: 'test-a', applicant: applicant(1, { channel: 'webchat', address: id }) }, 'test');
    await a.dossiers.create({ code: 'HN-261123-0952', procedureCode: '1.001193', branchId: 'test-a', applicant: applicant(2, { channel: 'zalo', address: 'u-scale' }) }, 'test');
    await a.dossiers.requestSupplement('HN-261123-0951', ['Giấy chứng sinh'], 'Thiếu giấy chứng sinh', 'test');
    await b.dossiers.requestSupplement('HN-261123-0952', ['Giấy chứng sinh'], 'Thiếu giấy chứng sinh', 'test');
    const sentBefore = zalo.sent.length;
    await Promise.all([a.jobs.deliver(), b.jobs.deliver(), a.jobs.deliver(), b.jobs.deliver()]);
    await Promise.all([a.jobs.deliver(), b.jobs.deliver()]);
    const inChat = (await all(a)).filter((x) => x.channelData?.notification === 'supplement_requested');
    expect(inChat).toHaveLength(1);
    expect(zalo.sent.slice(sentBefore).filter((s) => s.userId === 'u-scale')).toHaveLength(1);
    for (const ref of ['HN-261123-0951', 'HN-261123-0952']) {
      const [note] = await b.store.outbox.forRef(ref);
      expect(note.deliveredAt).not.toBeNull();
      expect(note.sendingUntil).toBeUndefined();
    }
  });

  it('renews the Zalo token in one process when both meet an expired token at once; both then use the new one', async () => {
    zalo.state.valid = 'AT-rotated-by-zalo';
    const refreshesBefore = zalo.refreshes.length;
    const sentBefore = zalo.sent.length;
    const outcomes = await Promise.all([
      a.zalo!.client.send('u-1', 'một'),
      b.zalo!.client.send('u-2', 'hai'),
      a.zalo!.client.send('u-3', 'ba'),
      b.zalo!.client.send('u-4', 'bốn'),
    ]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(zalo.refreshes.length - refreshesBefore).toBe(1);
    expect(new Set(zalo.sent.slice(sentBefore).map((s) => s.token))).toEqual(new Set([zalo.state.valid]));
    expect(await b.store.meta.get('zalo-tokens')).toMatchObject({ accessToken: zalo.state.valid });
  });

  it('counts one client\'s requests against one budget across both processes', async () => {
    // A window of its own: the requests must not straddle the minute the budget counts in.
    const second = new Date().getSeconds();
    if (second > 50) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
    // Another loopback address: a client of its own, apart from the requests of the other tests.
    const get = (server: App) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${server.url}/api/slots?branch=test-b&procedure=1.013978&date=2026-11-23`, { localAddress: '127.0.0.2' }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
    const within = await Promise.all(Array.from({ length: PER_MINUTE }, (_, i) => get(i % 2 ? a : b)));
    expect(within.filter((s) => s === 429)).toHaveLength(0);
    expect(await get(a)).toBe(429);
    expect(await get(b)).toBe(429);
  });
});

describeOnMongo('two server processes starting together on a new MongoDB database', () => {
  const knowledge = tempDir();
  const dirs = [tempDir(), tempDir()];
  let database: ReturnType<typeof mongoTestDatabase>;
  let apps: App[] = [];

  beforeAll(async () => {
    writeTestKnowledge(knowledge.path);
    database = mongoTestDatabase('scale_start');
    // As WORKERS=2 does on a first start: both import the knowledge and make a Direct Line secret at once.
    apps = await Promise.all(dirs.map((d) => startTestApp({ dataDir: d.path, knowledgeDir: knowledge.path, mongodbUri: database.uri }, undefined, fixedClock('2026-11-23T00:00:00Z'))));
    await Promise.all(apps.map((x) => x.ready));
  });
  afterAll(async () => {
    await Promise.all(apps.map((x) => x.stop()));
    await database?.drop();
    for (const dir of [knowledge, ...dirs]) dir.remove();
  });

  it('agree on one Direct Line secret (a token from one is accepted by the other) and one catalogue', async () => {
    const [one, two] = apps;
    for (const [from, to] of [[one, two], [two, one]]) {
      const token = (await api(from, 'POST', '/v3/directline/tokens/generate')).body.token as string;
      const opened = await api(to, 'POST', '/v3/directline/conversations', undefined, { authorization: `Bearer ${token}` });
      expect(opened.status).toBe(201);
    }
    const [h1, h2] = await Promise.all(apps.map((x) => api(x, 'GET', '/healthz')));
    expect(h1.body).toMatchObject({ status: 'ok', store: 'mongodb' });
    expect(h2.body.procedures).toBe(h1.body.procedures);
    expect(await one.store.procedures.count()).toBe(h1.body.procedures);
  });
});
