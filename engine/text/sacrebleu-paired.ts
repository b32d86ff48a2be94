/**
 * sacrebleu's paired significance tests of a system against a baseline on one corpus: paired
 * bootstrap resampling (Koehn, 2004, as Moses' bootstrap-hypothesis-difference-significance.pl)
 * and paired approximate randomization (Riezler and Maxwell, 2005, as multeval), both computed
 * from per-sentence sufficient statistics, exactly as sacrebleu 2.6's `PairedTest` does.
 *
 * The random draws are an input: an index matrix for the bootstrap, a swap matrix for the
 * randomization. Evalbook draws them from its own seeded generator (`drawBootstrapIndices`,
 * `drawRandomizationSwaps`); replaying sacrebleu's stored draws reproduces its p-values.
 */
import { EngineError } from '../errors.js';
import type { Rng } from '../random.js';
import { bleuFromStats, type BleuOptions } from './bleu.js';
import { chrfFromStats, type ChrfOptions } from './chrf.js';
import type { SentenceStats } from './sufficient-stats.js';
import { terFromStats } from './ter.js';

/** A corpus metric as the paired tests need it: a score of summed statistics. */
export interface PairedMetric {
  readonly name: string;
  /** Statistics per sentence. */
  readonly width: number;
  /**
   * The corpus score of summed statistics. With `float32Divisions`, divisions of statistics
   * are rounded to float32 as in sacrebleu's bootstrap, which keeps its statistics as float32.
   */
  score(sums: ArrayLike<number>, float32Divisions: boolean): number;
}

export function bleuMetric(options: BleuOptions = {}): PairedMetric {
  const order = options.maxNgramOrder ?? 4;
  // BLEU's divisions use the integer lengths and float64 constants, so float32 changes nothing.
  return {
    name: 'BLEU',
    width: 2 + 2 * order,
    score: (sums) => bleuFromStats(sums, options).score,
  };
}

export function chrfMetric(options: ChrfOptions = {}): PairedMetric {
  const beta = options.beta ?? 2;
  const words = options.wordOrder ?? 0;
  return {
    name: `chrF${beta}${'+'.repeat(words)}`,
    width: 3 * ((options.charOrder ?? 6) + words),
    score: (sums, float32) => chrfFromStats(sums, options, float32),
  };
}

export function terMetric(): PairedMetric {
  return { name: 'TER', width: 2, score: (sums, float32) => terFromStats(sums, float32).score };
}

/** Bootstrap draws: `samples` rows of `n` sentence indices in [0, n), row-major. */
export interface BootstrapDraws {
  readonly samples: number;
  readonly n: number;
  readonly indices: Int32Array;
}

/** Randomization draws: `trials` rows of `n` flags, row-major; 1 swaps the sentence's systems. */
export interface RandomizationDraws {
  readonly trials: number;
  readonly n: number;
  readonly swaps: Uint8Array;
}

/** Bootstrap draws from Evalbook's generator: each index uniform in [0, n), with repetition. */
export function drawBootstrapIndices(rng: Rng, samples: number, n: number): BootstrapDraws {
  checkCounts(samples, n);
  const indices = new Int32Array(samples * n);
  for (let k = 0; k < indices.length; k++) indices[k] = rng.nextInt(n);
  return { samples, n, indices };
}

/** Randomization draws from Evalbook's generator: each flag a fair coin. */
export function drawRandomizationSwaps(rng: Rng, trials: number, n: number): RandomizationDraws {
  checkCounts(trials, n);
  const swaps = new Uint8Array(trials * n);
  let bits = 0;
  for (let k = 0; k < swaps.length; k++) {
    // One 32-bit draw gives 32 coins.
    if ((k & 31) === 0) bits = rng.nextUint32();
    swaps[k] = bits & 1;
    bits >>>= 1;
  }
  return { trials, n, swaps };
}

function checkCounts(draws: number, n: number): void {
  if (!Number.isInteger(draws) || draws < 1) {
    throw new EngineError(
      'bad-argument',
      `the number of resamples must be a positive integer, not ${draws}`,
    );
  }
  if (!Number.isInteger(n) || n < 1) {
    throw new EngineError('bad-argument', 'a paired test needs at least one sentence');
  }
}

