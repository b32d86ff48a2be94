import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseAccuracyParadox } from '../../engine/diagnose/paradox.js';
import { encodeLabels, labelIndex, type EncodedLabels } from '../../engine/labels.js';
import {
  binaryClassificationMetrics,
  confusionMatrix,
  metricFromConfusion,
  multiclassClassificationMetrics,
  readMetric,
  type MetricSpec,
} from '../../engine/metrics/classification.js';
import type { Label } from '../../engine/table.js';
import { column, readCsv } from '../helpers/csv.js';
import {
  assertGolden,
  goldenPath,
  goldenCases,
  readExpected,
  type Json,
} from '../helpers/golden.js';
import { toGoldenKeys } from '../helpers/keys.js';

const MODELS = ['base', 'ft'] as const;

function casesOfKind(kind: string): string[] {
  return goldenCases((expected) => expected.kind === kind);
}

function encodeCase(name: string, expected: Json): EncodedLabels {
  const table = readCsv(goldenPath(name));
  const preds = MODELS.map((m) => column(table, expected.prediction_columns[m]));
  const extraLabels = expected.positive_label === undefined ? [] : [expected.positive_label];
  return encodeLabels(column(table, expected.label_column), preds, { extraLabels });
}

const binaryCases = casesOfKind('binary');
const multiclassCases = casesOfKind('multiclass');

test('the golden corpus has the binary and multiclass cases this file covers', () => {
  assert.deepEqual(binaryCases, [
    'accuracy_paradox_rare_positive',
    'binary_int_labels',
    'binary_spam_ham',
    'paired_mcnemar',
    'perfect_predictions',
    'scores_continuous',
    'scores_with_ties',
    'single_row',
    'worked_example_confusion_85_15_10_90',
    'worked_example_ten_rows',
    'zero_division_no_predicted_positive',
    'zero_division_no_true_positive',
  ]);
  assert.deepEqual(multiclassCases, ['multiclass_class_never_predicted', 'multiclass_intent_4']);
});

for (const name of binaryCases) {
  test(`golden binary metrics: ${name}`, () => {
    const expected = readExpected(name);
    const encoded = encodeCase(name, expected);
    assert.deepEqual(encoded.labels, expected.labels);
    const positive = labelIndex(encoded.labels, expected.positive_label);
    MODELS.forEach((model, i) => {
      const result = binaryClassificationMetrics(
        encoded.truth,
        encoded.preds[i],
        encoded.labels,
        positive,
      );
      assert.equal(result.positiveLabel, expected.positive_label);
      assert.equal(result.negativeLabel, expected.negative_label);
      assert.equal(result.n, expected.n);
      assertGolden(toGoldenKeys(result), expected.models[model], `${name}.models.${model}`);
    });
  });
}

for (const name of multiclassCases) {
  test(`golden multiclass metrics: ${name}`, () => {
    const expected = readExpected(name);
    const encoded = encodeCase(name, expected);
    MODELS.forEach((model, i) => {
      const result = multiclassClassificationMetrics(
        encoded.truth,
        encoded.preds[i],
        encoded.labels,
      );
      assert.equal(result.n, expected.n);
      assertGolden(toGoldenKeys(result), expected.models[model], `${name}.models.${model}`);
    });
  });
}

test('worked example, ten rows: the fine-tuned model is perfect, not what the document claims', () => {
  const name = 'worked_example_ten_rows';
  const expected = readExpected(name);
  const encoded = encodeCase(name, expected);
  const ft = binaryClassificationMetrics(encoded.truth, encoded.preds[1], encoded.labels, 1);
  for (const key of ['accuracy', 'precision', 'recall', 'f1'] as const)
    assert.equal(ft[key], 1, key);
  // The document claims accuracy 0.9, recall 0.9 and F1 0.947 (only its precision is right).
  assert.equal(expected.document_claim_ft.matches_sklearn, false);
  for (const key of ['accuracy', 'recall', 'f1'] as const) {
    assert.ok(expected.document_claim_ft[key] < 0.95, `document claim for ${key}`);
  }
  const base = binaryClassificationMetrics(encoded.truth, encoded.preds[0], encoded.labels, 1);
  assert.deepEqual([base.tp, base.fn, base.fp, base.tn], [4, 1, 1, 4]);
  assert.equal(base.f1, 0.8000000000000002); // from P = R = 0.8, as sklearn
});

