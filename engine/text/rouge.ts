/**
 * ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum (precision, recall, F) as Google's rouge-score (0.1.2)
 * computes them, `RougeScorer(types, use_stemmer).score(target = reference, prediction = output)`.
 *
 * Tokenizer (`rougeTokens`): lower-case, every run of characters outside [a-z0-9] separates
 * tokens (so "Café" gives "caf" and "U.S." gives "u s"); with stemming, tokens longer than 3
 * characters are replaced by their Porter stem (NLTK_EXTENSIONS mode, see porter.ts).
 *
 * - ROUGE-N (N = 1, 2): with the multisets of n-grams, overlap = Σ min(count in output, count in
 *   reference); P = overlap / max(output n-grams, 1), R = overlap / max(reference n-grams, 1).
 * - ROUGE-L: the longest common subsequence of the two token lists; P = LCS / |output|,
 *   R = LCS / |reference|; all 0 when either list is empty.
 * - ROUGE-Lsum: both texts are split into sentences on "\n" (empty pieces dropped, a piece
 *   without tokens kept as an empty sentence) and tokenised per sentence. For each reference
 *   sentence in order, take the union of its positions on its LCS with each output sentence
 *   (the LCS that rouge-score's backtracking picks); each such token, in position order, is a
 *   hit while it has unused occurrences in both whole texts (summary-level union LCS).
 *   P = hits / output tokens, R = hits / reference tokens.
 * F = 2PR / (P + R), 0 when P + R = 0. Invariants: every value lies in [0, 1]; a text scored
 * against itself has ROUGE-1 and ROUGE-L 1 (when it has a token).
 *
 * Each text is tokenised once for all four types (its lines give the ROUGE-Lsum sentences).
 * Tokens are interned to integer ids and the counting runs on reused typed arrays (unigrams by
 * per-id counters, bigrams by sorting numeric keys, LCS by dynamic programming over one row):
 * the only allocation per token is its string, for the vocabulary lookup.
 */
import { EngineError } from '../errors.js';
import { CachedPorterStemmer } from './porter.js';
import { TokenVocabulary } from './tokens.js';

export interface RougeScore {
  readonly precision: number;
  readonly recall: number;
  readonly fmeasure: number;
}

export interface RougeScores {
  readonly rouge1: RougeScore;
  readonly rouge2: RougeScore;
  readonly rougeL: RougeScore;
  readonly rougeLsum: RougeScore;
}

export interface RougeOptions {
  /** Porter-stem tokens longer than 3 characters (rouge-score's `use_stemmer`). */
  readonly stem?: boolean;
}

export interface RougeCorpus {
  /** Plain averages over the examples of every precision, recall and F. */
  readonly mean: RougeScores;
  readonly perExample: readonly RougeScores[];
}

const ZERO: RougeScore = { precision: 0, recall: 0, fmeasure: 0 };

function score(precision: number, recall: number): RougeScore {
  const sum = precision + recall;
  return { precision, recall, fmeasure: sum > 0 ? (2 * precision * recall) / sum : 0 };
}

function isTokenChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
}

/** rouge-score's default tokenizer, with or without the stemmer. */
export function rougeTokens(text: string, stemmer?: CachedPorterStemmer): string[] {
  const lower = text.toLowerCase();
  const tokens: string[] = [];
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    const inToken = i < lower.length && isTokenChar(lower.charCodeAt(i));
    if (inToken) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      const token = lower.slice(start, i);
      tokens.push(stemmer !== undefined && token.length > 3 ? stemmer.stem(token) : token);
      start = -1;
    }
  }
  return tokens;
}

// Bigram keys a·2²⁶ + b stay exact in float64 while ids are below 2²⁶ (67 million types).
const BIGRAM_BASE = 2 ** 26;

/** Sorted numeric keys a·2²⁶ + b of the bigrams of `ids`, in `buffer` (grown as needed). */
function bigramKeys(ids: Int32Array, buffer: Float64Array): Float64Array {
  const count = Math.max(0, ids.length - 1);
  const keys = buffer.subarray(0, count);
  for (let i = 0; i < count; i++) keys[i] = ids[i] * BIGRAM_BASE + ids[i + 1];
  return keys.sort();
}

/** Σ min(count in a, count in b) over the keys of two sorted arrays. */
function sortedOverlap(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let overlap = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      overlap++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return overlap;
}

/** Σ min(count in reference, count in output) over the tokens, with zeroed per-id counters. */
function unigramOverlap(reference: Int32Array, output: Int32Array, counts: Int32Array): number {
  for (let i = 0; i < reference.length; i++) counts[reference[i]]++;
  let overlap = 0;
  for (let i = 0; i < output.length; i++) {
    const t = output[i];
    if (counts[t] > 0) {
      overlap++;
      counts[t]--;
    }
  }
  for (let i = 0; i < reference.length; i++) counts[reference[i]] = 0;
  return overlap;
}

function rouge1(reference: Int32Array, output: Int32Array, scratch: Scratch): RougeScore {
  const overlap = unigramOverlap(reference, output, scratch.counts(scratch.vocabularySize));
  return score(overlap / Math.max(output.length, 1), overlap / Math.max(reference.length, 1));
}

