/**
 * Leakage between two tables: rows of the second table ("test") whose key value also occurs in
 * the first ("train"), so that a model may have seen them during training.
 *
 * Matching is exact: two text values match when they are the same string, which for text read
 * from UTF-8 files is the same bytes. Numeric key columns match by value. Missing keys never
 * match. With `normalize`, a second, looser comparison is reported as well: lowercased, runs
 * of white space collapsed to one space, trimmed.
 */
import { requireColumn, compareSliceValues } from './slice.js';
import { type Column, type Label, type Table, cellValue } from './table.js';

export interface LeakageOptions {
  /** The key column compared; both tables must have it. */
  readonly column: string;
  /** Column whose values identify rows in the result; by default 1-based row numbers. */
  readonly idColumn?: string;
  /** Also report matches after normalising (lowercase, collapsed white space, trimmed). */
  readonly normalize?: boolean;
}

/** One key value found in both tables, with the rows that hold it on each side. */
export interface LeakedValue {
  /** The shared value (its normalised form in `LeakageResult.normalized`). */
  readonly text: string;
  /** Ids of the train rows with this value, in row order. */
  readonly trainIds: readonly Label[];
  /** Ids of the test rows with this value, in row order. */
  readonly testIds: readonly Label[];
}

export interface LeakageMatches {
  /** Number of distinct values that occur in both tables. */
  readonly duplicateTextCount: number;
  /** One entry per shared value, in order of first occurrence in the test table. */
  readonly duplicates: readonly LeakedValue[];
  /** Ids of all leaked test rows / of all train rows they match, sorted (numbers, then text). */
  readonly leakedTestIds: readonly Label[];
  readonly leakedTrainIds: readonly Label[];
  /** Leaked test rows / test rows (0 for an empty test table). */
  readonly leakedTestFraction: number;
}

export interface LeakageResult extends LeakageMatches {
  readonly column: string;
  readonly trainRows: number;
  readonly testRows: number;
  /** Present when `normalize` was asked for: the same analysis on normalised values. */
  readonly normalized?: LeakageMatches;
}

/** How `normalize` compares text: lowercase, white-space runs as one space, trimmed. */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(/\s+/gu, ' ').trim();
}

export function findLeakage(train: Table, test: Table, options: LeakageOptions): LeakageResult {
  const trainKeys = requireColumn(train, options.column);
  const testKeys = requireColumn(test, options.column);
  const trainIds = idsOf(train, options.idColumn);
  const testIds = idsOf(test, options.idColumn);
  const exact = matchRows(keyTexts(trainKeys), keyTexts(testKeys), trainIds, testIds);
  const result: LeakageResult = {
    column: options.column,
    trainRows: train.nRows,
    testRows: test.nRows,
    ...exact,
  };
  if (!options.normalize) return result;
  const normalized = matchRows(
    keyTexts(trainKeys, normalizeText),
    keyTexts(testKeys, normalizeText),
    trainIds,
    testIds,
  );
  return { ...result, normalized };
}

/** Per row, its key as text (null when missing); `transform` applies to each distinct value. */
function keyTexts(column: Column, transform?: (text: string) => string): (string | null)[] {
  if (column.kind === 'string') {
    const keys = column.categories.map((c) => (transform ? transform(c) : c));
    return Array.from(column.codes, (code) => (code < 0 ? null : keys[code]));
  }
  return Array.from(column.values, (v) => {
    if (Number.isNaN(v)) return null;
    const text = String(v);
    return transform ? transform(text) : text;
  });
}

function idsOf(table: Table, idColumn: string | undefined): (row: number) => Label {
  if (idColumn === undefined) return (row) => row + 1;
  const column = requireColumn(table, idColumn);
  return (row) => cellValue(column, row) ?? row + 1;
}

function matchRows(
  trainKeys: readonly (string | null)[],
  testKeys: readonly (string | null)[],
  trainId: (row: number) => Label,
  testId: (row: number) => Label,
): LeakageMatches {
  const trainRowsByKey = new Map<string, number[]>();
  trainKeys.forEach((key, row) => {
    if (key === null) return;
    const rows = trainRowsByKey.get(key);
    if (rows === undefined) trainRowsByKey.set(key, [row]);
    else rows.push(row);
  });
  const testRowsByKey = new Map<string, number[]>();
  let leakedTestRows = 0;
  testKeys.forEach((key, row) => {
    if (key === null || !trainRowsByKey.has(key)) return;
    leakedTestRows++;
    const rows = testRowsByKey.get(key);
    if (rows === undefined) testRowsByKey.set(key, [row]);
    else rows.push(row);
  });
  // Map iteration follows insertion, i.e. first occurrence in the test table.
  const duplicates: LeakedValue[] = [...testRowsByKey].map(([text, testRows]) => ({
    text,
    trainIds: (trainRowsByKey.get(text) ?? []).map(trainId),
    testIds: testRows.map(testId),
  }));
  const sortedIds = (pick: (d: LeakedValue) => readonly Label[]): Label[] =>
    [...new Set(duplicates.flatMap(pick))].sort(compareSliceValues);
  return {
    duplicateTextCount: duplicates.length,
    duplicates,
    leakedTestIds: sortedIds((d) => d.testIds),
    leakedTrainIds: sortedIds((d) => d.trainIds),
    leakedTestFraction: testKeys.length === 0 ? 0 : leakedTestRows / testKeys.length,
  };
}