test('worked example 85/15/10/90: the documents’ precision, recall and F1', () => {
  const name = 'worked_example_confusion_85_15_10_90';
  const encoded = encodeCase(name, readExpected(name));
  const base = binaryClassificationMetrics(encoded.truth, encoded.preds[0], encoded.labels, 1);
  assert.deepEqual([base.tp, base.fn, base.fp, base.tn], [85, 15, 10, 90]);
  assert.equal(base.precision, 85 / 95);
  assert.equal(base.recall, 0.85);
  assert.equal(base.f1.toFixed(4), '0.8718');
  assert.equal(base.accuracy, 0.875);
});

test('accuracy paradox: the majority baseline matches the golden values and the trap is flagged', () => {
  const name = 'accuracy_paradox_rare_positive';
  const expected = readExpected(name);
  const encoded = encodeCase(name, expected);
  const positive = labelIndex(encoded.labels, expected.positive_label);
  const base = diagnoseAccuracyParadox(encoded.truth, encoded.preds[0], encoded.labels, {
    positive,
  });
  assertGolden(toGoldenKeys(base.baseline), expected.majority_baseline, 'majority_baseline');
  assert.equal(base.minorityLabel, 1);
  assert.equal(base.minorityShare, 0.02);
  assert.equal(base.positiveShare, 0.02);
  assert.equal(base.minorityRecall, 0.12);
  assert.ok(Math.abs(base.accuracyLift - 0.0008) < 1e-12);
  assert.equal(base.applies, true);
  assert.match(
    base.explanation,
    /^Accuracy paradox: accuracy 98\.1% .* 98\.0% .* 12\.0% of the 25 rows labelled 1\./,
  );

  // The fine-tuned model finds 72% of the positives: imbalanced, but not the trap.
  const ft = diagnoseAccuracyParadox(encoded.truth, encoded.preds[1], encoded.labels, { positive });
  assert.equal(ft.imbalanced, true);
  assert.equal(ft.minorityRecall, 0.72);
  assert.equal(ft.lowMinorityRecall, false);
  assert.equal(ft.applies, false);
});

test('accuracy paradox: balanced data and a single class are not the trap', () => {
  const labels = ['a', 'b'];
  const truth = Int32Array.from([0, 0, 1, 1, 0, 1]);
  const pred = Int32Array.from([0, 0, 0, 0, 0, 0]);
  const balanced = diagnoseAccuracyParadox(truth, pred, labels, { positive: 1 });
  assert.equal(balanced.imbalanced, false);
  assert.equal(balanced.applies, false);
  assert.equal(balanced.baseline.predictedLabel, 'a'); // a tie goes to the first label
  const single = diagnoseAccuracyParadox(Int32Array.from([1, 1]), Int32Array.from([1, 0]), labels);
  assert.equal(single.applies, false);
  assert.match(single.explanation, /every true label is "b"/);
});

test('accuracy paradox, multiclass: baseline metrics are macro averages', () => {
  // 18 × c0, 1 × c1, 1 × c2; the model predicts c0 everywhere but one c1.
  const truth = Int32Array.from([...Array(18).fill(0), 1, 2]);
  const pred = Int32Array.from([...Array(18).fill(0), 0, 0]);
  const d = diagnoseAccuracyParadox(truth, pred, ['c0', 'c1', 'c2']);
  assert.equal(d.baseline.accuracy, 0.9);
  assert.equal(d.baseline.recall, 1 / 3);
  assert.equal(d.baseline.balancedAccuracy, 1 / 3);
  assert.equal(d.positiveShare, null);
  assert.equal(d.minorityLabel, 'c1');
  assert.equal(d.applies, true);
});

test('binary with a label absent from the data still gives a 2×2 matrix', () => {
  // Truth all "ham", predictions all "ham", positive "spam": encoded with the extra label.
  const truth = Int32Array.from([0, 0, 0]);
  const r = binaryClassificationMetrics(truth, truth, ['ham', 'spam'], 1);
  assert.deepEqual(r.confusionMatrix, [
    [3, 0],
    [0, 0],
  ]);
  assert.deepEqual(r.illDefined, ['precision', 'recall']);
  assert.equal(r.cohenKappa, null);
  assert.equal(r.zeroDivision1.f1, 1);
});

test('binary metrics refuse three labels', () => {
  assert.throws(
    () =>
      binaryClassificationMetrics(
        Int32Array.from([0, 1, 2]),
        Int32Array.from([0, 1, 2]),
        ['a', 'b', 'c'],
        1,
      ),
    (e: Error) =>
      e.name === 'EngineError' && /exactly two labels, found 3: "a", "b", "c"/.test(e.message),
  );
});

