/**
 * A whole session for the report tests and the browser check: every kind of result, built by
 * the engine from the golden cases, with the program text that would have produced them.
 */
import type { ReportInput, ReportItem } from '../../display/report.js';
import { goldenPath } from '../helpers/golden.js';
import * as fixtures from './fixtures.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const PROGRAM = [
  'load "binary_spam_ham/data.csv" as test',
  'compare base = base_pred, finetuned = ft_pred on test against label positive "spam"',
  '  significance bootstrap 200 seed 7',
  'threshold ft_score on test against label positive "spam" pick max f1',
  'load "calibration_10_bins/data.csv" as cal',
  'calibration base_score, ft_score on cal against label bins 10',
  'load "loss_log_early_stopping/data.csv" as log',
  'curve log epoch epoch loss train_loss, val_loss',
  'load "multiclass_intent_4/data.csv" as intents',
  'compare base = base_pred, finetuned = ft_pred on intents against label',
  'load "split_stratified_1000/data.csv" as data',
  'split data into train 80%, val 10%, test 10% seed 42 stratify by label',
  'check leakage train, test on text',
  'check R.finetuned.f1 > R.base.f1 + 0.02',
  'report "spam-finetune.html" title "Does fine-tuning help on hard ham?"',
].join('\n');

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export const INPUT_CASES = [
  ['test', 'binary_spam_ham'],
  ['cal', 'calibration_10_bins'],
  ['log', 'loss_log_early_stopping'],
  ['intents', 'multiclass_intent_4'],
  ['data', 'split_stratified_1000'],
] as const;

export async function buildSession(): Promise<ReportInput> {
  const items: ReportItem[] = [
    {
      line: 1,
      statement: 'load "binary_spam_ham/data.csv" as test',
      result: await fixtures.tableSummaryResult(),
    },
    {
      line: 2,
      statement:
        'compare base = base_pred, finetuned = ft_pred on test against label positive "spam"\n  significance bootstrap 200 seed 7',
      result: await fixtures.spamComparison(),
    },
    {
      line: 4,
      statement: 'threshold ft_score on test against label positive "spam" pick max f1',
      result: await fixtures.spamThreshold(),
    },
    {
      line: 6,
      statement: 'calibration base_score, ft_score on cal against label bins 10',
      result: await fixtures.calibrationResult(),
    },
    {
      line: 8,
      statement: 'curve log epoch epoch loss train_loss, val_loss',
      result: await fixtures.lossResult(),
    },
    {
      line: 10,
      statement: 'compare base = base_pred, finetuned = ft_pred on intents against label',
      result: await fixtures.multiclassComparison(),
    },
    {
      line: 12,
      statement: 'split data into train 80%, val 10%, test 10% seed 42 stratify by label',
      result: await fixtures.splitResult(),
    },
    {
      line: 13,
      statement: 'check leakage train, test on text',
      result: await fixtures.leakageResult(),
    },
    {
      line: 14,
      statement: 'check R.finetuned.f1 > R.base.f1 + 0.02',
      result: {
        kind: 'check',
        expression: 'R.finetuned.f1 > R.base.f1 + 0.02',
        passed: true,
        detail: '0.9708 > 0.8851 + 0.02',
      },
    },
  ];
  return {
    title: 'Does fine-tuning help on hard ham?',
    source: PROGRAM,
    items,
    inputs: INPUT_CASES.map(([name, caseName]) => ({
      name,
      path: goldenPath(caseName),
      sha256: sha256(goldenPath(caseName)),
      format: 'csv',
    })),
    seeds: [
      { name: 'compare test: bootstrap', value: 7 },
      { name: 'split data', value: 42 },
    ],
    versions: { evalbook: '0.1.0', node: 'v20' },
    baseDir: goldenPath('.', ''),
  };
}
