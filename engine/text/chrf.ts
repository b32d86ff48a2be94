/**
 * chrF and chrF++ (Popović, 2015 and 2017) exactly as sacrebleu 2.6 computes them.
 *
 * Sufficient statistics per sentence: one triple `[hyp_count, ref_count, matches]` per
 * character n-gram order 1..charOrder, then per word n-gram order 1..wordOrder (chrF++ has
 * word order 2). Characters are code points, whitespace removed unless asked; words are the
 * whitespace-split tokens with one leading or trailing ASCII punctuation mark split off.
 * hyp_count is 0 when the reference has no n-gram of that order. With several references the
 * row is the one of the reference with the best sentence chrF (the first on a tie).
 */
import { EngineError } from '../errors.js';
import {
  HypothesisNgrams,
  LocalSymbols,
  checkReferences,
  clippedMatches,
  countNgrams,
  fitsSortedKeys,
  packStats,
  sumStats,
  type NgramCounts,
  type SentenceStats,
} from './sufficient-stats.js';
import { splitPythonWhitespace } from './tokens.js';

export interface ChrfOptions {
  /** Character n-gram order (default 6). */
  readonly charOrder?: number;
  /** Word n-gram order (default 0: chrF; 2: chrF++). */
  readonly wordOrder?: number;
  /** Weight of recall against precision (default 2). */
  readonly beta?: number;
  /** Lower-case both sides first (default false). */
  readonly lowercase?: boolean;
  /** Keep whitespace inside character n-grams (default false). */
  readonly whitespace?: boolean;
  /**
   * Average the per-order F scores with ε for missing orders, as chrF++.py and NLTK do
   * (default false: sacrebleu's effective-order average of precision and recall).
   */
  readonly epsSmoothing?: boolean;
}

/** The options of chrF++ (word order 2), the rest at their defaults. */
export const CHRF_PLUS_PLUS: ChrfOptions = { wordOrder: 2 };

interface ResolvedChrf {
  readonly charOrder: number;
  readonly wordOrder: number;
  readonly beta: number;
  readonly lowercase: boolean;
  readonly whitespace: boolean;
  readonly epsSmoothing: boolean;
}

function resolve(options: ChrfOptions): ResolvedChrf {
  const charOrder = options.charOrder ?? 6;
  const wordOrder = options.wordOrder ?? 0;
  const beta = options.beta ?? 2;
  if (
    !Number.isInteger(charOrder) ||
    charOrder < 0 ||
    !Number.isInteger(wordOrder) ||
    wordOrder < 0
  ) {
    throw new EngineError('bad-argument', `chrF's orders must be non-negative integers`);
  }
  if (charOrder + wordOrder === 0)
    throw new EngineError('bad-argument', 'chrF needs an n-gram order');
  if (!(beta >= 0)) throw new EngineError('bad-argument', `chrF's beta must be ≥ 0, not ${beta}`);
  return {
    charOrder,
    wordOrder,
    beta,
    lowercase: options.lowercase ?? false,
    whitespace: options.whitespace ?? false,
    epsSmoothing: options.epsSmoothing ?? false,
  };
}

/** The width of a chrF statistics row. */
export function chrfStatsWidth(options: ChrfOptions = {}): number {
  const o = resolve(options);
  return 3 * (o.charOrder + o.wordOrder);
}

const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** True when the string is one code point. */
function isOneCodePoint(w: string): boolean {
  if (w.length === 1) return true;
  return w.length === 2 && (w.codePointAt(0) ?? 0) > 0xffff;
}

/** chrF++'s words: whitespace tokens, one leading or trailing punctuation mark split off. */
export function chrfWords(text: string): string[] {
  const out: string[] = [];
  for (const w of splitPythonWhitespace(text)) {
    if (isOneCodePoint(w)) out.push(w);
    else if (PUNCTUATION.has(w[w.length - 1])) out.push(w.slice(0, -1), w[w.length - 1]);
    else if (PUNCTUATION.has(w[0])) out.push(w[0], w.slice(1));
    else out.push(w);
  }
  return out;
}

/**
 * Clipped matches per order (index n − 1) of a hypothesis against references, for one kind of
 * n-gram (characters or words) with ids ≥ 1 below `base`: sorted numeric keys when they are
 * exact, maps of keys per order otherwise.
 */
function matcher(
  hyp: Int32Array,
  maxOrder: number,
  base: number,
  table: HypothesisNgrams,
): (ref: Int32Array) => Float64Array {
  if (maxOrder === 0) return () => new Float64Array(0);
  if (fitsSortedKeys(base, maxOrder)) {
    table.load(hyp, maxOrder, base);
    return (ref) => table.matches(ref);
  }
  const hypCounts: NgramCounts[] = [];
  for (let n = 1; n <= maxOrder; n++) hypCounts.push(countNgrams(hyp, n, base));
  return (ref) => {
    const out = new Float64Array(maxOrder);
    for (let n = 1; n <= maxOrder; n++) {
      out[n - 1] = clippedMatches(hypCounts[n - 1], countNgrams(ref, n, base));
    }
    return out;
  };
}

const EPS = 1e-16;

/**
 * The chrF score (0–100) of a statistics row or of summed rows (sacrebleu's
 * `_compute_f_score`): precision and recall averaged over the orders where both sides have
 * n-grams, combined as F_beta. With `float32Divisions` each per-order precision and recall is
 * rounded to float32, as sacrebleu's bootstrap (which keeps statistics as float32) computes them.
 */
