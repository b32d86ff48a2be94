/**
 * Regression metrics, as scikit-learn defines them.
 *
 * Sums use Neumaier's compensated summation so that ten million rows lose no more precision
 * than ten; the golden values (numpy's pairwise sums) are matched to well below 1e-9.
 */
import { EngineError } from '../errors.js';
import { CompensatedSum } from './scores.js';

/** MAPE's floor on |y|: float64 machine epsilon, as sklearn. */
export const MAPE_EPSILON = 2.220446049250313e-16;

/**
 * The regression metrics of one model. Every field is finite for finite input with n ≥ 1.
 * With a constant target, `r2` and `explainedVariance` are 1.0 when their numerator is also
 * zero (a perfect fit) and 0.0 otherwise, as sklearn's `force_finite`. A constant target is
 * recognised by its values being equal, not by a sum of squared deviations that rounds to
 * zero: the float mean of [0.1, 0.1, 0.1] is not 0.1, and 1 − num/den would be −1.5e34.
 */
export interface RegressionMetrics {
  readonly task: 'regression';
  readonly n: number;
  readonly mse: number;
  /** Square root of `mse`. */
  readonly rmse: number;
  readonly mae: number;
  /** Coefficient of determination: 1 − Σ(y − ŷ)² / Σ(y − ȳ)². */
  readonly r2: number;
  /** 1 − Var(y − ŷ) / Var(y). */
  readonly explainedVariance: number;
  /** Mean of |y − ŷ| / max(|y|, ε), a fraction (0.25 = 25%). */
  readonly mape: number;
  readonly medianAbsoluteError: number;
  readonly maxError: number;
}

/**
 * Regression metrics of predictions `pred` against targets `truth`. Throws `length-mismatch`
 * for different lengths, `bad-argument` for no rows, and `missing-value` for a NaN (naming the
 * 1-based row; `names` gives the column names for the message).
 */
export function regressionMetrics(
  truth: Float64Array,
  pred: Float64Array,
  names: { truth?: string; pred?: string } = {},
): RegressionMetrics {
  const n = truth.length;
  if (pred.length !== n) {
    throw new EngineError(
      'length-mismatch',
      `${names.pred ?? 'predictions'} has ${pred.length} rows but ${names.truth ?? 'the target'} has ${n}`,
    );
  }
  if (n === 0) throw new EngineError('bad-argument', 'regression metrics need at least one row');
  checkPresent(truth, names.truth ?? 'target');
  checkPresent(pred, names.pred ?? 'prediction');

  const sumY = new CompensatedSum();
  const sumResidual = new CompensatedSum();
  const sumSquaredError = new CompensatedSum();
  const sumAbsError = new CompensatedSum();
  const sumPercentError = new CompensatedSum();
  const absErrors = new Float64Array(n);
  let maxError = 0;
  let constantTruth = true;
  let constantResidual = true;
  const firstResidual = truth[0] - pred[0];
  for (let i = 0; i < n; i++) {
    const y = truth[i];
    const residual = y - pred[i];
    if (y !== truth[0]) constantTruth = false;
    if (residual !== firstResidual) constantResidual = false;
    const abs = Math.abs(residual);
    sumY.add(y);
    sumResidual.add(residual);
    sumSquaredError.add(residual * residual);
    sumAbsError.add(abs);
    sumPercentError.add(abs / Math.max(Math.abs(y), MAPE_EPSILON));
    absErrors[i] = abs;
    if (abs > maxError) maxError = abs;
  }
  // The mean of equal values is that value exactly, so their deviations are exactly zero.
  const meanY = constantTruth ? truth[0] : sumY.value / n;
  const meanResidual = constantResidual ? firstResidual : sumResidual.value / n;
  const sumSquaredDeviation = new CompensatedSum();
  const sumSquaredResidualDeviation = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    const d = truth[i] - meanY;
    const e = truth[i] - pred[i] - meanResidual;
    sumSquaredDeviation.add(d * d);
    sumSquaredResidualDeviation.add(e * e);
  }
  const mse = sumSquaredError.value / n;
  return {
    task: 'regression',
    n,
    mse,
    rmse: Math.sqrt(mse),
    mae: sumAbsError.value / n,
    r2: oneMinusRatio(sumSquaredError.value, sumSquaredDeviation.value),
    explainedVariance: oneMinusRatio(
      sumSquaredResidualDeviation.value / n,
      sumSquaredDeviation.value / n,
    ),
    mape: sumPercentError.value / n,
    medianAbsoluteError: median(absErrors),
    maxError,
  };
}

/** 1 − num/den, with sklearn's rule for a zero denominator (constant target). */
function oneMinusRatio(numerator: number, denominator: number): number {
  if (denominator === 0) return numerator === 0 ? 1 : 0;
  return 1 - numerator / denominator;
}

function checkPresent(values: Float64Array, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) {
      throw new EngineError(
        'missing-value',
        `column "${name}" has a missing value at row ${i + 1}`,
        {
          column: name,
          row: i + 1,
        },
      );
    }
  }
}

/** The median (mean of the two middle values for an even count); sorts `values` in place. */
function median(values: Float64Array): number {
  values.sort();
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}
