/**
 * TER, the translation edit rate (Snover et al., 2006), exactly as sacrebleu 2.6 computes it
 * (its re-implementation of Tercom).
 *
 * The edits of a hypothesis against one reference are the number of block shifts plus the
 * word-level edit distance (insertion, deletion, substitution, each cost 1) after them.
 * Shifts are chosen greedily: each round tries every shift of a hypothesis block (at most 10
 * words, start at most 50 positions from the reference match) that matches a reference block
 * where both are misaligned, keeps the one that lowers the edit distance most (ties: longer
 * block, earlier start, earlier target), and stops when none helps or 1000 candidates have been
 * tried in all. The edit distance is computed in a beam of 25 cells around the length-scaled
 * diagonal, as sacrebleu does, so it may exceed the exact distance in extreme cases.
 *
 * Sufficient statistics per sentence: `[edits, average reference length]`, edits the minimum
 * over the references and the length the mean of their word counts. A corpus score is
 * 100 · Σ edits / Σ lengths.
 */
import { EngineError } from '../errors.js';
import { checkReferences, packStats, sumStats, type SentenceStats } from './sufficient-stats.js';
import { rstripPythonWhitespace, splitPythonWhitespace, TokenVocabulary } from './tokens.js';

export interface TerOptions {
  /** Keep case (default false: both sides lower-cased). */
  readonly caseSensitive?: boolean;
  /** Tercom's western normalisation: line joins, entities, punctuation split (default false). */
  readonly normalized?: boolean;
  /** Remove `.,?:;!"()` (default false). */
  readonly noPunct?: boolean;
}

export interface TerScore {
  /** 0–100 (may exceed 100). */
  readonly score: number;
  readonly numEdits: number;
  readonly refLength: number;
}

const MAX_SHIFT_SIZE = 10;
const MAX_SHIFT_DIST = 50;
const BEAM_WIDTH = 25;
const MAX_SHIFT_CANDIDATES = 1000;
/** Larger than any distance, small enough that adding a few costs stays exact in int32. */
const INFINITY = 1 << 29;

// Edit operations in a trace, as sacrebleu names them.
const OP_NOP = 0;
const OP_SUB = 1;
const OP_INS = 2;
const OP_DEL = 3;
const OP_UNDEF = 4;

