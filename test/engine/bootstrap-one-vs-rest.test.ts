import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dependsOnlyOnOneVsRest,
  metricFromConfusion,
  metricFromOneVsRest,
  oneVsRest,
  type MetricSpec,
} from '../../engine/metrics/classification.js';
import { Rng } from '../../engine/random.js';
import { bootstrapMetricDifference } from '../../engine/stats/bootstrap.js';

const ONE_VS_REST_SPECS: readonly MetricSpec[] = [
  { name: 'precision' },
  { name: 'recall', zeroDivision: 1 },
  { name: 'f1' },
  { name: 'f1', average: 'binary' },
  { name: 'f0_5' },
  { name: 'f2', zeroDivision: 1 },
  { name: 'fbeta', beta: 0.7 },
  { name: 'specificity' },
];

test('which metrics depend only on the positive label against the rest', () => {
  for (const spec of ONE_VS_REST_SPECS) assert.equal(dependsOnlyOnOneVsRest(spec, 1), true);
  assert.equal(dependsOnlyOnOneVsRest({ name: 'f1' }, null), false);
  assert.equal(dependsOnlyOnOneVsRest({ name: 'f1', average: 'macro' }, 1), false);
  assert.equal(dependsOnlyOnOneVsRest({ name: 'recall', average: 'weighted' }, 0), false);
  assert.equal(dependsOnlyOnOneVsRest({ name: 'accuracy' }, 1), false);
  assert.equal(dependsOnlyOnOneVsRest({ name: 'mcc' }, 1), false);
  assert.throws(() => metricFromOneVsRest({ name: 'mcc' }, 1, 2, 3, 4), /whole confusion matrix/);
  assert.throws(() => metricFromOneVsRest({ name: 'fbeta' }, 1, 2, 3, 4), /positive beta/);
});

test('metricFromOneVsRest equals metricFromConfusion bit for bit, zero denominators included', () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 300; trial++) {
    const k = 2 + (trial % 3);
    // Small counts, many of them zero, so that 0/0 ratios occur.
    const counts = Float64Array.from({ length: k * k }, () =>
      rng.nextInt(3) === 0 ? 0 : rng.nextInt(50),
    );
    const cm = { k, counts };
    const positive = rng.nextInt(k);
    const c = oneVsRest(cm, positive);
    for (const spec of ONE_VS_REST_SPECS) {
      assert.equal(
        metricFromOneVsRest(spec, c.tp, c.fp, c.fn, c.tn),
        metricFromConfusion(cm, spec, positive),
        `${JSON.stringify(spec)} on ${counts.join(',')} about ${positive}`,
      );
    }
  }
});

test('binary F1 and specificity intervals are those of the confusion-matrix path (pinned)', () => {
  // Values computed by the bootstrap before its one-vs-rest tally existed.
  const truth = Int32Array.from({ length: 60 }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
  const base = Int32Array.from({ length: 60 }, (_, i) => ((i * 5) % 4 === 0 ? 1 : 0));
  const ft = Int32Array.from({ length: 60 }, (_, i) => ((i * 7) % 3 === 0 || i % 11 === 0 ? 1 : 0));
  const pinned: [MetricSpec, number, number, number, number][] = [
    [{ name: 'f1' }, 0.413306727994228, 0.829563712767272, 0.6198683995148302, 0.10679672233733807],
    [
      { name: 'specificity' },
      -0.027421171171171196,
      0.3043560606060606,
      0.14536609237220208,
      0.08515344733232685,
    ],
  ];
  for (const [spec, lower, upper, mean, std] of pinned) {
    const r = bootstrapMetricDifference(truth, base, ft, 2, spec, {
      positive: 1,
      seed: 3,
      resamples: 500,
    });
    assert.equal(r.method, 'multinomial');
    assert.equal(r.undefinedResamples, 0);
    assert.equal(r.lower, lower);
    assert.equal(r.upper, upper);
    assert.equal(r.samples.mean, mean);
    assert.equal(r.samples.std, std);
  }
});
