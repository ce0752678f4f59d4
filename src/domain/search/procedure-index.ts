import type { ProcedureSummary, SynonymDictionary } from '../../../knowledge/schemas';
import { DomainClassifier, type DomainExample } from './domain-classifier';
import { PhraseMatcher } from './phrases';
import { qualifierAgreement, qualifierBits } from './qualifiers';
import { IDENTITY_MODEL, rerank, type CandidateFeatures, type Ranked, type RerankerModel } from './rerank';
import { bigramKey, canonicalSyllable, termOf, terms, typedSyllables } from './terms';
import { untelex } from './telex';
import { TypoCorrector } from './typos';

export interface SearchHit {
  code: string;
  name: string;
  field: string;
  agency: string;
  /** Relevance in [0, 1] plus a small ranking prior; comparable within one index. */
  score: number;
}

export interface SearchOptions {
  limit?: number;
}

/**
 * Tuning of the ranking. Relevance is how much of the query a title explains (query coverage) and how
 * much of the title the query explains (title coverage), over syllables and syllable bigrams, each
 * weighted by rarity (idf). Title coverage is what puts "Thủ tục đăng ký khai sinh" above
 * "Thủ tục đăng ký lại khai sinh có yếu tố nước ngoài" for "dang ky khai sinh".
 */
export const RANKING: Ranking = {
  queryCoverage: 0.35,
  titleCoverage: 0.25,
  queryBigramCoverage: 0.25,
  titleBigramCoverage: 0.15,
  /** Weight of a filler word ("cho", "cần gì") in the query. */
  fillerWeight: 0.15,
  /** Weight of a syllable that was a typo of a known one. */
  correctedWeight: 0.85,
  /** Priors: most-asked procedures, national over a province's own copy, full records. Small, so that a
   * variant the query asks for ("cấp lại", "thay đổi") beats the most-asked base procedure. */
  popularityPrior: 0.04,
  nationalPrior: 0.03,
  internalPrior: -0.05,
  fullRecordPrior: 0.01,
  /** Below this relevance the query is not about any procedure: answer with nothing. */
  threshold: 0.46,
  /** At least this share of the query's meaning must be found in the title; people add context
   * ("con mình 2 tháng rồi…") that no title carries, so a title that explains itself fully counts too. */
  minQueryCoverage: 0.25,
  /** A word unknown to the whole catalogue (and no typo of a known one) says little about relevance. */
  unknownWeight: 0.3,
  /** Field weight of a life situation ("con mới sinh…") against the name and everyday aliases. */
  situationWeight: 0.9,
  /** When the message reads as being about a procedure (domain probability at least `domainAccept`),
   * relevance and coverage need only reach these lower bars: a long story names its need in a few words. */
  domainAccept: 0.7,
  looseThreshold: 0.36,
  looseMinQueryCoverage: 0.12,
  /** The lower bars are for messages that say more than a name: a query of a few words keeps the
   * calibrated ones (as good on the development sets, and much cheaper to score). */
  looseMinTokens: 5,
  /** Below this domain probability the message is not about a procedure, however its words match. */
  domainRefuse: 0.2,
  /** A message this long is also read clause by clause; a clause's match counts a little less than the
   * whole message's, so a short clause ("biển số xe") cannot outrank the question it belongs to. */
  clauseMinTokens: 10,
  clauseFactor: 0.9,
  /** A clause without a word of need ("muốn", "cần", "xin", "hỏi") tells the story ("em đang tạm trú ở
   * Bình Dương"), so its match counts less than the clause that asks. */
  storyClauseFactor: 0.85,
};

export interface Ranking {
  queryCoverage: number;
  titleCoverage: number;
  queryBigramCoverage: number;
  titleBigramCoverage: number;
  fillerWeight: number;
  correctedWeight: number;
  popularityPrior: number;
  nationalPrior: number;
  internalPrior: number;
  fullRecordPrior: number;
  threshold: number;
  minQueryCoverage: number;
  /** Weight of a word the catalogue does not know at all (and that is no typo of one it knows). */
  unknownWeight: number;
  situationWeight: number;
  domainAccept: number;
  looseThreshold: number;
  looseMinQueryCoverage: number;
  looseMinTokens: number;
  domainRefuse: number;
  clauseMinTokens: number;
  clauseFactor: number;
  storyClauseFactor: number;
}

