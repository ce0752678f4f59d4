import { join } from 'node:path';
import { convertExport, readPortalPages } from '../../scripts/convert-national';
import {
  amountsInText,
  caseHeading,
  chooseAgency,
  feeFrom,
  isExemption,
  legalCodes,
  onlineLevelOf,
  orderTimes,
  sameProcedure,
  splitFormFileNames,
  timeFrom,
} from '../../scripts/national-rules';
import type { RecordWarning } from '../../knowledge/schemas';
import { feeText, procedureCard } from '../../src/bot/format';
import { caseChoices } from '../../src/domain/checklist';

/** A tiny export: one API record, page/.doc copies with the traps of more/README.md. */
const EXPORT = join(__dirname, '..', 'fixtures', 'national-export');
const pages = readPortalPages(join(EXPORT, 'portal-pages.json'));
const { procedures, skipped } = convertExport(EXPORT, pages);
const byCode = new Map(procedures.map((p) => [p.code, p]));
const get = (code: string) => byCode.get(code)!;
const warn = () => new Set<RecordWarning>();

describe('converter traps (more/README.md)', () => {
  it('1. a copy of another procedure under the code is not used, nor one listed in excluded.json', () => {
    expect(get('1.000003').detail).toBe('catalogue');
    expect(skipped.find((s) => s.code === '1.000003')?.reason).toMatch(/thủ tục khác/);
    expect(get('1.000007').detail).toBe('catalogue');
    expect(skipped.find((s) => s.code === '1.000007')?.reason).toMatch(/excluded/);
    expect(sameProcedure('Cấp thẻ căn cước cho người từ đủ 14 tuổi', 'Hỗ trợ phát triển sản xuất cộng đồng')).toBe(false);
    expect(sameProcedure('Thủ tục đăng ký khai sinh', 'Đăng ký khai sinh')).toBe(true);
  });

  it('2. sections re-cut from the raw text are flagged', () => {
    expect(get('1.000002').warnings).toContain('sections_resplit');
  });

  it('3. a page copy that shows one fee per channel is flagged as possibly incomplete', () => {
    expect(get('1.000002').warnings).toContain('fees_first_only');
    expect(get('1.000001').warnings).not.toContain('fees_first_only');
  });

  it('4. "Miễn phí" with a fee text is not free, and "Không có thông tin" is not stated', () => {
    const card = get('1.000002');
    expect(card.fees).toHaveLength(1);
    expect(card.fees[0].amountVnd).toBeNull();
    expect(card.fees[0].description).toMatch(/135\.000 đồng/);
    expect(feeText(card)).not.toMatch(/Miễn phí/);
  });

  it('5. form file names glued to document names go to forms; legal codes are read from run-together text', () => {
    const doc = get('1.000002').documentCases[0].documents[0];
    expect(doc.name).toBe('Phiếu thu thập thông tin dân cư (mẫu DC01 ban hành kèm theo Thông tư số 53/2025/TT-BCA)');
    expect(doc.forms.map((f) => f.name)).toEqual(['Mẫu DC01 Phiếu thu thập thông tin dân cư.docx']);
    expect(splitFormFileNames('Hồ sơ đề nghị khoanh nợmẫu số 03- khoanh nợ.docx')).toEqual({ name: 'Hồ sơ đề nghị khoanh nợ', files: ['mẫu số 03- khoanh nợ.docx'] });
    expect(splitFormFileNames('Tờ khai theo Phụ lục V Thông tư 56/2025/TT-NHNNPhụ lục V.docx').files).toEqual(['Phụ lục V.docx']);
    expect(splitFormFileNames('Giấy tờ không kèm tệp')).toEqual({ name: 'Giấy tờ không kèm tệp', files: [] });
    expect(get('1.000002').legalBasis.map((l) => l.code)).toEqual(['26/2023/QH15', '70/2024/NĐ-CP', '53/2025/TT-BCA']);
    expect(get('1.000002').warnings).toContain('legal_basis_codes_extracted');
    expect(legalCodes('Thông tư53/2025/TT-BCAngày 01/7/2025 và 12/2021/QĐ-TTgLuật').map((l) => l.code)).toEqual(['53/2025/TT-BCA', '12/2021/QĐ-TTg']);
    expect(legalCodes('Luật Các tổ chức tín dụng32/2024/QH1550/2025/TT-NHNN').map((l) => l.code)).toEqual(['32/2024/QH15', '50/2025/TT-NHNN']);
  });

  it('6. unit "khác" and bare numbers are read from the texts; "ngày" is working days when the text says so', () => {
    const ctx = { description: '', steps: 'Giải quyết trong 03 ngày làm việc.' };
    expect(timeFrom('direct', 3, 'OTHER', '', ctx)).toEqual({ method: 'direct', amount: 3, unit: 'working_days', text: '3 ngày làm việc' });
    expect(timeFrom('direct', 0, 'OTHER', '', { description: '', steps: '' })).toMatchObject({ unit: 'same_day', text: 'Trong ngày' });
    expect(timeFrom('direct', 4, 'OTHER', '', { description: '', steps: '' })).toMatchObject({ unit: 'other', text: expect.not.stringMatching(/"khác"/) });
    expect(get('1.000002').processingTimes.find((t) => t.method === 'online')).toMatchObject({ amount: 7, unit: 'working_days' });
  });

  it('a heading of papers to show at the counter is a group for everyone, not a situation to choose', () => {
    expect(caseHeading('Các giấy tờ phải xuất trình (bản chính), bao gồm:')).toBe('* Các giấy tờ phải xuất trình (bản chính), bao gồm:');
    expect(caseHeading('Trường hợp xuất trình hộ chiếu')).toBe('Trường hợp xuất trình hộ chiếu');
    const p = get('1.000002');
    const shown = { ...p, documentCases: [...p.documentCases, { name: caseHeading('Khi nộp hồ sơ trực tiếp cần xuất trình giấy tờ tùy thân'), documents: p.documentCases[0].documents, notes: [] }] };
    expect(caseChoices(shown).always.map((c) => c.name)).toContain('* Khi nộp hồ sơ trực tiếp cần xuất trình giấy tờ tùy thân');
  });

  it('9. codes outside the national catalogue are not converted', () => {
    expect(byCode.has('9.000009')).toBe(false);
    expect(skipped.find((s) => s.code === '9.000009')?.reason).toMatch(/danh mục/);
  });

  it('10. the .doc export: forms from its column, USD fees not shown as đồng, its source linked', () => {
    const p = get('1.000004');
    expect(p.documentCases[0].documents[0].forms).toEqual([{ name: 'PL-01.doc', url: null }]);
    expect(p.fees.find((f) => f.method === 'direct')).toMatchObject({ amountVnd: null, description: '10 USD' });
    expect(p.fees.find((f) => f.method === 'post')).toMatchObject({ amountVnd: 50000 });
    expect(p.source.url).toMatch(/^https:\/\/github\.com\/nhdandz\/ThuTucHanhChinh\/blob\/4ac1613/);
  });
});

