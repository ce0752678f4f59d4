/**
 * One assistant, any centre: the same questions under CENTRE=hanoi and CENTRE=nghean (and hcmc) give
 * each its own province's procedure copies, branches, hotline and welcome, through the HTTP API and
 * the bot as web chat reaches it (Direct Line).
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../../src/app';
import { fixedClock } from '../../src/domain/calendar/clock';
import { api, startTestApp, writeTestKnowledge } from '../app-helpers';
import { KNOWLEDGE_DIR, tempDir } from '../helpers';

// Province copies of the same procedures, side by side in the national catalogue.
const LEGAL_AID_NATIONAL = '1.005464'; // Bộ Tư pháp
const LEGAL_AID_NGHE_AN = '1.014517';
const LEGAL_AID_OTHERS = ['1.014013', '1.014442']; // Thanh Hóa, Điện Biên
const TRIAL_HANOI = '1.115424'; // gia hạn thử nghiệm có kiểm soát, UBND Thành phố Hà Nội
const TRIAL_HAI_PHONG = '1.014890';
const BIRTH = '1.001193'; // đăng ký khai sinh: Ủy ban nhân dân cấp xã
const LEGAL_AID_QUERY = 'hỗ trợ chi phí tư vấn pháp luật cho doanh nghiệp nhỏ và vừa';

const everyday = (JSON.parse(readFileSync(join(KNOWLEDGE_DIR, 'everyday-names.json'), 'utf8')) as { entries: { code: string }[] }).entries.map((e) => e.code);
const knowledge = tempDir();
const clock = fixedClock('2026-11-23T01:00:00Z'); // a Monday, 08:00 in Vietnam
const stores: ReturnType<typeof tempDir>[] = [];

beforeAll(() => {
  writeTestKnowledge(knowledge.path, {
    codes: [...everyday, LEGAL_AID_NATIONAL, LEGAL_AID_NGHE_AN, ...LEGAL_AID_OTHERS, TRIAL_HANOI, TRIAL_HAI_PHONG, BIRTH],
  });
  // The bundled centres replace the test branches, as in the product's knowledge directory.
  rmSync(join(knowledge.path, 'branches.json'));
  cpSync(join(KNOWLEDGE_DIR, 'centres'), join(knowledge.path, 'centres'), { recursive: true });
});
afterAll(() => {
  knowledge.remove();
  for (const s of stores) s.remove();
});

async function startCentre(centre: string, dataDir?: string): Promise<App> {
  if (!dataDir) stores.push(tempDir());
  return startTestApp({ dataDir: dataDir ?? stores[stores.length - 1].path, knowledgeDir: knowledge.path, centre }, undefined, clock);
}

const codes = async (app: App, q: string) =>
  ((await api(app, 'GET', `/api/procedures/search?q=${encodeURIComponent(q)}&limit=10`)).body.results as { code: string }[]).map((r) => r.code);

/** A web chat conversation over Direct Line: each message returns the replies' text and buttons. */
async function conversation(app: App) {
  const generated = await api(app, 'POST', '/v3/directline/tokens/generate');
  const auth = { authorization: `Bearer ${generated.body.token}` };
  const id = (await api(app, 'POST', '/v3/directline/conversations', undefined, auth)).body.conversationId as string;
  let watermark = (await api(app, 'GET', `/v3/directline/conversations/${id}/activities`, undefined, auth)).body.watermark;
  return async (text: string): Promise<string> => {
    await api(app, 'POST', `/v3/directline/conversations/${id}/activities`, { type: 'message', from: { id: 'u1' }, text }, auth);
    const next = await api(app, 'GET', `/v3/directline/conversations/${id}/activities?watermark=${watermark}`, undefined, auth);
    watermark = next.body.watermark;
    // The text and the buttons offered (a choice between close answers is buttons).
    return (next.body.activities as { text?: string; suggestedActions?: { actions: { title: string }[] } }[])
      .slice(1)
      .map((a) => [a.text ?? '', ...(a.suggestedActions?.actions ?? []).map((b) => `[${b.title}]`)].join('\n'))
      .join('\n');
  };
}
const chat = async (app: App, text: string) => (await conversation(app))(text);

