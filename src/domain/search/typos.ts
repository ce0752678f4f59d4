import { osaDistance } from './distance';

/**
 * Typo tolerance over the index's syllables. Candidates come from a deletion neighbourhood
 * (SymSpell-style: every syllable with one letter removed), which finds a wrong, missing, extra or
 * swapped letter without comparing against the whole vocabulary; the restricted Damerau-Levenshtein
 * (OSA) distance of ./distance then confirms each candidate and ranks them.
 */
export class TypoCorrector {
  private readonly byDeletion = new Map<string, string[]>();

  constructor(private readonly frequency: ReadonlyMap<string, number>) {
    for (const word of frequency.keys()) {
      if (word.length < 3) continue;
      for (const key of deletions(word)) {
        const list = this.byDeletion.get(key);
        if (list) list.push(word);
        else this.byDeletion.set(key, [word]);
      }
    }
  }

  /** The closest known syllable, or null when none is close enough (≤ 1 edit; ≤ 2 for 6+ letters). */
  correct(word: string): string | null {
    if (word.length < 3 || /^\d+$/.test(word)) return null;
    const candidates = new Set<string>();
    for (const key of [word, ...deletions(word)]) {
      for (const candidate of this.byDeletion.get(key) ?? []) candidates.add(candidate);
      if (this.frequency.has(key) && key.length >= 3) candidates.add(key);
    }
    const maxDistance = word.length >= 6 ? 2 : 1;
    let best: string | null = null;
    let bestDistance = Infinity;
    let bestFrequency = -1;
    for (const candidate of candidates) {
      const distance = osaDistance(word, candidate, maxDistance);
      if (distance > maxDistance) continue;
      const frequency = this.frequency.get(candidate) ?? 0;
      if (distance < bestDistance || (distance === bestDistance && frequency > bestFrequency)) {
        best = candidate;
        bestDistance = distance;
        bestFrequency = frequency;
      }
    }
    return best;
  }
}

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}
