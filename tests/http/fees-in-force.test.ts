import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestAdapter, type Activity } from 'botbuilder';
import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { api, startTestApp, writeTestKnowledge } from '../app-helpers';
import { KNOWLEDGE_DIR, tempDir } from '../helpers';

/**
 * The fee that applies on the day asked (the injected clock), through the real server and the bot:
 * ID card and passport inside the TT 64/2025/TT-BTC halving (to 31/12/2026) and after it.
 */
const clock = fixedClock('2026-12-01T03:00:00Z');
const data = tempDir();
const knowledge = tempDir();
let app: App;

beforeAll(async () => {
  const codes = ['1.014063', '1.014064', '1.001456', '1.004222', '2.000986'];
  writeTestKnowledge(knowledge.path, { codes });
  writeFileSync(join(knowledge.path, 'everyday-names.json'), JSON.stringify({ entries: [] }));
  // The bundled rules, for the codes of this small catalogue.
  const rules = JSON.parse(readFileSync(join(KNOWLEDGE_DIR, 'fee-rules.json'), 'utf8'));
  rules.rules = rules.rules
    .map((r: { procedures: string[] }) => ({ ...r, procedures: r.procedures.filter((c) => codes.includes(c)) }))
    .filter((r: { procedures: string[] }) => r.procedures.length > 0);
  writeFileSync(join(knowledge.path, 'fee-rules.json'), JSON.stringify(rules));
  app = await startTestApp({ dataDir: data.path, knowledgeDir: knowledge.path, requestsPerMinute: 10_000 }, undefined, clock);
});
afterAll(async () => {
  await app.stop();
  data.remove();
  knowledge.remove();
});

async function card(code: string): Promise<string> {
  const user = `user-${Math.random().toString(36).slice(2)}`;
  const adapter = new TestAdapter(async (context) => app.bot.run(context), { from: { id: user, name: user }, conversation: { id: `conv-${user}` } as never, channelId: 'test' } as never);
  await adapter.receiveActivity(`thủ tục ${code}`);
  const text = adapter.activeQueue.splice(0).map((r: Partial<Activity>) => r.text ?? '').join('\n');
  expect(text).toMatch(new RegExp(`mã ${code.replace('.', '\\.')}`));
  return text.split('\n').find((l) => l.startsWith('- Phí, lệ phí:')) ?? '';
}

const amounts = (day: any) => day.fees.map((f: any) => [f.item, f.amountVnd]);

