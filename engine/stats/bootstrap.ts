/**
 * Paired bootstrap confidence intervals for the difference of a metric between two models
 * evaluated on the same rows (fine-tuned minus base).
 *
 * A resample draws n rows with replacement and recomputes both models' metrics on the same
 * drawn rows. Every classification metric depends on the rows only through the counts of
 * (true, base, fine-tuned) label triples, so a resample only changes those counts, and their
 * joint distribution is Multinomial(n; observed triple proportions). When there are few
 * distinct triples (8 at most for a binary task) one resample is a handful of exact binomial
 * draws instead of n index draws: 1000 resamples of 100 000 rows take milliseconds. With many
 * distinct triples (many classes, few rows) the rows themselves are resampled. Both give the same
 * bootstrap distribution; only the random streams differ.
 *
 * The interval is the percentile interval: the (1 − confidence)/2 and (1 + confidence)/2
 * quantiles of the resampled differences, with linear interpolation between order statistics
 * (numpy's default `percentile` method).
 */
import { EngineError, throwIfCancelled, type CancelToken } from '../errors.js';
import {
  dependsOnlyOnOneVsRest,
  metricFromConfusion,
  metricFromOneVsRest,
  type ConfusionMatrix,
  type MetricSpec,
} from '../metrics/classification.js';
import { Rng } from '../random.js';
import { sampleBinomial } from './binomial.js';

/**
 * The most resamples a bootstrap takes: each keeps an array of that many numbers per metric
 * (8 MB at the bound), and intervals stop moving long before it.
 */
export const MAX_RESAMPLES = 1_000_000;

export type BootstrapMethod = 'multinomial' | 'rows';