test('multiclass drops a label that only the other model predicts', () => {
  // The union over both models is [x, y, z]; this model and the truth only use x and y.
  const truth = Int32Array.from([0, 1, 0, 1]);
  const pred = Int32Array.from([0, 1, 1, 1]);
  const r = multiclassClassificationMetrics(truth, pred, ['x', 'y', 'z']);
  assert.deepEqual(r.labels, ['x', 'y']);
  assert.deepEqual(r.confusionMatrix, [
    [1, 1],
    [0, 2],
  ]);
  assert.equal(r.macro.recall, 0.75);
});

test('a label only predicted lowers macro recall but not balanced accuracy', () => {
  const truth = Int32Array.from([0, 0, 1, 1]);
  const pred = Int32Array.from([0, 2, 1, 1]);
  const r = multiclassClassificationMetrics(truth, pred, ['a', 'b', 'c']);
  assert.equal(r.balancedAccuracy, 0.75);
  assert.equal(r.macro.recall, 0.5);
  assert.deepEqual(r.illDefined, { precision: [], recall: ['c'] });
  assert.equal(r.zeroDivision1.macro.recall, (0.5 + 1 + 1) / 3);
});

test('metricFromConfusion agrees with the full results on every golden classification case', () => {
  const specs: MetricSpec[] = [
    { name: 'accuracy' },
    { name: 'precision' },
    { name: 'recall' },
    { name: 'f1' },
    { name: 'f0_5' },
    { name: 'f2' },
    { name: 'balanced_accuracy' },
    { name: 'mcc' },
    { name: 'cohen_kappa' },
  ];
  for (const name of [...binaryCases, ...multiclassCases]) {
    const expected = readExpected(name);
    const encoded = encodeCase(name, expected);
    const binary = expected.kind === 'binary';
    const positive = binary ? labelIndex(encoded.labels, expected.positive_label) : null;
    for (const pred of encoded.preds) {
      const cm = confusionMatrix(encoded.truth, pred, encoded.labels.length);
      const full =
        positive === null
          ? multiclassClassificationMetrics(encoded.truth, pred, encoded.labels)
          : binaryClassificationMetrics(encoded.truth, pred, encoded.labels, positive);
      for (const spec of specs) {
        const value = metricFromConfusion(cm, spec, positive);
        const reference = readMetric(full, spec.name);
        if (reference === null) {
          assert.ok(Number.isNaN(value) || positive === null, `${name} ${spec.name}`);
        } else {
          assert.ok(
            Math.abs(value - reference) < 1e-12,
            `${name} ${spec.name}: ${value} vs ${reference}`,
          );
        }
      }
      if (full.task === 'binary') {
        assert.equal(metricFromConfusion(cm, { name: 'specificity' }, positive), full.specificity);
        assert.equal(metricFromConfusion(cm, { name: 'fbeta', beta: 2 }, positive), full.f2);
        assert.equal(
          metricFromConfusion(cm, { name: 'precision', zeroDivision: 1 }, positive),
          full.zeroDivision1.precision,
        );
      } else {
        assert.equal(
          metricFromConfusion(cm, { name: 'f1', average: 'weighted' }, null),
          full.weighted.f1,
        );
        assert.equal(
          metricFromConfusion(cm, { name: 'recall', average: 'micro' }, null),
          full.micro.recall,
        );
      }
    }
  }
});

test('metricFromConfusion rejects combinations without meaning', () => {
  const cm = confusionMatrix(Int32Array.from([0, 1, 2]), Int32Array.from([0, 1, 1]), 3);
  const isBadArgument = (e: Error & { code?: string }): boolean => e.code === 'bad-argument';
  assert.throws(() => metricFromConfusion(cm, { name: 'specificity' }, null), isBadArgument);
  assert.throws(
    () => metricFromConfusion(cm, { name: 'f1', average: 'binary' }, null),
    isBadArgument,
  );
  assert.throws(() => metricFromConfusion(cm, { name: 'fbeta' }, null), isBadArgument);
});

test('readMetric reads multiclass precision, recall and F1 as macro averages', () => {
  const r = multiclassClassificationMetrics(
    Int32Array.from([0, 1, 2, 2]),
    Int32Array.from([0, 2, 2, 2]),
    ['a', 'b', 'c'] as Label[],
  );
  assert.equal(readMetric(r, 'recall'), r.macro.recall);
  assert.equal(readMetric(r, 'specificity'), null);
  assert.equal(readMetric(r, 'accuracy'), 0.75);
});
