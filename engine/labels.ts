/**
 * Labels as small integers: the bridge from table columns to the metric kernels.
 *
 * Every classification metric works on integer codes into one label list, the sorted union of
 * the labels that occur in the truth and in the predictions (scikit-learn's `unique_labels`
 * order: numbers numerically, strings by code point). Encoding once lets every kernel index
 * typed arrays instead of comparing labels row by row.
 */
import { EngineError } from './errors.js';
import type { Column, Label, NumberColumn, StringColumn } from './table.js';

/**
 * A truth column and one or more prediction columns over one label list.
 *
 * Invariants: `labels` is strictly increasing under `compareLabels` and holds only numbers or
 * only strings; `truth` and every `preds[i]` have one entry per row, each an index into
 * `labels` (never negative: missing cells are rejected while encoding).
 */
export interface EncodedLabels {
  readonly labels: readonly Label[];
  readonly truth: Int32Array;
  readonly preds: readonly Int32Array[];
}

export interface EncodeOptions {
  /**
   * Labels to include in the union even when no row holds them, such as the positive label
   * of a binary comparison whose test set has no positives (its confusion matrix stays 2×2).
   */
  readonly extraLabels?: readonly Label[];
}

/** What a truth/prediction pair asks for: class labels (two or more) or numeric targets. */
export type LabelTask = 'binary' | 'multiclass' | 'regression';

/** Numbers numerically, strings by Unicode code point (not UTF-16 unit), numbers first. */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return compareCodePoints(a, b);
}

function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i) as number;
    const cb = b.codePointAt(j) as number;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return a.length - i === 0 ? (b.length - j === 0 ? 0 : -1) : 1;
}

/** A label as text, for messages. */
export function formatLabel(label: Label): string {
  return typeof label === 'number' ? String(label) : JSON.stringify(label);
}

/**
 * The index of `label` in `labels`, or -1. A label given as text matches a numeric label set
 * when it parses to that number (`positive "1"` against 0/1 labels), and a number matches the
 * text of the same number, because the language cannot always know a column's type.
 */
export function labelIndex(labels: readonly Label[], label: Label): number {
  const direct = labels.findIndex((l) => l === label);
  if (direct >= 0) return direct;
  if (typeof label === 'string') {
    const asNumber = parseNumericLabel(label);
    return asNumber === null ? -1 : labels.findIndex((l) => l === asNumber);
  }
  return labels.findIndex((l) => typeof l === 'string' && parseNumericLabel(l) === label);
}

function parseNumericLabel(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/**
 * Encodes a truth column and prediction columns over the sorted union of their labels.
 *
 * Throws `missing-value` for an empty cell (naming the column and the 1-based row),
 * `unknown-label` when numeric and text labels are mixed, and `length-mismatch` when the
 * columns differ in length.
 */
export function encodeLabels(
  truth: Column,
  preds: readonly Column[],
  options: EncodeOptions = {},
): EncodedLabels {
  const columns = [truth, ...preds];
  const n = columnRows(truth);
  for (const c of preds) {
    if (columnRows(c) !== n) {
      throw new EngineError(
        'length-mismatch',
        `column "${c.name}" has ${columnRows(c)} rows but "${truth.name}" has ${n}`,
        { column: c.name },
      );
    }
  }

  const numeric = columns.filter((c): c is NumberColumn => c.kind === 'number');
  const textual = columns.filter((c): c is StringColumn => c.kind === 'string');
  if (numeric.length > 0 && textual.length > 0) {
    const text = textual[0];
    const row = text.codes.findIndex((code) => code >= 0);
    const example =
      row >= 0 ? ` (${formatLabel(text.categories[text.codes[row]])} at row ${row + 1})` : '';
    throw new EngineError(
      'unknown-label',
      `labels of "${numeric[0].name}" are numbers but "${text.name}" holds text${example}`,
      row >= 0 ? { column: text.name, row: row + 1 } : { column: text.name },
    );
  }

  const extra = options.extraLabels ?? [];
  return numeric.length > 0
    ? encodeNumeric(numeric, extra.map(numericLabel))
    : encodeText(textual, extra.map(String));
}

function numericLabel(label: Label): number {
  if (typeof label === 'number') return label;
  const value = parseNumericLabel(label);
  if (value === null) {
    throw new EngineError(
      'unknown-label',
      `label ${formatLabel(label)} is text but the label columns hold numbers`,
    );
  }
  return value;
}

/** Whole numbers in [0, SMALL_INT_LABELS) are looked up in an array instead of a Map. */
const SMALL_INT_LABELS = 1024;

function isSmallInt(v: number): boolean {
  return v >= 0 && v < SMALL_INT_LABELS && (v | 0) === v;
}

function encodeNumeric(columns: readonly NumberColumn[], extra: readonly number[]): EncodedLabels {
  // One pass per column writes each small whole number as its own provisional code and marks
  // it seen; the common 0/1 (or 0..k-1) labels are then already encoded. Other values (and any
  // missing cell) are found by the same pass, and only then does a second pass run.
  const smallSeen = new Uint8Array(SMALL_INT_LABELS);
  const others = new Set<number>();
  const provisional = columns.map((c) => {
    const values = c.values;
    const codes = new Int32Array(values.length);
    for (let i = scanSmallInts(values, smallSeen, codes); i < values.length; i++) {
      const v = values[i];
      if (Number.isNaN(v)) throw missingValue(c, i);
      if (isSmallInt(v)) {
        smallSeen[v] = 1;
        codes[i] = v;
      } else {
        others.add(v);
      }
    }
    return codes;
  });
  for (const v of extra) {
    if (isSmallInt(v)) smallSeen[v] = 1;
    else others.add(v);
  }
  const labels: number[] = [...others];
  smallSeen.forEach((seen, v) => seen && labels.push(v));
  labels.sort((a, b) => a - b);

  const smallCode = new Int32Array(SMALL_INT_LABELS);
  const otherCode = new Map<number, number>();
  labels.forEach((v, code) => (isSmallInt(v) ? (smallCode[v] = code) : otherCode.set(v, code)));
  const identity = others.size === 0 && labels.every((v, code) => v === code);
  const encoded = columns.map((c, j) => {
    const codes = provisional[j];
    if (identity) return codes;
    const values = c.values;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      codes[i] = isSmallInt(v) ? smallCode[v] : (otherCode.get(v) as number);
    }
    return codes;
  });
  return { labels, truth: encoded[0], preds: encoded.slice(1) };
}

