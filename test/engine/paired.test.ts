import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeLabels } from '../../engine/labels.js';
import { binomialCdf, binomialPmf } from '../../engine/stats/binomial.js';
import {
  mcnemarChiSquareCorrected,
  mcnemarExactP,
  pairedComparison,
} from '../../engine/stats/paired.js';
import { chiSquare1Survival, erfc } from '../../engine/stats/special.js';
import { column, readCsv, valuesAt } from '../helpers/csv.js';
import { assertGolden, goldenCases, goldenPath, readExpected } from '../helpers/golden.js';
import { toGoldenKeys } from '../helpers/keys.js';

function close(actual: number, expected: number, relative: number, what = ''): void {
  const diff = Math.abs(actual - expected);
  assert.ok(
    diff <= relative * Math.abs(expected),
    `${what}: ${actual} vs ${expected} (relative ${diff / Math.abs(expected)})`,
  );
}

const pairedCases = goldenCases((expected) => expected.paired !== undefined);

test('every binary and multiclass golden case has a paired section', () => {
  assert.equal(pairedCases.length, 14);
});

for (const name of pairedCases) {
  test(`golden paired comparison: ${name}`, () => {
    const expected = readExpected(name);
    const table = readCsv(goldenPath(name));
    const encoded = encodeLabels(column(table, expected.label_column), [
      column(table, expected.prediction_columns.base),
      column(table, expected.prediction_columns.ft),
    ]);
    const result = pairedComparison(encoded.truth, encoded.preds[0], encoded.preds[1]);
    const ids = column(table, 'id');
    const actual = {
      ...(toGoldenKeys(result) as object),
      fixed_ids: valuesAt(ids, result.fixedRows),
      broken_ids: valuesAt(ids, result.brokenRows),
    };
    assertGolden(actual, expected.paired, `${name}.paired`);
  });
}

test('paired_mcnemar: 21 fixed, 9 broken', () => {
  const p = readExpected('paired_mcnemar').paired;
  assert.equal(p.fixed, 21);
  assert.equal(p.broken, 9);
  close(mcnemarExactP(9, 21), p.mcnemar_exact_p, 1e-13, 'p');
});

/** 2 · Σ_{i ≤ min(b,c)} C(b + c, i) / 2^(b+c), exactly in integers, then rounded once. */
function exactMcNemar(b: number, c: number): number {
  const n = BigInt(b + c);
  const m = BigInt(Math.min(b, c));
  let binomial = 1n;
  let sum = 0n;
  for (let i = 0n; i <= m; i++) {
    sum += binomial;
    binomial = (binomial * (n - i)) / (i + 1n);
  }
  const scale = 10n ** 60n;
  const scaled = (2n * sum * scale) / 2n ** n;
  return Math.min(1, Number(scaled) / 1e60);
}

test('McNemar exact p equals exact rational arithmetic', () => {
  const pairs: [number, number][] = [
    [0, 1],
    [1, 0],
    [0, 5],
    [5, 5],
    [9, 21],
    [20, 5],
    [37, 12],
    [100, 140],
    [480, 520],
    [3, 2997],
    [1490, 1510],
  ];
  for (const [b, c] of pairs) close(mcnemarExactP(b, c), exactMcNemar(b, c), 1e-12, `${b},${c}`);
  assert.equal(mcnemarExactP(0, 0), 1);
});

test('McNemar exact p stays accurate for a million discordant rows (scipy reference)', () => {
  close(mcnemarExactP(499000, 501000), 0.0456082998653896, 1e-10, '499000,501000');
  close(mcnemarExactP(101000, 100000), 0.02586239243973295, 1e-10, '101000,100000');
  close(mcnemarExactP(4900, 5100), 0.04658552770494645, 1e-11, '4900,5100');
  close(mcnemarExactP(1000, 1100), 0.03072070786424249, 1e-11, '1000,1100');
  assert.equal(mcnemarExactP(3, 400000), 0); // far below the smallest double
  assert.equal(mcnemarExactP(500000, 500000), 1);
});

