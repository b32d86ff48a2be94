/**
 * Shared machinery of the sacrebleu metrics: per-sentence sufficient statistics stored as one
 * row-major matrix, their sums (whole corpus or a resample), and n-gram counting over interned
 * symbol ids.
 */
import { EngineError } from '../errors.js';

/**
 * One row of sufficient statistics per sentence, `width` numbers each, row-major in `data`.
 * A corpus score is a function of the column sums only, which is what makes resampling cheap.
 */
export interface SentenceStats {
  readonly rows: number;
  readonly width: number;
  readonly data: Float64Array;
}

/** Packs per-sentence rows (all of the same width) into one matrix. */
export function packStats(rows: readonly ArrayLike<number>[], width: number): SentenceStats {
  const data = new Float64Array(rows.length * width);
  rows.forEach((row, i) => {
    if (row.length !== width) {
      throw new EngineError(
        'bad-argument',
        `statistics row ${i} has ${row.length} values, not ${width}`,
      );
    }
    data.set(row, i * width);
  });
  return { rows: rows.length, width, data };
}

/** Row `i` of the matrix (a view, not a copy). */
export function statsRow(stats: SentenceStats, i: number): Float64Array {
  return stats.data.subarray(i * stats.width, (i + 1) * stats.width);
}

/** Column sums over all rows, added in row order (as sacrebleu's `sum_of_lists`). */
export function sumStats(stats: SentenceStats): Float64Array {
  const { rows, width, data } = stats;
  const out = new Float64Array(width);
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    for (let k = 0; k < width; k++) out[k] += data[base + k];
  }
  return out;
}

/** Checks that every row has the same number of references, at least one. */
export function checkReferences(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
): void {
  if (hypotheses.length !== references.length) {
    throw new EngineError(
      'length-mismatch',
      `${hypotheses.length} outputs but ${references.length} reference lists`,
    );
  }
  references.forEach((refs, i) => {
    if (refs.length === 0) {
      throw new EngineError('missing-value', `row ${i + 1} has no reference`, { row: i + 1 });
    }
  });
}

/** Largest base^order for which a polynomial n-gram key stays an exact double. */
const MAX_EXACT_KEY = 2 ** 53;

/**
 * Assigns each distinct symbol (a token or a code point) a small integer id, shared by a
 * hypothesis and its references so that n-grams can be keyed by numbers instead of strings.
 */
export class SymbolTable<S> {
  private readonly ids = new Map<S, number>();

  /** The ids of a sequence, new symbols numbered from 0 in order of first appearance. */
  intern(symbols: readonly S[]): Int32Array {
    const out = new Int32Array(symbols.length);
    for (let i = 0; i < symbols.length; i++) {
      let id = this.ids.get(symbols[i]);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(symbols[i], id);
      }
      out[i] = id;
    }
    return out;
  }

  get size(): number {
    return this.ids.size;
  }
}

/** Counts of the distinct n-grams of one order, keyed by a number or (huge alphabets) a string. */
export type NgramCounts = Map<number | string, number>;

/**
 * Counts the n-grams of order `n` of an id sequence. The key of (a_1..a_n) is the base-`base`
 * number a_1..a_n, exact while base^n ≤ 2^53; beyond that (thousands of distinct symbols in
 * one sentence) the ids are joined into a string key instead.
 */
export function countNgrams(ids: Int32Array, n: number, base: number): NgramCounts {
  const counts: NgramCounts = new Map();
  const last = ids.length - n;
  if (Math.pow(Math.max(base, 1), n) <= MAX_EXACT_KEY) {
    for (let i = 0; i <= last; i++) {
      let key = 0;
      for (let k = 0; k < n; k++) key = key * base + ids[i + k];
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  } else {
    for (let i = 0; i <= last; i++) {
      const key = Array.prototype.join.call(ids.subarray(i, i + n), ',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** The total of a count map. */
export function countTotal(counts: NgramCounts): number {
  let total = 0;
  for (const c of counts.values()) total += c;
  return total;
}

/** Σ min(hyp count, ref count) over the hypothesis n-grams (the clipped matches). */
export function clippedMatches(hyp: NgramCounts, ref: NgramCounts): number {
  let matches = 0;
  for (const [key, c] of hyp) {
    const r = ref.get(key);
    if (r !== undefined) matches += c < r ? c : r;
  }
  return matches;
}
