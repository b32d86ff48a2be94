/**
 * Every integer clause has a documented range (docs/language.md, "Limits"), refused by the
 * checker — before anything runs or is allocated — with the range in the message and the
 * caret under the value; the ends of each range are accepted. The engine refuses the same
 * sizes on its own, and displaying a long table no longer spreads its rows into a call.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { textTable } from '../../display/table.js';
import { renderDiagnostic, type Diagnostic } from '../../dsl/diagnostics.js';
import { check, parse, runCell, Session } from '../../dsl/index.js';
import {
  BINS_RANGE,
  PATIENCE_RANGE,
  RESAMPLES_RANGE,
  SEED_RANGE,
  SHOW_LIMIT_RANGE,
  SPLIT_ROWS_RANGE,
} from '../../dsl/limits.js';
import { EngineError } from '../../engine/errors.js';
import { calibration } from '../../engine/metrics/calibration.js';
import { bootstrapMetricDifference } from '../../engine/stats/bootstrap.js';
import { goldenRoot } from '../helpers/golden.js';

const LOAD = 'load "binary_spam_ham/data.csv" as test';
const session = new Session();

before(async () => {
  const loaded = await runCell(`${LOAD}\nparam huge = 1000000000000\nparam fine = 1000`, session, {
    baseDir: goldenRoot,
  });
  assert.equal(loaded.stage, 'run');
});

/** The checker's diagnostics for a one-line program in the session with `test` loaded. */
function problems(line: string): readonly Diagnostic[] {
  const parsed = parse(line);
  assert.ok(parsed.ok, `parses: ${line}`);
  const checked = check(parsed.program, session, { source: line, baseDir: goldenRoot });
  return checked.ok ? [] : checked.diagnostics;
}

/** The rendered E0217 of a one-line program, which must have exactly one problem. */
function refusal(line: string): string {
  const found = problems(line);
  assert.equal(found.length, 1, found.map((d) => d.message).join('\n'));
  assert.equal(found[0].code, 'E0217');
  return renderDiagnostic(found[0], line);
}

function checks(line: string): void {
  const found = problems(line);
  assert.deepEqual(
    found.map((d) => d.message),
    [],
  );
}

describe('the documented ranges', () => {
  test('values', () => {
    assert.deepEqual(
      [BINS_RANGE, RESAMPLES_RANGE, SEED_RANGE, PATIENCE_RANGE, SHOW_LIMIT_RANGE, SPLIT_ROWS_RANGE],
      [
        { min: 1, max: 10_000 },
        { min: 1, max: 1_000_000 },
        { min: 0, max: 4_294_967_295 },
        { min: 1, max: 1_000_000 },
        { min: 0, max: 10_000 },
        { min: 0, max: 4_294_967_295 },
      ],
    );
  });
});

