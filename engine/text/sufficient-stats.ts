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

/** Σ min(hyp count, ref count) over the hypothesis n-grams (the clipped matches). */
export function clippedMatches(hyp: NgramCounts, ref: NgramCounts): number {
  let matches = 0;
  for (const [key, c] of hyp) {
    const r = ref.get(key);
    if (r !== undefined) matches += c < r ? c : r;
  }
  return matches;
}

/**
 * Per-sentence symbol ids drawn from a vocabulary shared by a whole corpus: each sentence
 * (a hypothesis with its references) numbers its distinct symbols 1, 2, … afresh, so that
 * n-gram keys stay small numbers, without a new map per sentence.
 */
export class LocalSymbols<S> {
  private readonly vocabulary = new Map<S, number>();
  private stamp = new Int32Array(1024);
  private local = new Int32Array(1024);
  private epoch = 0;
  private next = 1;

  /** Starts a new sentence: its symbols are numbered from 1 again. */
  begin(): void {
    this.epoch++;
    this.next = 1;
  }

  /** The local ids (≥ 1) of a sequence within the current sentence. */
  ids(symbols: readonly S[]): Int32Array {
    const out = new Int32Array(symbols.length);
    for (let i = 0; i < symbols.length; i++) {
      let g = this.vocabulary.get(symbols[i]);
      if (g === undefined) {
        g = this.vocabulary.size;
        this.vocabulary.set(symbols[i], g);
        if (g >= this.stamp.length) this.grow();
      }
      if (this.stamp[g] !== this.epoch) {
        this.stamp[g] = this.epoch;
        this.local[g] = this.next++;
      }
      out[i] = this.local[g];
    }
    return out;
  }

  /** One more than the largest local id of the current sentence: the base of n-gram keys. */
  get base(): number {
    return this.next;
  }

  private grow(): void {
    const stamp = new Int32Array(this.stamp.length * 2);
    stamp.set(this.stamp);
    const local = new Int32Array(this.local.length * 2);
    local.set(this.local);
    this.stamp = stamp;
    this.local = local;
  }
}

/**
 * N-gram matching by sorted numeric keys, for ids ≥ 1 in base `base`: the key of (a_1..a_n)
 * is the base-`base` number a_1..a_n, so the keys of order n lie in [base^(n−1), base^n) and
 * one sorted array holds all orders in order. Exact while base^maxOrder ≤ 2^53
 * (`fitsSortedKeys`).
 */
export function fitsSortedKeys(base: number, maxOrder: number): boolean {
  return Math.pow(base, maxOrder) <= MAX_EXACT_KEY;
}

/** The sorted keys of all n-grams of orders 1..maxOrder of `ids`. */
export function sortedNgramKeys(ids: Int32Array, maxOrder: number, base: number): Float64Array {
  const len = ids.length;
  let count = 0;
  for (let n = 1; n <= maxOrder; n++) count += Math.max(0, len - n + 1);
  const keys = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < len; i++) {
    let key = 0;
    for (let n = 1; n <= maxOrder && i + n <= len; n++) {
      key = key * base + ids[i + n - 1];
      keys[k++] = key;
    }
  }
  return keys.sort();
}

/** The distinct keys of a sorted key array and their counts. */
export function keyRuns(sorted: Float64Array): { keys: Float64Array; counts: Int32Array } {
  const keys = new Float64Array(sorted.length);
  const counts = new Int32Array(sorted.length);
  let m = -1;
  for (let i = 0; i < sorted.length; i++) {
    if (m >= 0 && keys[m] === sorted[i]) counts[m]++;
    else {
      m++;
      keys[m] = sorted[i];
      counts[m] = 1;
    }
  }
  return { keys: keys.subarray(0, m + 1), counts: counts.subarray(0, m + 1) };
}

/**
 * For each distinct hypothesis key, its count in a reference's sorted keys, written into
 * `out` (or maximised into it with `max`).
 */
export function countsInReference(
  hyp: { keys: Float64Array },
  refSorted: Float64Array,
  out: Int32Array,
  max: boolean,
): void {
  let r = 0;
  const keys = hyp.keys;
  for (let j = 0; j < keys.length; j++) {
    const key = keys[j];
    while (r < refSorted.length && refSorted[r] < key) r++;
    let c = 0;
    while (r < refSorted.length && refSorted[r] === key) {
      c++;
      r++;
    }
    if (!max || c > out[j]) out[j] = c;
  }
}

