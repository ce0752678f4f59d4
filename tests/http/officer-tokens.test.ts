/**
 * Officer tokens expire and can be revoked, through the admin routes of the running server and
 * through `npm run officer:token`, which works while the server holds the embedded store.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { App } from '../../src/app';
import { createOfficerToken } from '../../src/services/officer-auth';
import { api, startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

const ROOT = resolve(__dirname, '..', '..');
const data = tempDir();
const knowledge = tempDir();
let app: App;
let admin: { authorization: string };
let officer: { authorization: string };

beforeAll(async () => {
  writeTestKnowledge(knowledge.path);
  app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path, officer: { sessionHours: 8, tokenDays: 90 } });
  admin = { authorization: `Bearer ${(await createOfficerToken(app.store, 'Quản trị', 'admin', new Date())).secret}` };
  officer = { authorization: `Bearer ${(await createOfficerToken(app.store, 'Cán bộ', 'officer', new Date())).secret}` };
});
afterAll(async () => {
  await app.stop();
  data.remove();
  knowledge.remove();
});

const bookingsOfTheDay = (auth: Record<string, string>) => api(app, 'GET', '/api/officer/bookings?branch=test-a&date=2026-11-23', undefined, auth);

/** `npm run officer:token -- …` as an operator runs it (without the build step), on the server's data directory. */
function officerToken(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'scripts/officer-token.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: data.path, MONGODB_URI: '', OFFICER_ADMIN_TOKEN: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

describe('admin routes for officer tokens', () => {
  it('creates a token that works at once and expires after the configured days; only admins may', async () => {
    expect((await api(app, 'POST', '/api/admin/officer-tokens', { name: 'Nguyễn Văn A' })).status).toBe(401);
    expect((await api(app, 'POST', '/api/admin/officer-tokens', { name: 'Nguyễn Văn A' }, officer)).status).toBe(403);
    const bad = await api(app, 'POST', '/api/admin/officer-tokens', { name: '', role: 'root' }, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['name', 'role']));

    const created = await api(app, 'POST', '/api/admin/officer-tokens', { name: 'Nguyễn Văn A' }, admin);
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^mc_[A-Za-z0-9_-]{40,}$/);
    const days = (Date.parse(created.body.token.expiresAt) - Date.parse(created.body.token.createdAt)) / 86_400_000;
    expect(days).toBe(90);
    expect(created.body.token).toMatchObject({ name: 'Nguyễn Văn A', role: 'officer', revokedAt: null, active: true });
    expect((await bookingsOfTheDay({ authorization: `Bearer ${created.body.secret}` })).status).toBe(200);

    const short = await api(app, 'POST', '/api/admin/officer-tokens', { name: 'Tạm thời', days: 1 }, admin);
    expect((Date.parse(short.body.token.expiresAt) - Date.parse(short.body.token.createdAt)) / 86_400_000).toBe(1);
  });

  it('lists tokens without any secret or hash', async () => {
    const listed = await api(app, 'GET', '/api/admin/officer-tokens', undefined, admin);
    expect(listed.status).toBe(200);
    expect(listed.body.tokens.length).toBeGreaterThanOrEqual(2);
    const text = JSON.stringify(listed.body);
    expect(text).not.toMatch(/mc_|"hash"|[0-9a-f]{64}/);
    expect((await api(app, 'GET', '/api/admin/officer-tokens', undefined, officer)).status).toBe(403);
  });

  it('revokes a token (DELETE or POST …/revoke): refused at once, the first revocation time kept', async () => {
    const { secret, token } = await createOfficerToken(app.store, 'Sẽ bị thu hồi', 'officer', new Date(), 30);
    const auth = { authorization: `Bearer ${secret}` };
    expect((await bookingsOfTheDay(auth)).status).toBe(200);
    const revoked = await api(app, 'DELETE', `/api/admin/officer-tokens/${token.id}`, undefined, admin);
    expect(revoked.status).toBe(200);
    expect(revoked.body.token).toMatchObject({ id: token.id, active: false, revokedAt: expect.any(String) });
    expect((await bookingsOfTheDay(auth)).status).toBe(401);
    const again = await api(app, 'POST', `/api/admin/officer-tokens/${token.id}/revoke`, undefined, admin);
    expect(again.status).toBe(200);
    expect(again.body.token.revokedAt).toBe(revoked.body.token.revokedAt);
    expect((await api(app, 'DELETE', '/api/admin/officer-tokens/00000000-0000-4000-8000-000000000000', undefined, admin)).status).toBe(404);
    expect((await api(app, 'DELETE', '/api/admin/officer-tokens/not-an-id', undefined, admin)).status).toBe(400);
    expect((await api(app, 'DELETE', `/api/admin/officer-tokens/${token.id}`, undefined, officer)).status).toBe(403);
  });

  it('refuses an expired token', async () => {
    const { secret } = await createOfficerToken(app.store, 'Hết hạn', 'officer', new Date(Date.now() - 2 * 86_400_000), 1);
    expect((await bookingsOfTheDay({ authorization: `Bearer ${secret}` })).status).toBe(401);
  });
});

describe('npm run officer:token while the server runs', () => {
  it('explains, when the store is held by the server, how to go through the server', async () => {
    const direct = await officerToken(['--name', 'Trần Thị B']);
    expect(direct.status).toBe(1);
    expect(direct.stderr).toMatch(/--server/);
    expect(direct.stderr).toMatch(/OFFICER_ADMIN_TOKEN/);
  });

  it('creates, lists and revokes through the running server with an admin token', async () => {
    const env = { OFFICER_ADMIN_TOKEN: admin.authorization.slice('Bearer '.length) };
    const created = await officerToken(['--name', 'Trần Thị B', '--days', '7', '--server', app.url], env);
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const secret = /(mc_[A-Za-z0-9_-]{20,})/.exec(created.stdout)![1];
    const id = /định danh ([0-9a-f-]{36})/.exec(created.stdout)![1];
    expect((await bookingsOfTheDay({ authorization: `Bearer ${secret}` })).status).toBe(200);

    const listed = await officerToken(['--list', '--server', app.url], env);
    expect(listed.stdout).toMatch(new RegExp(`${id}\\s+officer\\s+Trần Thị B`));
    expect(listed.stdout).not.toContain(secret);

    const revoked = await officerToken(['--revoke', id, '--server', app.url], env);
    expect(revoked.status).toBe(0);
    expect(revoked.stdout).toMatch(/Đã thu hồi mã/);
    expect((await bookingsOfTheDay({ authorization: `Bearer ${secret}` })).status).toBe(401);

    // Without an admin token, or with an officer's, the server refuses and nothing changes.
    expect((await officerToken(['--list', '--server', app.url])).status).toBe(2);
    const notAdmin = await officerToken(['--list', '--server', app.url], { OFFICER_ADMIN_TOKEN: officer.authorization.slice('Bearer '.length) });
    expect(notAdmin.status).toBe(1);
    expect(notAdmin.stderr).toMatch(/403/);
  });
});
