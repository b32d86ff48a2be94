import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  incompleteBeta,
  logGamma,
  normalCdf,
  normalSurvival,
  studentTCdf,
  studentTQuantile,
  studentTSurvival,
} from '../../../engine/stats/distributions.js';

function close(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= rel * Math.abs(expected),
    `${what}: expected ${expected}, got ${actual}`,
  );
}

test('log-gamma: exact values at integers and half-integers', () => {
  close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-15, 'lnΓ(½)');
  close(logGamma(10), Math.log(362880), 1e-15, 'lnΓ(10)');
  close(logGamma(1), 0 + 1e-300, 1, 'lnΓ(1)');
  // Γ(0.1) = 9.513507698668732 (DLMF), below ½ through the reflection formula.
  close(logGamma(0.1), Math.log(9.513507698668732), 1e-14, 'lnΓ(0.1)');
  assert.ok(Number.isNaN(logGamma(0)));
});

test('incomplete beta: closed forms I_x(1, 1) = x, I_x(a, 1) = x^a, I_x(1, b) = 1 − (1 − x)^b', () => {
  for (const x of [1e-6, 0.1, 0.37, 0.5, 0.9, 0.999999]) {
    close(incompleteBeta(x, 1, 1), x, 1e-14, `I_${x}(1,1)`);
    close(incompleteBeta(x, 3.5, 1), x ** 3.5, 1e-13, `I_${x}(3.5,1)`);
    close(incompleteBeta(x, 1, 7), -Math.expm1(7 * Math.log1p(-x)), 1e-13, `I_${x}(1,7)`);
  }
  assert.equal(incompleteBeta(0, 2, 3), 0);
  assert.equal(incompleteBeta(1, 2, 3), 1);
});

test('normal tails: symmetric and accurate far out', () => {
  close(normalSurvival(1.959963984540054), 0.025, 1e-14, 'P(Z > 1.96)');
  close(normalCdf(-1.959963984540054), 0.025, 1e-14, 'P(Z < −1.96)');
  // P(Z > 10) = 7.619853024160527e-24.
  close(normalSurvival(10), 7.619853024160527e-24, 1e-13, 'P(Z > 10)');
  assert.equal(normalSurvival(0), 0.5);
});

test('Student t: closed forms for 1 and 2 degrees of freedom', () => {
  for (const t of [-30, -2.5, -0.3, 0, 0.7, 4, 1e3]) {
    // df = 1 is the Cauchy distribution; df = 2 has F(t) = ½ + t / (2√(2 + t²)).
    close(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-13, `F1(${t})`);
    close(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-13, `F2(${t})`);
  }
  close(studentTSurvival(1e3, 1), 1 / (Math.PI * 1e3) - 1 / (3 * Math.PI * 1e9), 1e-9, 'far tail');
  assert.equal(studentTSurvival(Infinity, 5), 0);
  assert.ok(Number.isNaN(studentTSurvival(NaN, 5)));
});

test('Student t quantile: inverts the distribution function to the last bits', () => {
  for (const df of [1, 2, 7, 19, 120.5]) {
    for (const p of [0.001, 0.05, 0.3, 0.9, 0.975]) {
      const t = studentTQuantile(p, df);
      close(studentTCdf(t, df), p, 1e-13, `F(Q(${p}), ${df})`);
    }
  }
  // Closed form for df = 2: Q(p) = (2p − 1) √(2 / (4p(1 − p))).
  close(studentTQuantile(0.975, 2), 0.95 * Math.sqrt(2 / (4 * 0.975 * 0.025)), 1e-13, 'Q2(0.975)');
  assert.equal(studentTQuantile(0.5, 9), 0);
  assert.equal(studentTQuantile(1, 9), Infinity);
});