test('McNemar chi-square with continuity correction', () => {
  const r = mcnemarChiSquareCorrected(5, 20);
  assert.equal(r.statistic, 7.84);
  close(r.pValue as number, 0.005110260660855866, 1e-14, 'p');
  assert.deepEqual(mcnemarChiSquareCorrected(0, 0), { statistic: null, pValue: null });
  assert.deepEqual(mcnemarChiSquareCorrected(1, 0), { statistic: 0, pValue: 1 });
});

test('erfc matches reference values to 1e-14 relative, tails included', () => {
  const reference: [number, number][] = [
    [0, 1],
    [0.1, 0.8875370839817152],
    [0.4999, 0.4795880048386134],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2, 0.004677734981047266],
    [3, 2.2090496998585438e-5],
    [5, 1.5374597944280349e-12],
    [10, 2.088487583762545e-45],
    [20, 5.3958656116079005e-176],
    [26, 5.663192408856143e-296],
    [-1, 1.842700792949715],
    [-3, 1.9999779095030015],
  ];
  for (const [x, v] of reference) close(erfc(x), v, 1e-14, `erfc(${x})`);
  assert.equal(erfc(30), 0);
  assert.ok(Number.isNaN(erfc(NaN)));
});

test('chi-square(1) survival function (scipy reference)', () => {
  const reference: [number, number][] = [
    [0.5, 0.47950012218695337],
    [3.84, 0.05004352124870519],
    [7.84, 0.005110260660855866],
    [30, 4.3204630578274955e-8],
    [100, 1.5239706048320995e-23],
  ];
  for (const [x, v] of reference) close(chiSquare1Survival(x), v, 1e-13, `sf(${x})`);
  assert.equal(chiSquare1Survival(0), 1);
});

test('binomial pmf and cdf agree with exact sums and scipy', () => {
  // Exact: Binomial(10, 0.5) has pmf C(10, k) / 1024.
  const c10 = [1, 10, 45, 120, 210, 252, 210, 120, 45, 10, 1];
  let cumulative = 0;
  c10.forEach((c, k) => {
    cumulative += c;
    close(binomialPmf(k, 10, 0.5), c / 1024, 1e-14, `pmf(${k})`);
    close(binomialCdf(k, 10, 0.5), cumulative / 1024, 1e-14, `cdf(${k})`);
  });
  close(binomialCdf(3, 100, 0.3), 4.425285341991663e-12, 1e-12, 'cdf(3; 100, 0.3)');
  close(binomialCdf(40, 100, 0.3), 0.9875015928335618, 1e-14, 'cdf(40; 100, 0.3)');
  close(binomialPmf(10, 10000, 0.001), 0.1251726366502389, 1e-13, 'pmf(10; 10000, 0.001)');
  assert.equal(binomialCdf(-1, 5, 0.5), 0);
  assert.equal(binomialCdf(5, 5, 0.5), 1);
  assert.equal(binomialPmf(0, 0, 0.5), 1);
  assert.equal(binomialPmf(0, 7, 0), 1);
  assert.equal(binomialPmf(7, 7, 1), 1);
});

test('a paired comparison by hand, and fixed/broken swap with the models', () => {
  const truth = Int32Array.from([0, 1, 1, 0, 1, 0]);
  const base = Int32Array.from([0, 0, 1, 1, 1, 1]);
  const ft = Int32Array.from([0, 1, 0, 0, 1, 1]);
  const r = pairedComparison(truth, base, ft);
  assert.deepEqual(
    [r.bothCorrect, r.bothWrong, r.fixed, r.broken, r.baseCorrect, r.ftCorrect],
    [2, 1, 2, 1, 3, 4],
  );
  assert.deepEqual(Array.from(r.fixedRows), [1, 3]);
  assert.deepEqual(Array.from(r.brokenRows), [2]);
  assert.equal(r.accuracyDelta, 4 / 6 - 3 / 6);
  const swapped = pairedComparison(truth, ft, base);
  assert.deepEqual(Array.from(swapped.fixedRows), [2]);
  assert.deepEqual(Array.from(swapped.brokenRows), [1, 3]);
  assert.equal(swapped.mcnemarExactP, r.mcnemarExactP);
});
