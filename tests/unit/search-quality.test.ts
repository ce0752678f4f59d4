import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ProcedureIndex } from '../../src/domain/search/procedure-index';
import { readQueries, score } from '../../scripts/eval';
import { bundledKnowledge } from '../helpers';

/**
 * Search quality against the targets (top-1 ≥ 92%, top-3 ≥ 98%, off-topic refused ≥ 95%) on every
 * query set at hand: our own fixtures and, when it is beside the project, the shared development set.
 */
const sets = [
  ...readdirSync(join(__dirname, '..', 'fixtures'))
    .filter((f) => f.endsWith('-queries.jsonl'))
    .map((f) => join(__dirname, '..', 'fixtures', f)),
  resolve(__dirname, '..', '..', '..', 'shared', 'eval', 'dev-queries.jsonl'),
].filter(existsSync);

let index: ProcedureIndex;
beforeAll(() => {
  const { procedures, synonyms } = bundledKnowledge();
  index = new ProcedureIndex(procedures, synonyms!);
});

describe.each(sets)('search quality on %s', (file) => {
  it('meets the top-1, top-3 and off-topic targets', () => {
    const result = score(readQueries(file), (q) => index.search(q, { limit: 3 }).map((h) => h.code));
    const report = result.failures.join('\n');
    expect({ top1: result.total.top1 / result.total.n >= 0.92, report }).toEqual({ top1: true, report });
    expect(result.total.top3 / result.total.n).toBeGreaterThanOrEqual(0.98);
    if (result.offTopic.n > 0) expect(result.offTopic.refused / result.offTopic.n).toBeGreaterThanOrEqual(0.95);
  });
});
