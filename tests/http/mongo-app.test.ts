/**
 * The whole server on MongoDB (when MONGODB_URI is set; in CI the MongoDB-wire test server): what a
 * citizen and an officer do, through HTTP, on the Mongo store instead of the embedded one.
 */
import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { createOfficerToken } from '../../src/services/officer-auth';
import { api, startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';
import { describeOnMongo } from '../mongo-helpers';

describeOnMongo('the server on MongoDB', () => {
  const clock = fixedClock('2026-11-20T02:00:00Z'); // Friday 09:00 in Hanoi
  const data = tempDir();
  const knowledge = tempDir();
  let app: App;
  let auth: Record<string, string>;

  beforeAll(async () => {
    writeTestKnowledge(knowledge.path);
    app = await startTestApp({ store: 'mongodb', dataDir: data.path, knowledgeDir: knowledge.path, requestsPerMinute: 100_000 }, undefined, clock);
    await app.ready;
    auth = { authorization: `Bearer ${(await createOfficerToken(app.store, 'Trần Thị Bình', 'officer', clock.now())).secret}` };
  });
  afterAll(async () => {
    await app.stop();
    data.remove();
    knowledge.remove();
  });

  it('reports the MongoDB store as healthy and searches the imported catalogue', async () => {
    const health = await api(app, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', store: 'mongodb' });
    const search = await api(app, 'GET', '/api/procedures/search?q=doi%20GPLX');
    expect(search.body.results[0].code).toBe('3.000347');
  });

  it('numbers dossiers created at the same time each once, and a citizen looks one up', async () => {
    const applicant = { name: 'Lê Văn Cường', phone: '0912345678', idNumber: '001090012345', notify: null };
    const created = await Promise.all(
      Array.from({ length: 20 }, () => api(app, 'POST', '/api/officer/dossiers', { procedureCode: '1.004222', branchId: 'test-a', applicant, processingDays: 3 }, auth)),
    );
    expect(created.map((r) => r.status)).toEqual(Array(20).fill(201));
    const codes = created.map((r) => r.body.code as string);
    expect(new Set(codes).size).toBe(20);
    const view = await api(app, 'POST', `/api/dossiers/${codes[7]}/status`, { proof: '5678' });
    expect(view.status).toBe(200);
    expect(view.body.dossier).toMatchObject({ code: codes[7], statusLabel: 'Đã tiếp nhận' });
  });

  it('holds a Direct Line conversation, numbering its activities once each', async () => {
    const generated = await api(app, 'POST', '/v3/directline/tokens/generate');
    const headers = { authorization: `Bearer ${generated.body.token}` };
    const id = (await api(app, 'POST', '/v3/directline/conversations', undefined, headers)).body.conversationId as string;
    const sent = await api(app, 'POST', `/v3/directline/conversations/${id}/activities`, { type: 'message', from: { id: 'u1' }, text: 'doi GPLX' }, headers);
    expect(sent.status).toBe(200);
    const all = await api(app, 'GET', `/v3/directline/conversations/${id}/activities?watermark=0`, undefined, headers);
    const ids = all.body.activities.map((a: { id: string }) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(all.body.activities.some((a: { text?: string }) => /Đổi giấy phép lái xe/.test(a.text ?? ''))).toBe(true);
  });
});