function rouge2(reference: Int32Array, output: Int32Array, scratch: Scratch): RougeScore {
  const r = bigramKeys(reference, scratch.keys(reference.length, 0));
  const o = bigramKeys(output, scratch.keys(output.length, 1));
  const overlap = sortedOverlap(r, o);
  return score(overlap / Math.max(o.length, 1), overlap / Math.max(r.length, 1));
}

/** Length of the longest common subsequence, one DP row. */
function lcsLength(a: Int32Array, b: Int32Array, row: Int32Array): number {
  const m = b.length;
  for (let j = 0; j <= m; j++) row[j] = 0;
  for (let i = 0; i < a.length; i++) {
    let diagonal = 0; // table[i][j − 1] of the previous row
    const ai = a[i];
    for (let j = 1; j <= m; j++) {
      const above = row[j];
      if (ai === b[j - 1]) row[j] = diagonal + 1;
      else if (row[j - 1] > above) row[j] = row[j - 1];
      diagonal = above;
    }
  }
  return row[m];
}

function rougeL(reference: Int32Array, output: Int32Array, scratch: Scratch): RougeScore {
  if (reference.length === 0 || output.length === 0) return ZERO;
  const lcs = lcsLength(reference, output, scratch.row(output.length + 1));
  return score(lcs / output.length, lcs / reference.length);
}

/** Reusable buffers, grown on demand. */
class Scratch {
  private rowBuffer = new Int32Array(64);
  private tableBuffer = new Int32Array(1024);
  private markBuffer = new Uint8Array(64);
  private countBuffer = new Int32Array(1024);
  private readonly keyBuffers = [new Float64Array(64), new Float64Array(64)];
  /** The number of token ids in use, which the counters must cover. */
  vocabularySize = 0;

  keys(size: number, which: 0 | 1): Float64Array {
    if (this.keyBuffers[which].length < size) this.keyBuffers[which] = new Float64Array(size * 2);
    return this.keyBuffers[which];
  }

  row(size: number): Int32Array {
    if (this.rowBuffer.length < size) this.rowBuffer = new Int32Array(size * 2);
    return this.rowBuffer;
  }

  table(size: number): Int32Array {
    if (this.tableBuffer.length < size) this.tableBuffer = new Int32Array(size * 2);
    return this.tableBuffer;
  }

  marks(size: number): Uint8Array {
    if (this.markBuffer.length < size) this.markBuffer = new Uint8Array(size * 2);
    return this.markBuffer;
  }

  /** Per-token-id counters for two texts (2 per id), all zero between uses. */
  counts(vocabularySize: number): Int32Array {
    if (this.countBuffer.length < 2 * vocabularySize) {
      this.countBuffer = new Int32Array(4 * vocabularySize);
    }
    return this.countBuffer;
  }
}

/**
 * Marks in `marks` the positions of `ref` on the LCS with `can` that rouge-score's
 * `_backtrack_norec` finds: from the end, take a match, else step left in `can` when that cell
 * is strictly larger than the one above, else step up.
 */
function markLcs(ref: Int32Array, can: Int32Array, table: Int32Array, marks: Uint8Array): void {
  const cols = can.length + 1;
  for (let j = 0; j < cols; j++) table[j] = 0;
  for (let i = 1; i <= ref.length; i++) {
    const base = i * cols;
    table[base] = 0;
    const ri = ref[i - 1];
    for (let j = 1; j < cols; j++) {
      if (ri === can[j - 1]) table[base + j] = table[base - cols + j - 1] + 1;
      else {
        const up = table[base - cols + j];
        const left = table[base + j - 1];
        table[base + j] = up > left ? up : left;
      }
    }
  }
  let i = ref.length;
  let j = can.length;
  while (i > 0 && j > 0) {
    if (ref[i - 1] === can[j - 1]) {
      marks[i - 1] = 1;
      i--;
      j--;
    } else if (table[i * cols + j - 1] > table[(i - 1) * cols + j]) j--;
    else i--;
  }
}

function rougeLsum(
  referenceSentences: readonly Int32Array[],
  outputSentences: readonly Int32Array[],
  vocabularySize: number,
  scratch: Scratch,
): RougeScore {
  if (referenceSentences.length === 0 || outputSentences.length === 0) return ZERO;
  let m = 0;
  let n = 0;
  for (const s of referenceSentences) m += s.length;
  for (const s of outputSentences) n += s.length;
  if (m === 0 || n === 0) return ZERO;
  // counts[2·id] for the reference, counts[2·id + 1] for the output.
  const counts = scratch.counts(vocabularySize);
  for (const s of referenceSentences) for (let k = 0; k < s.length; k++) counts[2 * s[k]]++;
  for (const s of outputSentences) for (let k = 0; k < s.length; k++) counts[2 * s[k] + 1]++;
  let hits = 0;
  for (const ref of referenceSentences) {
    const marks = scratch.marks(ref.length);
    marks.fill(0, 0, ref.length);
    for (const can of outputSentences) {
      markLcs(ref, can, scratch.table((ref.length + 1) * (can.length + 1)), marks);
    }
    for (let k = 0; k < ref.length; k++) {
      if (marks[k] === 0) continue;
      const t = ref[k];
      if (counts[2 * t] > 0 && counts[2 * t + 1] > 0) {
        hits++;
        counts[2 * t]--;
        counts[2 * t + 1]--;
      }
    }
  }
  // Leave the counters at zero for the next example.
  for (const s of referenceSentences) for (let k = 0; k < s.length; k++) counts[2 * s[k]] = 0;
  for (const s of outputSentences) for (let k = 0; k < s.length; k++) counts[2 * s[k] + 1] = 0;
  return score(hits / n, hits / m);
}

