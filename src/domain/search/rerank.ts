/**
 * Second stage of the procedure search: reorders the first stage's best candidates by evidence the
 * first stage does not weigh. The first stage scores each title (name, alias, situation) alone and
 * keeps a procedure's best; the second asks how much of the question the procedure's titles explain
 * together, how much of its official name the question names (a base procedure over a variant the
 * question does not ask for), and the priors. Weights are learned (scripts/train-reranker.ts) from
 * labelled queries and shipped in knowledge/reranker.json; pure, knows nothing of the index.
 */

/** What the second stage reads of one candidate, each in [0, 1]. */
export interface CandidateFeatures {
  /** Share of the whole question's weight found anywhere in the procedure's titles. */
  unionQuery: number;
  /** The same over syllable pairs (word order). */
  unionQueryBigram: number;
  /** The best clause of a long message, read the same way (the whole message's value otherwise). */
  unionClause: number;
  /** Share of the official name's weight the question names. */
  nameTitle: number;
  /** Share of the question's weight found in the official name alone. */
  nameQuery: number;
  popularity: number;
  fullRecord: number;
  /** Share of the question's qualifiers (foreign, re-issue, change, end…) its official name carries. */
  qualifierAgree: number;
  /** Share of the name's qualifiers the question does not ask for (a variant nobody asked about). */
  qualifierExtra: number;
}

export const FEATURE_NAMES = Object.freeze([
  'unionQuery',
  'unionQueryBigram',
  'unionClause',
  'nameTitle',
  'nameQuery',
  'popularity',
  'fullRecord',
  'qualifierAgree',
  'qualifierExtra',
] as const satisfies readonly (keyof CandidateFeatures)[]);

export interface RerankerModel {
  /** How many first-stage candidates are reordered. */
  depth: number;
  /** Weight of each feature, added to the first-stage score (whose own weight is 1). */
  weights: Record<keyof CandidateFeatures, number>;
}

/** No reordering: the first stage's order. */
export const IDENTITY_MODEL: RerankerModel = Object.freeze({
  depth: 0,
  weights: Object.freeze({ unionQuery: 0, unionQueryBigram: 0, unionClause: 0, nameTitle: 0, nameQuery: 0, popularity: 0, fullRecord: 0, qualifierAgree: 0, qualifierExtra: 0 }),
});

/** The second-stage score: first-stage score plus the weighted evidence, in the first stage's units. */
export function rerankScore(firstStage: number, f: CandidateFeatures, model: RerankerModel): number {
  let s = firstStage;
  for (const name of FEATURE_NAMES) s += model.weights[name] * f[name];
  return s;
}

/** A first-stage candidate: its position in the index and score. */
export interface Ranked {
  doc: number;
  score: number;
}

/**
 * Reorders the best `model.depth` of a first-stage ranking (best first) by `rerankScore`. Scores stay
 * in first-stage units so that callers' thresholds keep their meaning: the head is shifted down by
 * the largest adjustment (no candidate gains over its first-stage score), made non-increasing, and the
 * candidates past the depth stay below it in their order. Ties keep the lower doc first, as the first
 * stage does.
 */
export function rerank<T extends Ranked>(ranked: readonly T[], featuresOf: (c: T) => CandidateFeatures, model: RerankerModel): T[] {
  if (model.depth <= 0 || ranked.length === 0) return [...ranked];
  const head = ranked.slice(0, model.depth).map((c) => ({ c, adjusted: rerankScore(c.score, featuresOf(c), model) }));
  const shift = Math.max(...head.map((h) => h.adjusted - h.c.score));
  head.sort((a, b) => b.adjusted - a.adjusted || a.c.doc - b.c.doc);
  const out: T[] = [];
  let floor = Infinity;
  for (const h of head) {
    floor = Math.min(h.adjusted - shift, floor);
    out.push({ ...h.c, score: floor });
  }
  for (const c of ranked.slice(model.depth)) {
    floor = Math.min(c.score, floor - 1e-6);
    out.push({ ...c, score: floor });
  }
  return out;
}
