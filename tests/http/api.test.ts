import type { App } from '../../src/app';
import { startTestApp } from '../app-helpers';
import { memoryLogger, tempDir } from '../helpers';

let app: App;
const dir = tempDir();
const log = memoryLogger();

beforeAll(async () => {
  app = await startTestApp({ dataDir: dir.path, maxBodyBytes: 1024 }, log);
});
afterAll(async () => {
  await app.stop();
  dir.remove();
});

async function get(path: string) {
  const res = await fetch(app.url + path);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as any };
}

describe('REST API over the seeded embedded store', () => {
  it('reports health with the store kind and the catalogue size', async () => {
    const { status, body } = await get('/healthz');
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', store: 'embedded', procedures: expect.any(Number) });
    expect(body.procedures).toBeGreaterThan(5600);
  });

  it('searches the way people type, best first, with official codes', async () => {
    const { status, body } = await get('/api/procedures/search?q=' + encodeURIComponent('lam so do') + '&limit=3');
    expect(status).toBe(200);
    expect(body.query).toBe('lam so do');
    expect(body.results).toHaveLength(3);
    expect(body.results[0]).toEqual({
      code: '1.013978',
      name: expect.stringContaining('Giấy chứng nhận quyền sử dụng đất'),
      field: expect.any(String),
      agency: expect.any(String),
      score: expect.any(Number),
    });
  });

  it('answers an off-topic question with no results, and logs the miss without the text typed', async () => {
    const { status, body } = await get('/api/procedures/search?q=' + encodeURIComponent('cách nấu phở bò 0987654321'));
    expect(status).toBe(200);
    expect(body.results).toEqual([]);
    const miss = log.lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'search found nothing');
    // What a citizen types may hold a name or a number: the log keeps its length and a digest only.
    expect(miss?.query).toEqual({ length: 26, digest: expect.stringMatching(/^[0-9a-f]{12}$/) });
    expect(log.lines.join('\n')).not.toMatch(/phở|0987654321/);
  });

  it('returns the full record of a procedure, documents included', async () => {
    const { status, body } = await get('/api/procedures/1.004222');
    expect(status).toBe(200);
    expect(body.name).toBe('Đăng ký thường trú');
    expect(body.documentCases.length).toBeGreaterThan(0);
    expect(body.source.url).toMatch(/^https:\/\//);
    expect(body).not.toHaveProperty('_id');
  });

  it('404s an unknown code with a JSON error', async () => {
    const { status, type, body } = await get('/api/procedures/1.999999');
    expect(status).toBe(404);
    expect(type).toMatch(/json/);
    expect(body.error.code).toBe('not_found');
  });

  it.each([
    ['/api/procedures/abc', 'code'],
    ['/api/procedures/search', 'q'],
    ['/api/procedures/search?q=', 'q'],
    ['/api/procedures/search?q=khai%20sinh&limit=0', 'limit'],
    ['/api/procedures/search?q=khai%20sinh&limit=abc', 'limit'],
    ['/api/procedures/search?q=' + 'a'.repeat(301), 'q'],
  ])('400s %s and names the field %s', async (path, field) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect(body.error.code).toBe('bad_request');
    expect(body.error.fields.map((f: { path: string }) => f.path)).toContain(field);
  });

  it('404s an unknown route with a JSON error', async () => {
    const { status, body } = await get('/api/nothing-here');
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });

  it('logs each refused request with its own request id', async () => {
    await get('/api/nothing-here-either');
    await get('/api/nothing-here-either');
    const refused = log.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request rejected' && l.path === '/api/nothing-here-either');
    expect(refused).toHaveLength(2);
    for (const line of refused) expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(refused[0].requestId).not.toBe(refused[1].requestId);
  });

  it('405s a wrong method with a JSON error, and keeps serving', async () => {
    const res = await fetch(app.url + '/api/procedures/search', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"q": "khai sinh"',
    });
    expect(res.status).toBe(405);
    expect(((await res.json()) as any).error.code).toBe('method_not_allowed');
    expect((await get('/healthz')).status).toBe(200);
  });

  it('keeps the seeded store across a restart without importing again', async () => {
    await app.stop();
    const again = memoryLogger();
    app = await startTestApp({ dataDir: dir.path }, again);
    expect(again.lines.some((l) => l.includes('knowledge imported'))).toBe(false);
    expect((await get('/api/procedures/1.000656')).body.name).toBe('Thủ tục đăng ký khai tử');
  });
});