/** The bars a title must pass for one query: strict by default, lower for a message about the domain. */
/** A ranked procedure; `features` is what the second stage read of it, when it did. */
interface Candidate extends Ranked {
  features?: CandidateFeatures;
}

interface Gate {
  threshold: number;
  minQueryCoverage: number;
}

interface Title {
  doc: number;
  massU: number;
  massB: number;
  /** Field weight: name and aliases 1, situations less. */
  weight: number;
}

interface WeightedQuery {
  unigrams: Map<string, number>;
  bigrams: Map<string, number>;
  massU: number;
  massB: number;
}

const CODE_PATTERN = /\b(\d\.\d{6,9})\b/;
const MAX_VARIANTS = 3;
/** A long message is also read clause by clause (at most this many), since one clause names the need. */
const MAX_CLAUSES = 3;
/** Words that say a clause states the need ("muốn", "cần", "xin", "cho em hỏi") rather than the story. */
const NEED_CUES = new Set(['muon', 'can', 'xin', 'hoi', 'yeu cau', 'de nghi', 'thu tuc', 'o dau', 'the nao', 'lam sao', 'nhu the nao']);
/** Phrase-expansion variants tried per clause (the whole message gets MAX_VARIANTS). */
const CLAUSE_VARIANTS = 1;
const CLAUSE_BREAK = /[.?!;:\n]+|,\s+|\s+(?:nhưng|nhung|mà|vậy|vay|nên|nen|thì|thi)\s+/u;

/**
 * In-memory search index over procedure names and everyday aliases. Pure: built from summaries,
 * knows nothing of storage or transport. Rebuilt at start from the store (it is derived data).
 */
export class ProcedureIndex {
  private readonly docs: ProcedureSummary[];
  private readonly prior: Float64Array;
  private readonly titles: Title[] = [];
  private readonly postingsU = new Map<string, Int32Array>();
  private readonly postingsB = new Map<string, Int32Array>();
  private readonly idf = new Map<string, number>();
  private readonly unseenIdf: number;
  private readonly phrases: PhraseMatcher;
  private readonly typos: TypoCorrector;
  private readonly domain: DomainClassifier;
  private readonly byCode = new Map<string, number>();
  // Scratch accumulators, reused across searches (search is synchronous).
  private readonly accQ: Float64Array;
  private readonly accT: Float64Array;
  private readonly accQB: Float64Array;
  private readonly accTB: Float64Array;

  private readonly r: Ranking;
  /** Per procedure: the terms of all its titles together, and of its official name (the second stage). */
  private readonly docU: Set<string>[] = [];
  private readonly docB: Set<string>[] = [];
  private readonly nameU: Set<string>[] = [];
  /** Per procedure: the qualifiers its official name carries (qualifiers.ts). */
  private readonly nameQualifiers: number[] = [];
  private readonly reranker: RerankerModel;
  private readonly readings = new Map<string, { terms: string[]; corrected: boolean }>();

