import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { createOfficerToken } from '../../src/services/officer-auth';
import { api, startTestApp, writeTestKnowledge } from '../app-helpers';
import { tempDir } from '../helpers';

// Friday 20/11/2026, 09:00 in Hanoi.
const clock = fixedClock('2026-11-20T02:00:00Z');
const data = tempDir();
const knowledge = tempDir();
let app: App;
let auth: Record<string, string>;

beforeAll(async () => {
  writeTestKnowledge(knowledge.path, { holidays: [{ date: '2026-11-24', name: 'Ngày nghỉ thử', kind: 'holiday' }] });
  app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path, lookup: { perCode: 3, windowMinutes: 15, perCodePerDay: 100, perClient: 50, clientWindowMinutes: 15 } }, undefined, clock);
  auth = { authorization: `Bearer ${(await createOfficerToken(app.store, 'Trần Thị Bình', 'officer', clock.now())).secret}` };
});
afterAll(async () => {
  await app.stop();
  data.remove();
  knowledge.remove();
});

const applicant = { name: 'Lê Văn Cường', phone: '0912345678', idNumber: '001090012345', notify: { channel: 'zalo', address: 'zalo-user-1' } };

async function createDossier(over: Record<string, unknown> = {}) {
  return api(app, 'POST', '/api/officer/dossiers', { procedureCode: '1.004222', branchId: 'test-a', applicant, ...over }, auth);
}