describe('cross-cutting corrections (knowledge audit F1–F13)', () => {
  it('F1: a fee of 0 with a text that is not an exemption is not stated; a plain exemption is 0', () => {
    const fees = get('1.000001').fees;
    expect(fees.find((f) => /Hội đồng nhân dân/.test(f.description))?.amountVnd).toBeNull();
    expect(fees.find((f) => f.description === 'Miễn lệ phí')?.amountVnd).toBe(0);
    expect(isExemption('Miễn lệ phí đối với trường hợp đăng ký trong 15 ngày')).toBe(false);
    expect(isExemption('Không thu phí')).toBe(true);
    expect(isExemption('Miễn lệ phí cho người thuộc gia đình có công với cách mạng; người thuộc hộ nghèo; người khuyết tật.')).toBe(false);
    expect(feeFrom({ method: 'direct', kind: 'fee', value: 0, currency: 'VND', description: '' }, warn())).toBeNull();
  });

  it('F2: an amount under 1,000 đ is corrected from its own text, or shown without a unit', () => {
    const fees = get('1.000001').fees;
    expect(fees.find((f) => /Phí công bố/.test(f.description))?.amountVnd).toBe(100000);
    expect(fees.find((f) => /bản sao/.test(f.description))).toMatchObject({ amountVnd: null, description: expect.stringMatching(/ghi mức 20, không rõ đơn vị/) });
    expect(get('1.000001').warnings).toEqual(expect.arrayContaining(['fee_amount_corrected', 'fee_amount_suspicious']));
    expect(amountsInText('20.000 vnđ /tờ khai; 250,000 đồng/bản; 4.000.000đ/lần')).toEqual([20000, 250000, 4000000]);
  });

  it('F6: times ordered by channel (counter first) and case (.01 first), not by row order', () => {
    const times = get('1.000001').processingTimes;
    expect(times[0].method).toBe('direct');
    const cases = times.filter((t) => t.method === 'any');
    expect(cases.map((t) => t.amount)).toEqual([3, 5]);
    const rows = orderTimes(
      [
        { method: 'online', amount: 2, unit: 'days', text: '2 ngày' },
        { method: 'direct', amount: null, unit: 'other', text: 'Không quy định' },
        { method: 'direct', amount: 5, unit: 'working_days', text: '5 ngày làm việc' },
      ],
      [],
    );
    expect(rows[0].text).toBe('5 ngày làm việc');
  });

  it('F7: the portal\'s "required" is unknown', () => {
    for (const p of procedures) for (const c of p.documentCases) for (const d of c.documents) expect(d.required).toBeNull();
  });

  it('F8: online level from the submission methods', () => {
    expect(get('1.000001').onlineLevel).toBe('none'); // counter and post only
    expect(get('1.000002').onlineLevel).toBe('partial');
    expect(onlineLevelOf(['direct', 'online'], true)).toBe('full');
    expect(onlineLevelOf([], null)).toBe('unknown');
  });

  it('F9: a record without documents is not called full', () => {
    expect(get('1.000006').detail).toBe('catalogue');
    expect(get('1.000006').processingTimes.length).toBeGreaterThan(0);
  });

  it('F4: bodies of abolished levels give way to the current body', () => {
    expect(get('1.000001').agency).toBe('Ủy ban nhân dân cấp xã'); // "xã, phường, thị trấn" renamed
    expect(get('1.000002').agency).toBe('Công an cấp xã'); // the catalogue's body before "Công an huyện"
    const w = warn();
    expect(chooseAgency([], ['Công an huyện Gia Lâm'], w).agency).toBe('Công an huyện Gia Lâm');
    expect(w.has('stale_body_name')).toBe(true);
  });

  it('F11: CMND and sổ hộ khẩu are flagged with what replaces them', () => {
    expect(get('1.000001').warnings).toContain('obsolete_paper'); // in the steps
    const book = get('1.000002').documentCases.flatMap((c) => c.documents).find((d) => /Sổ hộ khẩu/.test(d.name))!;
    expect(book.obsoletePaper).toMatch(/không còn giá trị/);
  });

  it('F5: no converted record is verified, and the card says so per field in Vietnamese', () => {
    for (const p of procedures) expect(p.verified).toBe(false);
    const card = procedureCard(get('1.000002'));
    expect(card).toMatch(/Cơ quan giải quyết: Công an cấp xã _\(chưa xác minh\)_/);
    expect(card).toMatch(/Thời hạn: .* _\(chưa xác minh\)_/);
    expect(card).not.toMatch(/processingTimes|fees|agency/);
  });

  it('F13: two catalogue lines with one code keep the procedure citizens can use', () => {
    expect(get('1.000005').name).toBe('Hỗ trợ tư vấn pháp luật cho doanh nghiệp nhỏ và vừa');
    expect(procedures.filter((p) => p.code === '1.000005')).toHaveLength(1);
  });

  it('links the official portal page and keeps where the copy came from', () => {
    expect(get('1.000001').source).toMatchObject({
      url: 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d0000-0000-7000-8000-000000000001',
      copiedFrom: { url: expect.stringMatching(/VoidKeishi\/OpenGOV\/blob\/.+\/details\/1\.000001\.json$/) },
    });
    expect(get('1.000002').source.copiedFrom?.url).toMatch(/chatbot-tthc\/chatbot_tthc\/blob\/7b79a32/);
  });

  it('links the portal page of a catalogue-only record by its code and type (one code has two procedures)', () => {
    expect(get('1.000003').source).toMatchObject({
      url: 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d0000-0000-7000-8000-000000000003',
      copiedFrom: { format: 'catalogue' },
    });
    expect(get('1.000005').source.url).toBe('https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d0000-0000-7000-8000-000000000005');
    expect(get('1.000006').source.url).toMatch(/^https:\/\/github\.com\//); // no page id known
  });

  it('is reproducible: the same export gives the same records', () => {
    expect(JSON.stringify(convertExport(EXPORT, pages).procedures)).toBe(JSON.stringify(procedures));
  });
});
