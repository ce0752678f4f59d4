import type { SynonymDictionary } from '../../../knowledge/schemas';
import { isMarked, terms, typedSyllables } from './terms';

/** A span of the query recognised as an everyday phrase (expanded) or a filler (weighed less). */
export interface PhraseMatch {
  start: number;
  end: number;
  expansion: string[] | null;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  /** How the syllable leading here is written in the dictionary, when written with marks. A syllable
   * typed with other marks is another word: "để" (in order to) is not "đẻ" (give birth). */
  marked?: Set<string>;
  /** A dictionary phrase writes this syllable without marks: any typing matches. */
  anyMarks?: boolean;
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
      for (const term of entry.terms) this.insert(terms(term), (node) => (node.expansion = expansion), typedSyllables(term));
      expansion.forEach((t) => this.vocabulary.add(t));
    }
    for (const filler of dictionary.fillers) this.insert(terms(filler), (node) => (node.filler = true), typedSyllables(filler));
  }

  private insert(path: string[], mark: (node: TrieNode) => void, typed: string[]): void {
    if (path.length === 0) return;
    let node = this.root;
    path.forEach((term, k) => {
      this.vocabulary.add(term);
      let child = node.next.get(term);
      if (!child) {
        child = { next: new Map() };
        node.next.set(term, child);
      }
      const form = typed.length === path.length ? typed[k] : term;
      if (isMarked(form)) (child.marked ??= new Set()).add(form);
      else child.anyMarks = true;
      node = child;
    });
    mark(node);
  }

  /**
   * @param typed the syllables as typed (`typedSyllables`), one per token; a token typed with marks
   * matches a dictionary syllable only when written with the same marks. Without it, marks are ignored.
   */
  match(tokens: string[], typed?: readonly string[]): PhraseMatch[] {
    const matches: PhraseMatch[] = [];
    let i = 0;
    while (i < tokens.length) {
      let node: TrieNode | undefined = this.root;
      let best: PhraseMatch | null = null;
      let mismatched = 0;
      for (let j = i; j < tokens.length && node; j++) {
        node = node.next.get(tokens[j]);
        if (!node) break;
        const form = typed?.[j];
        if (form !== undefined && isMarked(form) && !node.anyMarks && !node.marked?.has(form)) mismatched++;
        // One syllable typed with other marks is another word ("để" is not "đẻ"); within a longer
        // phrase the rest says which word was meant, so one mistyped mark is forgiven ("hành nghê").
        const length = j + 1 - i;
        if (mismatched > (length >= 2 ? 1 : 0)) continue;
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