export interface BootstrapOptions {
  /** Number of resamples; 1000 by default. */
  readonly resamples?: number;
  /** Two-sided coverage in (0, 1); 0.95 by default. */
  readonly confidence?: number;
  /** Seed of the engine's generator; 0 by default. Same seed, same input → same output. */
  readonly seed?: number;
  /**
   * Code of the positive label for a binary task (all labels kept, `binary` averages about
   * it); null or absent for a multiclass task (macro averages over the labels present).
   */
  readonly positive?: number | null;
  /** Force a method; by default the multinomial one whenever the triples are few. */
  readonly method?: BootstrapMethod;
  readonly cancel?: CancelToken;
  /** Called as resamples complete, at most about a hundred times, with (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * A percentile bootstrap interval for metric(fine-tuned) − metric(base).
 * Invariants: lower ≤ upper; `samples` summarise the `resamples − undefinedResamples`
 * finite resampled differences; `estimate` = `finetuned` − `base` on the full data.
 */
export interface BootstrapInterval {
  readonly metric: MetricSpec;
  /** The difference on the full data (not a resampled value). */
  readonly estimate: number;
  readonly base: number;
  readonly finetuned: number;
  readonly lower: number;
  readonly upper: number;
  readonly confidence: number;
  readonly resamples: number;
  /** Resamples where the metric was undefined for a model (kappa at 0/0), left out. */
  readonly undefinedResamples: number;
  readonly seed: number;
  readonly method: BootstrapMethod;
  /** Mean and standard deviation (n − 1 denominator) of the resampled differences. */
  readonly samples: { readonly mean: number; readonly std: number };
}

/**
 * A multinomial resample costs about one binomial draw per distinct triple, a row resample one
 * index draw per row, and a binomial draw costs a few index draws: so the multinomial method is
 * used up to this many triples, or while there are at least four rows per triple.
 */
const ALWAYS_MULTINOMIAL_CELLS = 4096;

/**
 * Bootstraps the difference of `metric` between two models, given label codes over one label
 * list of `k` labels (from `encodeLabels`). Throws `bad-argument` for bad options, and
 * `interrupted` when `cancel` is set.
 */
export function bootstrapMetricDifference(
  truth: Int32Array,
  base: Int32Array,
  ft: Int32Array,
  k: number,
  metric: MetricSpec,
  options: BootstrapOptions = {},
): BootstrapInterval {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  const seed = options.seed ?? 0;
  const positive = options.positive ?? null;
  const n = truth.length;
  validate(n, base.length, ft.length, k, resamples, confidence, positive);

  const cells = tripleCounts(truth, base, ft, k);
  const method: BootstrapMethod =
    options.method ??
    (cells.counts.length <= Math.max(ALWAYS_MULTINOMIAL_CELLS, n / 4) ? 'multinomial' : 'rows');

  const evaluate = (cm: ConfusionMatrix): number => metricFromConfusion(cm, metric, positive);
  const full = confusionPair(cells, cells.counts, k);
  const baseValue = evaluate(full.base);
  const ftValue = evaluate(full.ft);

  const rng = new Rng(seed);
  const differences = new Float64Array(resamples);
  // A metric of one label against the rest (binary F1, say) needs only each model's four
  // counts per resample, not two confusion matrices and a general evaluation of them.
  const nextDifference =
    method === 'rows'
      ? matrixDifferences(rowResampler(truth, base, ft, k, rng), evaluate)
      : positive !== null && dependsOnlyOnOneVsRest(metric, positive)
        ? oneVsRestDifferences(cells, n, k, positive, metric, rng)
        : matrixDifferences(multinomialResampler(cells, n, k, rng), evaluate);
  const chunk = Math.max(1, Math.ceil(resamples / 100));
  let undefinedResamples = 0;
  let kept = 0;
  for (let done = 0; done < resamples;) {
    throwIfCancelled(options.cancel);
    const end = Math.min(resamples, done + chunk);
    for (; done < end; done++) {
      const d = nextDifference();
      if (Number.isNaN(d)) undefinedResamples++;
      else differences[kept++] = d;
    }
    options.onProgress?.(done, resamples);
  }

  const finite = differences.subarray(0, kept).sort();
  const alpha = (1 - confidence) / 2;
  return {
    metric,
    estimate: ftValue - baseValue,
    base: baseValue,
    finetuned: ftValue,
    lower: quantile(finite, alpha),
    upper: quantile(finite, 1 - alpha),
    confidence,
    resamples,
    undefinedResamples,
    seed,
    method,
    samples: meanAndStd(finite),
  };
}

function validate(
  n: number,
  nBase: number,
  nFt: number,
  k: number,
  resamples: number,
  confidence: number,
  positive: number | null,
): void {
  if (nBase !== n || nFt !== n) {
    throw new EngineError(
      'length-mismatch',
      `bootstrap needs equal lengths: truth ${n}, base ${nBase}, fine-tuned ${nFt}`,
    );
  }
  if (n === 0) throw new EngineError('bad-argument', 'bootstrap needs at least one row');
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new EngineError('bad-argument', `bootstrap resamples must be a positive whole number`);
  }
  if (resamples > MAX_RESAMPLES) {
    throw new EngineError(
      'bad-argument',
      `bootstrap resamples must be at most ${MAX_RESAMPLES}, got ${resamples}`,
    );
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new EngineError('bad-argument', `confidence must be between 0 and 1, got ${confidence}`);
  }
  if (positive !== null && !(Number.isInteger(positive) && positive >= 0 && positive < k)) {
    throw new EngineError('bad-argument', `positive label code ${positive} is not below ${k}`);
  }
}

/**
 * The distinct (true, base, fine-tuned) triples with their counts, in increasing key order of
 * (t·k + b)·k + f. `baseCell[j]` = t·k + b and `ftCell[j]` = t·k + f are the triple's cells in
 * each model's k×k confusion matrix.
 */
interface TripleCells {
  readonly baseCell: Int32Array;
  readonly ftCell: Int32Array;
  readonly counts: Float64Array;
}

