import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../../engine/random.js';
import { bleuCorpusStats } from '../../../engine/text/bleu.js';
import { CHRF_PLUS_PLUS, chrfCorpusStats } from '../../../engine/text/chrf.js';
import {
  bleuMetric,
  chrfMetric,
  drawBootstrapIndices,
  drawRandomizationSwaps,
  numpySum,
  pairedBootstrap,
  pairedRandomization,
  terMetric,
  type PairedMetric,
} from '../../../engine/text/sacrebleu-paired.js';
import { packStats, type SentenceStats } from '../../../engine/text/sufficient-stats.js';
import { terCorpusStats } from '../../../engine/text/ter.js';
import {
  assertClose,
  mtCaseNames,
  outputs,
  readBootstrapDraws,
  readMtCase,
  readRandomizationDraws,
  references,
  type MtCase,
} from './mt-golden.js';

interface MetricSetup {
  readonly metric: PairedMetric;
  stats(hyps: string[], refs: string[][]): SentenceStats;
}

/** The metrics of sacrebleu's PairedTest under their names in the fixture. */
const METRICS: Record<string, MetricSetup> = {
  BLEU: { metric: bleuMetric(), stats: (h, r) => bleuCorpusStats(h, r) },
  chrF2: { metric: chrfMetric(), stats: (h, r) => chrfCorpusStats(h, r) },
  'chrF2++': {
    metric: chrfMetric(CHRF_PLUS_PLUS),
    stats: (h, r) => chrfCorpusStats(h, r, CHRF_PLUS_PLUS),
  },
  TER: { metric: terMetric(), stats: (h, r) => terCorpusStats(h, r) },
};

function pairStats(c: MtCase, setup: MetricSetup): { base: SentenceStats; ft: SentenceStats } {
  const refs = references(c);
  return { base: setup.stats(outputs(c, 'base'), refs), ft: setup.stats(outputs(c, 'ft'), refs) };
}

const pairedCases = mtCaseNames().filter((name) => readMtCase(name).expected.kind === 'mt_paired');

test('the paired golden cases are found and name the four metrics', () => {
  assert.deepEqual(pairedCases, ['identical_outputs', 'mt_paired_significance']);
  for (const name of pairedCases) {
    const sig = readMtCase(name).expected.significance;
    assert.deepEqual(sig.metrics, Object.keys(METRICS));
    assert.equal(sig.baseline, 'base');
    assert.equal(sig.system, 'ft');
  }
});

