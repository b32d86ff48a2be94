/**
 * Result paths and check expressions: every path of a comparison reads the number the result
 * holds (the table's value, the delta, McNemar's p, per-class and per-slice values, bootstrap
 * bounds), paths of a planned result are checked against what it can have, and expressions
 * evaluate with undefined values and divisions by zero left undecided.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareModels, type ComparisonResult } from '../../engine/analysis/index.js';
import { loadTable } from '../../engine/load/index.js';
import {
  comparisonKeys,
  describeEvaluation,
  evaluateCheck,
  followPath,
  formatCheckNumber,
  plannedKeys,
  type CheckedExpr,
  type KeyNode,
} from '../../dsl/values.js';
import type { PlannedCompare } from '../../dsl/plan.js';
import { assertGolden, goldenPath, readExpected } from '../helpers/golden.js';

function numberAt(root: KeyNode, path: string): number | null {
  const outcome = followPath(root, path.split('.'));
  assert.equal(outcome.kind, 'number', `${path}: ${JSON.stringify(outcome)}`);
  if (outcome.kind !== 'number' || outcome.node.kind !== 'value') throw new Error(path);
  return outcome.node.value;
}

async function spamComparison(models: number): Promise<ComparisonResult> {
  const table = await loadTable(goldenPath('binary_spam_ham'));
  const specs = [
    { name: 'base', predictionColumn: 'base_pred', scoreColumn: 'base_score' },
    { name: 'finetuned', predictionColumn: 'ft_pred', scoreColumn: 'ft_score' },
    { name: 'again', predictionColumn: 'ft_pred' },
  ].slice(0, models);
  return compareModels(table, {
    label: 'label',
    positive: 'spam',
    models: specs,
    by: 'base_pred',
    significance: { bootstrap: { resamples: 50, seed: 1 } },
  });
}

describe('paths of a comparison', () => {
  test('models, deltas, the paired test, per class, per slice and intervals', async () => {
    const result = await spamComparison(2);
    const keys = comparisonKeys(result);
    const expected = readExpected('binary_spam_ham');
    const f1 = result.metricTable.metrics.indexOf('f1');
    assert.equal(numberAt(keys, 'finetuned.f1'), result.metricTable.values[f1][1]);
    assert.equal(numberAt(keys, 'base.precision'), expected.models.base.precision);
    assert.equal(numberAt(keys, 'finetuned.tp'), expected.models.ft.tp);
    assert.equal(numberAt(keys, 'base.f0_5'), expected.models.base.f0_5);
    const base = result.models[0];
    assert.equal(
      numberAt(keys, 'base.roc_auc'),
      'scores' in base ? base.scores?.rocAuc : undefined,
    );
    assert.equal(numberAt(keys, 'delta.accuracy'), result.deltas[0].metrics[0].delta);
    assertGolden(numberAt(keys, 'delta.f0_5'), expected.models.ft.f0_5 - expected.models.base.f0_5);
    const p = result.deltas[0].paired?.mcnemar?.exactP;
    assertGolden(p, expected.paired.mcnemar_exact_p);
    assert.equal(numberAt(keys, 'p_value'), p);
    assert.equal(numberAt(keys, 'delta.p_value'), p);
    assert.equal(numberAt(keys, 'fixed'), expected.paired.fixed);
    assert.equal(numberAt(keys, 'broken'), expected.paired.broken);
    assert.equal(numberAt(keys, 'n'), 240);
    assert.equal(numberAt(keys, 'base.per_class.ham.support'), 156);
    assert.equal(
      numberAt(keys, 'interval.accuracy.lower'),
      result.deltas[0].metrics[0].interval?.lower,
    );
    assert.equal(numberAt(keys, 'by.spam.n'), 90);
    const bySlice = result.slices?.rows.find((r) => r.value === 'spam');
    assert.equal(numberAt(keys, 'by.spam.finetuned.accuracy'), bySlice?.values[0][1]);
  });

  test('with more than two models, deltas and intervals are per model', async () => {
    const keys = comparisonKeys(await spamComparison(3));
    assert.equal(typeof numberAt(keys, 'delta.finetuned.accuracy'), 'number');
    assert.equal(numberAt(keys, 'delta.again.f1'), numberAt(keys, 'delta.finetuned.f1'));
    assert.equal(typeof numberAt(keys, 'interval.again.accuracy.upper'), 'number');
    // The top-level paired numbers are the last model's against the first.
    assert.equal(numberAt(keys, 'fixed'), numberAt(keys, 'delta.again.fixed'));
    const outcome = followPath(keys, ['delta', 'accuracy']);
    assert.equal(outcome.kind, 'unknown-key');
    assert.deepEqual(outcome.kind === 'unknown-key' && outcome.available, ['finetuned', 'again']);
  });

  test('wrong paths say what is there', async () => {
    const keys = comparisonKeys(await spamComparison(2));
    assert.deepEqual(followPath(keys, ['finetuned']).kind, 'not-a-number');
    assert.deepEqual(followPath(keys, ['finetuned', 'f1', 'x']), { kind: 'too-long', index: 2 });
    const unknown = followPath(keys, ['finetuned', 'log_los']);
    assert.equal(unknown.kind, 'unknown-key');
    assert.ok(unknown.kind === 'unknown-key' && unknown.available.includes('log_loss'));
  });

  test('a planned comparison takes any slice value and label, and only its own models', () => {
    const ref = (name: string) => ({ name, span: { start: 0, end: 0, line: 1, col: 1 } });
    const plan: PlannedCompare = {
      kind: 'compare',
      keyword: 'compare',
      syntax: 'Compare',
      line: 1,
      span: ref('x').span,
      text: '',
      dependsOn: [],
      table: ref('test'),
      label: ref('label'),
      models: [
        { name: ref('base'), predictions: ref('base_pred'), scores: null },
        { name: ref('ft'), predictions: ref('ft_pred'), scores: null },
      ],
      positive: null,
      metrics: null,
      beta: null,
      average: null,
      by: ref('source'),
      bootstrap: null,
      explain: false,
      bind: ref('R'),
      onData: null,
    };
    const keys = plannedKeys(plan, 'classification');
    assert.equal(followPath(keys, ['by', 'any value', 'ft', 'recall']).kind, 'number');
    assert.equal(followPath(keys, ['base', 'per_class', 'spam', 'f1']).kind, 'number');
    assert.equal(followPath(keys, ['base', 'roc_auc']).kind, 'unknown-key', 'no score column');
    assert.equal(followPath(keys, ['base', 'mse']).kind, 'unknown-key', 'a classification');
    assert.equal(followPath(plannedKeys(plan, null), ['base', 'mse']).kind, 'number');
    assert.equal(followPath(keys, ['interval']).kind, 'unknown-key', 'no bootstrap');
  });
});

describe('check expressions', () => {
  const span = (start: number, end: number) => ({ start, end, line: 1, col: start + 1 });
  const path = (text: string, start: number): CheckedExpr => ({
    kind: 'path',
    type: 'number',
    binding: text.split('.')[0],
    keys: text.split('.').slice(1),
    text,
    span: span(start, start + text.length),
    segmentSpans: [],
  });
  const number = (value: number, start: number, end: number): CheckedExpr => ({
    kind: 'literal',
    type: 'number',
    value,
    span: span(start, end),
  });

  test('values are put in after each path, with the verdict', () => {
    // R.a.f1 > R.b.f1 + 0.02
    const source = 'R.a.f1 > R.b.f1 + 0.02';
    const expr: CheckedExpr = {
      kind: 'binary',
      type: 'boolean',
      op: '>',
      left: path('R.a.f1', 0),
      right: {
        kind: 'binary',
        type: 'number',
        op: '+',
        left: path('R.b.f1', 9),
        right: number(0.02, 18, 22),
        span: span(9, 22),
      },
      span: span(0, 22),
    };
    const values: Record<string, number> = { 'R.a.f1': 0.97173, 'R.b.f1': 0.90021 };
    const evaluation = evaluateCheck(expr, (p) => ({ value: values[p.text], why: null }));
    assert.equal(evaluation.value, true);
    assert.equal(
      describeEvaluation(source, 0, evaluation),
      'R.a.f1 (0.9717) > R.b.f1 (0.9002) + 0.02 → true',
    );
  });

  test('an undefined value leaves a comparison undecided, unless `and`/`or` decide without it', () => {
    const undefinedPath = path('R.a.roc_auc', 0);
    const compare: CheckedExpr = {
      kind: 'binary',
      type: 'boolean',
      op: '>',
      left: undefinedPath,
      right: number(0.5, 14, 17),
      span: span(0, 17),
    };
    const paths = () => ({ value: null, why: 'one class' });
    const alone = evaluateCheck(compare, paths);
    assert.equal(alone.value, null);
    assert.equal(alone.undecided, 'R.a.roc_auc is undefined (one class)');
    const falseSide: CheckedExpr = {
      kind: 'binary',
      type: 'boolean',
      op: '<',
      left: number(2, 0, 1),
      right: number(1, 0, 1),
      span: span(0, 1),
    };
    const and: CheckedExpr = {
      kind: 'binary',
      type: 'boolean',
      op: 'and',
      left: compare,
      right: falseSide,
      span: span(0, 17),
    };
    assert.equal(evaluateCheck(and, paths).value, false);
    const or: CheckedExpr = { ...and, op: 'or', right: { ...falseSide, op: '>' } };
    assert.equal(evaluateCheck(or, paths).value, true);
  });

  test('numbers in details: whole numbers as they are, four significant digits below 1', () => {
    assert.deepEqual(
      [83, 0.97173, 0.0040771, 12.345678, -0.05, 1e-7, 0.8000000000000002].map(formatCheckNumber),
      ['83', '0.9717', '0.004077', '12.3457', '-0.05', '1e-7', '0.8'],
    );
  });
});
