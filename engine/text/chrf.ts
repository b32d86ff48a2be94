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
  SymbolTable,
  checkReferences,
  clippedMatches,
  countNgrams,
  packStats,
  sumStats,
  type NgramCounts,
  type SentenceStats,
} from './sufficient-stats.js';
import { pyRemoveWhitespace, pySplit } from './tokenize-13a.js';

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
  for (const w of pySplit(text)) {
    if (isOneCodePoint(w)) out.push(w);
    else if (PUNCTUATION.has(w[w.length - 1])) out.push(w.slice(0, -1), w[w.length - 1]);
    else if (PUNCTUATION.has(w[0])) out.push(w[0], w.slice(1));
    else out.push(w);
  }
  return out;
}

/** The per-order counts of one side: character orders first, then word orders. */
interface SideCounts {
  readonly counts: NgramCounts[];
  readonly totals: number[];
}

function sideCounts(
  chars: Int32Array,
  charBase: number,
  words: Int32Array,
  wordBase: number,
  o: ResolvedChrf,
): SideCounts {
  const counts: NgramCounts[] = [];
  const totals: number[] = [];
  for (let n = 1; n <= o.charOrder; n++) {
    counts.push(countNgrams(chars, n, charBase));
    totals.push(Math.max(0, chars.length - n + 1));
  }
  for (let n = 1; n <= o.wordOrder; n++) {
    counts.push(countNgrams(words, n, wordBase));
    totals.push(Math.max(0, words.length - n + 1));
  }
  return { counts, totals };
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
  const o = resolve(options);
  if (references.length === 0)
    throw new EngineError('missing-value', 'chrF needs at least one reference');
  const prepare = (s: string): string => (o.lowercase ? s.toLowerCase() : s);
  const charTable = new SymbolTable<number>();
  const wordTable = new SymbolTable<string>();
  const charsOf = (s: string): Int32Array => {
    const text = o.whitespace ? s : pyRemoveWhitespace(s);
    const cps: number[] = [];
    for (const ch of text) cps.push(ch.codePointAt(0) ?? 0);
    return charTable.intern(cps);
  };
  const wordsOf = (s: string): Int32Array =>
    o.wordOrder > 0 ? wordTable.intern(chrfWords(s)) : new Int32Array(0);
  const hypText = prepare(hypothesis);
  const refTexts = references.map(prepare);
  const hypChars = charsOf(hypText);
  const hypWords = wordsOf(hypText);
  const refSides = refTexts.map((r) => [charsOf(r), wordsOf(r)] as const);
  const charBase = charTable.size;
  const wordBase = wordTable.size;
  const hyp = sideCounts(hypChars, charBase, hypWords, wordBase, o);
  const order = o.charOrder + o.wordOrder;

  let best: Float64Array | undefined;
  let bestScore = -1;
  for (const [chars, words] of refSides) {
    const ref = sideCounts(chars, charBase, words, wordBase, o);
    const row = new Float64Array(3 * order);
    for (let i = 0; i < order; i++) {
      row[3 * i] = ref.totals[i] > 0 ? hyp.totals[i] : 0;
      row[3 * i + 1] = ref.totals[i];
      row[3 * i + 2] = clippedMatches(hyp.counts[i], ref.counts[i]);
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
  return packStats(
    hypotheses.map((h, i) => chrfSentenceStats(h, references[i], options)),
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