describe('each centre its own', () => {
  let hanoi: App;
  let nghean: App;
  beforeAll(async () => {
    hanoi = await startCentre('hanoi');
    nghean = await startCentre('nghean');
  });
  afterAll(async () => {
    await hanoi?.stop();
    await nghean?.stop();
  });

  it("shows the centre province's own copy first and no other province's", async () => {
    const atNghean = await codes(nghean, LEGAL_AID_QUERY);
    expect(atNghean[0]).toBe(LEGAL_AID_NGHE_AN);
    expect(atNghean).toContain(LEGAL_AID_NATIONAL);
    const atHanoi = await codes(hanoi, LEGAL_AID_QUERY);
    expect(atHanoi[0]).toBe(LEGAL_AID_NATIONAL);
    for (const other of [LEGAL_AID_NGHE_AN, ...LEGAL_AID_OTHERS]) {
      expect(atHanoi).not.toContain(other);
      expect(atNghean).not.toContain(LEGAL_AID_OTHERS.includes(other) ? other : '-');
    }

    expect((await codes(hanoi, 'gia hạn thử nghiệm có kiểm soát'))[0]).toBe(TRIAL_HANOI);
    expect(await codes(hanoi, 'gia hạn thử nghiệm có kiểm soát')).not.toContain(TRIAL_HAI_PHONG);
    expect(await codes(nghean, 'gia hạn thử nghiệm có kiểm soát')).not.toContain(TRIAL_HANOI);
    // Asked by name, another province's copy is shown.
    expect(await codes(nghean, 'gia hạn thử nghiệm có kiểm soát Hải Phòng')).toContain(TRIAL_HAI_PHONG);
    expect(await codes(nghean, 'gia han thu nghiem co kiem soat ha noi')).toContain(TRIAL_HANOI);
    // The record itself is always there by code.
    expect((await api(nghean, 'GET', `/api/procedures/${TRIAL_HANOI}`)).status).toBe(200);
  });

  it("lists the centre's own branches", async () => {
    const hanoiPlaces = (await api(hanoi, 'GET', '/api/branches')).body.branches as { id: string; kind: string }[];
    // The city branches, and the commune-level points the file lists apart (each says which it is).
    expect(hanoiPlaces.filter((b) => b.kind === 'branch').map((b) => b.id)).toEqual(['hn-cn01', 'hn-cn02', 'hn-cn07']);
    expect(hanoiPlaces.filter((b) => b.kind === 'commune').map((b) => b.id)).toEqual([
      'hn-px-caugiay', 'hn-px-dongda', 'hn-px-nghiado', 'hn-px-phuthuong', 'hn-px-tayho', 'hn-px-yenhoa',
    ]);
    expect(hanoiPlaces).toHaveLength(9);
    const ngheanBranches = (await api(nghean, 'GET', '/api/branches')).body.branches as { id: string; address: string }[];
    expect(ngheanBranches.map((b) => b.id)).toEqual(['na-tt']);
    expect(ngheanBranches[0].address).toMatch(/16 đường Trường Thi/);
  });

  it('the bot speaks for its centre: welcome, hotline, and its own procedure copy', async () => {
    const hanoiHelp = await chat(hanoi, 'giúp');
    expect(hanoiHelp).toMatch(/trợ lý Một Cửa của Trung tâm Phục vụ hành chính công thành phố Hà Nội/);
    expect(hanoiHelp).toMatch(/024\.1022 \(nhánh 7, 8\)/);
    const ngheanHelp = await chat(nghean, 'giúp');
    expect(ngheanHelp).toMatch(/Trung tâm Phục vụ hành chính công tỉnh Nghệ An/);
    expect(ngheanHelp).toMatch(/16 đường Trường Thi/);
    expect(ngheanHelp).not.toMatch(/1022|Hà Nội/);
    // A complaint is told where to call: never another centre's hotline.
    const ngheanComplaint = await chat(nghean, 'tôi muốn phản ánh cán bộ đòi tiền bồi dưỡng');
    expect(ngheanComplaint).toMatch(/Trung tâm Phục vụ hành chính công tỉnh Nghệ An/);
    expect(ngheanComplaint).not.toMatch(/1022|Hà Nội/);
    expect(await chat(hanoi, 'tôi muốn phản ánh cán bộ đòi tiền bồi dưỡng')).toMatch(/024\.1022/);

    // Nghệ An: its own copy and the national procedure are close, its own copy is offered first.
    const say = await conversation(nghean);
    const choice = await say(LEGAL_AID_QUERY);
    const buttons = [...choice.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]);
    expect(buttons.slice(0, 2)).toEqual([
      'Thủ tục đề nghị hỗ trợ chi phí tư vấn pháp luật cho doanh nghiệp nhỏ và vừa',
      'Đề nghị hỗ trợ chi phí tư vấn pháp luật cho doanh nghiệp nhỏ và vừa',
    ]);
    expect(await say(buttons[0])).toContain(`(mã ${LEGAL_AID_NGHE_AN})`);
    // Hanoi: the national procedure, no province's copy offered.
    const atHanoi = await chat(hanoi, LEGAL_AID_QUERY);
    expect(atHanoi).toContain(`(mã ${LEGAL_AID_NATIONAL})`);
    expect(atHanoi).not.toMatch(/Thủ tục đề nghị hỗ trợ|1\.014517|1\.014013|1\.014442/);
  });

  it('a commune-level procedure is not booked at a city branch: the citizen is told where to go', async () => {
    const slots = await api(hanoi, 'GET', `/api/slots?branch=hn-cn01&procedure=${BIRTH}&date=2026-11-24`);
    expect(slots.status).toBe(400);
    expect(slots.body.error).toMatchObject({ code: 'commune_level', message: expect.stringMatching(/Ủy ban nhân dân xã, phường nơi mình cư trú/) });
    const booked = await api(hanoi, 'POST', '/api/bookings', {
      procedureCode: BIRTH,
      branchId: 'hn-cn01',
      start: '2026-11-24T09:00:00+07:00',
      name: 'Nguyễn Văn An',
      phone: '0912345678',
    });
    expect(booked.status).toBe(400);
    expect(booked.body.error.code).toBe('commune_level');
    // At a commune point it is received (sample hours there, as at the branches).
    const atCommune = await api(hanoi, 'GET', `/api/slots?branch=hn-px-tayho&procedure=${BIRTH}&date=2026-11-24`);
    expect(atCommune.status).toBe(200);
    const reply = await chat(hanoi, 'đặt lịch làm giấy khai sinh');
    // Filed where one lives: the commune points are offered, no city branch and no "any".
    expect(reply).toMatch(/nộp tại xã, phường nơi ông\/bà cư trú/);
    expect(reply).toMatch(/\[Phường Cầu Giấy\]/);
    expect(reply).not.toMatch(/chi nhánh nào|Chi nhánh số/);
  });
});

