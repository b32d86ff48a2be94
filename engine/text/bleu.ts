/**
 * BLEU (Papineni et al., 2002) exactly as sacrebleu 2.6 computes it.
 *
 * Sufficient statistics per sentence, `[hyp_len, ref_len, correct_1..N, total_1..N]` (N = max
 * n-gram order, 4 by default): hyp_len is the hypothesis token count; ref_len the reference
 * length closest to it, the shorter on a tie; correct_n the hypothesis n-grams matched after
 * clipping each count by its largest count in any one reference; total_n the hypothesis
 * n-grams. A corpus score is a function of the column sums of these rows only, so resampling
 * a corpus costs one pass of additions.
 */
import { EngineError } from '../errors.js';
import {
  HypothesisNgrams,
  LocalSymbols,
  checkReferences,
  clippedByOrder,
  clippedMatches,
  countNgrams,
  countsInReference,
  fitsSortedKeys,
  keyRuns,
  packStats,
  sortedNgramKeys,
  sumStats,
  type NgramCounts,
  type SentenceStats,
} from './sufficient-stats.js';
import { bleuTokenizerTokens, type BleuTokenizerName } from './tokenize-13a.js';
import { rstripPythonWhitespace } from './tokens.js';

export type BleuSmoothMethod = 'exp' | 'floor' | 'add-k' | 'none';

export interface BleuOptions {
  /** `13a` (default) or `none`. */
  readonly tokenize?: BleuTokenizerName;
  /** Lower-case both sides before tokenizing (default false). */
  readonly lowercase?: boolean;
  /** Smoothing of zero precisions (default `exp`, NIST's geometric halving). */
  readonly smoothMethod?: BleuSmoothMethod;
  /** The constant of `floor` (default 0.1) and `add-k` (default 1); unused by the others. */
  readonly smoothValue?: number;
  /** Highest n-gram order (default 4). */
  readonly maxNgramOrder?: number;
  /**
   * Average only over the orders the hypothesis has n-grams of (default false for a corpus,
   * true for `sentenceBleu`, as sacrebleu recommends for sentence level).
   */
  readonly effectiveOrder?: boolean;
}

export interface BleuScore {
  /** 0–100. */
  readonly score: number;
  /** Matched n-grams of orders 1..N. */
  readonly counts: number[];
  /** Hypothesis n-grams of orders 1..N. */
  readonly totals: number[];
  /** 100 · counts / totals after smoothing, orders 1..N (0 past the last counted order). */
  readonly precisions: number[];
  /** Brevity penalty: exp(1 − ref_len / sys_len) when the output is shorter, else 1. */
  readonly bp: number;
  /** sys_len / ref_len (0 when ref_len is 0). */
  readonly ratio: number;
  readonly sysLen: number;
  readonly refLen: number;
}

const DEFAULT_ORDER = 4;
const SMOOTH_DEFAULTS: Record<BleuSmoothMethod, number> = {
  exp: 0,
  none: 0,
  floor: 0.1,
  'add-k': 1,
};
/** sacrebleu's `my_log(0)`: a floor instead of −∞, so a zero precision gives a zero score. */
const LOG_ZERO = -9999999999;

function maxOrderOf(options: BleuOptions): number {
  const order = options.maxNgramOrder ?? DEFAULT_ORDER;
  if (!Number.isInteger(order) || order < 1) {
    throw new EngineError(
      'bad-argument',
      `BLEU's n-gram order must be a positive integer, not ${order}`,
    );
  }
  return order;
}

/** The text as BLEU sees it: optionally lower-cased, right-stripped, tokenized, split. */
export function bleuTokens(text: string, options: BleuOptions = {}): string[] {
  const tokenize = bleuTokenizerTokens(options.tokenize ?? '13a');
  const cased = options.lowercase ? text.toLowerCase() : text;
  return tokenize(rstripPythonWhitespace(cased));
}

/** The reference length closest to `hypLen`, the shorter one on a tie. */
export function closestReferenceLength(hypLen: number, refLens: readonly number[]): number {
  let bestDiff = -1;
  let best = -1;
  for (const len of refLens) {
    const diff = Math.abs(hypLen - len);
    if (bestDiff === -1 || diff < bestDiff) {
      bestDiff = diff;
      best = len;
    } else if (diff === bestDiff && len < best) {
      best = len;
    }
  }
  return best;
}

/** The width of a BLEU statistics row for a maximum order. */
export function bleuStatsWidth(maxNgramOrder = DEFAULT_ORDER): number {
  return 2 + 2 * maxNgramOrder;
}

/** One sentence's statistics row against one or more references (see the module comment). */
export function bleuSentenceStats(
  hypothesis: string,
  references: readonly string[],
  options: BleuOptions = {},
): Float64Array {
  return bleuRow(
    hypothesis,
    references,
    options,
    maxOrderOf(options),
    new LocalSymbols<string>(),
    new HypothesisNgrams(),
  );
}

