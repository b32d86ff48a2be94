/**
 * SQuAD v1.1 exact match and token F1, as the official evaluation script computes them.
 *
 * Normalisation (`normalizeSquadAnswer`), in this order: lower-case; delete every ASCII
 * punctuation character (Python's `string.punctuation`); replace the words "a", "an", "the"
 * (whole words, with Unicode word boundaries: letters, numbers and "_" are word characters,
 * combining marks are not) by a space; split on whitespace and join with single spaces.
 *
 * Per question, both scores are the maximum over the reference answers:
 * - exact match: 1 when the normalised output equals a normalised reference, else 0;
 * - F1: with the multiset overlap of the normalised tokens, 2PR/(P+R) where P = overlap/|output|
 *   and R = overlap/|reference|; 0 when the overlap is empty (even when both are empty).
 * Corpus values are 100 × the mean over questions, as the script reports them.
 * Invariants: 0 ≤ F1 ≤ 1, exact match 1 implies F1 1 unless both normalise to nothing.
 */
import { EngineError } from '../errors.js';
import { splitPythonWhitespace } from './tokens.js';

const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
// Python's \b: a word character is alphanumeric (letters and numbers of any script) or "_".
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;

/** The official script's `normalize_answer`. */
export function normalizeSquadAnswer(text: string): string {
  const noPunctuation = text.toLowerCase().replace(ASCII_PUNCTUATION, '');
  return splitPythonWhitespace(noPunctuation.replace(ARTICLES, ' ')).join(' ');
}

export interface SquadExampleScore {
  /** 0 or 1. */
  readonly exactMatch: number;
  readonly f1: number;
  readonly normalizedOutput: string;
  readonly normalizedReferences: readonly string[];
}

export interface SquadCorpusScore {
  /** 100 × mean exact match. */
  readonly exactMatch: number;
  /** 100 × mean F1. */
  readonly f1: number;
  readonly perExample: readonly SquadExampleScore[];
}

/** Token F1 between two normalised answers (tokens are space-separated). */
function tokenF1(outputTokens: readonly string[], referenceTokens: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const t of referenceTokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  let overlap = 0;
  for (const t of outputTokens) {
    const c = counts.get(t);
    if (c !== undefined && c > 0) {
      overlap++;
      counts.set(t, c - 1);
    }
  }
  if (overlap === 0) return 0;
  const precision = overlap / outputTokens.length;
  const recall = overlap / referenceTokens.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Exact match and F1 of one output against its reference answers (at least one). */
export function squadExample(output: string, references: readonly string[]): SquadExampleScore {
  if (references.length === 0) {
    throw new EngineError('bad-argument', 'a SQuAD question needs at least one reference answer');
  }
  const normalizedOutput = normalizeSquadAnswer(output);
  const outputTokens = splitPythonWhitespace(normalizedOutput);
  const normalizedReferences = references.map(normalizeSquadAnswer);
  let exactMatch = 0;
  let f1 = 0;
  for (const reference of normalizedReferences) {
    if (reference === normalizedOutput) exactMatch = 1;
    const score = tokenF1(outputTokens, splitPythonWhitespace(reference));
    if (score > f1) f1 = score;
  }
  return { exactMatch, f1, normalizedOutput, normalizedReferences };
}

/** Per-question scores and the corpus totals (100 × mean); `outputs[i]` answers `references[i]`. */
export function squadCorpus(
  outputs: readonly string[],
  references: readonly (readonly string[])[],
): SquadCorpusScore {
  if (outputs.length !== references.length) {
    throw new EngineError(
      'length-mismatch',
      `SQuAD scoring needs one output per question: ${outputs.length} outputs, ${references.length} questions`,
    );
  }
  const perExample = outputs.map((o, i) => {
    if (references[i].length === 0) {
      throw new EngineError(
        'bad-argument',
        'a SQuAD question needs at least one reference answer',
        {
          row: i + 1,
        },
      );
    }
    return squadExample(o, references[i]);
  });
  let exact = 0;
  let f1 = 0;
  for (const s of perExample) {
    exact += s.exactMatch;
    f1 += s.f1;
  }
  const n = perExample.length;
  // 100 · sum / n, in the script's operation order.
  return {
    exactMatch: n === 0 ? NaN : (100 * exact) / n,
    f1: n === 0 ? NaN : (100 * f1) / n,
    perExample,
  };
}
