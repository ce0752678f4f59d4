import { ProcedureIndex } from '../../src/domain/search/procedure-index';
import { IDENTITY_MODEL, rerank, rerankScore, type CandidateFeatures, type RerankerModel } from '../../src/domain/search/rerank';

const none: CandidateFeatures = Object.freeze({
  unionQuery: 0,
  unionQueryBigram: 0,
  unionClause: 0,
  nameTitle: 0,
  nameQuery: 0,
  popularity: 0,
  fullRecord: 0,
  qualifierAgree: 0,
  qualifierExtra: 0,
});
const model = (weights: Partial<CandidateFeatures>, depth = 10): RerankerModel => ({ depth, weights: { ...none, ...weights } });

describe('second-stage score', () => {
  it('adds each weighted feature to the first-stage score', () => {
    const f = { ...none, unionQuery: 0.5, popularity: 1 };
    expect(rerankScore(2, f, model({ unionQuery: 2, popularity: 0.25 }))).toBeCloseTo(2 + 1 + 0.25);
    expect(rerankScore(2, f, IDENTITY_MODEL)).toBe(2);
  });
});

describe('reordering the first stage', () => {
  const ranked = [
    { doc: 0, score: 1.0 },
    { doc: 1, score: 0.9 },
    { doc: 2, score: 0.8 },
    { doc: 3, score: 0.7 },
  ];
  const evidence: Record<number, number> = { 0: 0, 1: 1, 2: 0.2, 3: 1 };
  const featuresOf = (c: { doc: number }) => ({ ...none, unionQuery: evidence[c.doc] });

  it('leaves the order alone without a model', () => {
    expect(rerank(ranked, featuresOf, IDENTITY_MODEL)).toEqual(ranked);
  });

  it('moves up the candidate whose evidence outweighs its first-stage gap, within the depth only', () => {
    const out = rerank(ranked, featuresOf, model({ unionQuery: 0.5 }, 3));
    expect(out.map((c) => c.doc)).toEqual([1, 0, 2, 3]); // 3 has the evidence but is past the depth
  });

  it('keeps scores in first-stage units: none rises above its own, they never increase, the tail stays below', () => {
    const out = rerank(ranked, featuresOf, model({ unionQuery: 0.5 }, 3));
    for (const c of out) expect(c.score).toBeLessThanOrEqual(ranked.find((r) => r.doc === c.doc)!.score + 1e-12);
    for (let i = 1; i < out.length; i++) expect(out[i].score).toBeLessThan(out[i - 1].score);
  });

  it('breaks ties by the lower position in the index, as the first stage does', () => {
    const tied = [
      { doc: 5, score: 1 },
      { doc: 2, score: 1 },
    ];
    expect(rerank(tied, () => none, model({})).map((c) => c.doc)).toEqual([2, 5]);
  });
});

describe('the index with a second stage (tiny corpus)', () => {
  const dictionary = { version: 1, entries: [], fillers: [], offTopic: [], frames: [] };
  const procedure = (code: string, name: string, aliases: string[]) =>
    ({ code, name, aliases, situations: [], field: 'Hộ tịch', agency: 'UBND cấp xã', popularity: 0, detail: 'catalogue', scope: 'national' }) as never;
  const corpus = [
    procedure('2.000001', 'Cấp lại giấy phép khai thác', []),
    procedure('1.000001', 'Đăng ký khai sinh', ['cấp lại']),
    procedure('3.000001', 'Đăng ký khai sinh lưu động', []),
    procedure('3.000002', 'Khai sinh cho trẻ bị bỏ rơi', []),
  ];
  const q = 'cấp lại giấy khai sinh';
  const plain = new ProcedureIndex(corpus, dictionary as never, {}, IDENTITY_MODEL);

  it('exposes, for training, the candidates in first-stage order with their features in [0, 1]', () => {
    const cands = plain.candidates(q, 5);
    expect(cands.map((c) => c.code)).toEqual(plain.search(q).map((h) => h.code));
    expect(cands.length).toBeGreaterThanOrEqual(2);
    for (const c of cands) for (const v of Object.values(c.features)) expect(v >= 0 && v <= 1).toBe(true);
  });

  it('reorders by a feature the model weighs: the runner-up wins when the evidence is weighed its way', () => {
    const [first, second] = plain.candidates(q, 5);
    // a feature on which they differ, weighed towards the runner-up (weights may be negative)
    const name = (Object.keys(none) as (keyof CandidateFeatures)[]).find((k) => Math.abs(second.features[k] - first.features[k]) > 0.05)!;
    expect(name).toBeDefined();
    const weight = 10 * Math.sign(second.features[name] - first.features[name]);
    const learned = new ProcedureIndex(corpus, dictionary as never, {}, model({ [name]: weight }));
    expect(learned.search(q)[0].code).toBe(second.code);
    // and the dictionary carries the model when none is given
    const viaDictionary = new ProcedureIndex(corpus, { ...dictionary, reranker: model({ [name]: weight }) } as never);
    expect(viaDictionary.search(q)[0].code).toBe(second.code);
    expect(plain.search(q)[0].code).toBe(first.code);
  });
});
