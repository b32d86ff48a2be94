/**
 * Word and character error rates as jiwer 4.0 defines them, with its default transforms.
 *
 * Words (`werWords`): every run of two or more whitespace characters becomes one space, the text
 * is stripped, then split on the space character (empty pieces dropped). No lower-casing and no
 * punctuation removal, so a single tab between two words does not split them.
 * Characters (`cerCharacters`): the stripped text's Unicode code points, spaces included.
 *
 * Per row, the error rate is edits / reference length, where edits is the Levenshtein distance
 * (substitutions + deletions + insertions). With an empty reference jiwer returns the number of
 * inserted units, i.e. the output length (0 when both are empty). The corpus rate is the total
 * of the edits over the total of the reference lengths (not the mean of the per-row rates), with
 * the same rule when the whole corpus has no reference unit.
 * Invariants: identical texts give 0; edits ≤ max(reference length, output length).
 */
import { EngineError } from '../errors.js';
import {
  codePoints,
  PYTHON_SPACE_CLASS,
  levenshtein,
  stripPythonWhitespace,
  TokenVocabulary,
} from './tokens.js';

// jiwer's RemoveMultipleSpaces: Python's re.sub(r"\s\s+", " ", text).
const WHITESPACE_RUN = new RegExp(`${PYTHON_SPACE_CLASS}{2,}`, 'g');

/** jiwer's `wer_default` transform: RemoveMultipleSpaces, Strip, ReduceToListOfListOfWords. */
export function werWords(text: string): string[] {
  return stripPythonWhitespace(text.replace(WHITESPACE_RUN, ' '))
    .split(' ')
    .filter((w) => w.length > 0);
}

/** jiwer's `cer_default` transform: Strip, then one character per code point. */
export function cerCharacters(text: string): Int32Array {
  return codePoints(stripPythonWhitespace(text));
}

export interface ErrorRateRow {
  readonly wer: number;
  readonly cer: number;
  readonly referenceWords: number;
  readonly outputWords: number;
  readonly wordEdits: number;
  readonly referenceChars: number;
  readonly outputChars: number;
  readonly charEdits: number;
}

export interface ErrorRateCorpus {
  readonly wer: number;
  readonly cer: number;
  readonly referenceWords: number;
  readonly wordEdits: number;
  readonly referenceChars: number;
  readonly charEdits: number;
  readonly meanPerExampleWer: number;
  readonly meanPerExampleCer: number;
  readonly perExample: readonly ErrorRateRow[];
}

/** jiwer's ratio, with its empty-reference rule (the count of inserted units). */
function errorRate(edits: number, referenceLength: number, outputLength: number): number {
  return referenceLength === 0 ? outputLength : edits / referenceLength;
}

/** WER and CER of one output against its reference. */
export function errorRates(reference: string, output: string): ErrorRateRow {
  return errorRatesWith(new TokenVocabulary(), reference, output, undefined);
}

function errorRatesWith(
  vocabulary: TokenVocabulary,
  reference: string,
  output: string,
  row: Int32Array | undefined,
): ErrorRateRow {
  const referenceWords = vocabulary.encode(werWords(reference));
  const outputWords = vocabulary.encode(werWords(output));
  const wordEdits = levenshtein(referenceWords, outputWords, row);
  const referenceChars = cerCharacters(reference);
  const outputChars = cerCharacters(output);
  const charEdits = levenshtein(referenceChars, outputChars, row);
  return {
    wer: errorRate(wordEdits, referenceWords.length, outputWords.length),
    cer: errorRate(charEdits, referenceChars.length, outputChars.length),
    referenceWords: referenceWords.length,
    outputWords: outputWords.length,
    wordEdits,
    referenceChars: referenceChars.length,
    outputChars: outputChars.length,
    charEdits,
  };
}

/** Per-row and corpus WER and CER; `outputs[i]` transcribes `references[i]`. */
export function errorRatesCorpus(
  references: readonly string[],
  outputs: readonly string[],
): ErrorRateCorpus {
  if (references.length !== outputs.length) {
    throw new EngineError(
      'length-mismatch',
      `WER needs one output per reference: ${outputs.length} outputs, ${references.length} references`,
    );
  }
  const vocabulary = new TokenVocabulary();
  let buffer = new Int32Array(256);
  const perExample: ErrorRateRow[] = [];
  let referenceWords = 0;
  let outputWords = 0;
  let wordEdits = 0;
  let referenceChars = 0;
  let outputChars = 0;
  let charEdits = 0;
  let sumWer = 0;
  let sumCer = 0;
  for (let i = 0; i < references.length; i++) {
    const longest = Math.max(references[i].length, outputs[i].length) + 1;
    if (buffer.length < longest) buffer = new Int32Array(longest * 2);
    const r = errorRatesWith(vocabulary, references[i], outputs[i], buffer);
    perExample.push(r);
    referenceWords += r.referenceWords;
    outputWords += r.outputWords;
    wordEdits += r.wordEdits;
    referenceChars += r.referenceChars;
    outputChars += r.outputChars;
    charEdits += r.charEdits;
    sumWer += r.wer;
    sumCer += r.cer;
  }
  const n = references.length;
  return {
    wer: errorRate(wordEdits, referenceWords, outputWords),
    cer: errorRate(charEdits, referenceChars, outputChars),
    referenceWords,
    wordEdits,
    referenceChars,
    charEdits,
    meanPerExampleWer: n === 0 ? NaN : sumWer / n,
    meanPerExampleCer: n === 0 ? NaN : sumCer / n,
    perExample,
  };
}
