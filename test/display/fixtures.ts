/**
 * Analysis results for the display tests, computed by the engine from the golden cases, so
 * that every number the display shows can be checked against `expected.json`.
 */
import {
  analyseThresholds,
  calibrationAnalysis,
  compareModels,
  leakageAnalysis,
  lossCurveAnalysis,
  sliceSummary,
  splitSummary,
  summarizeTable,
  type CalibrationAnalysisResult,
  type ComparisonResult,
  type LeakageAnalysisResult,
  type LossCurveResult,
  type SliceSummaryResult,
  type SplitSummaryResult,
  type TableSummary,
  type ThresholdAnalysisResult,
} from '../../engine/analysis/index.js';
import { loadTable } from '../../engine/load/index.js';
import type { Table } from '../../engine/table.js';
import { goldenPath } from '../helpers/golden.js';

export async function golden(caseName: string, file = 'data.csv'): Promise<Table> {
  return loadTable(goldenPath(caseName, file));
}

const BASE_FT = [
  { name: 'base', predictionColumn: 'base_pred' },
  { name: 'finetuned', predictionColumn: 'ft_pred' },
];

const BASE_FT_SCORES = [
  { name: 'base', scoreColumn: 'base_score' },
  { name: 'finetuned', scoreColumn: 'ft_score' },
];

export async function spamComparison(): Promise<ComparisonResult> {
  const table = await golden('binary_spam_ham');
  return compareModels(table, {
    tableName: 'test',
    label: 'label',
    positive: 'spam',
    models: [
      { ...BASE_FT[0], scoreColumn: 'base_score' },
      { ...BASE_FT[1], scoreColumn: 'ft_score' },
    ],
    significance: { mcnemar: true, bootstrap: { resamples: 200, seed: 7 } },
    examples: 3,
  });
}

export async function workedExampleComparison(): Promise<ComparisonResult> {
  const table = await golden('worked_example_confusion_85_15_10_90');
  return compareModels(table, {
    tableName: 'worked',
    label: 'label',
    positive: 1,
    models: BASE_FT,
  });
}

export async function multiclassComparison(): Promise<ComparisonResult> {
  const table = await golden('multiclass_intent_4');
  return compareModels(table, { tableName: 'intents', label: 'label', models: BASE_FT });
}

export async function regressionComparison(): Promise<ComparisonResult> {
  const table = await golden('regression_basic');
  return compareModels(table, { tableName: 'reg', label: 'y_true', models: BASE_FT });
}

export async function spamThreshold(maxPoints?: number): Promise<ThresholdAnalysisResult> {
  const table = await golden('binary_spam_ham');
  return analyseThresholds(table, {
    tableName: 'test',
    label: 'label',
    positive: 'spam',
    models: BASE_FT_SCORES,
    pick: { kind: 'max-f1' },
    maxPoints,
  });
}

export async function calibrationResult(): Promise<CalibrationAnalysisResult> {
  const table = await golden('calibration_10_bins');
  return calibrationAnalysis(table, {
    tableName: 'cal',
    label: 'label',
    positive: 1,
    models: BASE_FT_SCORES,
  });
}

export async function lossResult(): Promise<LossCurveResult> {
  return lossCurveAnalysis(await golden('loss_log_early_stopping'), { tableName: 'log' });
}

export async function leakageResult(): Promise<LeakageAnalysisResult> {
  const train = await golden('leakage_duplicates', 'train.csv');
  const test = await golden('leakage_duplicates', 'test.csv');
  return leakageAnalysis(train, test, {
    trainName: 'train',
    testName: 'test',
    column: 'text',
    normalize: true,
  });
}

export async function splitResult(): Promise<SplitSummaryResult> {
  const table = await golden('split_stratified_1000');
  return splitSummary(
    table,
    [
      { name: 'train', fraction: 0.8 },
      { name: 'val', fraction: 0.1 },
      { name: 'test', fraction: 0.1 },
    ],
    { tableName: 'data', seed: 42, stratifyBy: 'label' },
  ).summary;
}

export async function sliceResult(): Promise<SliceSummaryResult> {
  return sliceSummary(await golden('split_stratified_1000'), 'label', { tableName: 'data' });
}

export async function tableSummaryResult(): Promise<TableSummary> {
  return summarizeTable(await golden('binary_spam_ham'), 'test');
}
