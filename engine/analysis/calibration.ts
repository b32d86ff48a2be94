/**
 * `calibrationAnalysis`: reliability diagrams, expected and maximum calibration error and the
 * Brier score of each model's probability scores (engine/metrics/calibration.ts), as a
 * JSON-ready result.
 */
import { EngineError, throwIfCancelled } from '../errors.js';
import { requireNumberColumn } from '../load/columns.js';
import { calibration } from '../metrics/calibration.js';
import { requireColumn } from '../slice.js';
import type { Table } from '../table.js';
import { requireDistinctNames, tableLabel } from './common.js';
import { requirePositiveIndicator } from './threshold.js';
import type {
  CalibrationAnalysisOptions,
  CalibrationAnalysisResult,
  CalibrationModelResult,
} from './types.js';

/** Default number of uniform bins. */
export const DEFAULT_CALIBRATION_BINS = 10;

export function calibrationAnalysis(
  table: Table,
  options: CalibrationAnalysisOptions,
): CalibrationAnalysisResult {
  if (options.models.length === 0) {
    throw new EngineError('bad-argument', 'a calibration analysis needs at least one score column');
  }
  requireDistinctNames(
    options.models.map((m) => m.name),
    'model',
  );
  if (table.nRows === 0) {
    throw new EngineError('bad-argument', 'the table has no rows', { file: table.source.path });
  }
  const nBins = options.bins ?? DEFAULT_CALIBRATION_BINS;
  const { label, isPositive } = requirePositiveIndicator(
    requireColumn(table, options.label),
    options.positive,
  );
  const models = options.models.map((spec, j): CalibrationModelResult => {
    throwIfCancelled(options.cancel);
    options.onProgress?.({ phase: 'calibration', done: j, total: options.models.length });
    const scores = requireNumberColumn(table, spec.scoreColumn).values;
    const result = calibration(scores, isPositive, {
      nBins,
      cancel: options.cancel,
      source: { file: table.source.path, column: spec.scoreColumn },
    });
    return {
      name: spec.name,
      scoreColumn: spec.scoreColumn,
      bins: result.bins,
      binEdges: Array.from(result.binEdges),
      probTrue: Array.from(result.probTrue),
      probPred: Array.from(result.probPred),
      ece: result.ece,
      mce: result.mce,
      brier: result.brierScore,
    };
  });
  options.onProgress?.({
    phase: 'calibration',
    done: options.models.length,
    total: options.models.length,
  });
  return {
    kind: 'calibration',
    table: tableLabel(table, options.tableName),
    labelColumn: options.label,
    positiveLabel: label,
    n: table.nRows,
    nBins,
    models,
    warnings: [],
  };
}
