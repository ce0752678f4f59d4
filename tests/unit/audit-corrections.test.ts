import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Procedure } from '../../knowledge/schemas';
import { isExemption, isStaleBody, legalCodes } from '../../scripts/national-rules';
import { formatReport, knowledgeReport } from '../../scripts/kb-report';
import { feeText, procedureCard, processingTimeText, whereToFile } from '../../src/bot/format';
import { WorkingCalendar } from '../../src/domain/calendar/working-days';
import { feesByMethod, feesOn } from '../../src/domain/fees/fee-rules';
import { loadKnowledge, procedureLines } from '../../src/knowledge-base/load';
import { KNOWLEDGE_DIR, bundledKnowledge, tempDir } from '../helpers';

/**
 * The knowledge audit of 2026-12 (§3, §7): what the bundled data must say for the codes it checked.
 * Each row: code, what is looked at, expected.
 */
const byCode = () => new Map(bundledKnowledge().procedures.map((p) => [p.code, p]));
const fees = (p: Procedure) => p.fees.map((f) => f.amountVnd);
/** The amounts in force on a day at the counter, from knowledge/fee-rules.json (F3). */
const feesInForce = (date: string, method: 'direct' | 'online' = 'direct') => (p: Procedure) =>
  feesOn(p.code, p.fees, bundledKnowledge().feeRules!, date, method).fees.map((f) => [f.amountVnd, f.legalBasis?.code ?? null]);
const exemptOnline = (date: string) => (p: Procedure) => feesOn(p.code, p.fees, bundledKnowledge().feeRules!, date, 'online').exemption?.legalBasis.code ?? null;

