import { FeeRule, Procedure, SynonymDictionary } from '../../knowledge/schemas';
import { systemClock, type Clock } from '../domain/calendar/clock';
import { localDate } from '../domain/calendar/vietnam-time';
import { feesByMethod, type FeesOnDay, type FilingMethod } from '../domain/fees/fee-rules';
import { ProcedureIndex, type SearchHit, type SearchOptions } from '../domain/search/procedure-index';
import type { Store } from '../store/types';
import { FEE_RULES_KEY, SYNONYMS_KEY } from './knowledge-import';

/** A procedure as answered on a given day: its record and the fees in force that day per filing method. */
export type ProcedureToday = Procedure & { feesInForce: Record<FilingMethod, FeesOnDay> };

/** Which hits a centre shows, and in which order (src/domain/centre/scope.ts); none: all, as ranked. */
export type HitScope = (query: string, hits: SearchHit[]) => SearchHit[];

/** Searches already run, by query (one turn's: the same words are never searched twice in a turn). */
export type SearchMemo = Map<string, SearchHit[]>;

/** Procedure look-up and search over the store; the index is derived from the store at start. */
export class ProcedureCatalog {
  private constructor(
    private readonly store: Store,
    private readonly index: ProcedureIndex,
    private readonly feeRules: FeeRule[],
    private readonly clock: Clock,
    private readonly scope: HitScope,
  ) {}

  static async open(store: Store, clock: Clock = systemClock, scope: HitScope = (_query, hits) => hits): Promise<ProcedureCatalog> {
    const rules = FeeRule.array().parse((await store.meta.get(FEE_RULES_KEY)) ?? []);
    return new ProcedureCatalog(store, await ProcedureCatalog.buildIndex(store), rules, clock, scope);
  }

  private static async buildIndex(store: Store): Promise<ProcedureIndex> {
    const dictionary = SynonymDictionary.parse((await store.meta.get(SYNONYMS_KEY)) ?? { version: 0, entries: [] });
    return new ProcedureIndex(await store.procedures.summaries(), dictionary);
  }

  get size(): number {
    return this.index.size;
  }

  search(query: string, options?: SearchOptions, memo?: SearchMemo): SearchHit[] {
    const limit = Math.max(1, Math.min(options?.limit ?? 10, 50));
    // The centre's scope may drop other provinces' copies: ask for more, then keep the limit.
    // The 50 are the same whatever the limit, so a memo (one turn's, see turnSearch) keeps them
    // for every limit when the options say nothing else.
    const key = memo && Object.keys(options ?? {}).every((k) => k === 'limit') ? query : null;
    const cached = key === null ? undefined : memo!.get(key);
    const hits = cached ?? this.scope(query, this.index.search(query.normalize('NFC'), { ...options, limit: 50 }));
    if (key !== null && !cached) memo!.set(key, hits);
    return hits.slice(0, limit);
  }

  titles(code: string): string[] {
    return this.index.titlesOf(code);
  }

  /** The record with the fees that apply today (Vietnam date of the injected clock). */
  async get(code: string): Promise<ProcedureToday | null> {
    const procedure = await this.store.procedures.get(code);
    if (!procedure) return null;
    return { ...procedure, feesInForce: feesByMethod(procedure.code, procedure.fees, this.feeRules, localDate(this.clock.now())) };
  }
}