function tripleCounts(truth: Int32Array, base: Int32Array, ft: Int32Array, k: number): TripleCells {
  // A dense table when k³ is small (always for binary), a map otherwise.
  const entries: [number, number][] = [];
  if (k * k * k <= 1 << 16) {
    const dense = countDenseTriples(truth, base, ft, k);
    for (let key = 0; key < dense.length; key++)
      if (dense[key] > 0) entries.push([key, dense[key]]);
  } else {
    const map = new Map<number, number>();
    for (let i = 0; i < truth.length; i++) {
      const key = (truth[i] * k + base[i]) * k + ft[i];
      map.set(key, (map.get(key) ?? 0) + 1);
    }
    // A loop, not `push(...)`: with many classes there can be more triples than a call takes
    // arguments.
    for (const entry of [...map.entries()].sort((a, b) => a[0] - b[0])) entries.push(entry);
  }
  const m = entries.length;
  const cells = {
    baseCell: new Int32Array(m),
    ftCell: new Int32Array(m),
    counts: new Float64Array(m),
  };
  entries.forEach(([key, count], j) => {
    const f = key % k;
    const tb = (key - f) / k;
    const b = tb % k;
    const t = (tb - b) / k;
    cells.baseCell[j] = t * k + b;
    cells.ftCell[j] = t * k + f;
    cells.counts[j] = count;
  });
  return cells;
}

/** Counts of every key (t·k + b)·k + f; a loop of its own, so the JIT compiles it early. */
function countDenseTriples(
  truth: Int32Array,
  base: Int32Array,
  ft: Int32Array,
  k: number,
): Int32Array {
  // Int32 rather than float64 counts: until the JIT has compiled this loop, reading a float64
  // element allocates a heap number per row, and 100 000 rows of those cost scavenges.
  const dense = new Int32Array(k * k * k);
  for (let i = 0; i < truth.length; i++) dense[(truth[i] * k + base[i]) * k + ft[i]]++;
  return dense;
}

interface ConfusionPair {
  readonly base: ConfusionMatrix;
  readonly ft: ConfusionMatrix;
}

function confusionPair(cells: TripleCells, counts: Float64Array, k: number): ConfusionPair {
  const base = new Float64Array(k * k);
  const ft = new Float64Array(k * k);
  fillConfusionPair(cells, counts, base, ft);
  return { base: { k, counts: base }, ft: { k, counts: ft } };
}

/** Both models' confusion matrices from counts of the triples in `cells`. */
function fillConfusionPair(
  cells: TripleCells,
  counts: Float64Array,
  base: Float64Array,
  ft: Float64Array,
): void {
  base.fill(0);
  ft.fill(0);
  const { baseCell, ftCell } = cells;
  for (let j = 0; j < counts.length; j++) {
    const c = counts[j];
    base[baseCell[j]] += c;
    ft[ftCell[j]] += c;
  }
}

/** metric(fine-tuned) − metric(base) on each matrix pair that `draw` returns. */
function matrixDifferences(
  draw: () => ConfusionPair,
  evaluate: (cm: ConfusionMatrix) => number,
): () => number {
  return () => {
    const pair = draw();
    return evaluate(pair.ft) - evaluate(pair.base);
  };
}

/** counts[j] + counts[j + 1] + … for every j. */
function suffixSums(counts: Float64Array): Float64Array {
  const sums = new Float64Array(counts.length);
  let acc = 0;
  for (let j = counts.length - 1; j >= 0; j--) {
    acc += counts[j];
    sums[j] = acc;
  }
  return sums;
}

/**
 * One resample = Multinomial(n; counts / n) into `drawn`, drawn as successive binomials: cell j
 * gets Binomial(rows left, count_j / counts left), the last cell the rest. `countsLeft` is
 * `suffixSums(counts)`.
 */