  constructor(
    procedures: readonly ProcedureSummary[],
    dictionary: SynonymDictionary,
    ranking: Partial<Ranking> = {},
    reranker: RerankerModel = dictionary.reranker ?? IDENTITY_MODEL,
  ) {
    this.r = { ...RANKING, ...ranking };
    this.reranker = reranker;
    this.docs = [...procedures];
    this.phrases = new PhraseMatcher(dictionary);
    this.prior = new Float64Array(this.docs.length);
    const titleTerms: { u: Set<string>; b: Set<string> }[] = [];
    const df = new Map<string, number>();
    const count = (key: string) => df.set(key, (df.get(key) ?? 0) + 1);

    this.docs.forEach((doc, docIndex) => {
      this.byCode.set(doc.code, docIndex);
      this.prior[docIndex] =
        this.r.popularityPrior * doc.popularity +
        (doc.scope === 'national' ? this.r.nationalPrior : doc.scope === 'internal' ? this.r.internalPrior : 0) +
        (doc.detail === 'full' ? this.r.fullRecordPrior : 0);
      const texts: [string, number][] = [
        [doc.name, 1],
        ...doc.aliases.map((a): [string, number] => [a, 1]),
        ...(doc.situations ?? []).map((a): [string, number] => [a, this.r.situationWeight]),
      ];
      const allU = new Set<string>();
      const allB = new Set<string>();
      this.docU.push(allU);
      this.docB.push(allB);
      this.nameU.push(new Set(terms(doc.name)));
      this.nameQualifiers.push(qualifierBits(terms(doc.name).join(' '), 'named'));
      for (const [text, weight] of texts) {
        const seq = terms(text);
        if (seq.length === 0) continue;
        const u = new Set(seq);
        const b = new Set<string>();
        for (let i = 1; i < seq.length; i++) b.add(bigramKey(seq[i - 1], seq[i]));
        u.forEach((t) => allU.add(t));
        b.forEach((t) => allB.add(t));
        u.forEach(count);
        b.forEach(count);
        titleTerms.push({ u, b });
        this.titles.push({ doc: docIndex, massU: 0, massB: 0, weight });
      }
    });

    const titleCount = this.titles.length;
    for (const [key, n] of df) this.idf.set(key, Math.log(1 + titleCount / n));
    this.unseenIdf = Math.log(1 + titleCount / 0.5);

    const postingLists = { u: new Map<string, number[]>(), b: new Map<string, number[]>() };
    titleTerms.forEach(({ u, b }, titleIndex) => {
      const title = this.titles[titleIndex];
      for (const t of u) {
        title.massU += this.idf.get(t)!;
        push(postingLists.u, t, titleIndex);
      }
      for (const t of b) {
        title.massB += this.idf.get(t)!;
        push(postingLists.b, t, titleIndex);
      }
    });
    for (const [k, v] of postingLists.u) this.postingsU.set(k, Int32Array.from(v));
    for (const [k, v] of postingLists.b) this.postingsB.set(k, Int32Array.from(v));

    const frequency = new Map<string, number>();
    for (const [k, v] of postingLists.u) frequency.set(k, v.length);
    for (const t of this.phrases.vocabulary) if (!frequency.has(t)) frequency.set(t, 1);
    this.typos = new TypoCorrector(frequency);

    this.domain = new DomainClassifier(domainExamples(this.docs, dictionary));

    this.accQ = new Float64Array(titleCount);
    this.accT = new Float64Array(titleCount);
    this.accQB = new Float64Array(titleCount);
    this.accTB = new Float64Array(titleCount);
  }

  /** The official name and everyday aliases of a procedure (empty for an unknown code). */
  titlesOf(code: string): string[] {
    const doc = this.byCode.get(code);
    return doc === undefined ? [] : [this.docs[doc].name, ...this.docs[doc].aliases];
  }

  get size(): number {
    return this.docs.length;
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = Math.max(1, Math.min(options.limit ?? 10, 50));
    return this.rank(query, this.reranker)
      .slice(0, limit)
      .map((c) => this.hit(c.doc, c.score));
  }

  /**
   * The candidates of the second stage with what it reads of each, in first-stage order (for training
   * the reranker: scripts/train-reranker.ts). Empty when the query is refused.
   */
  candidates(query: string, depth: number): { code: string; firstStage: number; features: CandidateFeatures }[] {
    return this.rank(query, { ...IDENTITY_MODEL, depth })
      .slice(0, depth)
      .map((c) => ({ code: this.docs[c.doc].code, firstStage: c.score, features: c.features! }));
  }

