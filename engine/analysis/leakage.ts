/**
 * `leakageAnalysis`: rows of a test table whose key (usually the text) also occurs in a
 * training table (engine/leakage.ts), with a warning when there are any. Lists are cut to
 * `maxListed` entries so that a massive leak still gives a small result; counts stay complete.
 */
import { findLeakage, type LeakageMatches } from '../leakage.js';
import { findColumn, type Table } from '../table.js';
import { requireWholeNumber } from './common.js';
import type {
  AnalysisWarning,
  LeakageAnalysisOptions,
  LeakageAnalysisResult,
  LeakageMatchSummary,
} from './types.js';
import * as warn from './warnings.js';

export const DEFAULT_MAX_LISTED = 100;

function summarize(matches: LeakageMatches, maxListed: number): LeakageMatchSummary {
  // Each leaked test row holds exactly one shared value, so the lists add up to the rows.
  let leakedTestRows = 0;
  for (const d of matches.duplicates) leakedTestRows += d.testIds.length;
  const truncated =
    matches.duplicates.length > maxListed ||
    matches.leakedTestIds.length > maxListed ||
    matches.leakedTrainIds.length > maxListed ||
    matches.duplicates.some((d) => d.trainIds.length > maxListed || d.testIds.length > maxListed);
  return {
    duplicateTextCount: matches.duplicateTextCount,
    duplicates: matches.duplicates.slice(0, maxListed).map((d) => ({
      text: d.text,
      trainIds: d.trainIds.slice(0, maxListed),
      testIds: d.testIds.slice(0, maxListed),
    })),
    leakedTestRows,
    leakedTestIds: matches.leakedTestIds.slice(0, maxListed),
    leakedTrainIds: matches.leakedTrainIds.slice(0, maxListed),
    leakedTestFraction: matches.leakedTestFraction,
    truncated,
  };
}

/** Rows of `test` whose `options.column` value also occurs in `train`. */
export function leakageAnalysis(
  train: Table,
  test: Table,
  options: LeakageAnalysisOptions,
): LeakageAnalysisResult {
  const maxListed = requireWholeNumber('maxListed', options.maxListed ?? DEFAULT_MAX_LISTED, 0);
  // Ids come from an "id" column when both tables have one, else row numbers.
  const idColumn =
    options.idColumn ??
    (findColumn(train, 'id') !== undefined && findColumn(test, 'id') !== undefined
      ? 'id'
      : undefined);
  const result = findLeakage(train, test, {
    column: options.column,
    idColumn,
    normalize: options.normalize,
  });
  const exact = summarize(result, maxListed);
  const normalized =
    result.normalized === undefined ? null : summarize(result.normalized, maxListed);
  const trainName = options.trainName ?? train.source.path ?? null;
  const testName = options.testName ?? test.source.path ?? null;
  const warnings: AnalysisWarning[] = [];
  if (exact.leakedTestRows > 0) {
    warnings.push(
      warn.leakage(
        trainName,
        testName,
        options.column,
        exact.leakedTestRows,
        result.testRows,
        exact.duplicateTextCount,
        false,
      ),
    );
  }
  if (normalized !== null && normalized.leakedTestRows > exact.leakedTestRows) {
    warnings.push(
      warn.leakage(
        trainName,
        testName,
        options.column,
        normalized.leakedTestRows,
        result.testRows,
        normalized.duplicateTextCount,
        true,
      ),
    );
  }
  return {
    kind: 'leakage',
    train: trainName,
    test: testName,
    column: result.column,
    idColumn: idColumn ?? null,
    trainRows: result.trainRows,
    testRows: result.testRows,
    ...exact,
    normalized,
    warnings,
  };
}
