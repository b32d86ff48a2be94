import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MISSING,
  formatCount,
  formatDelta,
  formatDeltaInterval,
  formatMetric,
  formatNumber,
  formatPValue,
  formatPercent,
  formatPointsDelta,
  labelText,
  plural,
} from '../../display/format.js';

test('metrics have four decimals; tiny and huge values switch to exponent form', () => {
  assert.equal(formatMetric(0.8947368421052632), '0.8947');
  assert.equal(formatMetric(0.85), '0.8500');
  assert.equal(formatMetric(1), '1.0000');
  assert.equal(formatMetric(0), '0.0000');
  assert.equal(formatMetric(-0.00001), '-1.000e-5');
  assert.equal(formatMetric(140.46211), '140.4621');
  assert.equal(formatMetric(12_345_678.9), '1.235e+7');
  assert.equal(formatMetric(null), MISSING);
  assert.equal(formatMetric(Number.NaN), MISSING);
  assert.equal(formatMetric(Infinity), '∞');
});

test('a value that rounds to zero never shows a minus sign', () => {
  assert.equal(formatMetric(-0.00004, 4), '-4.000e-5');
  assert.equal(formatMetric(-0.000001 * 0), '0.0000');
  assert.equal(formatDelta(-0.00004), '0.0000');
  assert.equal(formatDelta(0.00004), '0.0000');
  assert.equal(formatDelta(0), '0.0000');
});

test('deltas always carry their sign', () => {
  assert.equal(formatDelta(0.0625), '+0.0625');
  assert.equal(formatDelta(-0.1476), '-0.1476');
  assert.equal(formatDelta(null), MISSING);
  assert.equal(formatPointsDelta(0.0625), '+6.25 pp');
  assert.equal(formatPointsDelta(-0.004), '-0.40 pp');
  assert.equal(formatDeltaInterval(-0.012, 0.045), '[-0.0120, +0.0450]');
});

test('percentages, counts and p-values', () => {
  assert.equal(formatPercent(0.9808), '98.08%');
  assert.equal(formatPercent(0.116666, 1), '11.7%');
  assert.equal(formatPercent(null), MISSING);
  assert.equal(formatCount(0), '0');
  assert.equal(formatCount(999), '999');
  assert.equal(formatCount(1000), '1,000');
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatCount(-10_000_000), '-10,000,000');
  assert.equal(formatPValue(0.004077315330505371), '0.004');
  assert.equal(formatPValue(0.000999), '< 0.001');
  assert.equal(formatPValue(0.001), '0.001');
  assert.equal(formatPValue(1), '1.000');
});

test('free-range numbers: six significant digits, no trailing zeros', () => {
  assert.equal(formatNumber(0.5), '0.5');
  assert.equal(formatNumber(0.448), '0.448');
  assert.equal(formatNumber(0.73451234567), '0.734512');
  assert.equal(formatNumber(1.978), '1.978');
  assert.equal(formatNumber(120), '120');
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(0.00001234), '1.234e-5');
  assert.equal(formatNumber(-Infinity), '-∞');
});

test('labels and plurals', () => {
  assert.equal(labelText('spam'), 'spam');
  assert.equal(labelText(1), '1');
  assert.equal(labelText(null), MISSING);
  assert.equal(plural(1, 'row'), '1 row');
  assert.equal(plural(1200, 'row'), '1,200 rows');
  assert.equal(plural(2, 'class', 'classes'), '2 classes');
});