function normalizeWestern(s: string): string {
  let t = s.replace(/\n-/g, '').replace(/\n/g, ' ');
  t = t
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
  t = ` ${t} `;
  t = t.replace(/([{-~[-` -&(-+:-@/])/gu, ' $1 ');
  t = t.replace(/'s /g, " 's ").replace(/'s$/g, " 's");
  t = t.replace(/([^0-9])([.,])/gu, '$1 $2 ');
  t = t.replace(/([.,])([^0-9])/gu, ' $1 $2');
  t = t.replace(/([0-9])(-)/gu, '$1 $2 ');
  return t;
}

/** The words TER compares: right-stripped, optionally lower-cased and normalised, split. */
export function terWords(text: string, options: TerOptions = {}): string[] {
  let s = rstripPythonWhitespace(text);
  if (!s) return [];
  if (!options.caseSensitive) s = s.toLowerCase();
  if (options.normalized) s = normalizeWestern(s);
  if (options.noPunct) s = s.replace(/[.,?:;!"()]/g, '');
  return splitPythonWhitespace(s);
}

/**
 * Word edit distance from `hyp` to `ref` in sacrebleu's beam, and its trace (one op per step,
 * hypothesis-to-reference: SUB/NOP consume both, DEL a hypothesis word, INS a reference word).
 * On equal cost a cell prefers NOP/SUB, then DEL, then INS.
 */
class BeamEditDistance {
  private readonly ref: Int32Array;
  private cost: Int32Array = new Int32Array(0);
  private op: Uint8Array = new Uint8Array(0);

  constructor(ref: Int32Array) {
    this.ref = ref;
  }

  /** The distance and, when asked, the trace of one optimal path. */
  distance(hyp: Int32Array, wantTrace: boolean): { distance: number; trace: Uint8Array } {
    const nh = hyp.length;
    const nr = this.ref.length;
    const w = nr + 1;
    const cells = (nh + 1) * w;
    if (this.cost.length < cells) {
      this.cost = new Int32Array(cells);
      this.op = new Uint8Array(cells);
    }
    const cost = this.cost;
    const op = this.op;
    for (let j = 0; j <= nr; j++) {
      cost[j] = j;
      op[j] = OP_INS;
    }
    cost.fill(INFINITY, w, cells);
    op.fill(OP_UNDEF, w, cells);
    const lengthRatio = nh > 0 ? nr / nh : 1;
    const beam =
      BEAM_WIDTH < lengthRatio / 2 ? Math.ceil(lengthRatio / 2 + BEAM_WIDTH) : BEAM_WIDTH;
    for (let i = 1; i <= nh; i++) {
      const pseudoDiag = Math.floor(i * lengthRatio);
      const minJ = Math.max(0, pseudoDiag - beam);
      const maxJ = i === nh ? nr + 1 : Math.min(nr + 1, pseudoDiag + beam);
      const row = i * w;
      const prev = row - w;
      const word = hyp[i - 1];
      for (let j = minJ; j < maxJ; j++) {
        if (j === 0) {
          cost[row] = cost[prev] + 1;
          op[row] = OP_DEL;
          continue;
        }
        const match = word === this.ref[j - 1];
        let best = cost[row + j];
        let bestOp = op[row + j];
        const sub = cost[prev + j - 1] + (match ? 0 : 1);
        if (best > sub) {
          best = sub;
          bestOp = match ? OP_NOP : OP_SUB;
        }
        const del = cost[prev + j] + 1;
        if (best > del) {
          best = del;
          bestOp = OP_DEL;
        }
        const ins = cost[row + j - 1] + 1;
        if (best > ins) {
          best = ins;
          bestOp = OP_INS;
        }
        cost[row + j] = best;
        op[row + j] = bestOp;
      }
    }
    const distance = cost[nh * w + nr];
    if (!wantTrace) return { distance, trace: new Uint8Array(0) };
    const reversed: number[] = [];
    let i = nh;
    let j = nr;
    while (i > 0 || j > 0) {
      const o = op[i * w + j];
      reversed.push(o);
      if (o === OP_SUB || o === OP_NOP) {
        i--;
        j--;
      } else if (o === OP_INS) {
        j--;
      } else if (o === OP_DEL) {
        i--;
      } else {
        throw new Error('TER: the edit trace left the beam');
      }
    }
    return { distance, trace: Uint8Array.from(reversed.reverse()) };
  }
}

/**
 * The alignment of a trace read reference-to-hypothesis (insertions and deletions swapped):
 * for each reference position its hypothesis position (−1 before the first), and which
 * reference and hypothesis positions are errors.
 */
function alignment(trace: Uint8Array, nh: number, nr: number) {
  const align = new Int32Array(nr);
  const refErr = new Uint8Array(nr);
  const hypErr = new Uint8Array(nh);
  let posHyp = -1;
  let posRef = -1;
  for (const raw of trace) {
    // Flipped: a DEL of the hypothesis-to-reference trace is an insertion here and vice versa.
    const o = raw === OP_INS ? OP_DEL : raw === OP_DEL ? OP_INS : raw;
    if (o === OP_NOP || o === OP_SUB) {
      posHyp++;
      posRef++;
      align[posRef] = posHyp;
      const err = o === OP_SUB ? 1 : 0;
      hypErr[posHyp] = err;
      refErr[posRef] = err;
    } else if (o === OP_INS) {
      posHyp++;
      hypErr[posHyp] = 1;
    } else {
      posRef++;
      align[posRef] = posHyp;
      refErr[posRef] = 1;
    }
  }
  return { align, refErr, hypErr };
}

/** Moves `words[start, start+length)` to before position `target` (sacrebleu's cases). */
function performShift(
  words: Int32Array,
  start: number,
  length: number,
  target: number,
): Int32Array {
  const n = words.length;
  const out = new Int32Array(n);
  const pieces: [number, number][] =
    target < start
      ? [
          [0, target],
          [start, start + length],
          [target, start],
          [start + length, n],
        ]
      : target > start + length
        ? [
            [0, start],
            [start + length, target],
            [start, start + length],
            [target, n],
          ]
        : [
            [0, start],
            [start + length, Math.min(n, length + target)],
            [start, start + length],
            [Math.min(n, length + target), n],
          ];
  let k = 0;
  for (const [a, b] of pieces) {
    for (let p = a; p < b; p++) out[k++] = words[p];
  }
  return out;
}

function sumRange(a: Uint8Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to && i < a.length; i++) s += a[i];
  return s;
}

/** One round of shifting: the best shift's gain and result, and the candidates tried so far. */
function bestShift(
  hyp: Int32Array,
  ref: Int32Array,
  ed: BeamEditDistance,
  checkedBefore: number,
): { gain: number; words: Int32Array; checked: number } {
  const { distance: preScore, trace } = ed.distance(hyp, true);
  const { align, refErr, hypErr } = alignment(trace, hyp.length, ref.length);
  let checked = checkedBefore;
  let best:
    { gain: number; length: number; start: number; target: number; words: Int32Array } | undefined;
  const nh = hyp.length;
  const nr = ref.length;
  outer: for (let startH = 0; startH < nh; startH++) {
    for (let startR = 0; startR < nr; startR++) {
      if (Math.abs(startR - startH) > MAX_SHIFT_DIST) continue;
      // Every matching block starting here, shortest first.
      for (let length = 1; length <= MAX_SHIFT_SIZE; length++) {
        if (hyp[startH + length - 1] !== ref[startR + length - 1]) break;
        tryBlock(startH, startR, length);
        if (checked >= MAX_SHIFT_CANDIDATES) break outer;
        if (startH + length === nh || startR + length === nr) break;
      }
    }
  }
  // Tries the targets of one block; only a misaligned block moved outside itself is a candidate.
  function tryBlock(startH: number, startR: number, length: number): void {
    if (sumRange(hypErr, startH, startH + length) === 0) return;
    if (sumRange(refErr, startR, startR + length) === 0) return;
    if (startH <= align[startR] && align[startR] < startH + length) return;
    let prevIdx = -1;
    for (let offset = -1; offset < length; offset++) {
      let idx: number;
      if (startR + offset === -1) idx = 0;
      else if (startR + offset < nr) idx = align[startR + offset] + 1;
      else break;
      if (idx === prevIdx) continue;
      prevIdx = idx;
      const words = performShift(hyp, startH, length, idx);
      const gain = preScore - ed.distance(words, false).distance;
      checked++;
      if (
        best === undefined ||
        gain > best.gain ||
        (gain === best.gain &&
          (length > best.length ||
            (length === best.length &&
              (startH < best.start || (startH === best.start && idx < best.target)))))
      ) {
        best = { gain, length, start: startH, target: idx, words };
      }
    }
  }
  if (best === undefined) return { gain: 0, words: hyp, checked };
  return { gain: best.gain, words: best.words, checked };
}

/**
 * The edits of a hypothesis against one reference and the reference's length (sacrebleu's
 * `translation_edit_rate`). An empty reference costs one edit per hypothesis word.
 */
export function terEdits(
  hypWords: readonly string[],
  refWords: readonly string[],
): { edits: number; refLength: number } {
  if (refWords.length === 0) return { edits: hypWords.length, refLength: 0 };
  const symbols = new TokenVocabulary();
  let hyp = symbols.encode(hypWords);
  const ref = symbols.encode(refWords);
  const ed = new BeamEditDistance(ref);
  let shifts = 0;
  let checked = 0;
  for (;;) {
    const round = bestShift(hyp, ref, ed, checked);
    checked = round.checked;
    // As sacrebleu: reaching the candidate limit ends shifting, the round's best shift unused.
    if (checked >= MAX_SHIFT_CANDIDATES) break;
    if (round.gain <= 0) break;
    shifts++;
    hyp = round.words;
  }
  return { edits: shifts + ed.distance(hyp, false).distance, refLength: ref.length };
}

/** One sentence's statistics row: `[minimum edits over references, mean reference length]`. */
export function terSentenceStats(
  hypothesis: string,
  references: readonly string[],
  options: TerOptions = {},
): Float64Array {
  if (references.length === 0)
    throw new EngineError('missing-value', 'TER needs at least one reference');
  const hyp = terWords(hypothesis, options);
  let best = 1e16;
  let lengths = 0;
  for (const r of references) {
    const { edits, refLength } = terEdits(hyp, terWords(r, options));
    lengths += refLength;
    if (edits < best) best = edits;
  }
  return Float64Array.of(best, lengths / references.length);
}

/** The statistics matrix of a corpus: row i for hypothesis i against references[i]. */
export function terCorpusStats(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options: TerOptions = {},
): SentenceStats {
  checkReferences(hypotheses, references);
  return packStats(
    hypotheses.map((h, i) => terSentenceStats(h, references[i], options)),
    2,
  );
}

/**
 * TER from summed statistics: 100 · edits / length; with no reference words, 100 if there are
 * edits and 0 if not. With `float32Divisions` the quotient is rounded to float32, as in
 * sacrebleu's bootstrap.
 */
export function terFromStats(stats: ArrayLike<number>, float32Divisions = false): TerScore {
  if (stats.length !== 2)
    throw new EngineError('bad-argument', `a TER statistics row has 2 values, not ${stats.length}`);
  const numEdits = stats[0];
  const refLength = stats[1];
  let rate: number;
  if (refLength > 0)
    rate = float32Divisions ? Math.fround(numEdits / refLength) : numEdits / refLength;
  else rate = numEdits > 0 ? 1.0 : 0.0;
  return { score: 100 * rate, numEdits, refLength };
}

/** Corpus TER: the score of the summed sentence statistics. */
export function corpusTer(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options: TerOptions = {},
): TerScore {
  return terFromStats(sumStats(terCorpusStats(hypotheses, references, options)));
}

/** Sentence TER: the score of one sentence's statistics. */
export function sentenceTer(
  hypothesis: string,
  references: readonly string[],
  options: TerOptions = {},
): TerScore {
  return terFromStats(terSentenceStats(hypothesis, references, options));
}