describe('integer clauses out of range are refused by the checker', () => {
  test('calibration bins 100000000', () => {
    const line = 'calibration ft_score on test against label positive "spam" bins 100000000';
    assert.equal(
      refusal(line),
      [
        'error[E0217]: the number of bins must be a whole number from 1 to 10000, found 100000000',
        '  --> line 1, col 65',
        '   |',
        ` 1 | ${line}`,
        `   | ${' '.repeat(64)}^^^^^^^^^`,
        '   = hint: ten equal-width bins is usual; with few rows, fewer',
      ].join('\n'),
    );
    checks('calibration ft_score on test against label positive "spam" bins 10000');
    checks('calibration ft_score on test against label positive "spam" bins 1');
    assert.match(
      refusal('calibration ft_score on test against label positive "spam" bins 10001'),
      /found 10001$/mu,
    );
  });

  test('significance bootstrap 1000000000000, by literal and by parameter', () => {
    assert.match(
      refusal(
        'compare base_pred, ft_pred on test against label significance bootstrap 1000000000000',
      ),
      /^error\[E0217\]: the number of resamples must be a whole number from 1 to 1000000, found 1000000000000\n {2}--> line 1, col 73$/mu,
    );
    assert.match(
      refusal('compare base_pred, ft_pred on test against label significance bootstrap huge'),
      /^error\[E0217\]: the number of resamples must be a whole number from 1 to 1000000, found 1000000000000 \(the value of parameter `huge`\)$/mu,
    );
    checks('compare base_pred, ft_pred on test against label significance bootstrap 1000000');
    checks('compare base_pred, ft_pred on test against label significance bootstrap fine');
  });

  test('seeds beyond 32 bits: 4294967296 and 1e300 are no longer seed 0', () => {
    assert.match(
      refusal('set seed 4294967296'),
      /^error\[E0217\]: a seed must be a whole number from 0 to 4294967295, found 4294967296\n {2}--> line 1, col 10$/mu,
    );
    assert.match(refusal('set seed 1e300'), /from 0 to 4294967295, found 1e300$/mu);
    assert.match(
      refusal('split test into a 50%, b 50% seed 4294967296'),
      /a seed must be a whole number from 0 to 4294967295, found 4294967296\n {2}--> line 1, col 35$/mu,
    );
    assert.match(
      refusal(
        'compare base_pred, ft_pred on test against label significance bootstrap 10 seed 4294967296',
      ),
      /found 4294967296\n {2}--> line 1, col 81$/mu,
    );
    checks('set seed 4294967295');
    checks('set seed 0');
    checks('split test into a 50%, b 50% seed 4294967295');
  });

  test('show limit 200000', () => {
    assert.match(
      refusal('show test limit 200000'),
      /^error\[E0217\]: the limit must be a whole number from 0 to 10000, found 200000\n {2}--> line 1, col 17$/mu,
    );
    checks('show test limit 10000');
    checks('show test limit 0');
  });

  test('patience', () => {
    const found = problems('curve test patience 1000001').filter((d) => d.code === 'E0217');
    assert.deepEqual(
      found.map((d) => [d.message, d.span.col]),
      [['the patience must be a whole number from 1 to 1000000, found 1000001', 21]],
    );
    const zero = problems('curve test patience 0').filter((d) => d.code === 'E0217');
    assert.deepEqual(
      zero.map((d) => d.message),
      ['the patience must be a whole number from 1 to 1000000, found 0'],
    );
  });

  test('split row counts', () => {
    assert.match(
      refusal('split test into a 4294967296, b 1'),
      /^error\[E0217\]: a number of rows must be a whole number from 0 to 4294967295, found 4294967296\n {2}--> line 1, col 19$/mu,
    );
  });

  test('nothing runs: a cell with an out-of-range clause binds nothing', async () => {
    const fresh = new Session();
    const result = await runCell(
      `${LOAD}\ncalibration ft_score on test against label positive "spam" bins 100000000 as C`,
      fresh,
      { baseDir: goldenRoot },
    );
    assert.equal(result.stage, 'check');
    assert.equal(fresh.binding('test'), undefined);
    assert.equal(fresh.binding('C'), undefined);
  });
});

describe('the engine refuses the same sizes itself', () => {
  test('calibration with 10,001 bins', () => {
    const scores = Float64Array.from([0.1, 0.9]);
    const positive = Uint8Array.from([0, 1]);
    assert.equal(calibration(scores, positive, { nBins: 10_000 }).bins.length, 10_000);
    assert.throws(
      () => calibration(scores, positive, { nBins: 10_001 }),
      (e: unknown) =>
        e instanceof EngineError &&
        e.message === 'the number of bins must be at most 10000, got 10001',
    );
  });

  test('a bootstrap of 10^12 resamples, before allocating them', () => {
    const labels = Int32Array.from([0, 1, 1, 0]);
    assert.throws(
      () =>
        bootstrapMetricDifference(
          labels,
          labels,
          labels,
          2,
          { name: 'accuracy' },
          {
            resamples: 1e12,
            seed: 1,
          },
        ),
      (e: unknown) =>
        e instanceof EngineError &&
        e.message === 'bootstrap resamples must be at most 1000000, got 1000000000000',
    );
  });
});

test('a plain-text table of 200,000 rows is laid out without a stack overflow', () => {
  const rows = Array.from({ length: 200_000 }, (_, i) => [String(i)]);
  rows[123_456] = ['the widest cell'];
  const text = textTable({ columns: [{ header: 'n' }], rows });
  const lines = text.split('\n');
  assert.equal(lines.length, 200_002);
  assert.deepEqual(lines.slice(0, 3), ['n', '-'.repeat('the widest cell'.length), '0']);
  assert.equal(lines[123_458], 'the widest cell');
});