export interface PairedBootstrapResult {
  readonly metric: string;
  readonly baselineScore: number;
  readonly systemScore: number;
  /** |system − baseline| on the whole corpus. */
  readonly observedDifference: number;
  /** (c + 1) / (samples + 1), c = resamples whose centred difference exceeds the observed one. */
  readonly pValue: number;
  /** Mean of the resampled scores. */
  readonly baselineMean: number;
  /** Half the distance between the 2.5% and 97.5% resampled scores (sacrebleu's positions). */
  readonly baselineCi: number;
  readonly systemMean: number;
  readonly systemCi: number;
  readonly samples: number;
}

export interface PairedRandomizationResult {
  readonly metric: string;
  readonly baselineScore: number;
  readonly systemScore: number;
  readonly observedDifference: number;
  /** (c + 1) / (trials + 1), c = trials whose |score(A) − score(B)| exceeds the observed one. */
  readonly pValue: number;
  readonly trials: number;
}

export interface PairedBootstrapOptions {
  /**
   * Reproduce sacrebleu's float32 statistics in the resamples (default true): statistics and
   * their sums kept as float32, chrF's and TER's divisions rounded to float32.
   */
  readonly float32?: boolean;
}

function checkPair(
  baseline: SentenceStats,
  system: SentenceStats,
  metric: PairedMetric,
  n: number,
): void {
  if (baseline.rows !== system.rows || baseline.width !== system.width) {
    throw new EngineError(
      'length-mismatch',
      `the baseline has ${baseline.rows}×${baseline.width} statistics, the system ${system.rows}×${system.width}`,
    );
  }
  if (baseline.width !== metric.width) {
    throw new EngineError(
      'bad-argument',
      `${metric.name} statistics have ${metric.width} values, not ${baseline.width}`,
    );
  }
  if (baseline.rows !== n) {
    throw new EngineError(
      'length-mismatch',
      `the draws are for ${n} sentences, the corpus has ${baseline.rows}`,
    );
  }
}

/** Column sums in row order, float64 (as sacrebleu sums its statistics lists). */
function corpusSums(stats: SentenceStats): Float64Array {
  const out = new Float64Array(stats.width);
  for (let r = 0; r < stats.rows; r++) {
    for (let k = 0; k < stats.width; k++) out[k] += stats.data[r * stats.width + k];
  }
  return out;
}

/** True when every statistic is an integer (sums of them in float64 are then exact). */
function allIntegers(stats: SentenceStats): boolean {
  for (let k = 0; k < stats.data.length; k++) if (!Number.isInteger(stats.data[k])) return false;
  return true;
}

/**
 * True when float32 sums of any resample equal the float64 ones: integer statistics whose
 * largest value times the sentence count (the largest possible resample sum) is below 2^24.
 */
function float32SumsAreExact(stats: SentenceStats): boolean {
  if (!allIntegers(stats)) return false;
  let max = 0;
  for (let k = 0; k < stats.data.length; k++) max = Math.max(max, Math.abs(stats.data[k]));
  return max * stats.rows < 2 ** 24;
}

/** The statistics column by column (each optionally rounded to float32), for gathering. */
function columns(stats: SentenceStats, toFloat32: boolean): Float64Array[] {
  const out: Float64Array[] = [];
  for (let k = 0; k < stats.width; k++) {
    const col = new Float64Array(stats.rows);
    for (let i = 0; i < stats.rows; i++) {
      const v = stats.data[i * stats.width + k];
      col[i] = toFloat32 ? Math.fround(v) : v;
    }
    out.push(col);
  }
  return out;
}

const PACK = 2 ** 26;

/**
 * True when two columns can share a double: non-negative integers whose largest possible
 * resample sum (largest value × sentences) is below 2^26, so a + b·2^26 and every partial sum
 * of it stay exact integers below 2^53.
 */
function packable(stats: SentenceStats): boolean {
  let max = 0;
  for (let k = 0; k < stats.data.length; k++) {
    const v = stats.data[k];
    if (!Number.isInteger(v) || v < 0) return false;
    if (v > max) max = v;
  }
  return max * stats.rows < PACK;
}

