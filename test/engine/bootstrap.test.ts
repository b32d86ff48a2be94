import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineError } from '../../engine/errors.js';
import { encodeLabels, labelIndex, type EncodedLabels } from '../../engine/labels.js';
import {
  binaryClassificationMetrics,
  multiclassClassificationMetrics,
  type MetricSpec,
} from '../../engine/metrics/classification.js';
import { Rng } from '../../engine/random.js';
import { binomialPmf, sampleBinomial } from '../../engine/stats/binomial.js';
import { bootstrapMetricDifference } from '../../engine/stats/bootstrap.js';
import { column, readCsv } from '../helpers/csv.js';
import { goldenPath, readExpected } from '../helpers/golden.js';

function goldenCase(name: string): { encoded: EncodedLabels; positive: number | null } {
  const expected = readExpected(name);
  const table = readCsv(goldenPath(name));
  const encoded = encodeLabels(column(table, expected.label_column), [
    column(table, expected.prediction_columns.base),
    column(table, expected.prediction_columns.ft),
  ]);
  const positive =
    expected.positive_label === undefined
      ? null
      : labelIndex(encoded.labels, expected.positive_label);
  return { encoded, positive };
}

/** Binary labels for n rows: base right with probability 0.8, fine-tuned with 0.85. */
function synthetic(
  n: number,
  seed: number,
): { truth: Int32Array; base: Int32Array; ft: Int32Array } {
  const rng = new Rng(seed);
  const truth = new Int32Array(n);
  const base = new Int32Array(n);
  const ft = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    truth[i] = rng.nextFloat() < 0.3 ? 1 : 0;
    base[i] = rng.nextFloat() < 0.8 ? truth[i] : 1 - truth[i];
    ft[i] = rng.nextFloat() < 0.85 ? truth[i] : 1 - truth[i];
  }
  return { truth, base, ft };
}

test('the same seed gives the same interval; another seed another one', () => {
  const { encoded, positive } = goldenCase('binary_spam_ham');
  const [base, ft] = encoded.preds;
  const run = (seed: number) =>
    bootstrapMetricDifference(encoded.truth, base, ft, 2, { name: 'f1' }, { positive, seed });
  assert.deepEqual(run(42), run(42));
  const other = run(43);
  assert.notEqual(other.lower, run(42).lower);
  assert.equal(other.estimate, run(42).estimate);
});

test('the output for a seed is pinned: generator and sampler must not drift across machines', () => {
  const { encoded, positive } = goldenCase('paired_mcnemar');
  const r = bootstrapMetricDifference(
    encoded.truth,
    encoded.preds[0],
    encoded.preds[1],
    2,
    { name: 'accuracy' },
    { positive, seed: 2024, resamples: 500 },
  );
  assert.equal(r.method, 'multinomial');
  assert.ok(Math.abs(r.estimate - 0.04) < 1e-15);
  assert.deepEqual([r.lower, r.upper, r.samples.mean, r.samples.std], PINNED_PAIRED_MCNEMAR_2024);
});

test('the interval contains the full-data estimate, for every metric on a golden case', () => {
  const { encoded, positive } = goldenCase('binary_spam_ham');
  const [base, ft] = encoded.preds;
  const full = {
    base: binaryClassificationMetrics(encoded.truth, base, encoded.labels, positive as number),
    ft: binaryClassificationMetrics(encoded.truth, ft, encoded.labels, positive as number),
  };
  const specs: [MetricSpec, number][] = [
    [{ name: 'accuracy' }, full.ft.accuracy - full.base.accuracy],
    [{ name: 'precision' }, full.ft.precision - full.base.precision],
    [{ name: 'recall' }, full.ft.recall - full.base.recall],
    [{ name: 'f1' }, full.ft.f1 - full.base.f1],
    [{ name: 'fbeta', beta: 2 }, full.ft.f2 - full.base.f2],
    [{ name: 'specificity' }, full.ft.specificity - full.base.specificity],
    [{ name: 'mcc' }, full.ft.mcc - full.base.mcc],
    [{ name: 'balanced_accuracy' }, full.ft.balancedAccuracy - full.base.balancedAccuracy],
    [{ name: 'f1', average: 'macro' }, full.ft.macro.f1 - full.base.macro.f1],
  ];
  for (const [spec, estimate] of specs) {
    const r = bootstrapMetricDifference(encoded.truth, base, ft, 2, spec, { positive, seed: 1 });
    assert.ok(Math.abs(r.estimate - estimate) < 1e-15, `${spec.name}: estimate`);
    assert.ok(r.lower < r.estimate && r.estimate < r.upper, `${spec.name}: ${JSON.stringify(r)}`);
    assert.ok(r.lower < r.samples.mean && r.samples.mean < r.upper, `${spec.name}: mean`);
  }
});