for (const name of pairedCases) {
  const c = readMtCase(name);
  const bs = c.expected.significance.paired_bs;
  const ar = c.expected.significance.paired_ar;

  test(`golden paired bootstrap, sacrebleu's draws replayed: ${name}`, () => {
    const draws = readBootstrapDraws(name);
    assert.equal(draws.samples, bs.n_samples);
    assert.equal(draws.n, c.expected.n);
    for (const [metricName, setup] of Object.entries(METRICS)) {
      const expected = bs.results[metricName];
      const { base, ft } = pairStats(c, setup);
      const got = pairedBootstrap(base, ft, setup.metric, draws);
      assert.equal(got.metric, metricName);
      assertClose(got.baselineScore, expected.baseline_score, `${metricName}.baseline_score`);
      assertClose(got.systemScore, expected.system_score, `${metricName}.system_score`);
      assertClose(
        got.observedDifference,
        expected.observed_difference,
        `${metricName}.observed_difference`,
      );
      assert.equal(got.pValue, expected.p_value, `${metricName}.p_value`);
      assertClose(got.baselineMean, expected.baseline_mean, `${metricName}.baseline_mean`);
      assertClose(got.baselineCi, expected.baseline_ci, `${metricName}.baseline_ci`);
      assertClose(got.systemMean, expected.system_mean, `${metricName}.system_mean`);
      assertClose(got.systemCi, expected.system_ci, `${metricName}.system_ci`);
      // The same values as replay_float32_divisions, and without float32 those of replay_float64.
      assertClose(got.systemMean, expected.replay_float32_divisions.system_mean);
      const wide = pairedBootstrap(base, ft, setup.metric, draws, { float32: false });
      const replay = expected.replay_float64;
      assert.equal(wide.pValue, replay.p_value, `${metricName}.replay_float64.p_value`);
      assertClose(
        wide.baselineMean,
        replay.baseline_mean,
        `${metricName}.replay_float64.baseline_mean`,
      );
      assertClose(wide.baselineCi, replay.baseline_ci, `${metricName}.replay_float64.baseline_ci`);
      assertClose(wide.systemMean, replay.system_mean, `${metricName}.replay_float64.system_mean`);
      assertClose(wide.systemCi, replay.system_ci, `${metricName}.replay_float64.system_ci`);
    }
  });

  test(`golden paired approximate randomization, sacrebleu's draws replayed: ${name}`, () => {
    const draws = readRandomizationDraws(name);
    assert.equal(draws.trials, ar.n_samples);
    assert.equal(draws.n, c.expected.n);
    for (const [metricName, setup] of Object.entries(METRICS)) {
      const expected = ar.results[metricName];
      const { base, ft } = pairStats(c, setup);
      const got = pairedRandomization(base, ft, setup.metric, draws);
      assertClose(got.baselineScore, expected.baseline_score, `${metricName}.baseline_score`);
      assertClose(got.systemScore, expected.system_score, `${metricName}.system_score`);
      assertClose(
        got.observedDifference,
        expected.observed_difference,
        `${metricName}.observed_difference`,
      );
      assert.equal(got.pValue, expected.p_value, `${metricName}.p_value`);
      assert.equal(
        got.pValue,
        expected.replay_float64.p_value,
        `${metricName}.replay_float64.p_value`,
      );
    }
  });

  test(`paired tests with Evalbook's own generator land in the p-value bands: ${name}`, () => {
    for (const [metricName, setup] of Object.entries(METRICS)) {
      const { base, ft } = pairStats(c, setup);
      const bsBand: [number, number] = bs.results[metricName].p_value_band;
      const arBand: [number, number] = ar.results[metricName].p_value_band;
      const p1 = pairedBootstrap(
        base,
        ft,
        setup.metric,
        drawBootstrapIndices(new Rng(7), bs.n_samples, base.rows),
      ).pValue;
      assert.ok(
        p1 >= bsBand[0] && p1 <= bsBand[1],
        `${metricName} bootstrap p ${p1} outside [${bsBand}]`,
      );
      const p2 = pairedRandomization(
        base,
        ft,
        setup.metric,
        drawRandomizationSwaps(new Rng(7), ar.n_samples, base.rows),
      ).pValue;
      assert.ok(
        p2 >= arBand[0] && p2 <= arBand[1],
        `${metricName} randomization p ${p2} outside [${arBand}]`,
      );
    }
  });
}

test('identical systems give the smallest p-value: no resampled difference exceeds zero', () => {
  const stats = packStats(
    [
      [5, 4, 3, 2, 1, 0, 5, 4, 3, 2],
      [7, 8, 6, 4, 2, 1, 7, 6, 5, 4],
    ],
    10,
  );
  const p = pairedRandomization(
    stats,
    stats,
    bleuMetric(),
    drawRandomizationSwaps(new Rng(1), 99, 2),
  ).pValue;
  assert.equal(p, 1 / 100);
  const q = pairedBootstrap(
    stats,
    stats,
    bleuMetric(),
    drawBootstrapIndices(new Rng(1), 99, 2),
  ).pValue;
  assert.equal(q, 1 / 100);
});

test('one sentence: every resample equals the corpus, so nothing exceeds the observed difference', () => {
  const base = packStats([[3, 10]], 2);
  const sys = packStats([[1, 10]], 2);
  const ar = pairedRandomization(base, sys, terMetric(), drawRandomizationSwaps(new Rng(3), 50, 1));
  assert.equal(ar.observedDifference, 20);
  assert.equal(ar.pValue, 1 / 51);
  const bs = pairedBootstrap(base, sys, terMetric(), drawBootstrapIndices(new Rng(3), 50, 1));
  assert.equal(bs.pValue, 1 / 51);
  assert.equal(bs.systemCi, 0);
});

test("Evalbook's draws: indices in range and roughly uniform, swaps fair coins, both seeded", () => {
  const a = drawBootstrapIndices(new Rng(42), 200, 10);
  assert.deepEqual(a, drawBootstrapIndices(new Rng(42), 200, 10));
  const counts = new Array<number>(10).fill(0);
  a.indices.forEach((i) => counts[i]++);
  for (const c of counts) assert.ok(c > 140 && c < 260, `${counts}`);
  const s = drawRandomizationSwaps(new Rng(42), 100, 37);
  const ones = s.swaps.reduce((t, v) => t + v, 0);
  assert.ok(ones > 1700 && ones < 2000, `${ones}`);
  assert.ok(s.swaps.every((v) => v === 0 || v === 1));
});