  private rank(query: string, model: RerankerModel): Candidate[] {
    const code = CODE_PATTERN.exec(query)?.[1];
    if (code !== undefined && this.byCode.has(code)) return [{ doc: this.byCode.get(code)!, score: 1 }];

    const clauses = query
      .split(CLAUSE_BREAK)
      .map((clause) => this.readAll(clause))
      .filter((c) => c.tokens.length > 0);
    const whole = this.readAll(query);
    if (whole.tokens.length === 0) return [];

    // Whether the message is about a procedure at all is its own decision, apart from ranking.
    const p = this.domainOf(whole.tokens, whole.typed);
    if (p < this.r.domainRefuse) return [];
    const gate: Gate =
      p >= this.r.domainAccept && whole.tokens.length >= this.r.looseMinTokens
        ? { threshold: this.r.looseThreshold, minQueryCoverage: this.r.looseMinQueryCoverage }
        : { threshold: this.r.threshold, minQueryCoverage: this.r.minQueryCoverage };

    const scored = new Map<number, number>();
    const readings = [{ ...whole, factor: 1, variants: MAX_VARIANTS, gate }];
    if (clauses.length > 1 && whole.tokens.length >= this.r.clauseMinTokens) {
      // The clauses that say most (by the rarity of the catalogue words in them): greetings, thanks
      // and "có làm online được không" say little.
      const mass = (c: { tokens: string[] }) => c.tokens.reduce((sum, t) => sum + (this.idf.get(t) ?? 0), 0);
      const chosen = clauses
        .filter((c) => c.tokens.length >= 2)
        .map((c) => ({ c, m: mass(c) }))
        .sort((a, b) => b.m - a.m)
        .slice(0, MAX_CLAUSES);
      for (const { c } of chosen) {
        const factor = c.tokens.some((t, i) => NEED_CUES.has(t) || NEED_CUES.has(t + ' ' + c.tokens[i + 1])) ? this.r.clauseFactor : this.r.storyClauseFactor;
        readings.push({ ...c, factor, variants: CLAUSE_VARIANTS, gate });
      }
    }
    const read = readings.map((r) => ({ ...r, weighted: this.variants(r.tokens, r.corrected, r.typed, r.variants) }));
    for (const { weighted, factor, gate: g } of read) {
      for (const variant of weighted) {
        for (let [doc, score] of this.scoreVariant(variant, g)) {
          score *= factor;
          if (score > (scored.get(doc) ?? -Infinity)) scored.set(doc, score);
        }
      }
    }
    const ranked: Candidate[] = [...scored].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([doc, score]) => ({ doc, score }));
    if (model.depth <= 0 || ranked.length === 0) return ranked;
    // Second stage over the best `depth`: the features are kept on each candidate for training.
    const wholeVariants = read[0].weighted;
    const clauseVariants = read.slice(1).map((r) => r.weighted[0]);
    const asked = qualifierBits(terms(query).join(' '), 'asked');
    return rerank(ranked, (c) => (c.features = this.features(c.doc, wholeVariants, clauseVariants, asked)), model);
  }

  /** What the second stage reads of one candidate (see rerank.ts). */
  private features(doc: number, whole: WeightedQuery[], clauses: WeightedQuery[], asked: number): CandidateFeatures {
    const all = this.docU[doc];
    const pairs = this.docB[doc];
    const name = this.nameU[doc];
    let unionQuery = 0;
    let unionQueryBigram = 0;
    let nameTitle = 0;
    let nameQuery = 0;
    let nameMass = 0;
    for (const t of name) nameMass += this.idf.get(t) ?? 0;
    for (const q of whole) {
      let u = 0;
      let n = 0;
      let nt = 0;
      for (const [t, w] of q.unigrams) {
        if (all.has(t)) u += w;
        if (name.has(t)) {
          n += w;
          nt += this.idf.get(t) ?? 0;
        }
      }
      let b = 0;
      for (const [k, w] of q.bigrams) if (pairs.has(k)) b += w;
      unionQuery = Math.max(unionQuery, q.massU > 0 ? u / q.massU : 0);
      unionQueryBigram = Math.max(unionQueryBigram, q.massB > 0 ? b / q.massB : q.massU > 0 ? u / q.massU : 0);
      nameQuery = Math.max(nameQuery, q.massU > 0 ? n / q.massU : 0);
      nameTitle = Math.max(nameTitle, nameMass > 0 ? nt / nameMass : 0);
    }
    let unionClause = clauses.length === 0 ? unionQuery : 0;
    for (const q of clauses) {
      let u = 0;
      for (const [t, w] of q.unigrams) if (all.has(t)) u += w;
      unionClause = Math.max(unionClause, q.massU > 0 ? u / q.massU : 0);
    }
    const d = this.docs[doc];
    const { agree: qualifierAgree, extra: qualifierExtra } = qualifierAgreement(asked, this.nameQualifiers[doc]);
    return { unionQuery, unionQueryBigram, unionClause, nameTitle, nameQuery, popularity: d.popularity, fullRecord: d.detail === 'full' ? 1 : 0, qualifierAgree, qualifierExtra };
  }

  /** Probability that a message is about an administrative procedure (the refusal decision). */
  domainProbability(query: string): number {
    const { tokens, typed } = this.readAll(query);
    return tokens.length === 0 ? 0 : this.domainOf(tokens, typed);
  }

  /**
   * The domain probability of the words as typed, or of the same words with their abbreviations
   * written out, whichever is higher: "làm lltp ở đâu" reads as a chat question until "lltp" is read
   * as "phiếu lý lịch tư pháp".
   */
  private domainOf(tokens: string[], typed: string[]): number {
    const p = this.domain.probability(tokens);
    // Abbreviations only (a syllable without a vowel, or with a digit: "lltp", "cccd", "kt3"): an
    // everyday word written out ("cưới" → "kết hôn") would make "kể chuyện cưới đi" a procedure.
    const abbreviation = (m: { start: number; end: number }) => m.end - m.start === 1 && (!/[aeiouy]/.test(tokens[m.start]) || /\d/.test(tokens[m.start]));
    const expansions = this.phrases.match(tokens, typed).filter((m) => m.expansion && abbreviation(m));
    if (expansions.length === 0) return p;
    const out: string[] = [];
    for (let i = 0; i < tokens.length; ) {
      const m = expansions.find((e) => e.start === i);
      if (m) {
        out.push(...m.expansion!);
        i = m.end;
      } else out.push(tokens[i++]);
    }
    return Math.max(p, this.domain.probability(out));
  }

  /**
   * The terms of a text as read (typos corrected, glued syllables split), which were corrected, and
   * each term as typed (with its marks) where it was read as typed.
   */
  private readAll(text: string): { tokens: string[]; corrected: Set<number>; typed: string[] } {
    const tokens: string[] = [];
    const typed: string[] = [];
    const corrected = new Set<number>();
    // One pass over the text: each typed syllable's folded form is its term (as `terms` gives it).
    for (const form of typedSyllables(text)) {
      const reading = this.read(termOf(form));
      if (reading.corrected) corrected.add(tokens.length);
      tokens.push(...reading.terms);
      // a corrected or split syllable keeps no marks: they were typed for another word
      if (!reading.corrected && reading.terms.length === 1) typed.push(form);
      else typed.push(...reading.terms);
    }
    return { tokens, corrected, typed };
  }

  /**
   * How a typed syllable is read: itself, its typo correction, or two glued syllables. Remembered
   * (bounded), since the same words and the same typos come back query after query.
   */
  private read(raw: string): { terms: string[]; corrected: boolean } {
    const cached = this.readings.get(raw);
    if (cached) return cached;
    const telex = untelex(raw);
    const known = this.idf.has(raw) || this.phrases.vocabulary.has(raw) ? raw : telex && this.isKnown(canonicalSyllable(telex)) ? canonicalSyllable(telex) : this.known(raw);
    const reading =
      known === raw
        ? { terms: [raw], corrected: false }
        : known
          ? { terms: [known], corrected: true }
          : { terms: this.split(raw) ?? [raw], corrected: false };
    if (this.readings.size >= 50_000) this.readings.clear();
    this.readings.set(raw, reading);
    return reading;
  }

  private isKnown(term: string): boolean {
    return this.idf.has(term) || this.phrases.vocabulary.has(term);
  }

  /** The syllable itself when known, its typo correction, or null. */
  private known(term: string): string | null {
    if (this.idf.has(term) || this.phrases.vocabulary.has(term)) return term;
    return this.typos.correct(term);
  }

  /** Two syllables typed without a space ("khaisinh"): the split whose rarer half is most common. */
  private split(word: string): [string, string] | null {
    let best: [string, string] | null = null;
    let bestFrequency = 0;
    for (let i = 2; i <= word.length - 2; i++) {
      const a = canonicalSyllable(word.slice(0, i));
      const b = canonicalSyllable(word.slice(i));
      const frequency = Math.min(this.frequency(a), this.frequency(b));
      if (frequency > bestFrequency) {
        best = [a, b];
        bestFrequency = frequency;
      }
    }
    return best;
  }

  private frequency(term: string): number {
    return this.postingsU.get(term)?.length ?? (this.phrases.vocabulary.has(term) ? 1 : 0);
  }

  private hit(doc: number, score: number): SearchHit {
    const p = this.docs[doc];
    return { code: p.code, name: p.name, field: p.field, agency: p.agency, score: Math.round(score * 1000) / 1000 };
  }

  /**
   * The query as typed, with every everyday phrase expanded, and (for a few phrases) each expanded
   * alone: "mất căn cước" is tried as itself and as "cấp lại căn cước".
   */
  private variants(tokens: string[], corrected: Set<number>, typed: string[], max = MAX_VARIANTS): WeightedQuery[] {
    const matches = this.phrases.match(tokens, typed);
    const filler = new Set<number>();
    for (const m of matches) if (!m.expansion) for (let i = m.start; i < m.end; i++) filler.add(i);
    const expansions = matches.filter((m) => m.expansion);

    const build = (applied: Set<number>): WeightedQuery => {
      const seq: { term: string; weight: number }[] = [];
      let i = 0;
      while (i < tokens.length) {
        const m = expansions.find((e, k) => applied.has(k) && e.start === i);
        if (m) {
          // The expansion stands for the words typed: it may not outweigh them, or a chance word
          // ("nhà hàng" → "cơ sở kinh doanh dịch vụ ăn uống") would swamp the rest of the question.
          const typed = tokens.slice(m.start, m.end).reduce((sum, t) => sum + this.termIdf(t), 0);
          const expanded = m.expansion!.reduce((sum, t) => sum + this.termIdf(t), 0);
          const weight = Math.min(1, typed / expanded);
          for (const term of m.expansion!) seq.push({ term, weight });
          i = m.end;
          continue;
        }
        const weight = (filler.has(i) ? this.r.fillerWeight : 1) * (corrected.has(i) ? this.r.correctedWeight : 1);
        seq.push({ term: tokens[i], weight });
        i++;
      }
      return this.weigh(seq);
    };

    const out = [build(new Set())];
    if (expansions.length > 0 && max > 1) out.push(build(new Set(expansions.map((_, k) => k))));
    if (expansions.length > 1) {
      for (let k = 0; k < expansions.length && out.length < max; k++) out.push(build(new Set([k])));
    }
    return out;
  }

  private termIdf(term: string): number {
    return this.idf.get(term) ?? this.unseenIdf;
  }

  private weigh(seq: { term: string; weight: number }[]): WeightedQuery {
    const unigrams = new Map<string, number>();
    const bigrams = new Map<string, number>();
    for (const { term, weight } of seq) {
      const idf = this.idf.get(term);
      const w = idf !== undefined ? weight * idf : weight * this.unseenIdf * this.r.unknownWeight;
      unigrams.set(term, Math.max(unigrams.get(term) ?? 0, w));
    }
    for (let i = 1; i < seq.length; i++) {
      const key = bigramKey(seq[i - 1].term, seq[i].term);
      const w = Math.min(seq[i - 1].weight, seq[i].weight) * (this.idf.get(key) ?? this.unseenIdf);
      bigrams.set(key, Math.max(bigrams.get(key) ?? 0, w));
    }
    let massU = 0;
    let massB = 0;
    unigrams.forEach((w) => (massU += w));
    bigrams.forEach((w) => (massB += w));
    return { unigrams, bigrams, massU, massB };
  }

  /** Relevance plus prior for every document reached by the query; only those above the threshold. */
  private scoreVariant(q: WeightedQuery, gate: Gate): Map<number, number> {
    const { accQ, accT, accQB, accTB } = this;
    const touched: number[] = [];
    // Rarest terms first. Once the terms left cannot lift a new title to the minimum query coverage,
    // only titles already reached are updated (exact pruning: results do not change).
    const entries = [...q.unigrams].sort((a, b) => b[1] - a[1]);
    let remaining = q.massU;
    const admit = gate.minQueryCoverage * q.massU;
    for (const [term, w] of entries) {
      const list = this.postingsU.get(term);
      const open = remaining >= admit;
      remaining -= w;
      if (!list) continue;
      const idf = this.idf.get(term)!;
      if (open) {
        for (let i = 0; i < list.length; i++) {
          const t = list[i];
          if (accQ[t] === 0) touched.push(t);
          accQ[t] += w;
          accT[t] += idf;
        }
      } else if (list.length <= touched.length * 8) {
        for (let i = 0; i < list.length; i++) {
          const t = list[i];
          if (accQ[t] !== 0) {
            accQ[t] += w;
            accT[t] += idf;
          }
        }
      } else {
        for (const t of touched) {
          if (contains(list, t)) {
            accQ[t] += w;
            accT[t] += idf;
          }
        }
      }
    }
    for (const [key, w] of q.bigrams) {
      const list = this.postingsB.get(key);
      if (!list) continue;
      const idf = this.idf.get(key)!;
      for (let i = 0; i < list.length; i++) {
        const t = list[i];
        if (accQ[t] === 0) continue; // pruned: cannot reach the minimum coverage
        accQB[t] += w;
        accTB[t] += idf;
      }
    }
    const result = new Map<number, number>();
    const hasBigrams = q.massB > 0;
    for (const t of touched) {
      const title = this.titles[t];
      const covQ = accQ[t] / q.massU;
      const covT = title.massU > 0 ? accT[t] / title.massU : 0;
      const covQB = hasBigrams ? accQB[t] / q.massB : covQ;
      const covTB = title.massB > 0 ? accTB[t] / title.massB : covT;
      accQ[t] = accT[t] = accQB[t] = accTB[t] = 0;
      if (covQ < gate.minQueryCoverage) continue;
      const relevance =
        title.weight *
        (this.r.queryCoverage * covQ +
          this.r.titleCoverage * covT +
          this.r.queryBigramCoverage * covQB +
          this.r.titleBigramCoverage * covTB);
      if (relevance < gate.threshold) continue;
      const score = relevance + this.prior[title.doc];
      if (score > (result.get(title.doc) ?? -Infinity)) result.set(title.doc, score);
    }
    return result;
  }
}

/**
 * What the refusal decision is trained on: the catalogue's own wording (names, aliases, situations),
 * each in one of the frames people write questions in, against the written off-topic examples in every
 * frame. The frames appear on both sides, so greetings and thanks decide nothing.
 */
function domainExamples(docs: readonly ProcedureSummary[], dictionary: SynonymDictionary): DomainExample[] {
  const frames = dictionary.frames?.length ? dictionary.frames : ['{}'];
  const frame = (text: string, k: number) => frames[k % frames.length].replace('{}', text);
  const examples: DomainExample[] = [];
  let k = 0;
  for (const doc of docs) {
    for (const text of [doc.name, ...doc.aliases, ...(doc.situations ?? [])]) {
      examples.push({ terms: terms(frame(text, k++)), domain: true });
    }
  }
  for (const text of dictionary.offTopic ?? []) {
    for (let f = 0; f < frames.length; f++) examples.push({ terms: terms(frame(text, f)), domain: false });
  }
  for (const entry of dictionary.entries) {
    for (const term of entry.terms) examples.push({ terms: terms(frame(term, k++)), domain: true });
  }
  return examples;
}

/** Binary search in an ascending posting list. */
function contains(list: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = list[mid];
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