export function chrfFromStats(
  stats: ArrayLike<number>,
  options: ChrfOptions = {},
  float32Divisions = false,
): number {
  const o = resolve(options);
  const order = o.charOrder + o.wordOrder;
  if (stats.length !== 3 * order) {
    throw new EngineError(
      'bad-argument',
      `a chrF statistics row of ${order} orders has ${3 * order} values, not ${stats.length}`,
    );
  }
  const factor = o.beta ** 2;
  let score = 0;
  let effectiveOrder = 0;
  let avgPrec = 0;
  let avgRec = 0;
  for (let i = 0; i < order; i++) {
    const nHyp = stats[3 * i];
    const nRef = stats[3 * i + 1];
    const nMatch = stats[3 * i + 2];
    let prec = nHyp > 0 ? nMatch / nHyp : EPS;
    let rec = nRef > 0 ? nMatch / nRef : EPS;
    if (float32Divisions) {
      if (nHyp > 0) prec = Math.fround(prec);
      if (nRef > 0) rec = Math.fround(rec);
    }
    const denom = factor * prec + rec;
    score += denom > 0 ? ((1 + factor) * prec * rec) / denom : EPS;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec;
      avgRec += rec;
      effectiveOrder += 1;
    }
  }
  if (o.epsSmoothing) return (100 * score) / order;
  if (effectiveOrder === 0) {
    avgPrec = 0;
    avgRec = 0;
  } else {
    avgPrec /= effectiveOrder;
    avgRec /= effectiveOrder;
  }
  if (avgPrec + avgRec) {
    let f = (1 + factor) * avgPrec * avgRec;
    f /= factor * avgPrec + avgRec;
    return 100 * f;
  }
  return 0.0;
}

/** One sentence's statistics row against one or more references (see the module comment). */
export function chrfSentenceStats(
  hypothesis: string,
  references: readonly string[],
  options: ChrfOptions = {},
): Float64Array {
  return chrfRow(
    hypothesis,
    references,
    resolve(options),
    new LocalSymbols<number>(),
    new LocalSymbols<string>(),
  );
}

interface NgramTables {
  readonly chars: HypothesisNgrams;
  readonly words: HypothesisNgrams;
}

function newTables(): NgramTables {
  return { chars: new HypothesisNgrams(), words: new HypothesisNgrams() };
}

/** The code points of a text, whitespace removed unless kept. */
function codePoints(text: string, keepWhitespace: boolean): number[] {
  const kept = keepWhitespace ? text : splitPythonWhitespace(text).join('');
  const out: number[] = [];
  for (let i = 0; i < kept.length; i++) {
    const c = kept.codePointAt(i) ?? 0;
    out.push(c);
    if (c > 0xffff) i++;
  }
  return out;
}

function chrfRow(
  hypothesis: string,
  references: readonly string[],
  o: ResolvedChrf,
  chars: LocalSymbols<number>,
  words: LocalSymbols<string>,
  tables: NgramTables = newTables(),
): Float64Array {
  if (references.length === 0)
    throw new EngineError('missing-value', 'chrF needs at least one reference');
  const prepare = (s: string): string => (o.lowercase ? s.toLowerCase() : s);
  chars.begin();
  words.begin();
  const noWords = new Int32Array(0);
  const wordsOf = (s: string): Int32Array => (o.wordOrder > 0 ? words.ids(chrfWords(s)) : noWords);
  const hypText = prepare(hypothesis);
  const hypChars = chars.ids(codePoints(hypText, o.whitespace));
  const hypWords = wordsOf(hypText);
  const refSides = references.map((r) => {
    const text = prepare(r);
    return [chars.ids(codePoints(text, o.whitespace)), wordsOf(text)] as const;
  });
  const charMatches = matcher(hypChars, o.charOrder, chars.base, tables.chars);
  const wordMatches = matcher(hypWords, o.wordOrder, words.base, tables.words);
  const order = o.charOrder + o.wordOrder;
  const total = (len: number, n: number): number => Math.max(0, len - n + 1);

  let best: Float64Array | undefined;
  let bestScore = -1;
  for (const [refChars, refWords] of refSides) {
    const row = new Float64Array(3 * order);
    const fill = (i: number, n: number, hypLen: number, refLen: number, matches: number): void => {
      const refTotal = total(refLen, n);
      row[3 * i] = refTotal > 0 ? total(hypLen, n) : 0;
      row[3 * i + 1] = refTotal;
      row[3 * i + 2] = matches;
    };
    const cm = charMatches(refChars);
    for (let n = 1; n <= o.charOrder; n++)
      fill(n - 1, n, hypChars.length, refChars.length, cm[n - 1]);
    const wm = wordMatches(refWords);
    for (let n = 1; n <= o.wordOrder; n++) {
      fill(o.charOrder + n - 1, n, hypWords.length, refWords.length, wm[n - 1]);
    }
    const f = chrfFromStats(row, o);
    if (f > bestScore) {
      bestScore = f;
      best = row;
    }
  }
  return best ?? new Float64Array(3 * order);
}

/** The statistics matrix of a corpus: row i for hypothesis i against references[i]. */
export function chrfCorpusStats(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options: ChrfOptions = {},
): SentenceStats {
  checkReferences(hypotheses, references);
  const o = resolve(options);
  const chars = new LocalSymbols<number>();
  const words = new LocalSymbols<string>();
  const tables = newTables();
  return packStats(
    hypotheses.map((h, i) => chrfRow(h, references[i], o, chars, words, tables)),
    chrfStatsWidth(options),
  );
}

/** Corpus chrF: the score of the summed sentence statistics. */
export function corpusChrf(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options: ChrfOptions = {},
): number {
  return chrfFromStats(sumStats(chrfCorpusStats(hypotheses, references, options)), options);
}

/** Sentence chrF: the score of one sentence's statistics. */
export function sentenceChrf(
  hypothesis: string,
  references: readonly string[],
  options: ChrfOptions = {},
): number {
  return chrfFromStats(chrfSentenceStats(hypothesis, references, options), options);
}
