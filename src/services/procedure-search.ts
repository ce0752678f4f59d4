import { Procedure, SynonymDictionary } from '../../knowledge/schemas';
import { ProcedureIndex, type SearchHit, type SearchOptions } from '../domain/search/procedure-index';
import type { Store } from '../store/types';
import { SYNONYMS_KEY } from './knowledge-import';

/** Procedure look-up and search over the store; the index is derived from the store at start. */
export class ProcedureCatalog {
  private constructor(
    private readonly store: Store,
    private readonly index: ProcedureIndex,
  ) {}

  static async open(store: Store): Promise<ProcedureCatalog> {
    return new ProcedureCatalog(store, await ProcedureCatalog.buildIndex(store));
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

  async get(code: string): Promise<Procedure | null> {
    return this.store.procedures.get(code);
  }
}