test('multiclass: macro F1 difference, estimate from the full results', () => {
  const { encoded } = goldenCase('multiclass_intent_4');
  const [base, ft] = encoded.preds;
  const k = encoded.labels.length;
  const r = bootstrapMetricDifference(encoded.truth, base, ft, k, { name: 'f1' }, { seed: 5 });
  const fullBase = multiclassClassificationMetrics(encoded.truth, base, encoded.labels);
  const fullFt = multiclassClassificationMetrics(encoded.truth, ft, encoded.labels);
  assert.ok(Math.abs(r.estimate - (fullFt.macro.f1 - fullBase.macro.f1)) < 1e-15);
  assert.ok(r.lower < r.estimate && r.estimate < r.upper);
  assert.equal(r.method, 'multinomial');
});

/** Two bootstrap distributions agree when mean, spread and both bounds are close. */
function assertAgree(a: ReturnType<typeof bootstrapMetricDifference>, b: typeof a): void {
  const sd = a.samples.std;
  const what = `${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  // With 4000 resamples the mean's Monte Carlo error is sd/63; quantiles' about 2.5 times that.
  assert.ok(Math.abs(a.samples.mean - b.samples.mean) < 0.1 * sd, `mean: ${what}`);
  assert.ok(Math.abs(a.samples.std / b.samples.std - 1) < 0.08, `std: ${what}`);
  assert.ok(Math.abs(a.lower - b.lower) < 0.25 * sd, `lower: ${what}`);
  assert.ok(Math.abs(a.upper - b.upper) < 0.25 * sd, `upper: ${what}`);
}

test('the multinomial fast path agrees with resampling rows (binary F1 and MCC)', () => {
  const { truth, base, ft } = synthetic(1500, 11);
  for (const spec of [{ name: 'f1' }, { name: 'mcc' }] as MetricSpec[]) {
    const options = { positive: 1, resamples: 4000 };
    const fast = bootstrapMetricDifference(truth, base, ft, 2, spec, { ...options, seed: 1 });
    const rows = bootstrapMetricDifference(truth, base, ft, 2, spec, {
      ...options,
      seed: 2,
      method: 'rows',
    });
    assert.equal(fast.method, 'multinomial');
    assert.equal(rows.method, 'rows');
    assert.equal(fast.estimate, rows.estimate);
    assertAgree(fast, rows);
  }
});

test('the multinomial path agrees with resampling rows (multiclass macro recall)', () => {
  const { encoded } = goldenCase('multiclass_class_never_predicted');
  const [base, ft] = encoded.preds;
  const k = encoded.labels.length;
  const spec: MetricSpec = { name: 'recall', average: 'macro' };
  const fast = bootstrapMetricDifference(encoded.truth, base, ft, k, spec, {
    resamples: 4000,
    seed: 3,
  });
  const rows = bootstrapMetricDifference(encoded.truth, base, ft, k, spec, {
    resamples: 4000,
    seed: 4,
    method: 'rows',
  });
  assertAgree(fast, rows);
});

test('resamples where a metric is undefined are counted and left out', () => {
  // One positive row in ten; base always predicts 0. Without that row, kappa is 0/0 for base.
  const truth = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  const base = new Int32Array(10);
  const r = bootstrapMetricDifference(
    truth,
    base,
    truth,
    2,
    { name: 'cohen_kappa' },
    {
      positive: 1,
      seed: 9,
    },
  );
  // P(a resample misses the row) = 0.9^10 ≈ 0.349.
  assert.ok(r.undefinedResamples > 300 && r.undefinedResamples < 400, `${r.undefinedResamples}`);
  assert.equal(r.samples.mean, 1); // base kappa 0 whenever defined; fine-tuned is perfect
});

test('progress is reported up to the total, and cancelling stops the run', () => {
  const { truth, base, ft } = synthetic(1000, 3);
  const seen: number[] = [];
  bootstrapMetricDifference(
    truth,
    base,
    ft,
    2,
    { name: 'accuracy' },
    {
      positive: 1,
      resamples: 1000,
      onProgress: (done, total) => {
        assert.equal(total, 1000);
        seen.push(done);
      },
    },
  );
  assert.equal(seen.length, 100);
  assert.equal(seen[seen.length - 1], 1000);
  assert.ok(seen.every((d, i) => i === 0 || d > seen[i - 1]));

  const token = { cancelled: false };
  let calls = 0;
  assert.throws(
    () =>
      bootstrapMetricDifference(
        truth,
        base,
        ft,
        2,
        { name: 'accuracy' },
        {
          positive: 1,
          cancel: token,
          method: 'rows',
          onProgress: () => {
            calls++;
            token.cancelled = true;
          },
        },
      ),
    (e: unknown) => e instanceof EngineError && e.code === 'interrupted',
  );
  assert.equal(calls, 1);
});

test('bad options are refused', () => {
  const t = Int32Array.from([0, 1]);
  const bad = (e: unknown) => e instanceof EngineError && e.code === 'bad-argument';
  const f1: MetricSpec = { name: 'f1' };
  assert.throws(() => bootstrapMetricDifference(t, t, t, 2, f1, { resamples: 0 }), bad);
  assert.throws(() => bootstrapMetricDifference(t, t, t, 2, f1, { confidence: 1 }), bad);
  assert.throws(() => bootstrapMetricDifference(t, t, t, 2, f1, { positive: 2 }), bad);
  assert.throws(
    () => bootstrapMetricDifference(new Int32Array(), new Int32Array(), new Int32Array(), 2, f1),
    bad,
  );
  assert.throws(
    () => bootstrapMetricDifference(t, Int32Array.from([0]), t, 2, f1),
    (e: unknown) => e instanceof EngineError && e.code === 'length-mismatch',
  );
});

test('binary predictions on 100 000 rows take the multinomial fast path (timings live in the bench)', () => {
  const { truth, base, ft } = synthetic(100_000, 1);
  const result = bootstrapMetricDifference(
    truth,
    base,
    ft,
    2,
    { name: 'f1' },
    { positive: 1, seed: 42 },
  );
  assert.equal(result.method, 'multinomial');
  assert.equal(result.resamples, 1000);
});

// ----------------------------------------------------------------------------------------
// The binomial sampler

test('binomial sampler: degenerate cases', () => {
  const rng = new Rng(1);
  for (let i = 0; i < 100; i++) {
    assert.equal(sampleBinomial(rng, 0, 0.3), 0);
    assert.equal(sampleBinomial(rng, 17, 0), 0);
    assert.equal(sampleBinomial(rng, 17, 1), 17);
  }
});

test('binomial sampler: mean and variance over many draws, p near 0 and 1 included', () => {
  const cases: [number, number][] = [
    [1, 0.5],
    [5, 0.01],
    [100, 0.001],
    [40, 0.25], // n·p = 10: the first case of the rejection method
    [50, 0.19], // n·p just below 10: inversion
    [1000, 0.999],
    [1_000_000, 1e-7],
    [1_000_000, 0.3],
    [2_000_000_000, 0.5],
    [300, 0.97],
  ];
  const draws = 100_000;
  const rng = new Rng(12345);
  for (const [n, p] of cases) {
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < draws; i++) {
      const x = sampleBinomial(rng, n, p);
      assert.ok(Number.isInteger(x) && x >= 0 && x <= n);
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / draws;
    const variance = (sumSq - draws * mean * mean) / (draws - 1);
    const q = 1 - p;
    const sigma2 = n * p * q;
    const mu4 = sigma2 * (1 + 3 * (n - 2) * p * q);
    const meanTolerance = 5 * Math.sqrt(sigma2 / draws);
    // Var(s²) = μ4/N − σ⁴(N − 3)/(N(N − 1)), exactly, for N independent draws.
    const varianceOfVariance =
      mu4 / draws - (sigma2 * sigma2 * (draws - 3)) / (draws * (draws - 1));
    const varianceTolerance = 5 * Math.sqrt(varianceOfVariance);
    assert.ok(Math.abs(mean - n * p) < meanTolerance, `n=${n} p=${p}: mean ${mean} vs ${n * p}`);
    assert.ok(
      Math.abs(variance - sigma2) < varianceTolerance,
      `n=${n} p=${p}: variance ${variance} vs ${sigma2} (±${varianceTolerance})`,
    );
  }
});

/** Wilson–Hilferty: the chi-square quantile with `df` degrees of freedom at normal z. */
function chiSquareQuantile(df: number, z: number): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

test('binomial sampler: the whole distribution fits the exact pmf (chi-square test)', () => {
  const cases: [number, number][] = [
    [30, 0.2], // inversion
    [60, 0.9], // inversion via symmetry
    [25, 0.4], // rejection at n·p = 10
    [200, 0.3], // rejection
    [5000, 0.5], // rejection, wide
  ];
  const draws = 200_000;
  const rng = new Rng(777);
  for (const [n, p] of cases) {
    const counts = new Float64Array(n + 1);
    for (let i = 0; i < draws; i++) counts[sampleBinomial(rng, n, p)]++;
    // Merge outcomes into bins with at least 20 expected draws (the tail into the last bin).
    const observed: number[] = [];
    const expected: number[] = [];
    let o = 0;
    let e = 0;
    for (let x = 0; x <= n; x++) {
      o += counts[x];
      e += draws * binomialPmf(x, n, p);
      if (e >= 20) {
        observed.push(o);
        expected.push(e);
        o = 0;
        e = 0;
      }
    }
    observed[observed.length - 1] += o;
    expected[expected.length - 1] += e;
    const bins = observed.length;
    let statistic = 0;
    for (let b = 0; b < bins; b++) statistic += (observed[b] - expected[b]) ** 2 / expected[b];
    const critical = chiSquareQuantile(bins - 1, 3.719); // upper 1e-4 point
    assert.ok(
      statistic < critical,
      `n=${n} p=${p}: chi2 ${statistic} over ${bins} bins > ${critical}`,
    );
  }
});

// lower, upper, mean, std. The spread agrees with theory: the sd of a paired accuracy
// difference is sqrt(b + c − (b − c)²/n) / n = sqrt(29.52) / 300 ≈ 0.0181.
const PINNED_PAIRED_MCNEMAR_2024 = [
  0.00666666666666671, 0.07333333333333336, 0.04088666666666668, 0.017433668544835794,
];

test('many distinct label triples (more than a call takes arguments) bootstrap by rows', () => {
  const n = 300_000;
  const k = 100;
  const truth = Int32Array.from({ length: n }, (_, i) => i % k);
  const base = Int32Array.from({ length: n }, (_, i) => Math.floor(i / k) % k);
  const ft = Int32Array.from({ length: n }, (_, i) => Math.floor(i / (k * k)) % k);
  let baseHits = 0;
  let ftHits = 0;
  for (let i = 0; i < n; i++) {
    if (truth[i] === base[i]) baseHits++;
    if (truth[i] === ft[i]) ftHits++;
  }
  const result = bootstrapMetricDifference(
    truth,
    base,
    ft,
    k,
    { name: 'accuracy' },
    { resamples: 5 },
  );
  assert.equal(result.method, 'rows');
  assert.equal(result.base, baseHits / n);
  assert.equal(result.finetuned, ftHits / n);
  assert.equal(result.resamples, 5);
});