describe('fees in force on the day asked', () => {
  afterEach(() => clock.set('2026-12-01T03:00:00Z'));

  it('ID card exchange on 1/12/2026: the halved fee per method, its legal basis and end date, the online exemption, the next change', async () => {
    const { status, body } = await api(app, 'GET', '/api/procedures/1.014063');
    expect(status).toBe(200);
    const { direct, online, post } = body.feesInForce;
    expect(direct.date).toBe('2026-12-01');
    expect(amounts(direct)).toEqual([['Cấp đổi thẻ căn cước', 25000], ['Cấp đổi thẻ căn cước công dân sang thẻ căn cước', 15000]]);
    expect(direct.fees[0]).toMatchObject({ legalBasis: { code: '64/2025/TT-BTC' }, validUntil: '2026-12-31', verified: false });
    expect(direct.exemption).toBeNull();
    expect(amounts(post)).toEqual(amounts(direct));
    expect(online.exemption).toMatchObject({ legalBasis: { code: '66.22/2026/NQ-CP' }, validUntil: '2027-02-28' });
    expect(direct.nextChange).toMatchObject({ date: '2027-01-01', fees: [{ amountVnd: 50000 }, { amountVnd: 30000 }] });
    // The record as published stays as it was.
    expect(body.fees[0].amountVnd).toBe(50000);

    const line = await card('1.014063');
    expect(line).toMatch(/Cấp đổi thẻ căn cước: 25\.000 đồng/);
    expect(line).toMatch(/Thông tư 64\/2025\/TT-BTC, áp dụng đến 31\/12\/2026/);
    expect(line).toMatch(/nộp trực tuyến: miễn cho công dân có tài khoản định danh điện tử mức 2 .*Nghị quyết 66\.22\/2026\/NQ-CP, đến hết 28\/02\/2027/);
    expect(line).toMatch(/_\(chưa xác minh\)_$/);
    expect(line).not.toMatch(/50\.000/);
  });

  it('ID card exchange on 5/1/2027: the full fee again, the online exemption still (to 28/02/2027)', async () => {
    clock.set('2027-01-05T03:00:00Z');
    const { body } = await api(app, 'GET', '/api/procedures/1.014063');
    expect(amounts(body.feesInForce.direct)).toEqual([['Cấp đổi thẻ căn cước', 50000], ['Cấp đổi thẻ căn cước công dân sang thẻ căn cước', 30000]]);
    expect(body.feesInForce.direct.fees[0]).toMatchObject({ legalBasis: { code: '73/2024/TT-BTC' }, validUntil: null });
    expect(body.feesInForce.online.nextChange).toMatchObject({ date: '2027-03-01', exemption: null });
    const line = await card('1.014063');
    expect(line).toMatch(/Cấp đổi thẻ căn cước: 50\.000 đồng/);
    expect(line).not.toMatch(/25\.000|áp dụng đến/);
    expect(line).toMatch(/Nghị quyết 66\.22\/2026\/NQ-CP/);
  });

  it('passport on 1/12/2026 and on 5/3/2027: 100.000 then 200.000 đồng, the exemption gone after 28/02/2027', async () => {
    let { body } = await api(app, 'GET', '/api/procedures/1.001456');
    expect(amounts(body.feesInForce.online)).toEqual([['Cấp hộ chiếu', 100000], ['Cấp lại hộ chiếu do bị hỏng hoặc bị mất', 200000]]);
    let line = await card('1.001456');
    expect(line).toMatch(/Cấp hộ chiếu: 100\.000 đồng; Cấp lại hộ chiếu do bị hỏng hoặc bị mất: 200\.000 đồng \(Thông tư 64\/2025\/TT-BTC, áp dụng đến 31\/12\/2026\)/);
    // The portal's online row (160.000 đồng, a reduction that ended on 31/12/2023) is not shown.
    expect(line).not.toMatch(/160\.000/);

    clock.set('2027-03-05T03:00:00Z');
    ({ body } = await api(app, 'GET', '/api/procedures/1.001456'));
    expect(amounts(body.feesInForce.direct)).toEqual([['Cấp hộ chiếu', 200000], ['Cấp lại hộ chiếu do bị hỏng hoặc bị mất', 400000]]);
    expect(body.feesInForce.online.exemption).toBeNull();
    line = await card('1.001456');
    expect(line).toMatch(/Cấp hộ chiếu: 200\.000 đồng.*\(Thông tư 25\/2021\/TT-BTC\)/);
    expect(line).not.toMatch(/miễn|Nghị quyết/);
  });

  it('a procedure without an amount rule keeps its published fees, and gets the online exemption in its window', async () => {
    const { body } = await api(app, 'GET', '/api/procedures/1.004222');
    expect(body.feesInForce.online.fees.map((f: any) => f.amountVnd)).toEqual(body.fees.filter((f: any) => f.method === 'online' || f.method === 'any').map((f: any) => f.amountVnd));
    expect(body.feesInForce.online.exemption?.ruleId).toBe('cong-dan-so-mien-le-phi');
    expect(body.feesInForce.direct.exemption).toBeNull();
  });

  it('the OpenAPI description documents the fees in force', async () => {
    const { body } = await api(app, 'GET', '/api/openapi.json');
    const schema = body.paths['/api/procedures/{code}'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(schema.properties)).toContain('feesInForce');
  });
});

describe('papers that no longer count, on the card', () => {
  it('the passport record names "Chứng minh nhân dân": one plain line says what to bring instead', async () => {
    const user = `user-${Math.random().toString(36).slice(2)}`;
    const adapter = new TestAdapter(async (context) => app.bot.run(context), { from: { id: user, name: user }, conversation: { id: `conv-${user}` } as never, channelId: 'test' } as never);
    await adapter.receiveActivity('thủ tục 1.001456');
    const text = adapter.activeQueue.splice(0).map((r: Partial<Activity>) => r.text ?? '').join('\n');
    expect(text).toMatch(/^- Lưu ý: Không dùng chứng minh nhân dân nữa, xin mang thẻ căn cước \(hoặc căn cước công dân còn hạn, hộ chiếu\)\.$/m);
  });

  it('the obsolete inter-linked birth record: out of date, and no sổ hộ khẩu needed', async () => {
    const user = `user-${Math.random().toString(36).slice(2)}`;
    const adapter = new TestAdapter(async (context) => app.bot.run(context), { from: { id: user, name: user }, conversation: { id: `conv-${user}` } as never, channelId: 'test' } as never);
    await adapter.receiveActivity('thủ tục 2.000986');
    const text = adapter.activeQueue.splice(0).map((r: Partial<Activity>) => r.text ?? '').join('\n');
    expect(text).toMatch(/^- Lưu ý: Văn bản gốc của thủ tục này đã cũ, xin hỏi cán bộ trước khi nộp; .*không cần sổ hộ khẩu, sổ tạm trú: cán bộ tra thông tin cư trú trong cơ sở dữ liệu\.$/m);
  });

  it('a card without obsolete papers has no such line', async () => {
    const user = `user-${Math.random().toString(36).slice(2)}`;
    const adapter = new TestAdapter(async (context) => app.bot.run(context), { from: { id: user, name: user }, conversation: { id: `conv-${user}` } as never, channelId: 'test' } as never);
    await adapter.receiveActivity('thủ tục 1.014063');
    const text = adapter.activeQueue.splice(0).map((r: Partial<Activity>) => r.text ?? '').join('\n');
    expect(text).toMatch(/mã 1\.014063/);
    expect(text).not.toMatch(/Lưu ý:/);
  });
});