test("numpy's pairwise sum: exact on integers, the plain sum below eight values", () => {
  const a = Float64Array.from({ length: 1000 }, (_, i) => i);
  assert.equal(numpySum(a), 499500);
  assert.equal(numpySum(Float64Array.of(0.1, 0.2, 0.3)), 0.1 + 0.2 + 0.3);
});

test('paired tests reject mismatched inputs', () => {
  const two = packStats(
    [
      [1, 2],
      [3, 4],
    ],
    2,
  );
  const one = packStats([[1, 2]], 2);
  assert.throws(
    () => pairedBootstrap(two, one, terMetric(), drawBootstrapIndices(new Rng(1), 5, 2)),
    /statistics/,
  );
  assert.throws(
    () => pairedRandomization(two, two, terMetric(), drawRandomizationSwaps(new Rng(1), 5, 3)),
    /draws/,
  );
  assert.throws(
    () => pairedRandomization(two, two, bleuMetric(), drawRandomizationSwaps(new Rng(1), 5, 2)),
    /BLEU/,
  );
  assert.throws(() => drawBootstrapIndices(new Rng(1), 0, 2), /positive integer/);
});

/** The paired bootstrap written plainly: each resample's sums added row by row in float64. */
function plainBootstrap(
  base: SentenceStats,
  sys: SentenceStats,
  metric: PairedMetric,
  draws: ReturnType<typeof drawBootstrapIndices>,
): { p: number; baseMean: number; sysMean: number } {
  const observed = Math.abs(
    metric.score(sumRows(base, null), false) - metric.score(sumRows(sys, null), false),
  );
  const b = new Float64Array(draws.samples);
  const s = new Float64Array(draws.samples);
  for (let r = 0; r < draws.samples; r++) {
    const idx = draws.indices.subarray(r * draws.n, (r + 1) * draws.n);
    b[r] = metric.score(sumRows(base, idx), false);
    s[r] = metric.score(sumRows(sys, idx), false);
  }
  const d = b.map((v, r) => Math.abs(s[r] - v));
  const mean = numpySum(d) / d.length;
  const c = d.filter((v) => v - mean > observed).length;
  return {
    p: (c + 1) / (d.length + 1),
    baseMean: numpySum(b) / b.length,
    sysMean: numpySum(s) / s.length,
  };
}

function sumRows(stats: SentenceStats, idx: Int32Array | null): Float64Array {
  const out = new Float64Array(stats.width);
  const rows = idx ?? Int32Array.from({ length: stats.rows }, (_, i) => i);
  for (const i of rows)
    for (let k = 0; k < stats.width; k++) out[k] += stats.data[i * stats.width + k];
  return out;
}

test('paired bootstrap in float64: the packed sums of small integers and the plain sums agree', () => {
  const c = readMtCase('mt_paired_significance');
  const draws = drawBootstrapIndices(new Rng(11), 300, c.expected.n);
  for (const setup of Object.values(METRICS)) {
    const { base, ft } = pairStats(c, setup);
    const got = pairedBootstrap(base, ft, setup.metric, draws, { float32: false });
    const plain = plainBootstrap(base, ft, setup.metric, draws);
    assert.equal(got.pValue, plain.p, setup.metric.name);
    assert.equal(got.baselineMean, plain.baseMean, setup.metric.name);
    assert.equal(got.systemMean, plain.sysMean, setup.metric.name);
  }
  // Values too large to share a double take the unpacked path, with the same results.
  const big = packStats(
    [
      [2 ** 25, 2 ** 25 + 7],
      [5, 9],
      [1, 3],
    ],
    2,
  );
  const small = packStats(
    [
      [2 ** 25 - 3, 2 ** 25 + 7],
      [2, 9],
      [0, 3],
    ],
    2,
  );
  const d3 = drawBootstrapIndices(new Rng(5), 200, 3);
  const got = pairedBootstrap(big, small, terMetric(), d3, { float32: false });
  const plain = plainBootstrap(big, small, terMetric(), d3);
  assert.equal(got.pValue, plain.p);
  assert.equal(got.systemMean, plain.sysMean);
});