/** Columns 2j and 2j+1 as one column of a + b·2^26 (halves the additions of a resample). */
function packPairs(stats: SentenceStats): Float64Array[] {
  const out: Float64Array[] = [];
  for (let k = 0; k < stats.width; k += 2) {
    const col = new Float64Array(stats.rows);
    for (let i = 0; i < stats.rows; i++) {
      const a = stats.data[i * stats.width + k];
      const b = k + 1 < stats.width ? stats.data[i * stats.width + k + 1] : 0;
      col[i] = a + b * PACK;
    }
    out.push(col);
  }
  return out;
}

/** The resample's column sums from packed columns. */
function unpackSums(packedColumns: Float64Array[], indices: Int32Array, out: Float64Array): void {
  for (let j = 0; j < packedColumns.length; j++) {
    const s = gatherSum(packedColumns[j], indices);
    const b = Math.floor(s / PACK);
    out[2 * j] = s - b * PACK;
    if (2 * j + 1 < out.length) out[2 * j + 1] = b;
  }
}

/** Σ column[indices[i]] in index order. */
function gatherSum(column: Float64Array, indices: Int32Array): number {
  let s = 0;
  for (let i = 0; i < indices.length; i++) s += column[indices[i]];
  return s;
}

/** The same sum in float32 arithmetic, each addition rounded as numpy's float32 sum does. */
function gatherSum32(column: Float64Array, indices: Int32Array): number {
  let s = 0;
  for (let i = 0; i < indices.length; i++) s = Math.fround(s + column[indices[i]]);
  return s;
}

/** numpy's pairwise sum of a float64 vector (the order `ndarray.mean` adds in). */
export function numpySum(a: Float64Array, from = 0, to = a.length): number {
  const n = to - from;
  if (n < 8) {
    let s = 0;
    for (let i = from; i < to; i++) s += a[i];
    return s;
  }
  if (n <= 128) {
    const r = [
      a[from],
      a[from + 1],
      a[from + 2],
      a[from + 3],
      a[from + 4],
      a[from + 5],
      a[from + 6],
      a[from + 7],
    ];
    let i = from + 8;
    for (; i < to - (n % 8); i += 8) {
      for (let k = 0; k < 8; k++) r[k] += a[i + k];
    }
    let s = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < to; i++) s += a[i];
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return numpySum(a, from, from + half) + numpySum(a, from + half, to);
}

/** sacrebleu's `estimate_ci`: the mean and half the 95% range of the resampled scores. */
function meanAndCi(scores: Float64Array): { mean: number; ci: number } {
  const sorted = Float64Array.from(scores).sort();
  const lower = Math.floor(sorted.length / 40);
  const upper = sorted.length - lower - 1;
  return { mean: numpySum(scores) / scores.length, ci: 0.5 * (sorted[upper] - sorted[lower]) };
}

/**
 * Paired bootstrap resampling (sacrebleu's `paired_bs`): each draw row is a resample of the
 * sentences, the same for both systems; d_r = |score_sys − score_base| on resample r; the
 * p-value counts the resamples with d_r − mean(d) strictly above the observed difference.
 */
