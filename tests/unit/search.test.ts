import { ProcedureIndex } from '../../src/domain/search/procedure-index';
import { bundledKnowledge } from '../helpers';

let index: ProcedureIndex;
beforeAll(() => {
  const { procedures, synonyms } = bundledKnowledge();
  index = new ProcedureIndex(procedures, synonyms!);
});

const top = (q: string) => index.search(q, { limit: 3 }).map((h) => h.code);

describe('procedure search over the whole national catalogue', () => {
  it.each([
    ['làm sổ đỏ', '1.013978'],
    ['nhập khẩu cho con', '1.004222'],
    ['đổi bằng lái', '3.000347'],
    ['công chứng bản sao', '2.000815'],
    ['mất căn cước', '1.014064'],
    ['xin lý lịch tư pháp', '3.000333'],
    ['dang ky ket hon', '1.000894'],
  ])('finds the everyday query "%s"', (q, code) => {
    expect(top(q)[0]).toBe(code);
  });

  it('puts the common national procedure above its rare variants', () => {
    const names = index.search('dang ky khai sinh', { limit: 5 }).map((h) => h.name);
    expect(names[0]).toBe('Thủ tục đăng ký khai sinh');
    expect(names.indexOf('Thủ tục đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới')).not.toBe(0);
  });

  it('returns the variant when the query asks for it', () => {
    expect(top('đăng ký lại khai sinh')[0]).toBe('1.004884');
    expect(top('dang ky khai sinh co yeu to nuoc ngoai')[0]).toBe('2.000528');
  });

  it('tolerates typos, missing tone marks and glued syllables', () => {
    expect(top('dang ky khai sihn')[0]).toBe('1.001193');
    expect(top('dăng ky kêt hôn')[0]).toBe('1.000894');
    expect(top('dangky khaisinh')[0]).toBe('1.001193');
    expect(top('dang ky tam chu')[0]).toBe('1.004194');
  });

  it('expands abbreviations', () => {
    expect(top('doi GPLX')[0]).toBe('3.000347');
    expect(top('phieu LLTP so 1')[0]).toBe('3.000333');
    expect(top('dang ky HKD')[0]).toBe('1.001612');
  });

  it('accepts decomposed (NFD) input', () => {
    expect(top('đăng ký thường trú'.normalize('NFD'))[0]).toBe('1.004222');
  });

  it('answers an official code with that procedure', () => {
    expect(top('thủ tục 1.000656')).toEqual(['1.000656']);
  });

  it.each(['thời tiết hà nội hôm nay', 'cách nấu phở bò', 'asdkjh qwe', 'giá vàng hôm nay', 'nhà hàng nào ngon ở quận 1', ''])(
    'answers nothing for the off-topic query "%s"',
    (q) => {
      expect(index.search(q)).toEqual([]);
    },
  );

  it('returns at most the limit, best first, with the fields the API promises', () => {
    const hits = index.search('giấy phép', { limit: 4 });
    expect(hits.length).toBeLessThanOrEqual(4);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1].score).toBeGreaterThanOrEqual(hits[i].score);
    for (const hit of hits) expect(Object.keys(hit).sort()).toEqual(['agency', 'code', 'field', 'name', 'score']);
  });

  it('reads an abbreviation written out before deciding a message is off-topic, and only an abbreviation', () => {
    expect(top('làm lltp ở đâu')[0]).toBe('3.000333');
    expect(top('lam gplx o dau')[0]).toMatch(/^3\.00034[678]$/);
    expect(top('ke chuyen cuoi di')).toEqual([]);
  });
});
