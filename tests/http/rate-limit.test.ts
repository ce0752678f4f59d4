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

describe('behind a trusted reverse proxy (TRUSTED_PROXIES)', () => {
  const data = tempDir();
  const knowledge = tempDir();
  let app: App;
  beforeAll(async () => {
    writeTestKnowledge(knowledge.path);
    app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path, requestsPerMinute: 3, trustedProxies: ['127.0.0.1'] }, undefined, fixedClock('2026-11-23T00:00:00Z'));
  });
  afterAll(async () => {
    await app.stop();
    data.remove();
    knowledge.remove();
  });

  it('gives each client named by the proxy a budget of its own, not one for everyone behind the proxy', async () => {
    // A window of its own: the requests must not straddle the minute the budget counts in.
    const second = new Date().getSeconds();
    if (second > 55) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
    const slots = (client: string) => api(app, 'GET', '/api/slots?branch=test-a&procedure=1.001193&date=2026-11-23', undefined, { 'x-forwarded-for': client });
    const first: number[] = [];
    for (let i = 0; i < 4; i++) first.push((await slots('203.0.113.5')).status);
    expect(first).toEqual([200, 200, 200, 429]);
    expect((await slots('203.0.113.6')).status).toBe(200);
    // What the client itself wrote before the proxy's entry does not give it a new budget.
    expect((await slots('198.51.100.1, 203.0.113.5')).status).toBe(429);
  });
});
