import { bigramKey } from './terms';

/** One training example: the matching terms of a text and whether it is about a procedure. */
export interface DomainExample {
  terms: string[];
  domain: boolean;
}

export interface DomainClassifierOptions {
  epochs?: number;
  learningRate?: number;
  /** L2 shrinkage per update, so that a word seen once cannot decide alone. */
  l2?: number;
}

/**
 * Is a message about an administrative procedure at all? A logistic regression over syllables and
 * syllable bigrams, trained at start from the catalogue's own wording (names, everyday aliases, life
 * situations, wrapped in the frames people write questions in) against everyday off-topic language
 * (recipes, films, insults, small talk…, `knowledge/everyday-offtopic.json`). It decides refusal apart
 * from ranking: a long situational question shares few words with any title but many with the
 * domain, and "phở bò" shares a word with a livestock procedure but reads as a recipe.
 *
 * Training is deterministic (fixed example order, no sampling), so the same knowledge gives the same
 * weights; a few thousand examples train in tens of milliseconds, so no weights file can go stale.
 */
export class DomainClassifier {
  /** Feature (syllable or bigram) → its index in `weights`. */
  private readonly ids = new Map<string, number>();
  private weights = new Float64Array(0);
  private bias = 0;

  constructor(examples: readonly DomainExample[], options: DomainClassifierOptions = {}) {
    const epochs = options.epochs ?? 4;
    const rate0 = options.learningRate ?? 0.5;
    const l2 = options.l2 ?? 1e-5;
    if (examples.length === 0) return;
    // Balance the classes: the catalogue has far more domain text than anyone writes off-topic examples.
    const positives = examples.filter((e) => e.domain).length;
    const negatives = examples.length - positives;
    const classWeight = [examples.length / (2 * Math.max(1, negatives)), examples.length / (2 * Math.max(1, positives))];
    const order = interleave(examples);
    const featureSets = order.map((e) => Int32Array.from(features(e.terms), (key) => this.intern(key)));
    const weights = new Float64Array(this.ids.size);
    for (let epoch = 0; epoch < epochs; epoch++) {
      const rate = rate0 / (1 + epoch);
      for (let i = 0; i < order.length; i++) {
        const f = featureSets[i];
        if (f.length === 0) continue;
        const scale = 1 / Math.sqrt(f.length);
        let sum = 0;
        for (let j = 0; j < f.length; j++) sum += weights[f[j]];
        const p = sigmoid(this.bias + sum * scale);
        const label = order[i].domain ? 1 : 0;
        const g = (label - p) * classWeight[label] * rate;
        for (let j = 0; j < f.length; j++) weights[f[j]] = weights[f[j]] * (1 - l2) + g * scale;
        this.bias += g * 0.1;
      }
    }
    this.weights = weights;
  }

  /** Probability in [0, 1] that the terms are about an administrative procedure. */
  probability(terms: readonly string[]): number {
    const f = features(terms);
    if (f.length === 0) return 0;
    let sum = 0;
    for (const key of f) {
      const id = this.ids.get(key);
      if (id !== undefined) sum += this.weights[id];
    }
    return sigmoid(this.bias + sum / Math.sqrt(f.length));
  }

  private intern(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.ids.size));
    return id;
  }
}

function features(terms: readonly string[]): string[] {
  const out = new Set<string>(terms);
  for (let i = 1; i < terms.length; i++) out.add(bigramKey(terms[i - 1], terms[i]));
  return [...out];
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Positives and negatives alternated in proportion, so that no class comes in one long run. */
function interleave(examples: readonly DomainExample[]): DomainExample[] {
  const pos = examples.filter((e) => e.domain);
  const neg = examples.filter((e) => !e.domain);
  if (pos.length === 0 || neg.length === 0) return [...examples];
  const out: DomainExample[] = [];
  const ratio = pos.length / neg.length;
  let n = 0;
  for (let p = 0; p < pos.length; p++) {
    out.push(pos[p]);
    while (n < neg.length && n * ratio <= p) out.push(neg[n++]);
  }
  while (n < neg.length) out.push(neg[n++]);
  return out;
}
