import { FeeRule, Procedure, SynonymDictionary } from '../../knowledge/schemas';
import { systemClock, type Clock } from '../domain/calendar/clock';
import { localDate } from '../domain/calendar/vietnam-time';
import { feesByMethod, type FeesOnDay, type FilingMethod } from '../domain/fees/fee-rules';
import { ProcedureIndex, type SearchHit, type SearchOptions } from '../domain/search/procedure-index';
import type { Store } from '../store/types';
import { FEE_RULES_KEY, SYNONYMS_KEY } from './knowledge-import';

/** A procedure as answered on a given day: its record and the fees in force that day per filing method. */
export type ProcedureToday = Procedure & { feesInForce: Record<FilingMethod, FeesOnDay> };

/** Procedure look-up and search over the store; the index is derived from the store at start. */
export class ProcedureCatalog {
  private constructor(
    private readonly store: Store,
    private readonly index: ProcedureIndex,
    private readonly feeRules: FeeRule[],
    private readonly clock: Clock,
  ) {}

  static async open(store: Store, clock: Clock = systemClock): Promise<ProcedureCatalog> {
    const rules = FeeRule.array().parse((await store.meta.get(FEE_RULES_KEY)) ?? []);
    return new ProcedureCatalog(store, await ProcedureCatalog.buildIndex(store), rules, clock);
  }

  private static async buildIndex(store: Store): Promise<ProcedureIndex> {
    const dictionary = SynonymDictionary.parse((await store.meta.get(SYNONYMS_KEY)) ?? { version: 0, entries: [] });
    return new ProcedureIndex(await store.procedures.summaries(), dictionary);
  }

  get size(): number {
    return this.index.size;
  }

  search(query: string, options?: SearchOptions): SearchHit[] {
    return this.index.search(query.normalize('NFC'), options);
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
