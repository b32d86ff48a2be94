/**
 * Output length against reference length.
 *
 * Lengths are counted two ways: words, the whitespace-separated tokens of the text (Python's
 * `str.split()`: runs of Unicode whitespace separate, leading and trailing whitespace ignored),
 * and characters, the Unicode code points of the text as given (nothing stripped; a surrogate
 * pair is one character, a base letter and its combining mark are two).
 *
 * Per example, the ratio is output length / reference length (NaN when the reference is empty).
 * Over the corpus: the mean output and reference lengths, and the ratio of the totals,
 * Σ output / Σ reference (as BLEU's length ratio; NaN when every reference is empty) — which is
 * not the mean of the per-example ratios. A ratio above 1 means the outputs run longer than the
 * references. Invariants: lengths are non-negative integers; a text compared with itself gives 1.
 */
import { EngineError } from '../errors.js';
import { codePointLength, splitPythonWhitespace } from './tokens.js';

export interface LengthExample {
  readonly outputWords: number;
  readonly referenceWords: number;
  /** outputWords / referenceWords. */
  readonly wordRatio: number;
  readonly outputChars: number;
  readonly referenceChars: number;
  /** outputChars / referenceChars. */
  readonly charRatio: number;
}

export interface LengthCorpus {
  readonly n: number;
  readonly meanOutputWords: number;
  readonly meanReferenceWords: number;
  /** Σ output words / Σ reference words. */
  readonly wordRatio: number;
  readonly meanOutputChars: number;
  readonly meanReferenceChars: number;
  /** Σ output characters / Σ reference characters. */
  readonly charRatio: number;
  readonly perExample: readonly LengthExample[];
}

/** The number of whitespace-separated words of `text`. */
export function wordCount(text: string): number {
  return splitPythonWhitespace(text).length;
}

/** Lengths of one output and its reference. */
export function lengthExample(reference: string, output: string): LengthExample {
  const outputWords = wordCount(output);
  const referenceWords = wordCount(reference);
  const outputChars = codePointLength(output);
  const referenceChars = codePointLength(reference);
  return {
    outputWords,
    referenceWords,
    wordRatio: referenceWords === 0 ? NaN : outputWords / referenceWords,
    outputChars,
    referenceChars,
    charRatio: referenceChars === 0 ? NaN : outputChars / referenceChars,
  };
}

/** Per-example lengths and the corpus summary; `outputs[i]` answers `references[i]`. */
export function lengthCorpus(
  references: readonly string[],
  outputs: readonly string[],
): LengthCorpus {
  if (references.length !== outputs.length) {
    throw new EngineError(
      'length-mismatch',
      `length comparison needs one output per reference: ${outputs.length} outputs, ${references.length} references`,
    );
  }
  const perExample = references.map((r, i) => lengthExample(r, outputs[i]));
  let ow = 0;
  let rw = 0;
  let oc = 0;
  let rc = 0;
  for (const e of perExample) {
    ow += e.outputWords;
    rw += e.referenceWords;
    oc += e.outputChars;
    rc += e.referenceChars;
  }
  const n = perExample.length;
  return {
    n,
    meanOutputWords: n === 0 ? NaN : ow / n,
    meanReferenceWords: n === 0 ? NaN : rw / n,
    wordRatio: rw === 0 ? NaN : ow / rw,
    meanOutputChars: n === 0 ? NaN : oc / n,
    meanReferenceChars: n === 0 ? NaN : rc / n,
    charRatio: rc === 0 ? NaN : oc / rc,
    perExample,
  };
}