function bleuRow(
  hypothesis: string,
  references: readonly string[],
  options: BleuOptions,
  order: number,
  symbols: LocalSymbols<string>,
  table: HypothesisNgrams,
): Float64Array {
  if (references.length === 0)
    throw new EngineError('missing-value', 'BLEU needs at least one reference');
  symbols.begin();
  const hyp = symbols.ids(bleuTokens(hypothesis, options));
  const refs = references.map((r) => symbols.ids(bleuTokens(r, options)));
  const base = symbols.base;
  const row = new Float64Array(bleuStatsWidth(order));
  row[0] = hyp.length;
  row[1] = closestReferenceLength(
    hyp.length,
    refs.map((r) => r.length),
  );
  for (let n = 1; n <= order; n++) row[1 + order + n] = Math.max(0, hyp.length - n + 1);
  if (fitsSortedKeys(base, order) && refs.length === 1) {
    // One reference: the clipped matches in one hashed pass.
    table.load(hyp, order, base);
    row.set(table.matches(refs[0]), 2);
    return row;
  }
  if (fitsSortedKeys(base, order)) {
    // The clip of an n-gram is its largest count in any single reference.
    const runs = keyRuns(sortedNgramKeys(hyp, order, base));
    const refMax = new Int32Array(runs.keys.length);
    for (const ref of refs)
      countsInReference(runs, sortedNgramKeys(ref, order, base), refMax, true);
    row.set(clippedByOrder(runs, refMax, base, order), 2);
    return row;
  }
  // Thousands of distinct tokens in one sentence: keys per order in maps instead.
  for (let n = 1; n <= order; n++) {
    const hypCounts = countNgrams(hyp, n, base);
    let refMax: NgramCounts | undefined;
    for (const ref of refs) {
      const counts = countNgrams(ref, n, base);
      if (refMax === undefined) {
        refMax = counts;
        continue;
      }
      for (const [key, c] of counts) {
        const prev = refMax.get(key);
        if (prev === undefined || c > prev) refMax.set(key, c);
      }
    }
    row[1 + n] = clippedMatches(hypCounts, refMax ?? new Map());
  }
  return row;
}

/** The statistics matrix of a corpus: row i for hypothesis i against references[i]. */
export function bleuCorpusStats(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options: BleuOptions = {},
): SentenceStats {
  checkReferences(hypotheses, references);
  const order = maxOrderOf(options);
  const symbols = new LocalSymbols<string>();
  const table = new HypothesisNgrams();
  return packStats(
    hypotheses.map((h, i) => bleuRow(h, references[i], options, order, symbols, table)),
    bleuStatsWidth(order),
  );
}

/**
 * BLEU from summed statistics (sacrebleu's `compute_bleu`): brevity penalty times the
 * geometric mean of the n-gram precisions, zero when nothing matches. Smoothing: `exp` gives
 * the k-th zero precision 100 / (2^k · total_n); `floor` gives it 100 · value / total_n;
 * `add-k` adds the value to correct and total of orders ≥ 2; `none` leaves it zero. Orders past
 * one without n-grams stop the loop; with effective order the mean runs over orders up to the
 * last one with n-grams, else over all N (a missing order then gives 0).
 */
export function bleuFromStats(sums: ArrayLike<number>, options: BleuOptions = {}): BleuScore {
  const order = (sums.length - 2) / 2;
  if (!Number.isInteger(order) || order < 1) {
    throw new EngineError(
      'bad-argument',
      `a BLEU statistics row cannot have ${sums.length} values`,
    );
  }
  const method = options.smoothMethod ?? 'exp';
  const value = options.smoothValue ?? SMOOTH_DEFAULTS[method];
  const sysLen = Math.trunc(sums[0]);
  const refLen = Math.trunc(sums[1]);
  const counts: number[] = [];
  const totals: number[] = [];
  for (let n = 0; n < order; n++) {
    counts.push(sums[2 + n]);
    totals.push(sums[2 + order + n]);
  }
  let bp = 1.0;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0.0;
  const ratio = refLen ? sysLen / refLen : 0;
  const precisions = new Array<number>(order).fill(0);
  const result = { counts, totals, precisions, bp, ratio, sysLen, refLen };
  if (!counts.some((c) => c !== 0)) return { score: 0.0, ...result };

  const correct = counts.slice();
  const total = totals.slice();
  let smoothMteval = 1.0;
  let effOrder = order;
  for (let n = 1; n <= order; n++) {
    if (method === 'add-k' && n > 1) {
      correct[n - 1] += value;
      total[n - 1] += value;
    }
    if (total[n - 1] === 0) break;
    if (options.effectiveOrder) effOrder = n;
    if (correct[n - 1] === 0) {
      if (method === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * total[n - 1]);
      } else if (method === 'floor') {
        precisions[n - 1] = (100 * value) / total[n - 1];
      }
    } else {
      precisions[n - 1] = (100 * correct[n - 1]) / total[n - 1];
    }
  }
  let logSum = 0;
  for (let n = 0; n < effOrder; n++) {
    logSum += precisions[n] === 0 ? LOG_ZERO : Math.log(precisions[n]);
  }
  return { score: bp * Math.exp(logSum / effOrder), ...result };
}

/** Corpus BLEU: the score of the summed sentence statistics. */
export function corpusBleu(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options: BleuOptions = {},
): BleuScore {
  return bleuFromStats(sumStats(bleuCorpusStats(hypotheses, references, options)), options);
}

/** Sentence BLEU: the score of one sentence's statistics, with effective order by default. */
export function sentenceBleu(
  hypothesis: string,
  references: readonly string[],
  options: BleuOptions = {},
): BleuScore {
  const withDefaults = { effectiveOrder: true, ...options };
  return bleuFromStats(bleuSentenceStats(hypothesis, references, withDefaults), withDefaults);
}