/** Σ min(hyp count, ref count) per order (index n − 1), the order read off each key's size. */
export function clippedByOrder(
  hyp: { keys: Float64Array; counts: Int32Array },
  refCounts: Int32Array,
  base: number,
  maxOrder: number,
): Float64Array {
  const out = new Float64Array(maxOrder);
  let order = 1;
  let bound = base;
  for (let j = 0; j < hyp.keys.length; j++) {
    while (hyp.keys[j] >= bound && order < maxOrder) {
      order++;
      bound *= base;
    }
    const h = hyp.counts[j];
    const r = refCounts[j];
    out[order - 1] += h < r ? h : r;
  }
  return out;
}

/**
 * The n-grams of orders 1..N of one hypothesis in an open-addressing hash table, for matching
 * against references in one pass each: Σ_g min(hyp count, ref count) counts a reference
 * occurrence of g as a match while fewer than g's hypothesis count have been used. Keys are
 * the polynomial keys of `sortedNgramKeys` (so `fitsSortedKeys` must hold); the table is reused
 * from sentence to sentence, entries invalidated by a stamp instead of cleared.
 */
export class HypothesisNgrams {
  private keys = new Float64Array(0);
  private counts = new Int32Array(0);
  private used = new Int32Array(0);
  private usedStamp = new Int32Array(0);
  private stamp = new Int32Array(0);
  private epoch = 0;
  private refEpoch = 0;
  private mask = 0;
  private maxOrder = 0;
  private base = 0;
  /** Hypothesis n-grams per order (index n − 1). */
  totals = new Int32Array(0);

  /** Loads a hypothesis's n-grams, replacing the previous one. */
  load(ids: Int32Array, maxOrder: number, base: number): void {
    this.maxOrder = maxOrder;
    this.base = base;
    let capacity = 16;
    while (capacity < 2 * ids.length * Math.max(1, maxOrder)) capacity *= 2;
    if (capacity > this.keys.length) {
      this.keys = new Float64Array(capacity);
      this.counts = new Int32Array(capacity);
      this.used = new Int32Array(capacity);
      this.usedStamp = new Int32Array(capacity);
      this.stamp = new Int32Array(capacity);
      this.epoch = 0;
      this.refEpoch = 0;
      this.mask = capacity - 1;
    }
    this.epoch++;
    this.totals = new Int32Array(maxOrder);
    const len = ids.length;
    for (let i = 0; i < len; i++) {
      let key = 0;
      for (let n = 1; n <= maxOrder && i + n <= len; n++) {
        key = key * base + ids[i + n - 1];
        this.totals[n - 1]++;
        let h = slotOf(key, this.mask);
        while (this.stamp[h] === this.epoch && this.keys[h] !== key) h = (h + 1) & this.mask;
        if (this.stamp[h] !== this.epoch) {
          this.stamp[h] = this.epoch;
          this.keys[h] = key;
          this.counts[h] = 0;
        }
        this.counts[h]++;
      }
    }
  }

  /** The clipped matches per order (index n − 1) of a reference against the loaded hypothesis. */
  matches(ref: Int32Array): Float64Array {
    const { maxOrder, base, mask } = this;
    const out = new Float64Array(maxOrder);
    this.refEpoch++;
    const len = ref.length;
    for (let i = 0; i < len; i++) {
      let key = 0;
      for (let n = 1; n <= maxOrder && i + n <= len; n++) {
        key = key * base + ref[i + n - 1];
        let h = slotOf(key, mask);
        while (this.stamp[h] === this.epoch && this.keys[h] !== key) h = (h + 1) & mask;
        if (this.stamp[h] !== this.epoch) continue;
        if (this.usedStamp[h] !== this.refEpoch) {
          this.usedStamp[h] = this.refEpoch;
          this.used[h] = 0;
        }
        if (this.used[h] < this.counts[h]) {
          this.used[h]++;
          out[n - 1]++;
        }
      }
    }
    return out;
  }
}

/** A table slot for an integer key below 2^53: its two 32-bit halves mixed. */
function slotOf(key: number, mask: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  return Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) & mask;
}