function drawMultinomial(
  rng: Rng,
  n: number,
  counts: Float64Array,
  countsLeft: Float64Array,
  drawn: Float64Array,
): void {
  const m = counts.length;
  let left = n;
  drawn.fill(0);
  for (let j = 0; j < m - 1 && left > 0; j++) {
    const x = sampleBinomial(rng, left, counts[j] / countsLeft[j]);
    drawn[j] = x;
    left -= x;
  }
  drawn[m - 1] += left;
}

function multinomialResampler(
  cells: TripleCells,
  n: number,
  k: number,
  rng: Rng,
): () => ConfusionPair {
  const countsLeft = suffixSums(cells.counts);
  const drawn = new Float64Array(cells.counts.length);
  const pair = {
    base: { k, counts: new Float64Array(k * k) },
    ft: { k, counts: new Float64Array(k * k) },
  };
  return () => {
    drawMultinomial(rng, n, cells.counts, countsLeft, drawn);
    fillConfusionPair(cells, drawn, pair.base.counts, pair.ft.counts);
    return pair;
  };
}

/** Where a row with these labels counts against the positive label: tp 0, fp 1, fn 2, tn 3. */
function outcomeIndex(truthIsPositive: boolean, predIsPositive: boolean): number {
  if (predIsPositive) return truthIsPositive ? 0 : 1;
  return truthIsPositive ? 2 : 3;
}

/**
 * Multinomial resamples of a metric that depends only on the positive label's counts against
 * the rest (`dependsOnlyOnOneVsRest`): the same draws as `multinomialResampler`, tallied
 * straight into each model's tp, fp, fn and tn.
 */
function oneVsRestDifferences(
  cells: TripleCells,
  n: number,
  k: number,
  positive: number,
  metric: MetricSpec,
  rng: Rng,
): () => number {
  const m = cells.counts.length;
  const countsLeft = suffixSums(cells.counts);
  // Per triple, its outcome index for the base model and, offset by 4, for the fine-tuned one.
  const baseOutcome = new Int32Array(m);
  const ftOutcome = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    const truthIsPositive = Math.floor(cells.baseCell[j] / k) === positive;
    baseOutcome[j] = outcomeIndex(truthIsPositive, cells.baseCell[j] % k === positive);
    ftOutcome[j] = 4 + outcomeIndex(truthIsPositive, cells.ftCell[j] % k === positive);
  }
  const drawn = new Float64Array(m);
  const tallies = new Float64Array(8);
  return () => {
    drawMultinomial(rng, n, cells.counts, countsLeft, drawn);
    tallies.fill(0);
    for (let j = 0; j < m; j++) {
      tallies[baseOutcome[j]] += drawn[j];
      tallies[ftOutcome[j]] += drawn[j];
    }
    const ftValue = metricFromOneVsRest(metric, tallies[4], tallies[5], tallies[6], tallies[7]);
    const baseValue = metricFromOneVsRest(metric, tallies[0], tallies[1], tallies[2], tallies[3]);
    return ftValue - baseValue;
  };
}

function rowResampler(
  truth: Int32Array,
  base: Int32Array,
  ft: Int32Array,
  k: number,
  rng: Rng,
): () => ConfusionPair {
  const n = truth.length;
  const pair = {
    base: { k, counts: new Float64Array(k * k) },
    ft: { k, counts: new Float64Array(k * k) },
  };
  return () => {
    const cb = pair.base.counts;
    const cf = pair.ft.counts;
    cb.fill(0);
    cf.fill(0);
    for (let i = 0; i < n; i++) {
      const r = rng.nextInt(n);
      const t = truth[r] * k;
      cb[t + base[r]]++;
      cf[t + ft[r]]++;
    }
    return pair;
  };
}

/** numpy's default (linear) percentile of sorted values; NaN when there are none. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const position = q * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
}

function meanAndStd(values: Float64Array): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  return { mean, std: n > 1 ? Math.sqrt(squares / (n - 1)) : 0 };
}