describe('a province-wide store', () => {
  it("keeps each centre's branches apart: the same store under another centre sees only its own", async () => {
    const data = tempDir();
    stores.push(data);
    const hanoi = await startCentre('hanoi', data.path);
    await hanoi.stop();
    const hcmc = await startCentre('hcmc', data.path);
    try {
      const branches = (await api(hcmc, 'GET', '/api/branches')).body.branches as { id: string; name: string }[];
      expect(branches.map((b) => b.id)).toEqual(['hcm-tt']);
      expect(branches[0].name).toBe('Trung tâm Phục vụ hành chính công Thành phố Hồ Chí Minh');
      // Hanoi's branches are still in the store, out of this centre's reach.
      expect((await api(hcmc, 'GET', '/api/slots?branch=hn-cn01&procedure=1.001612&date=2026-11-24')).status).toBe(404);
      expect(await chat(hcmc, 'xin chào')).toMatch(/Thành phố Hồ Chí Minh/);
    } finally {
      await hcmc.stop();
    }
  });

  it('refuses to start for a centre it does not know, naming the ones it knows', async () => {
    const data = tempDir();
    stores.push(data);
    await expect(startCentre('danang', data.path)).rejects.toThrow(/không có trung tâm "danang" \(có: binhduong, hanoi, hcmc, nghean\)/);
  });
});

describe('a commune point that takes bookings', () => {
  // The bundled Hà Nội file, in a temporary copy, with hours and a counter at the Tây Hồ commune point.
  const withHours = tempDir();
  let app: App;
  beforeAll(async () => {
    cpSync(knowledge.path, withHours.path, { recursive: true });
    const file = join(withHours.path, 'centres', 'hanoi.json');
    const hanoi = JSON.parse(readFileSync(file, 'utf8'));
    const point = hanoi.communePoints.find((p: { id: string }) => p.id === 'hn-px-tayho');
    point.openingHours = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, open: '08:00', close: '17:00' }));
    point.counters = [{ id: 'x1', name: 'Quầy 1', fields: [] }];
    writeFileSync(file, JSON.stringify(hanoi));
    stores.push(tempDir());
    app = await startTestApp({ dataDir: stores[stores.length - 1].path, knowledgeDir: withHours.path, centre: 'hanoi' }, undefined, clock);
  });
  afterAll(async () => {
    await app?.stop();
    withHours.remove();
  });

  it('is where a commune-level procedure is booked; a full slot suggests no city branch', async () => {
    const say = await conversation(app);
    const reply = await say('đặt lịch làm giấy khai sinh');
    expect(reply).toMatch(/điểm tiếp nhận cấp xã/);
    expect(reply).toMatch(/\[Phường Cầu Giấy\]/);
    expect(reply).not.toMatch(/\[Số \d+ ·/); // no city branch button
    // A point beyond the first buttons is chosen by typing its name.
    expect(await say('Tây Hồ')).toMatch(/tại Điểm phục vụ hành chính công phường Tây Hồ/);
    const book = (phone: string) =>
      api(app, 'POST', '/api/bookings', { procedureCode: BIRTH, branchId: 'hn-px-tayho', start: '2026-11-24T09:00:00+07:00', name: 'Nguyễn Văn An', phone });
    expect((await book('0912345678')).status).toBe(201);
    const full = await book('0912345679');
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('slot_full');
    const others = full.body.error.alternatives.otherBranches as { branchId: string }[];
    expect(others.filter((o) => !o.branchId.startsWith('hn-px-'))).toEqual([]);
  });
});