export function pairedBootstrap(
  baseline: SentenceStats,
  system: SentenceStats,
  metric: PairedMetric,
  draws: BootstrapDraws,
  options: PairedBootstrapOptions = {},
): PairedBootstrapResult {
  checkPair(baseline, system, metric, draws.n);
  const float32 = options.float32 ?? true;
  const { samples, n, indices } = draws;
  const width = metric.width;
  const baselineScore = metric.score(corpusSums(baseline), false);
  const systemScore = metric.score(corpusSums(system), false);
  const observed = Math.abs(baselineScore - systemScore);

  // float32 statistics summed in float32; when they are small integers that equals float64.
  const roundStats = float32 && !(float32SumsAreExact(baseline) && float32SumsAreExact(system));
  // Small non-negative integer statistics are summed two columns to a double (see packPairs).
  const packed = !roundStats && packable(baseline) && packable(system);
  const baseColumns = packed ? packPairs(baseline) : columns(baseline, roundStats);
  const sysColumns = packed ? packPairs(system) : columns(system, roundStats);
  const baseSums = new Float64Array(width);
  const sysSums = new Float64Array(width);
  const baseScores = new Float64Array(samples);
  const sysScores = new Float64Array(samples);
  for (let r = 0; r < samples; r++) {
    const row = indices.subarray(r * n, (r + 1) * n);
    if (packed) {
      unpackSums(baseColumns, row, baseSums);
      unpackSums(sysColumns, row, sysSums);
    } else {
      for (let k = 0; k < width; k++) {
        baseSums[k] = roundStats
          ? gatherSum32(baseColumns[k], row)
          : gatherSum(baseColumns[k], row);
        sysSums[k] = roundStats ? gatherSum32(sysColumns[k], row) : gatherSum(sysColumns[k], row);
      }
    }
    baseScores[r] = metric.score(baseSums, float32);
    sysScores[r] = metric.score(sysSums, float32);
  }
  const diffs = new Float64Array(samples);
  for (let r = 0; r < samples; r++) diffs[r] = Math.abs(sysScores[r] - baseScores[r]);
  const meanDiff = numpySum(diffs) / samples;
  let exceed = 0;
  for (let r = 0; r < samples; r++) if (diffs[r] - meanDiff > observed) exceed++;
  const base = meanAndCi(baseScores);
  const sys = meanAndCi(sysScores);
  return {
    metric: metric.name,
    baselineScore,
    systemScore,
    observedDifference: observed,
    pValue: (exceed + 1) / (samples + 1),
    baselineMean: base.mean,
    baselineCi: base.ci,
    systemMean: sys.mean,
    systemCi: sys.ci,
    samples,
  };
}

/**
 * Paired approximate randomization (sacrebleu's `paired_ar`): in each trial, pseudo-system A
 * takes the baseline's statistics of the swapped sentences and the system's of the others, B
 * the reverse; the p-value counts the trials with |score(A) − score(B)| strictly above the
 * observed difference.
 */
export function pairedRandomization(
  baseline: SentenceStats,
  system: SentenceStats,
  metric: PairedMetric,
  draws: RandomizationDraws,
): PairedRandomizationResult {
  checkPair(baseline, system, metric, draws.n);
  const { trials, n, swaps } = draws;
  const width = metric.width;
  const baseTotal = corpusSums(baseline);
  const sysTotal = corpusSums(system);
  const baselineScore = metric.score(baseTotal, false);
  const systemScore = metric.score(sysTotal, false);
  const observed = Math.abs(baselineScore - systemScore);
  // With integer statistics A = system total + Σ_swapped (baseline − system) and B = the
  // grand total − A are exact, which halves the work; otherwise both are summed directly.
  const exact = allIntegers(baseline) && allIntegers(system);
  const diff = new Float64Array(n * width);
  for (let k = 0; k < diff.length; k++) diff[k] = baseline.data[k] - system.data[k];
  const a = new Float64Array(width);
  const b = new Float64Array(width);
  let exceed = 0;
  for (let t = 0; t < trials; t++) {
    const row = t * n;
    if (exact) {
      a.set(sysTotal);
      for (let i = 0; i < n; i++) {
        if (swaps[row + i] === 0) continue;
        const at = i * width;
        for (let k = 0; k < width; k++) a[k] += diff[at + k];
      }
      for (let k = 0; k < width; k++) b[k] = baseTotal[k] + sysTotal[k] - a[k];
    } else {
      a.fill(0);
      b.fill(0);
      for (let i = 0; i < n; i++) {
        const at = i * width;
        const [fromA, fromB] =
          swaps[row + i] === 1 ? [baseline.data, system.data] : [system.data, baseline.data];
        for (let k = 0; k < width; k++) {
          a[k] += fromA[at + k];
          b[k] += fromB[at + k];
        }
      }
    }
    if (Math.abs(metric.score(a, false) - metric.score(b, false)) > observed) exceed++;
  }
  return {
    metric: metric.name,
    baselineScore,
    systemScore,
    observedDifference: observed,
    pValue: (exceed + 1) / (trials + 1),
    trials,
  };
}
