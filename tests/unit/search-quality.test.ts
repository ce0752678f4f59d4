import { join } from 'node:path';
import { ProcedureIndex } from '../../src/domain/search/procedure-index';
import { defaultQueryFile, readQueries, score } from '../../scripts/eval';
import { bundledKnowledge } from '../helpers';

/**
 * Search quality on every query set at hand. The product targets (top-1 ≥ 92%, top-3 ≥ 98%,
 * off-topic refused ≥ 95%) hold on the shared development set and our held-out set. The independent
 * set (160 queries written by someone who never saw the search) is harder: it is held to the level
 * reached so far, so it can only go up; README gives its figures. The 2026-12 set (1,247 queries over
 * 482 procedures, also written without seeing the search, split 35/65 at random) is held on its test
 * half, never read while tuning, a little below the level reached so that it is not flaky.
 * The search's second stage (knowledge/reranker.json) is trained on the other sets, including the
 * 2026-12 dev half, so only the test half measures what it does on questions it never saw; the
 * others guard against losing what was reached.
 */
const FIXTURES = join(__dirname, '..', 'fixtures');
const sets: [string, string, { top1: number; top3: number; refused: number }][] = [
  // The shared team copy while developing, else the copy shipped in tests/fixtures: never skipped.
  ['development set', defaultQueryFile(), { top1: 0.92, top3: 0.98, refused: 0.95 }],
  ['held-out set', join(FIXTURES, 'holdout-queries.jsonl'), { top1: 0.92, top3: 0.98, refused: 0.95 }],
  ['independent set', join(FIXTURES, 'independent-queries.jsonl'), { top1: 0.9, top3: 0.95, refused: 0.95 }],
  ['2026-12 set, test half', join(FIXTURES, 'eval-2026-12', 'test.jsonl'), { top1: 0.78, top3: 0.86, refused: 0.95 }],
];

let index: ProcedureIndex;
beforeAll(() => {
  const { procedures, synonyms } = bundledKnowledge();
  index = new ProcedureIndex(procedures, synonyms!);
});

describe.each(sets)('search quality on the %s', (_name, file, target) => {
  it(`reaches top-1 ≥ ${target.top1 * 100}%, top-3 ≥ ${target.top3 * 100}%, off-topic refused ≥ ${target.refused * 100}%`, () => {
    const result = score(readQueries(file), (q) => index.search(q, { limit: 3 }).map((h) => h.code));
    const measured = {
      top1: result.total.top1 / result.total.n,
      top3: result.total.top3 / result.total.n,
      refused: result.offTopic.n ? result.offTopic.refused / result.offTopic.n : 1,
    };
    if (measured.top1 < target.top1) console.log(result.failures.join('\n'));
    expect(measured.top1).toBeGreaterThanOrEqual(target.top1);
    expect(measured.top3).toBeGreaterThanOrEqual(target.top3);
    expect(measured.refused).toBeGreaterThanOrEqual(target.refused);
  });
});
