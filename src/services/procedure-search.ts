import { Procedure, SynonymDictionary } from '../../knowledge/schemas';
import { ProcedureIndex, type SearchHit, type SearchOptions } from '../domain/search/procedure-index';
import type { Store } from '../store/types';
import { SYNONYMS_KEY } from './knowledge-import';

/** Which hits a centre shows, and in which order (src/domain/centre/scope.ts); none: all, as ranked. */
export type HitScope = (query: string, hits: SearchHit[]) => SearchHit[];

/** Procedure look-up and search over the store; the index is derived from the store at start. */
export class ProcedureCatalog {
  private constructor(
    private readonly store: Store,
    private readonly index: ProcedureIndex,
    private readonly scope: HitScope,
  ) {}

  static async open(store: Store, scope: HitScope = (_query, hits) => hits): Promise<ProcedureCatalog> {
    return new ProcedureCatalog(store, await ProcedureCatalog.buildIndex(store), scope);
  }

  private static async buildIndex(store: Store): Promise<ProcedureIndex> {
    const dictionary = SynonymDictionary.parse((await store.meta.get(SYNONYMS_KEY)) ?? { version: 0, entries: [] });
    return new ProcedureIndex(await store.procedures.summaries(), dictionary);
  }

  get size(): number {
    return this.index.size;
  }

  search(query: string, options?: SearchOptions): SearchHit[] {
    // The centre's scope may drop other provinces' copies: ask for more, then keep the limit.
    return this.scope(query, this.index.search(query.normalize('NFC'), { ...options, limit: 50 })).slice(0, Math.max(1, Math.min(options?.limit ?? 10, 50)));
  }

  titles(code: string): string[] {
    return this.index.titlesOf(code);
  }

  async get(code: string): Promise<Procedure | null> {
    return this.store.procedures.get(code);
  }
}
