/**
 * Trains the search's second stage (src/domain/search/rerank.ts) on labelled queries and writes
 * knowledge/reranker.json.
 *
 *   npm run kb:train-reranker [-- --check]
 *
 * Training queries are the sets written by people while the search was developed (TRAINING_SETS);
 * the held-out half of the 2026-12 set (MEASURING_SET) is never trained on and is only scored, before
 * and after, so the file records what the reranker earns on questions it never saw. The model is
 * linear: first-stage score plus weighted features, fitted by full-batch gradient descent on the
 * listwise softmax loss (the expected procedure against the other candidates), from zero weights in
 * a fixed order: the same knowledge gives the same file. The temperature is chosen by two-fold
 * cross-validation on the training queries alone. `--check` retrains and fails if the file differs.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RerankerFile } from '../knowledge/schemas';
import { ProcedureIndex } from '../src/domain/search/procedure-index';
import { FEATURE_NAMES, IDENTITY_MODEL, type CandidateFeatures, type RerankerModel } from '../src/domain/search/rerank';
import { loadKnowledge } from '../src/knowledge-base/load';
import { readQueries, type EvalQuery } from './eval';

function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const ROOT = packageRoot(__dirname);
const FIXTURES = join('tests', 'fixtures');
export const TRAINING_SETS = ['eval-2026-12/dev.jsonl', 'dev-queries.jsonl', 'independent-queries.jsonl', 'holdout-queries.jsonl'].map((f) => join(FIXTURES, f));
export const MEASURING_SET = join(FIXTURES, 'eval-2026-12', 'test.jsonl');
const DEPTH = 10;
const TEMPERATURES = [0.03, 0.05, 0.1, 0.2];
const L2 = 0.001;
const STEPS = 3000;
const LEARNING_RATE = 0.05;

interface Example {
  expect: string[];
  candidates: { code: string; firstStage: number; features: CandidateFeatures }[];
}

function examples(index: ProcedureIndex, queries: EvalQuery[]): Example[] {
  return queries
    .filter((q) => q.expect !== null)
    .map((q) => ({ expect: q.expect!, candidates: index.candidates(q.q, DEPTH) }))
    .filter((e) => e.candidates.length > 0);
}

const score = (c: Example['candidates'][number], w: number[]) => FEATURE_NAMES.reduce((s, f, i) => s + w[i] * c.features[f], c.firstStage);

/** Share of examples whose best candidate under the weights is an expected one. */
export function top1(data: Example[], w: number[]): number {
  let hits = 0;
  for (const e of data) {
    let best = e.candidates[0];
    let bestScore = -Infinity;
    for (const c of e.candidates) {
      const s = score(c, w);
      if (s > bestScore) [best, bestScore] = [c, s];
    }
    if (e.expect.includes(best.code)) hits++;
  }
  return data.length === 0 ? 0 : hits / data.length;
}

/** Gradient descent on the softmax loss of the expected candidates; only examples that hold one teach. */
export function fit(data: Example[], temperature: number): number[] {
  const useful = data.filter((e) => e.candidates.some((c) => e.expect.includes(c.code)));
  let w = FEATURE_NAMES.map(() => 0);
  for (let step = 0; step < STEPS; step++) {
    const g = w.map(() => 0);
    for (const e of useful) {
      const r = e.candidates.map((c) => score(c, w) / temperature);
      const m = Math.max(...r);
      const ex = r.map((v) => Math.exp(v - m));
      const z = ex.reduce((a, b) => a + b, 0);
      const positive = e.candidates.map((c) => e.expect.includes(c.code));
      const zp = ex.reduce((a, v, i) => a + (positive[i] ? v : 0), 0);
      e.candidates.forEach((c, i) => {
        const coefficient = (ex[i] / z - (positive[i] ? ex[i] / zp : 0)) / temperature;
        FEATURE_NAMES.forEach((f, j) => (g[j] += coefficient * c.features[f]));
      });
    }
    w = w.map((v, j) => v - LEARNING_RATE * (g[j] / Math.max(1, useful.length) + L2 * v));
  }
  return w;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

export function train(root = ROOT): RerankerFile {
  const loaded = loadKnowledge(join(root, 'knowledge'));
  if (!loaded.ok) throw new Error('knowledge/ is invalid: ' + JSON.stringify(loaded.errors.slice(0, 5)));
  const { procedures, synonyms } = loaded.knowledge;
  if (!synonyms) throw new Error('knowledge/synonyms.json is missing');
  // Features are read from the first stage alone, whatever model is shipped now.
  const index = new ProcedureIndex(procedures, { ...synonyms, reranker: undefined }, {}, IDENTITY_MODEL);
  const training = examples(index, TRAINING_SETS.flatMap((f) => readQueries(join(root, f))));
  const measuring = examples(index, readQueries(join(root, MEASURING_SET)));

  const folds = [training.filter((_, i) => i % 2 === 0), training.filter((_, i) => i % 2 === 1)];
  const crossValidated = TEMPERATURES.map((t) => ({
    temperature: t,
    top1: (top1(folds[1], fit(folds[0], t)) + top1(folds[0], fit(folds[1], t))) / 2,
  }));
  const { temperature } = crossValidated.reduce((a, b) => (b.top1 > a.top1 ? b : a));
  const w = fit(training, temperature).map(round);
  const zero = FEATURE_NAMES.map(() => 0);
  const model: RerankerModel = { depth: DEPTH, weights: Object.fromEntries(FEATURE_NAMES.map((f, i) => [f, w[i]])) as RerankerModel['weights'] };
  const pct = (x: number) => Math.round(x * 1000) / 10;
  return {
    note: 'Written by npm run kb:train-reranker; do not edit by hand. Top-1 figures are over the queries whose first-stage candidates are not empty.',
    model,
    training: {
      sets: TRAINING_SETS.map((f) => f.split('\\').join('/')),
      queries: training.length,
      depth: DEPTH,
      l2: L2,
      steps: STEPS,
      temperature,
      crossValidatedTop1: crossValidated.map((c) => ({ temperature: c.temperature, top1: pct(c.top1) })),
      trainingTop1: { firstStage: pct(top1(training, zero)), reranked: pct(top1(training, w)) },
      measuredOn: MEASURING_SET.split('\\').join('/'),
      measuredQueries: measuring.length,
      measuredTop1: { firstStage: pct(top1(measuring, zero)), reranked: pct(top1(measuring, w)) },
    },
  };
}

export function main(args = process.argv.slice(2)): void {
  const file = join(ROOT, 'knowledge', 'reranker.json');
  const text = JSON.stringify(train(), null, 1) + '\n';
  if (args.includes('--check')) {
    const same = existsSync(file) && readFileSync(file, 'utf8') === text;
    console.log(same ? 'knowledge/reranker.json is what training gives' : 'knowledge/reranker.json differs from what training gives');
    if (!same) process.exitCode = 1;
    return;
  }
  writeFileSync(file, text);
  console.log(text);
}

if (require.main === module) main();
