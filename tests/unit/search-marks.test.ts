import { PhraseMatcher } from '../../src/domain/search/phrases';
import fc from 'fast-check';
import { termOf, terms, typedSyllables } from '../../src/domain/search/terms';
import { ProcedureIndex } from '../../src/domain/search/procedure-index';
import { bundledKnowledge } from '../helpers';

/** Diacritics, when typed, tell words apart that fold to the same letters ("để" and "đẻ" are both "de"). */
const dictionary = {
  version: 1,
  entries: [
    { terms: ['đẻ', 'mới đẻ'], expandsTo: ['đăng ký khai sinh'], note: '' },
    { terms: ['hành nghề'], expandsTo: ['chứng chỉ hành nghề'], note: '' },
    { terms: ['sổ hong'], expandsTo: ['giấy chứng nhận quyền sử dụng đất'], note: '' },
  ],
  fillers: ['chị'],
  offTopic: [],
  frames: [],
};
const matcher = new PhraseMatcher(dictionary as never);
const spans = (text: string, withMarks = true) =>
  matcher.match(terms(text), withMarks ? typedSyllables(text) : undefined).map((m) => terms(text).slice(m.start, m.end).join(' '));

describe('typed syllables', () => {
  it('keeps one typed form per folded syllable, đ read as d, ký and kí as one spelling', () => {
    expect(typedSyllables('Để ĐĂNG KÝ, quý khách…')).toEqual(['dể', 'dăng', 'kí', 'quí', 'khách']);
    expect(typedSyllables('thủ tục 2.000815?').length).toBe(terms('thủ tục 2.000815?').length);
  });

  it('folds to exactly the terms of the text, whatever is typed (the search reads terms from it)', () => {
    const letters = [...'aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐÝ Q0-9.,!?\u0301\u0323ñßİΣ'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...letters), { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        expect(typedSyllables(text).map(termOf)).toEqual(terms(text));
      }),
      { numRuns: 2000 },
    );
    expect(typedSyllables('Đăng KÝ khai sinh').map(termOf)).toEqual(terms('Đăng KÝ khai sinh'));
  });
});

describe('everyday phrases and typed marks', () => {
  it('matches a phrase typed with its own marks, or with none', () => {
    expect(spans('vợ tôi mới đẻ')).toEqual(['moi de']);
    expect(spans('vo toi moi de')).toEqual(['moi de']);
  });

  it('does not read a one-syllable phrase into another word with other marks', () => {
    expect(spans('thủ tục gì để nuôi')).toEqual([]);
    expect(spans('chứng chỉ hành nghề')).toEqual(['hanh nghe']);
    expect(spans('chứng chỉ')).toEqual([]); // "chỉ" is not the filler "chị"
    expect(spans('chị hỏi')).toEqual(['chi']);
  });

  it('forgives one mistyped mark inside a longer phrase, and any marks where the dictionary wrote none', () => {
    expect(spans('làm chứng chỉ hành nghê')).toEqual(['hanh nghe']);
    expect(spans('sổ hồng')).toEqual(['so hong']);
  });

  it('ignores marks when no typed forms are given', () => {
    expect(spans('thủ tục gì để nuôi', false)).toEqual(['de']);
  });
});

describe('a made-up need is not read as a procedure through a folded word', () => {
  let index: ProcedureIndex;
  beforeAll(() => {
    const { procedures, synonyms } = bundledKnowledge();
    index = new ProcedureIndex(procedures, synonyms!);
  });
  it.each(['thủ tục gì để nuôi rồng', 'giấy tờ gì để nuôi kỳ lân'])('"%s" finds nothing', (q) => {
    expect(index.search(q, { limit: 3 })).toEqual([]);
  });
  it.each(['vợ tôi mới đẻ cần làm giấy gì', 'vo toi moi de can lam giay gi'])('"%s" still finds the birth registration', (q) => {
    expect(index.search(q, { limit: 1 }).map((h) => h.code)).toEqual(['1.001193']);
  });
});
