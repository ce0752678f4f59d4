import type { SynonymDictionary } from '../../../knowledge/schemas';
import { terms } from './terms';

/** A span of the query recognised as an everyday phrase (expanded) or a filler (weighed less). */
export interface PhraseMatch {
  start: number;
  end: number;
  expansion: string[] | null;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  expansion?: string[];
  filler?: boolean;
}

/**
 * Finds everyday phrases and fillers in a query, longest match first, so that "mất bao lâu" (filler)
 * wins over "mất" (lost → re-issue) and "khai sinh cho con" over "cho".
 */
export class PhraseMatcher {
  private readonly root: TrieNode = { next: new Map() };
  readonly vocabulary = new Set<string>();

  constructor(dictionary: SynonymDictionary) {
    for (const entry of dictionary.entries) {
      const expansion = entry.expandsTo.flatMap(terms);
      for (const term of entry.terms) this.insert(terms(term), (node) => (node.expansion = expansion));
      expansion.forEach((t) => this.vocabulary.add(t));
    }
    for (const filler of dictionary.fillers) this.insert(terms(filler), (node) => (node.filler = true));
  }

  private insert(path: string[], mark: (node: TrieNode) => void): void {
    if (path.length === 0) return;
    let node = this.root;
    for (const term of path) {
      this.vocabulary.add(term);
      let child = node.next.get(term);
      if (!child) {
        child = { next: new Map() };
        node.next.set(term, child);
      }
      node = child;
    }
    mark(node);
  }

  match(tokens: string[]): PhraseMatch[] {
    const matches: PhraseMatch[] = [];
    let i = 0;
    while (i < tokens.length) {
      let node: TrieNode | undefined = this.root;
      let best: PhraseMatch | null = null;
      for (let j = i; j < tokens.length && node; j++) {
        node = node.next.get(tokens[j]);
        if (!node) break;
        if (node.expansion) best = { start: i, end: j + 1, expansion: node.expansion };
        else if (node.filler && (!best || best.end < j + 1)) best = { start: i, end: j + 1, expansion: null };
      }
      if (best) {
        matches.push(best);
        i = best.end;
      } else {
        i++;
      }
    }
    return matches;
  }
}
