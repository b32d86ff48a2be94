// The bench's judging: speedups against targets, agreement of figures, peak memory and the
// kernel table, from made-up measurements (no timing is measured here).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AGREEMENT_RULES,
  checkAgreement,
  compareStep,
  kernelTable,
  peakMemory,
  STEP_TARGETS,
  summarizeTargets,
  summaryText,
  type StepMeasurement,
} from '../../bench/compare.js';
import type { KernelFigures, KernelMeasurement } from '../../bench/kernel.js';
import { BENCH_STEPS } from '../../bench/steps.js';

function measurement(
  seconds: number,
  peakRssMb: number,
  figures: StepMeasurement['figures'] = {},
): StepMeasurement {
  return {
    seconds,
    seconds_all: [seconds, seconds * 2],
    cpu_seconds: seconds / 2,
    warm_seconds: seconds / 4,
    warm_cpu_seconds: seconds / 8,
    warm_runs: [5, 5],
    setup_seconds: 1,
    peak_rss_mb: peakRssMb,
    rss_baseline_mb: 50,
    figures,
  };
}

test('every step with a target or agreement rules is a bench step', () => {
  const names = BENCH_STEPS.map((s) => s.name);
  for (const name of [...Object.keys(STEP_TARGETS), ...Object.keys(AGREEMENT_RULES)]) {
    assert.ok(names.includes(name), `${name} is not in BENCH_STEPS`);
  }
});

test('speedup is reference / evalbook to three digits, and the target is judged on it', () => {
  const met = compareStep('classification-10m', 'd', measurement(0.4, 900), measurement(30, 1500));
  assert.equal(met.speedup, 75);
  assert.equal(met.cpu_speedup, 75);
  assert.equal(met.warm_speedup, 75);
  assert.equal(met.target, '≥ 50× faster than scikit-learn');
  assert.equal(met.met, true);
  assert.equal(met.reference_tool?.startsWith('sklearn accuracy_score'), true);

  const missed = compareStep('bootstrap-100k', 'd', measurement(0.03, 140), measurement(0.9, 170));
  assert.equal(missed.speedup, 30);
  assert.equal(missed.met, false);

  const loadSlower = compareStep('load-1m-csv', 'd', measurement(0.7, 1), measurement(0.6, 1));
  assert.equal(loadSlower.speedup, 0.857);
  assert.equal(loadSlower.met, false);
});

test('a step without a target, or without a reference, is not judged', () => {
  const noTarget = compareStep('load-10m-csv', 'd', measurement(5, 900), measurement(7, 1700));
  assert.equal(noTarget.target, null);
  assert.equal(noTarget.met, null);
  assert.equal(noTarget.speedup, 1.4);

  const noReference = compareStep('curves-10m', 'd', measurement(1, 900), {
    unavailable: 'no sklearn',
  });
  assert.equal(noReference.speedup, null);
  assert.equal(noReference.met, null);
  assert.equal(noReference.agreement, null);
  assert.equal(noReference.target, '≥ 10× faster than scikit-learn');
});

test('figures agree within their tolerance; a missing or textual figure disagrees', () => {
  const rules = { exact: { abs: 0 }, metric: { abs: 1e-9 }, sum: { abs: 0, rel: 1e-9 } };
  const close = checkAgreement(
    rules,
    { exact: 7, metric: 0.5 + 5e-10, sum: 1000 + 5e-7 },
    { exact: 7, metric: 0.5, sum: 1000 },
  );
  assert.equal(close.agrees, true);
  assert.equal(close.figures.exact.difference, 0);

  const far = checkAgreement(
    rules,
    { exact: 8, metric: 0.5 + 2e-9, sum: 1000 + 2e-6 },
    { exact: 7, metric: 0.5, sum: 1000 },
  );
  assert.equal(far.agrees, false);
  assert.deepEqual(
    Object.entries(far.figures).map(([name, f]) => [name, f.agrees]),
    [
      ['exact', false],
      ['metric', false],
      ['sum', false],
    ],
  );

  const missing = checkAgreement({ f1: { abs: 1 } }, { f1: 'x' }, {});
  assert.equal(missing.figures.f1.evalbook, 'x');
  assert.equal(missing.figures.f1.reference, null);
  assert.equal(missing.figures.f1.difference, null);
  assert.equal(missing.agrees, false);
});

test('bootstrap interval ends may differ by Monte Carlo error, the estimate may not', () => {
  const ours = {
    rows: 100000,
    resamples: 1000,
    base_f1: 0.63,
    ft_f1: 0.78,
    f1_difference: 0.15,
    lower: 0.1467,
    upper: 0.156,
  };
  const theirs = { ...ours, lower: 0.147, upper: 0.1567 };
  const step = compareStep(
    'bootstrap-100k',
    'd',
    measurement(1, 1, ours),
    measurement(9, 1, theirs),
  );
  assert.equal(step.agreement?.agrees, true);
  const off = compareStep(
    'bootstrap-100k',
    'd',
    measurement(1, 1, { ...ours, f1_difference: 0.15 + 1e-6 }),
    measurement(9, 1, theirs),
  );
  assert.equal(off.agreement?.agrees, false);
  assert.equal(off.agreement?.figures.f1_difference.agrees, false);
});