describe('dossier status', () => {
  it('an officer creates a dossier; the due date counts working days, skipping weekend and holiday', async () => {
    const { status, body } = await createDossier({ processingDays: 3 });
    expect(status).toBe(201);
    expect(body.code).toMatch(/^HN-261120-\d{4}$/);
    // Received Fri 20: Mon 23 (1), Tue 24 holiday, Wed 25 (2), Thu 26 (3).
    expect(body.dueDate).toBe('2026-11-26');
  });

  it('takes the processing time from the procedure when the officer gives none', async () => {
    const { body } = await createDossier({ code: 'HN-261120-0900' });
    expect(body.processingDays).toBe(7); // Đăng ký thường trú: 7 working days as published
  });

  it('a citizen sees status, due date and timeline with the right proof, never the phone or ID number', async () => {
    const { body: created } = await createDossier({ processingDays: 3 });
    const byPhone = await api(app, 'POST', `/api/dossiers/${created.code.toLowerCase()}/status`, { proof: '5678' });
    expect(byPhone.status).toBe(200);
    expect(byPhone.body.dossier).toMatchObject({ code: created.code, status: 'received', statusLabel: 'Đã tiếp nhận', dueDate: '2026-11-26', overdue: false });
    expect(JSON.stringify(byPhone.body)).not.toContain('0912345678');
    expect(JSON.stringify(byPhone.body)).not.toContain('001090012345');
    const byId = await api(app, 'GET', `/api/dossiers/${created.code}?proof=2345`);
    expect(byId.status).toBe(200);
  });

  it('answers a wrong proof exactly as an unknown code, and throttles repeated failures', async () => {
    const { body: created } = await createDossier({ processingDays: 3 });
    const wrong = await api(app, 'POST', `/api/dossiers/${created.code}/status`, { proof: '0000' });
    const unknown = await api(app, 'POST', '/api/dossiers/HN-261120-9999/status', { proof: '0000' });
    expect(wrong.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(wrong.body).toEqual(unknown.body);
    await api(app, 'POST', `/api/dossiers/${created.code}/status`, { proof: '1111' });
    expect((await api(app, 'POST', `/api/dossiers/${created.code}/status`, { proof: '2222' })).status).toBe(404);
    const throttled = await api(app, 'POST', `/api/dossiers/${created.code}/status`, { proof: '5678' });
    expect(throttled.status).toBe(429);
    clock.set('2026-11-20T02:20:00Z');
    expect((await api(app, 'POST', `/api/dossiers/${created.code}/status`, { proof: '5678' })).status).toBe(200);
    clock.set('2026-11-20T02:00:00Z');
  });

  it('shows what to supplement, and the apology with reason and new date when late; the citizen is notified', async () => {
    const { body: created } = await createDossier({ processingDays: 3 });
    const supplement = await api(
      app,
      'POST',
      `/api/officer/dossiers/${created.code}/supplements`,
      { documents: ['Hợp đồng thuê nhà có công chứng'], reason: 'Hợp đồng nộp là bản chụp không chứng thực' },
      auth,
    );
    expect(supplement.status).toBe(200);
    let view = (await api(app, 'POST', `/api/dossiers/${created.code}/status`, { proof: '5678' })).body.dossier;
    expect(view.status).toBe('supplement_requested');
    expect(view.missing[0].documents).toEqual(['Hợp đồng thuê nhà có công chứng']);

    clock.set('2026-11-27T02:00:00Z'); // past the due date
    view = (await api(app, 'POST', `/api/dossiers/${created.code}/status`, { proof: '5678' })).body.dossier;
    expect(view.overdue).toBe(true);
    const late = await api(app, 'POST', `/api/officer/dossiers/${created.code}/late`, { reason: 'Chờ xác minh thông tin chỗ ở', newDueDate: '2026-12-02' }, auth);
    expect(late.status).toBe(200);
    view = (await api(app, 'POST', `/api/dossiers/${created.code}/status`, { proof: '5678' })).body.dossier;
    expect(view.apology).toMatchObject({ reason: 'Chờ xác minh thông tin chỗ ở', newDueDate: '2026-12-02' });
    expect(view.apology.text).toMatch(/xin lỗi.*Chờ xác minh thông tin chỗ ở.*02\/12\/2026/);
    // Whoever has the code and 4 digits reads this: the apology names the citizen as the view does.
    expect(view.apology.text).toMatch(/^Kính gửi ông\/bà L\. V\. Cường\./);
    expect(JSON.stringify(view)).not.toMatch(/Lê Văn Cường/);
    expect(view.dueDate).toBe('2026-12-02');
    clock.set('2026-11-20T02:00:00Z');

    const notes = await app.store.outbox.forRef(created.code);
    expect(notes.map((n) => n.kind)).toEqual(['supplement_requested', 'dossier_late']);
    expect(notes[0].recipient).toEqual({ phone: '0912345678', channel: 'zalo', address: 'zalo-user-1' });
  });

  it('refuses officer actions without a token, and bad input with the field named', async () => {
    expect((await api(app, 'POST', '/api/officer/dossiers', { procedureCode: '1.004222', branchId: 'test-a', applicant })).status).toBe(401);
    const bad = await createDossier({ applicant: { ...applicant, idNumber: '12' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('applicant.idNumber');
    const badDate = await api(app, 'POST', '/api/officer/dossiers/HN-261120-0900/late', { reason: 'x', newDueDate: '2026-02-30' }, auth);
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.fields[0].path).toBe('newDueDate');
  });
});

describe('process metrics', () => {
  it('are for administrators only and report memory in MB', async () => {
    expect((await api(app, 'GET', '/api/admin/metrics')).status).toBe(401);
    expect((await api(app, 'GET', '/api/admin/metrics', undefined, auth)).status).toBe(403);
    const admin = { authorization: `Bearer ${(await createOfficerToken(app.store, 'Quản trị', 'admin', new Date())).secret}` };
    const { status, body } = await api(app, 'GET', '/api/admin/metrics', undefined, admin);
    expect(status).toBe(200);
    expect(body.memory.heapUsed).toBeGreaterThan(1);
    expect(body.memory.rss).toBeGreaterThan(body.memory.heapUsed);
    expect(body.store).toBe('embedded');
  });
});

describe('OpenAPI', () => {
  it('describes every route from the same schemas that validate them', async () => {
    const { status, body } = await api(app, 'GET', '/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    for (const path of ['/api/procedures/search', '/api/procedures/{code}', '/api/bookings', '/api/slots', '/api/dossiers/{code}', '/api/officer/dossiers']) {
      expect(body.paths[path]).toBeDefined();
    }
    const booking = body.paths['/api/bookings'].post.requestBody.content['application/json'].schema;
    expect(booking.required).toEqual(expect.arrayContaining(['procedureCode', 'branchId', 'start', 'name', 'phone']));
    expect(body.paths['/api/officer/dossiers'].post.security).toEqual([{ officerToken: [] }]);
  });
});