/** Scores many pairs with shared state: the vocabulary, the stem cache and the buffers. */
export class RougeScorer {
  private readonly vocabulary = new TokenVocabulary();
  private readonly stemmer: CachedPorterStemmer | undefined;
  private readonly scratch = new Scratch();

  constructor(options: RougeOptions = {}) {
    this.stemmer = options.stem === true ? new CachedPorterStemmer() : undefined;
  }

  /** The tokens of `text` as this scorer's tokenizer produces them. */
  tokens(text: string): string[] {
    return rougeTokens(text, this.stemmer);
  }

  /**
   * The token ids of `text` and its sentences for ROUGE-Lsum, from one pass. Tokens never span
   * a "\n" (it is outside [a-z0-9]), so tokenising each line on its own gives the text's tokens
   * grouped by line; lines without tokens are left out, which changes no score (they add no
   * token and no hit).
   */
  private encode(text: string): EncodedText {
    const lower = text.toLowerCase();
    const ids: number[] = [];
    const sentenceEnds: number[] = [];
    let start = -1;
    for (let i = 0; i <= lower.length; i++) {
      const c = i < lower.length ? lower.charCodeAt(i) : 0x0a;
      if (isTokenChar(c)) {
        if (start < 0) start = i;
        continue;
      }
      if (start >= 0) {
        const token = lower.slice(start, i);
        const stemmer = this.stemmer;
        ids.push(
          this.vocabulary.id(
            stemmer !== undefined && token.length > 3 ? stemmer.stem(token) : token,
          ),
        );
        start = -1;
      }
      if (
        c === 0x0a &&
        ids.length > (sentenceEnds.length > 0 ? sentenceEnds[sentenceEnds.length - 1] : 0)
      ) {
        sentenceEnds.push(ids.length);
      }
    }
    if (this.vocabulary.size > BIGRAM_BASE) {
      throw new EngineError(
        'bad-argument',
        'ROUGE supports at most 2^26 distinct tokens per scorer',
      );
    }
    const all = Int32Array.from(ids);
    const sentences: Int32Array[] = [];
    let from = 0;
    for (const end of sentenceEnds) {
      sentences.push(all.subarray(from, end));
      from = end;
    }
    return { ids: all, sentences };
  }

  /** ROUGE-1, -2, -L and -Lsum of `output` against `reference`. */
  score(reference: string, output: string): RougeScores {
    const r = this.encode(reference);
    const o = this.encode(output);
    this.scratch.vocabularySize = this.vocabulary.size;
    return {
      rouge1: rouge1(r.ids, o.ids, this.scratch),
      rouge2: rouge2(r.ids, o.ids, this.scratch),
      rougeL: rougeL(r.ids, o.ids, this.scratch),
      rougeLsum: rougeLsum(r.sentences, o.sentences, this.vocabulary.size, this.scratch),
    };
  }
}

interface EncodedText {
  readonly ids: Int32Array;
  /** The tokens of each line that has any, in order (views into `ids`). */
  readonly sentences: readonly Int32Array[];
}

function meanScore(scores: readonly RougeScore[]): RougeScore {
  let p = 0;
  let r = 0;
  let f = 0;
  for (const s of scores) {
    p += s.precision;
    r += s.recall;
    f += s.fmeasure;
  }
  const n = scores.length;
  return { precision: p / n, recall: r / n, fmeasure: f / n };
}

/** Per-example ROUGE scores and their plain means; `outputs[i]` summarises `references[i]`. */
export function rougeCorpus(
  references: readonly string[],
  outputs: readonly string[],
  options: RougeOptions = {},
): RougeCorpus {
  if (references.length !== outputs.length) {
    throw new EngineError(
      'length-mismatch',
      `ROUGE needs one output per reference: ${outputs.length} outputs, ${references.length} references`,
    );
  }
  const scorer = new RougeScorer(options);
  const perExample = references.map((r, i) => scorer.score(r, outputs[i]));
  return {
    mean: {
      rouge1: meanScore(perExample.map((s) => s.rouge1)),
      rouge2: meanScore(perExample.map((s) => s.rouge2)),
      rougeL: meanScore(perExample.map((s) => s.rougeL)),
      rougeLsum: meanScore(perExample.map((s) => s.rougeLsum)),
    },
    perExample,
  };
}
