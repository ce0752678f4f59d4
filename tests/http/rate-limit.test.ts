import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { api, startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

describe('per-client request budget on booking and look-up endpoints', () => {
  const data = tempDir();
  const knowledge = tempDir();
  let app: App;
  beforeAll(async () => {
    writeTestKnowledge(knowledge.path);
    app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path, requestsPerMinute: 5 }, undefined, fixedClock('2026-11-23T00:00:00Z'));
  });
  afterAll(async () => {
    await app.stop();
    data.remove();
    knowledge.remove();
  });

  it('answers 429 with Retry-After once a client exceeds its budget, and keeps search open', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await api(app, 'GET', '/api/slots?branch=test-a&procedure=1.001193&date=2026-11-23')).status);
    // The budget is per wall-clock minute: the 5 allowed may straddle a minute boundary.
    const allowed = statuses.filter((s) => s === 200).length;
    expect(allowed).toBeGreaterThanOrEqual(5);
    expect(allowed).toBeLessThanOrEqual(10);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const res = await fetch(app.url + '/api/slots?branch=test-a&procedure=1.001193&date=2026-11-23');
    if (res.status === 429) {
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await res.json()) as any).error.code).toBe('rate_limited');
    }
    expect(statuses).toContain(429);
    expect((await api(app, 'GET', '/api/procedures/search?q=khai%20sinh')).status).toBe(200);
  });
});