/**
 * Marks the small whole numbers at the start of `values` in `seen` and copies them to `codes`;
 * returns the first row holding anything else (a missing cell too), or the length. A loop of
 * its own so that the JIT compiles it early and leaves it without running unseen code.
 */
function scanSmallInts(values: Float64Array, seen: Uint8Array, codes: Int32Array): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // NaN fails the first comparison.
    if (!(v >= 0 && v < SMALL_INT_LABELS && (v | 0) === v)) return i;
    seen[v] = 1;
    codes[i] = v;
  }
  return values.length;
}

function encodeText(columns: readonly StringColumn[], extra: readonly string[]): EncodedLabels {
  // Only categories that some row uses are labels (a sliced column keeps its whole dictionary).
  const distinct = new Set<string>(extra);
  for (const c of columns) {
    const used = new Uint8Array(c.categories.length);
    const codes = c.codes;
    for (let i = 0; i < codes.length; i++) {
      if (codes[i] < 0) throw missingValue(c, i);
      used[codes[i]] = 1;
    }
    c.categories.forEach((category, code) => used[code] && distinct.add(category));
  }
  const labels = [...distinct].sort(compareLabels);
  const index = new Map(labels.map((label, code) => [label, code]));
  const encoded = columns.map((c) => {
    // Translate through a per-column table: one array read per row.
    const table = Int32Array.from(c.categories, (category) => index.get(category) ?? -1);
    const codes = new Int32Array(c.codes.length);
    for (let i = 0; i < codes.length; i++) codes[i] = table[c.codes[i]];
    return codes;
  });
  return { labels, truth: encoded[0], preds: encoded.slice(1) };
}

function columnRows(c: Column): number {
  return c.kind === 'number' ? c.values.length : c.codes.length;
}

function missingValue(c: Column, row: number): EngineError {
  return new EngineError(
    'missing-value',
    `column "${c.name}" has a missing value at row ${row + 1}`,
    {
      column: c.name,
      row: row + 1,
    },
  );
}

function rejectMissing(c: Column): void {
  const n = columnRows(c);
  for (let i = 0; i < n; i++) {
    const missing = c.kind === 'number' ? Number.isNaN(c.values[i]) : c.codes[i] < 0;
    if (missing) throw missingValue(c, i);
  }
}

/**
 * 1 where the column's label equals `positive`, else 0: the target of the score metrics.
 * Missing cells are rejected (`missing-value`). A text `positive` matches a numeric column
 * when it parses to the same number, and the other way round, as in `labelIndex`. A positive
 * label that never occurs gives all zeros; callers that must reject it check `labelIndex`.
 */
export function positiveIndicator(column: Column, positive: Label): Uint8Array {
  rejectMissing(column);
  if (column.kind === 'number') {
    const target = typeof positive === 'number' ? positive : parseNumericLabel(positive);
    const out = new Uint8Array(column.values.length);
    if (target === null) return out;
    for (let i = 0; i < out.length; i++) out[i] = column.values[i] === target ? 1 : 0;
    return out;
  }
  const positiveCode = labelIndex(column.categories, positive);
  const out = new Uint8Array(column.codes.length);
  if (positiveCode < 0) return out;
  for (let i = 0; i < out.length; i++) out[i] = column.codes[i] === positiveCode ? 1 : 0;
  return out;
}

/** The most distinct integer values a numeric column may have and still count as labels. */
export const MAX_NUMERIC_CLASSES = 20;

/**
 * Whether a column holds class labels: text always does; numbers do when every present value
 * is an integer and there are at most `maxDistinct` of them (0/1, star ratings). Anything else
 * numeric is a regression target.
 */
export function isCategorical(column: Column, maxDistinct = MAX_NUMERIC_CLASSES): boolean {
  if (column.kind === 'string') return true;
  const seen = new Set<number>();
  for (const v of column.values) {
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) return false;
    seen.add(v);
    if (seen.size > maxDistinct) return false;
  }
  return true;
}

/**
 * The task implied by a truth column and its prediction columns: regression when any of them
 * is numeric but not categorical (a continuous target or prediction), otherwise binary or
 * multiclass by the number of distinct labels over all of them.
 */
export function inferTask(truth: Column, preds: readonly Column[]): LabelTask {
  const columns = [truth, ...preds];
  if (columns.some((c) => c.kind === 'number' && !isCategorical(c))) return 'regression';
  const distinct = new Set<Label>();
  for (const c of columns) {
    if (c.kind === 'number') {
      for (const v of c.values) if (!Number.isNaN(v)) distinct.add(v);
    } else {
      const used = new Uint8Array(c.categories.length);
      for (const code of c.codes) if (code >= 0) used[code] = 1;
      c.categories.forEach((s, i) => used[i] && distinct.add(s));
    }
  }
  return distinct.size <= 2 ? 'binary' : 'multiclass';
}
