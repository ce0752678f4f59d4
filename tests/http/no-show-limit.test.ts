/** With NO_SHOW_LIMIT set, a phone that missed that many appointments books at the counter instead. */
import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { api, startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

const data = tempDir();
const knowledge = tempDir();
const clock = fixedClock('2026-11-23T00:00:00Z'); // Monday 07:00 in Hanoi
let app: App;

beforeAll(async () => {
  writeTestKnowledge(knowledge.path);
  app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path, requestsPerMinute: 10_000, noShow: { limit: 2, windowDays: 90 } }, undefined, clock);
});
afterAll(async () => {
  await app.stop();
  data.remove();
  knowledge.remove();
});

const book = (start: string, phone: string) => api(app, 'POST', '/api/bookings', { procedureCode: '1.001193', branchId: 'test-a', start, name: 'Trịnh Văn Vắng', phone });

it('refuses online booking after the limit of missed appointments, politely, and only for that phone', async () => {
  expect((await book('2026-11-23T09:00:00+07:00', '0916000001')).status).toBe(201);
  expect((await book('2026-11-24T09:00:00+07:00', '0916000001')).status).toBe(201);
  clock.set('2026-11-24T03:00:00Z'); // 10:00 on the 24th: both slots have ended
  expect(await app.jobs.noShows()).toBe(2);
  expect(await app.jobs.noShows()).toBe(0);
  const refused = await book('2026-11-26T09:00:00+07:00', '0916000001');
  expect(refused.status).toBe(429);
  expect(refused.body.error.code).toBe('no_show_limit');
  expect(refused.body.error.message).toMatch(/không đến.*tại quầy/);
  expect((await book('2026-11-26T09:00:00+07:00', '0916000002')).status).toBe(201);
});