test('peak memory is the largest over the 10M steps on each side, against 1.2e9 bytes', () => {
  const steps = {
    'load-10m-csv': compareStep('load-10m-csv', 'd', measurement(5, 899), measurement(7, 1700)),
    'curves-10m': compareStep('curves-10m', 'd', measurement(1, 1100), measurement(9, 1500)),
    'bootstrap-100k': compareStep('bootstrap-100k', 'd', measurement(1, 5000), measurement(9, 1)),
  };
  const memory = peakMemory(steps, ['load-10m-csv', 'curves-10m']);
  assert.deepEqual(memory, {
    evalbook_mb: 1100,
    evalbook_step: 'curves-10m',
    reference_mb: 1700,
    reference_step: 'load-10m-csv',
    target: '≤ 1.2 GB (1144 MiB)',
    met: true,
  });
  const over = peakMemory(
    { a: compareStep('a', 'd', measurement(1, 1145), { unavailable: 'x' }) },
    ['a'],
  );
  assert.equal(over.met, false);
  assert.equal(over.reference_mb, null);
  assert.equal(peakMemory({}, ['a']).met, null);
});

function kernelMeasurement(coldMs: number, p50: number, p99: number, rss: number) {
  return {
    cold_start_ms: {
      own_client: { median: coldMs - 100, runs: [coldMs - 100] },
      jupyter_client: { median: coldMs, runs: [coldMs] },
    },
    trivial_cell_round_trip_ms: { p50, p99, cells: 200, p50_all: [p50], p99_all: [p99] },
    peak_rss_mib_after_cells: rss,
  } satisfies KernelMeasurement;
}

test('the kernel table judges the real kernel; cold start as jupyter_client sees it', () => {
  const figures: KernelFigures = {
    evalbook: kernelMeasurement(450, 1.5, 9.5, 83),
    evalbook_protocol_only: kernelMeasurement(300, 1, 5, 72),
    ipykernel: kernelMeasurement(700, 7, 17, 69),
    trivial_cells: {},
    repeat: 1,
    machine: { node: 'v20', cpus: 2 },
  };
  const table = kernelTable(figures);
  assert.deepEqual(table.cold_start_s, {
    unit: 's',
    evalbook: 0.45,
    evalbook_protocol_only: 0.3,
    ipykernel: 0.7,
    target: '≤ 0.5 s',
    met: true,
  });
  assert.equal(table.round_trip_p50_ms.met, true);
  assert.equal(table.round_trip_p99_ms.met, false);
  assert.equal(table.round_trip_p99_ms.evalbook_protocol_only, 5);
  assert.equal(table.peak_rss_mib.met, true);

  const ownClientOnly = kernelTable({
    ...figures,
    evalbook: {
      ...figures.evalbook,
      cold_start_ms: {
        own_client: { median: 520, runs: [520] },
        jupyter_client: 'python3 with jupyter_client not found',
      },
    },
    ipykernel: 'not measured',
  });
  assert.equal(ownClientOnly.cold_start_s.evalbook, 0.52);
  assert.equal(ownClientOnly.cold_start_s.met, false);
  assert.equal(ownClientOnly.cold_start_s.ipykernel, null);
});

test('the summary lists every target once, and the text table shows the verdicts', () => {
  const agreeing = { rows: 1, columns: 7, ft_score_row_1: 0.5, ft_score_sum: 10 };
  const steps = {
    'load-1m-csv': compareStep(
      'load-1m-csv',
      'd',
      measurement(0.4, 140, agreeing),
      measurement(0.8, 170, agreeing),
    ),
    'bootstrap-100k': compareStep('bootstrap-100k', 'd', measurement(0.03, 140), {
      error: 'boom',
    }),
  };
  const memory = peakMemory(steps, []);
  const targets = summarizeTargets(steps, memory, null);
  assert.deepEqual(targets.met, ['load-1m-csv: no slower than pandas.read_csv']);
  assert.deepEqual(targets.missed, []);
  assert.deepEqual(targets.not_measured, [
    'bootstrap-100k: ≥ 100× faster than numpy',
    'peak memory, 10M rows: ≤ 1.2 GB (1144 MiB)',
    'kernel cold_start_s: ≤ 0.5 s',
    'kernel round_trip_p50_ms: ≤ 4 ms',
    'kernel round_trip_p99_ms: ≤ 9 ms',
    'kernel peak_rss_mib: ≤ 100 MiB',
  ]);
  assert.equal(targets.numbers_agree, true);

  const text = summaryText(steps, memory, null, targets);
  assert.equal(
    text,
    [
      'step                evalbook  reference  speedup  warm  target                          met',
      'load-1m-csv         0.4 s     0.8 s      2×       2×    no slower than pandas.read_csv  yes',
      'bootstrap-100k      0.03 s    failed     —        —     ≥ 100× faster than numpy        —',
      'peak RSS, 10M rows  —         —                         ≤ 1.2 GB (1144 MiB)             —',
      '',
      'numbers: Evalbook and the reference agree on all 4 figures checked',
      'targets: 1 met, 0 missed, 6 not measured',
      '',
    ].join('\n'),
  );
});