const TABLE: [string, string, (p: Procedure) => unknown, unknown][] = [
  // F4: abolished "thị trấn" in the agency of the card's first line
  ['1.000894', 'agency', (p) => p.agency, 'Ủy ban nhân dân cấp xã'],
  ['1.000656', 'agency', (p) => p.agency, 'Ủy ban nhân dân cấp xã'],
  ['1.001022', 'agency', (p) => p.agency, 'Ủy ban nhân dân cấp xã'],
  ['2.001023', 'agency', (p) => p.agency, 'Ủy ban nhân dân cấp xã (phối hợp với cơ quan bảo hiểm xã hội)'],
  // F4: the same body written "Uỷ ban Nhân dân cấp xã, phường, thị trấn" (other tone placement, with "cấp")
  ['1.004901', 'agency', (p) => [p.agency, p.agencies], ['Ủy ban nhân dân cấp xã', ['Ủy ban nhân dân cấp xã']]],
  ['2.002639', 'agency', (p) => p.agency, 'Ủy ban nhân dân cấp xã'],
  ['1.003930', 'agencies', (p) => p.agencies, ['Sở Xây dựng', 'Ủy ban nhân dân cấp xã']],
  // F4: district courts → "Tòa án nhân dân khu vực", the successor the catalogue names (3.000163)
  ['3.000165', 'agencies', (p) => [p.agencies.includes('Tòa án nhân dân khu vực'), p.agencies.some((a) => /cấp huyện/.test(a))], [true, false]],
  ['3.000163', 'agencies', (p) => p.agencies.filter((a) => a === 'Tòa án nhân dân khu vực').length, 1],
  // F4: "Công an huyện" procedures point to their commune-level twins in the catalogue (1.010386, 1.011728)
  ['1.010385', 'agency', (p) => [p.agency, p.agencies, p.warnings.includes('obsolete_record'), /1\.010386/.test(p.notes)], ['Công an cấp xã', ['Công an cấp xã'], true, true]],
  ['1.011727', 'agency', (p) => [p.agency, p.agencies, p.warnings.includes('obsolete_record'), /1\.011728/.test(p.notes)], ['Công an cấp xã', ['Công an cấp xã'], true, true]],
  // F1: a fee set by the provincial HĐND is not "Miễn phí"
  ['2.000806', 'fee text', (p) => /Miễn phí/.test(feeText(p)), false],
  ['1.004873', 'fee text', (p) => /Miễn phí/.test(feeText(p)), false],
  ['1.004859', 'fee text', (p) => /Miễn phí/.test(feeText(p)), false],
  ['1.001022', 'fee text', (p) => /Miễn phí/.test(feeText(p)), false],
  ['1.000656', 'fee text', (p) => /Miễn phí/.test(feeText(p)), false],
  // §3.1: marriage — the copy of the extract as a number (8.000 đồng/bản, TT 281/2016/TT-BTC), the portal's bracketed repeat of the same text shown once
  ['1.000894', 'fee text', (p) => [feeText(p).match(/Miễn lệ phí/g)?.length, /8\.000 đồng \(Phí cấp bản sao Trích lục kết hôn/.test(feeText(p))], [1, true]],
  ['1.000894', 'copy fee', (p) => p.fees.filter((f) => f.amountVnd === 8000).map((f) => [f.method, f.kind]), [['any', 'fee']]],
  // The counter's fee is shown beside the online one (the first two rows were both online).
  ['1.004194', 'fee per filing method', (p) => [/nộp trực tiếp: 15\.000 đồng/.test(feeText(p)), /nộp trực tuyến: 7\.000 đồng/.test(feeText(p))], [true, true]],
  ['1.001022', 'fee text once', (p) => feeText(p).match(/Mức lệ phí cụ thể/g)?.length, 1],
  ['2.000806', 'fee amounts', (p) => fees(p).every((a) => a === null), true],
  // §3.1, §7 item 15: the paper its own text calls 'bản sao hộ chiếu' is asked as a copy, not as an original
  ['2.000806', 'passport copy', (p) => p.documentCases.flatMap((c) => c.documents).filter((d) => /nộp bản sao hộ chiếu/.test(d.name)).map((d) => [d.originals, d.copies]), [[0, 1]]],
  // fee lines: a text that differs from the one before only by its full stop is shown once, and no text ends '.;' before the next
  ['2.002023', 'fee text once', (p) => feeText(p), 'Miễn lệ phí (Thông tư số 47/2019/TT-BTC)'],
  ['1.013225', 'fee text once', (p) => feeText(p), 'Theo quy định của Hội đồng nhân dân cấp tỉnh'],
  ['1.000894', 'fee punctuation', (p) => /\.;|\.\)/.test(feeText(p)), false],
  // F2: 2.001610's online fee 100 is 100.000 đồng by its own text
  ['2.001610', 'online fee', (p) => p.fees.find((f) => f.method === 'online')?.amountVnd, 100000],
  // §3.7: 2.001583's portal row says 50.000 đồng beside "bằng 50%" of the level in TT 47/2019/TT-BTC: no amount claimed
  ['2.001583', 'registration charge', (p) => p.fees.filter((f) => /^Lệ phí đăng ký doanh nghiệp/.test(f.description)).map((f) => [f.amountVnd, /chưa xác minh$/.test(f.description)]), [[null, true]]],
  // §3.7: the lệ phí đăng ký doanh nghiệp the portal record leaves out (TT 47/2019/TT-BTC, TT 64/2025/TT-BTC), amount not claimed
  ['2.001610', 'registration charge', (p) => p.fees.filter((f) => /^Lệ phí đăng ký doanh nghiệp/.test(f.description)).map((f) => [f.method, f.kind, f.amountVnd, /47\/2019\/TT-BTC.*64\/2025\/TT-BTC/.test(f.description)]), [['direct', 'charge', null, true]]],
  ['2.001610', 'fee text', (p) => feeText(p), expect.stringMatching(/100\.000 đồng .*; Lệ phí đăng ký doanh nghiệp: .*số tiền chưa xác minh$/)],
  // F6: headline time by the law, not the first row
  ['1.000656', 'time unit', (p) => p.processingTimes[0].unit, 'same_day'],
  ['1.001193', 'time unit', (p) => p.processingTimes[0].unit, 'same_day'],
  ['2.000635', 'time unit', (p) => p.processingTimes[0].unit, 'same_day'],
  // the due date of a same-day procedure: the next working day at the latest (received after 15:00)
  ['1.000656', 'due-date row', (p) => p.processingTimes.find((t) => t.unit === 'working_days')?.amount, 1],
  ['1.001193', 'due-date row', (p) => p.processingTimes.find((t) => t.unit === 'working_days')?.amount, 1],
  ['1.004859', 'time', (p) => [p.processingTimes[0].amount, p.processingTimes[0].unit], [3, 'working_days']],
  ['1.001022', 'time', (p) => [p.processingTimes[0].amount, p.processingTimes[0].unit], [3, 'working_days']],
  ['1.001022', 'time text', (p) => /"khác"|không ghi đơn vị/.test(processingTimeText(p)), false],
  ['2.000986', 'time', (p) => [p.processingTimes[0].amount, p.processingTimes[0].unit], [20, 'working_days']],
  ['2.001023', 'time', (p) => [p.processingTimes[0].amount, p.processingTimes[0].unit], [15, 'working_days']],
  // F8: counter-only procedures are not "partial"
  ['2.000986', 'online level', (p) => p.onlineLevel, 'none'],
  ['2.001023', 'online level', (p) => p.onlineLevel, 'none'],
  // obsolete records and papers (F11, §3.1)
  ['2.000986', 'warnings', (p) => p.warnings.includes('obsolete_record') && p.warnings.includes('obsolete_paper'), true],
  ['2.001023', 'warnings', (p) => p.warnings.includes('obsolete_record'), true],
  ['1.001456', 'warnings', (p) => p.warnings.includes('obsolete_paper'), true],
  // F5: verified only where a curated record checked against a cited text says so
  ['1.001193', 'verified', (p) => p.verified, false],
  ['2.000815', 'verified', (p) => p.verified, true],
  // F10: the ID card's documents from its own portal page (QĐ 5710/QĐ-BCA-C06), with the portal link
  ['1.014061', 'source', (p) => p.source.url, 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-9e11-77ef-bf03-ae190acb0be3'],
  ['1.014061', 'documents', (p) => p.documentCases.some((c) => c.documents.some((d) => /DC01.*53\/2025\/TT-BCA/.test(d.name))), true],
  ['3.000347', 'time', (p) => processingTimeText(p), '5 ngày làm việc'],
  // §3.3: under 14 — the page's CC01 row once (the page repeats it), the representative's papers and DC02; the under-6 online path
  ['1.014062', 'documents', (p) => p.documentCases.flatMap((c) => c.documents.map((d) => d.formCode ?? d.name.split(' ').slice(0, 4).join(' '))), ['DC01', 'Giấy tờ, tài liệu', 'DC02']],
  ['1.014062', 'under 6 online', (p) => p.documentCases[0].notes.some((n) => /^Người dưới 06 tuổi: .*VNeID/.test(n)) && /từ đủ 06 tuổi đến dưới 14 tuổi/i.test(p.requirements), true],
  // §3.3: ID cards at any commune police "không phụ thuộc vào nơi cư trú", following the ministry's roadmap (still unverified)
  ...['1.014061', '1.014062', '1.014063', '1.014064'].map((code): [string, string, (p: Procedure) => unknown, unknown] => [
    code,
    'where to file',
    (p) => procedureCard(p).match(/- Nơi nộp: .*|nộp phi địa giới \([^)]*\)/g),
    ['- Nơi nộp: Nộp tại Công an cấp xã ở bất kỳ địa phương nào (không phụ thuộc nơi cư trú) _(chưa xác minh)_', 'nộp phi địa giới (nộp tại Công an cấp xã bất kỳ theo lộ trình Bộ Công an thông báo)'],
  ]),
  // a curated field note reads as words on the card, and the fee is marked unverified once
  ['3.000333', 'card footer', (p) => [/documentCases|fees \(/.test(procedureCard(p)), /\(chưa xác minh\)_ _\(chưa xác minh\)_/.test(procedureCard(Object.assign({ feesInForce: feesByMethod(p.code, p.fees, bundledKnowledge().feeRules!, '2026-12-01') }, p)))], [false, false]],
  ['3.000347', 'checklist', (p) => p.detail, 'full'],
  // F3: fees by the day (TT 64/2025/TT-BTC to 31/12/2026; TT 73/2024/TT-BTC and TT 25/2021/TT-BTC after)
  ['1.014063', 'fee on 01/12/2026', feesInForce('2026-12-01'), [[25000, '64/2025/TT-BTC'], [15000, '64/2025/TT-BTC']]],
  ['1.014063', 'fee on 05/01/2027', feesInForce('2027-01-05'), [[50000, '73/2024/TT-BTC'], [30000, '73/2024/TT-BTC']]],
  ['1.014064', 'fee on 01/12/2026', feesInForce('2026-12-01'), [[35000, '64/2025/TT-BTC']]],
  ['1.001456', 'fee on 01/12/2026', feesInForce('2026-12-01'), [[100000, '64/2025/TT-BTC'], [200000, '64/2025/TT-BTC']]],
  ['1.001456', 'online fee on 05/01/2027', feesInForce('2027-01-05', 'online'), [[200000, '25/2021/TT-BTC'], [400000, '25/2021/TT-BTC']]],
  // §3.4: LLTP fee by TT 16/2025/TT-BTC (with the học sinh từ đủ 16 tuổi category), agency Công an cấp tỉnh
  ['3.000333', 'fee', feesInForce('2026-12-01'), [[200000, '16/2025/TT-BTC'], [100000, '16/2025/TT-BTC']]],
  ['3.000333', 'agency', (p) => p.agency, 'Công an cấp tỉnh'],
  // §3.4: the card's legal basis names TT 16/2025/TT-BTC (NQ 66.22/2026/NQ-CP, Phụ lục II), not the superseded TT 244/2016, and marks it unverified
  ['3.000333', 'legal basis', (p) => procedureCard(p).match(/- Căn cứ pháp lý: .*/)?.[0], '- Căn cứ pháp lý: 28/2009/QH12; 216/2026/NĐ-CP; 16/2025/TT-BTC _(chưa xác minh)_'],
  // F3: NQ 66.22/2026/NQ-CP, online, 15/8/2026–28/02/2027
  ['1.004222', 'online exemption 01/09/2026', exemptOnline('2026-09-01'), '66.22/2026/NQ-CP'],
  ['1.004222', 'online exemption 01/03/2027', exemptOnline('2027-03-01'), null],
  ['2.000635', 'online exemption 01/12/2026', exemptOnline('2026-12-01'), '66.22/2026/NQ-CP'],
  // §3.1, §7 item 1: a death registered within 15 days is free (Luật Hộ tịch Art. 11(1)(b), Art. 33(1)); late, the city's HĐND level; the card's cut ends on the ellipsis, not on ';…'
  ['1.000656', 'fee on time', (p) => [feeText(p), p.fees.every((f) => f.amountVnd === null && /Hà Nội chưa xác minh/.test(f.description))], ['Miễn lệ phí khi đăng ký trong 15 ngày kể từ ngày chết (Luật Hộ tịch 60/2014/QH13, Điều 11, Điều 33); quá hạn: theo mức Hội đồng nhân dân thành phố quy định…', true]],
  // §3.1: birth registration on time is free (Luật Hộ tịch Art. 11(1)(b), Art. 15(1))
  ['1.001193', 'fee text', (p) => feeText(p), expect.stringMatching(/^Miễn lệ phí khi đăng ký đúng hạn, trong 60 ngày kể từ ngày sinh \(.*Luật Hộ tịch.*\); Đăng ký quá hạn: lệ phí theo mức Hội đồng nhân dân thành phố/)],
  ['1.001193', 'late fee', (p) => p.fees.map((f) => f.amountVnd), [null, null]],
  // §3.2: the homeowner case no longer asks everyone for the papers of a houseboat; the exemption text is not the fee's description
  ['1.004222', 'first case', (p) => p.documentCases[0].documents.filter((d) => /phương tiện/.test(d.name)).map((d) => d.condition), [expect.stringMatching(/^Khi chỗ ở hợp pháp là phương tiện/), expect.stringMatching(/^Khi chỗ ở hợp pháp là phương tiện/)]],
  ['1.004222', 'direct fee', (p) => p.fees.find((f) => f.method === 'direct')?.description, 'Nộp hồ sơ trực tiếp: 20.000 đồng/lần đăng ký'],
  // §3.2, §7 item 4: the Tờ khai CT01 (TT 53/2025/TT-BCA) in every case that lists papers (the rented, relatives', care and religious-site cases had none)
  ['1.004222', 'CT01 in every case', (p) => p.documentCases.filter((c) => c.documents.length > 0).map((c) => c.documents.some((d) => d.formCode === 'CT01' && /53\/2025\/TT-BCA/.test(d.name))), [true, true, true, true, true, true]],
  ['1.004222', 'still unverified', (p) => ['fees', 'documentCases'].every((f) => p.unverifiedFields.includes(f)), true],
  ['1.001193', 'source', (p) => p.source.url, 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7'],
  // §3.8, §7 item 14: building permit — the new-building form in every case, no contradictory "20 ngày" row
  ['1.013225', 'form names', (p) => p.documentCases.flatMap((c) => c.documents).filter((d) => /^-? ?Đơn đề nghị/.test(d.name)).map((d) => /cấp giấy phép xây dựng theo Mẫu số 1/.test(d.name)), [true, true, true, true, true, true, true]],
  ['1.013225', 'time', (p) => [...new Set(p.processingTimes.map((t) => t.text))], ['10 ngày làm việc (nhà ở riêng lẻ: 07 ngày làm việc)']],
  // §3.9, §7 item 12: first vehicle registration — 02 working days in general (07 only for special plates), fee basis TT 155/2025
  ['1.013067', 'time', (p) => [p.processingTimes[0].amount, p.processingTimes[0].unit], [2, 'working_days']],
  ['1.013067', 'time text', (p) => processingTimeText(p), expect.stringMatching(/^Cấp chứng nhận đăng ký xe: không quá 02 ngày làm việc; biển số mới: cấp ngay/)],
  ['1.013067', 'fee basis', (p) => p.fees.map((f) => f.description), [expect.stringMatching(/155\/2025\/TT-BTC.*chưa được xác minh/)]],
  // §3.9, F3: passport legal basis names TT 28/2026/TT-BTC (NQ 66.22/2026/NQ-CP, Phụ lục II) and is marked unverified
  ['1.001456', 'legal basis', (p) => procedureCard(p).match(/- Căn cứ pháp lý: .*/)?.[0], '- Căn cứ pháp lý: 49/2019/QH14; 31/2023/TT-BCA; 28/2026/TT-BTC _(chưa xác minh)_'],
  // §3.10, §7 item 11: no Hồ Chí Minh City body among the agencies of a national procedure
  ['1.013855', 'agencies', (p) => [p.agency, p.agencies], ['Sở Y tế', ['Sở Y tế', 'Ủy ban nhân dân cấp xã']]],
  // §3.9: "not bound to residence" is any immigration office of the police, not any branch of this centre
  ['1.001456', 'where to file', (p) => whereToFile(p), 'Nộp tại Công an cấp tỉnh (Cơ quan Quản lý xuất nhập cảnh Công an cấp tỉnh) ở bất kỳ địa phương nào (không phụ thuộc nơi cư trú)'],
  // §3.6: licence after the test — counted from the end of the test session (03 days electronic, 07 PET), one text for every channel
  ['3.000346', 'time', (p) => [[...new Set(p.processingTimes.map((t) => `${t.amount} ${t.unit}`))], processingTimeText(p)], [['3 days'], expect.stringMatching(/^Giấy phép lái xe điện tử: trong 03 ngày kể từ ngày kết thúc kỳ sát hạch; .*PET: trong 07 ngày/)]],
  // §3.6, F3: driving-licence fee by TT 154/2025/TT-BTC (NQ 66.22/2026/NQ-CP, Phụ lục II), amount not claimed; the 2023 text's online rate ended 31/12/2025
  ...['3.000347', '3.000348'].map((code): [string, string, (p: Procedure) => unknown, unknown] => [
    code,
    'fee basis',
    (p) => [p.fees.every((f) => /^Lệ phí cấp giấy phép lái xe theo Thông tư 154\/2025\/TT-BTC.*chưa được xác minh/.test(f.description) && f.amountVnd === null), p.legalBasis[0].code, /115\.000/.test(feeText(p))],
    [true, '154/2025/TT-BTC', false],
  ]),
  // legal basis read from the portal's run-together list: digits glued after an issuer other than QH start the next code ('…TT-BTC47/2019/TT-BTC' was one code '64/2025/TT-BTC47')
  ['2.002041', 'legal basis codes', (p) => [p.legalBasis.map((l) => l.code).slice(0, 2), legalCodes('người dân64/2025/TT-BTC47/2019/TT-BTCThông tư 95/2025/QH1523/2019/TT-BTC').map((l) => l.code)], [['64/2025/TT-BTC', '47/2019/TT-BTC'], ['64/2025/TT-BTC', '47/2019/TT-BTC', '95/2025/QH15', '23/2019/TT-BTC']]],
  // §3.6: "đổi bằng lái nước ngoài" is 3.000351, not the exchange of a Vietnamese licence
  ['3.000347', 'aliases', (p) => p.aliases.includes('đổi bằng lái nước ngoài'), false],
  ['3.000351', 'aliases', (p) => p.aliases.includes('đổi bằng lái nước ngoài'), true],
];

describe('the audit\'s corrections hold in the bundled data', () => {
  it.each(TABLE)('%s %s', (code, _what, read, expected) => {
    const p = byCode().get(code);
    expect(p).toBeDefined();
    expect(read(p!)).toEqual(expected);
  });

  it('F1/F2 everywhere: no 0 that is not an exemption, no amount under 1,000 đồng', () => {
    for (const p of bundledKnowledge().procedures.filter((x) => !x.verified)) {
      for (const f of p.fees) {
        if (f.amountVnd === 0 && f.description) expect([p.code, isExemption(f.description)]).toEqual([p.code, true]);
        if (f.amountVnd !== null) expect(f.amountVnd === 0 || f.amountVnd >= 1000).toBe(true);
      }
    }
  });

  it('F4 everywhere: no card names a body of an abolished level as the agency', () => {
    expect(bundledKnowledge().procedures.filter((p) => isStaleBody(p.agency)).map((p) => [p.code, p.agency])).toEqual([]);
  });

  it('F5, F7, F9 everywhere: converted records unverified, "required" unknown, full only with documents', () => {
    const all = bundledKnowledge().procedures;
    expect(all.filter((p) => p.verified).map((p) => p.code).sort()).toEqual(['1.014748', '2.000815', '2.000884']);
    for (const p of all) {
      if (p.detail === 'full') expect([p.code, p.documentCases.some((c) => c.documents.length > 0)]).toEqual([p.code, true]);
      if (!p.verified && p.source.copiedFrom) for (const c of p.documentCases) for (const d of c.documents) expect(d.required).toBeNull();
    }
  });

  it('links every converted record to its page on the national portal (curated ones cite the text they were checked against)', () => {
    const curated = new Set(readdirSync(join(KNOWLEDGE_DIR, 'curated')).map((f) => f.replace(/\.json$/, '')));
    for (const p of bundledKnowledge().procedures.filter((x) => !curated.has(x.code))) expect([p.code, p.source.url]).toEqual([p.code, expect.stringMatching(/^https:\/\/dichvucong\.gov\.vn\/thu-tuc-hanh-chinh\/[0-9a-f-]{36}$/)]);
  });

  it('covers about 3,100 catalogue codes with full records', () => {
    const full = bundledKnowledge().procedures.filter((p) => p.detail === 'full').length;
    expect(full).toBeGreaterThanOrEqual(3000);
  });

  it('says "chưa xác minh" on each unverified fact of a portal record, in Vietnamese', () => {
    const card = procedureCard(byCode().get('1.004194')!);
    for (const line of ['Cơ quan giải quyết', 'Thời hạn', 'Phí, lệ phí', 'Dịch vụ công trực tuyến']) {
      expect(card).toMatch(new RegExp(`- ${line}: .*_\\(chưa xác minh\\)_`));
    }
    expect(card).not.toMatch(/processingTimes|onlineLevel|unverified/);
  });
});

describe('holidays 2027 (audit §6)', () => {
  const calendar = new WorkingCalendar(bundledKnowledge().holidays!);
  it.each(['2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-09-02', '2027-09-03'])('%s is not a working day', (date) => {
    expect(calendar.isWorkingDay(date)).toBe(false);
  });
  it('still counts the Friday after Tết as a working day', () => {
    expect(calendar.isWorkingDay('2027-02-12')).toBe(true);
  });
});

describe('the procedure files', () => {
  it('hold each code once across files, and a repeated code is refused with both places named', () => {
    const dir = tempDir();
    try {
      mkdirSync(join(dir.path, 'procedures'));
      const line = procedureLines(KNOWLEDGE_DIR).find((l) => l.includes('"code":"1.001193"'))!;
      writeFileSync(join(dir.path, 'procedures', 'a.jsonl'), line + '\n');
      writeFileSync(join(dir.path, 'procedures', 'b.jsonl'), line + '\n');
      const result = loadKnowledge(dir.path);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors).toEqual([{ file: join('procedures', 'b.jsonl'), path: 'line 1 $.code', reason: 'mã thủ tục 1.001193 đã có ở procedures/a.jsonl line 1' }]);
    } finally {
      dir.remove();
    }
  });
});

describe('kb:report', () => {
  it('counts coverage by ministry and field, unverified fields, stale bodies and obsolete records', () => {
    const report = knowledgeReport(bundledKnowledge().procedures);
    expect(report.procedures).toBe(bundledKnowledge().procedures.length);
    expect(report.byMinistry.find((m) => m.name === 'Bộ Tư pháp')).toMatchObject({ total: 265 });
    expect(report.byField.find((f) => f.name === 'Hộ tịch')!.full).toBeGreaterThan(50);
    expect(report.obsoleteRecords).toEqual(['1.010385', '1.011727', '2.000986', '2.001023']);
    expect(report.staleBodyRecords).toContain('2.000986');
    expect(report.unverifiedFields.fees).toBeGreaterThan(5000);
    const text = formatReport(report);
    expect(text).toMatch(/Theo cơ quan công bố/);
    expect(text).toMatch(/Bản ghi có văn bản gốc đã lỗi thời \(4\): 1\.010385, 1\.011727, 2\.000986, 2\.001023/);
  });

  it('lists the fee rules in force on the day asked', () => {
    const on = (date: string) => formatReport(knowledgeReport(bundledKnowledge().procedures, bundledKnowledge().feeRules!, date));
    expect(on('2026-12-01')).toMatch(/Quy định phí, lệ phí đang áp dụng ngày 01\/12\/2026 \(\d+\):[\s\S]*1\.014063  Cấp đổi thẻ căn cước: 25\.000 đồng \(trực tiếp, trực tuyến, bưu chính; 64\/2025\/TT-BTC; đến 31\/12\/2026; chưa xác minh\)/);
    expect(on('2027-01-05')).not.toMatch(/64\/2025\/TT-BTC/);
    expect(on('2027-03-01')).not.toMatch(/66\.22\/2026\/NQ-CP/);
  });
});
