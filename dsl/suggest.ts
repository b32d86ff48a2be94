/**
 * Did-you-mean: the candidates closest to a misspelt word by Damerau–Levenshtein distance.
 * Used for keywords by the parser, and for columns, metrics and names by the checker.
 */

/**
 * The Damerau–Levenshtein distance between two strings: the fewest insertions, deletions,
 * substitutions and transpositions of adjacent characters turning `a` into `b` (the
 * unrestricted form, in which a transposed pair may be edited again, so `ca` → `abc` is 2).
 * Compares UTF-16 code units; case-sensitive.
 */
export function damerauLevenshtein(a: string, b: string): number {
  const rows = a.length + 2;
  const cols = b.length + 2;
  const infinity = a.length + b.length;
  // d[(i + 1) * cols + (j + 1)] is the distance between a[0, i) and b[0, j); row and column
  // 0 hold the sentinel that keeps transpositions from reaching before the strings' starts.
  const d = new Array<number>(rows * cols).fill(0);
  d[0] = infinity;
  for (let i = 0; i <= a.length; i++) {
    d[(i + 1) * cols] = infinity;
    d[(i + 1) * cols + 1] = i;
  }
  for (let j = 0; j <= b.length; j++) {
    d[j + 1] = infinity;
    d[cols + j + 1] = j;
  }
  // For each character, the last row of `a` in which it was seen.
  const lastRowOf = new Map<string, number>();
  for (let i = 1; i <= a.length; i++) {
    let lastMatchingCol = 0;
    for (let j = 1; j <= b.length; j++) {
      const i1 = lastRowOf.get(b[j - 1]) ?? 0;
      const j1 = lastMatchingCol;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      if (cost === 0) lastMatchingCol = j;
      d[(i + 1) * cols + (j + 1)] = Math.min(
        d[i * cols + j] + cost,
        d[(i + 1) * cols + j] + 1,
        d[i * cols + (j + 1)] + 1,
        d[i1 * cols + j1] + (i - i1 - 1) + 1 + (j - j1 - 1),
      );
    }
    lastRowOf.set(a[i - 1], i);
  }
  return d[(a.length + 1) * cols + (b.length + 1)];
}

/**
 * How far a candidate may be from a word of this length and still be suggested: one edit for
 * words of up to four characters, two up to eight, three beyond. Looser limits suggest
 * unrelated words (`by` for `as`).
 */
export function maxSuggestionDistance(length: number): number {
  if (length <= 4) return 1;
  if (length <= 8) return 2;
  return 3;
}

export interface SuggestOptions {
  /** Largest distance to accept; by default maxSuggestionDistance(word.length). */
  readonly maxDistance?: number;
  /** At most this many suggestions (default 3). */
  readonly limit?: number;
}

/**
 * The candidates nearest to `word`, nearest first (ties keep the candidates' order), without
 * duplicates and without `word` itself. Case is ignored when measuring, so `Compare` suggests
 * `compare`; an empty array when nothing is close enough.
 */
export function suggest(
  word: string,
  candidates: Iterable<string>,
  options: SuggestOptions = {},
): string[] {
  const maxDistance = options.maxDistance ?? maxSuggestionDistance(word.length);
  const limit = options.limit ?? 3;
  const lowered = word.toLowerCase();
  const scored: { candidate: string; distance: number; order: number }[] = [];
  const seen = new Set<string>();
  let order = 0;
  for (const candidate of candidates) {
    if (candidate === word || seen.has(candidate)) continue;
    seen.add(candidate);
    const distance = damerauLevenshtein(lowered, candidate.toLowerCase());
    if (distance <= maxDistance) scored.push({ candidate, distance, order: order++ });
  }
  scored.sort((x, y) => x.distance - y.distance || x.order - y.order);
  const best = scored.length > 0 ? scored[0].distance : 0;
  // Only the nearest tier: when one candidate is a single edit away, one two edits away is
  // rarely what was meant.
  return scored
    .filter((s) => s.distance === best)
    .slice(0, limit)
    .map((s) => s.candidate);
}
