/**
 * Paired bootstrap intervals for differences of regression metrics (model − reference).
 *
 * A resample draws n rows with replacement (engine's seeded generator: same seed and input,
 * same intervals) and recomputes both models' metrics on the same drawn rows. Every supported
 * metric is a function of a few per-row sums, so one resample is one pass over n drawn rows,
 * shared by all metrics and both models. The median and the maximum of the errors are order
 * statistics that would need a sort per resample; they get no interval.
 *
 * Sums of squared deviations are taken around the full data's means (shifting by a constant
 * changes no variance) so that targets with a large mean lose no precision.
 */
import { EngineError, throwIfCancelled, type CancelToken } from '../errors.js';
import { MAPE_EPSILON } from '../metrics/regression.js';
import { Rng } from '../random.js';
import { MAX_RESAMPLES } from '../stats/bootstrap.js';
import { quantileSorted } from './common.js';
import { REGRESSION_METRICS, type DeltaInterval, type RegressionMetricName } from './types.js';

/** The regression metrics that get a bootstrap interval: all but the order statistics. */
export const BOOTSTRAPPED_REGRESSION_METRICS: readonly RegressionMetricName[] =
  REGRESSION_METRICS.filter((m) => m !== 'median_absolute_error' && m !== 'max_error');

export interface RegressionBootstrapOptions {
  readonly resamples: number;
  readonly seed: number;
  /** Two-sided coverage in (0, 1); 0.95 by default. */
  readonly confidence?: number;
  readonly cancel?: CancelToken;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Per-model sums over a resample, from which every supported metric follows. */
class ModelSums {
  squared = 0;
  absolute = 0;
  relative = 0;
  residual = 0;

  reset(): void {
    this.squared = 0;
    this.absolute = 0;
    this.relative = 0;
    this.residual = 0;
  }
}

function metricFromSums(
  metric: RegressionMetricName,
  sums: ModelSums,
  n: number,
  ySum: number,
  ySquares: number,
  residualShiftSquares: number,
): number {
  const mse = sums.squared / n;
  switch (metric) {
    case 'mse':
      return mse;
    case 'rmse':
      return Math.sqrt(mse);
    case 'mae':
      return sums.absolute / n;
    case 'mape':
      return sums.relative / n;
    case 'r2':
      return oneMinusRatio(sums.squared, ySquares - (ySum * ySum) / n);
    case 'explained_variance': {
      const residualVariance = residualShiftSquares - (sums.residual * sums.residual) / n;
      return oneMinusRatio(residualVariance / n, (ySquares - (ySum * ySum) / n) / n);
    }
    default:
      return NaN;
  }
}

/** sklearn's force_finite: a zero denominator gives 1 for a perfect fit, else 0. */
function oneMinusRatio(numerator: number, denominator: number): number {
  // Rounding can leave a tiny non-zero denominator where the exact one is 0.
  if (!(denominator > 0)) return numerator <= 0 ? 1 : 0;
  return 1 - numerator / denominator;
}

/**
 * Intervals for each requested metric, in the order given; null for metrics without one.
 * `truth`, `reference` and `model` are parallel, finite and non-empty.
 */
export function bootstrapRegressionDifferences(
  truth: Float64Array,
  reference: Float64Array,
  model: Float64Array,
  metrics: readonly RegressionMetricName[],
  options: RegressionBootstrapOptions,
): (DeltaInterval | null)[] {
  const n = truth.length;
  const { resamples, seed } = options;
  const confidence = options.confidence ?? 0.95;
  if (!(Number.isInteger(resamples) && resamples >= 1 && resamples <= MAX_RESAMPLES)) {
    throw new EngineError(
      'bad-argument',
      `bootstrap resamples must be a whole number from 1 to ${MAX_RESAMPLES}, got ${resamples}`,
    );
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new EngineError('bad-argument', `confidence must be between 0 and 1, got ${confidence}`);
  }
  if (n === 0) throw new EngineError('bad-argument', 'bootstrap needs at least one row');
  const wanted = metrics.map((m) => BOOTSTRAPPED_REGRESSION_METRICS.includes(m));
  if (!wanted.some(Boolean)) return metrics.map(() => null);

  let yMean = 0;
  let refResidualMean = 0;
  let modelResidualMean = 0;
  for (let i = 0; i < n; i++) {
    yMean += truth[i];
    refResidualMean += truth[i] - reference[i];
    modelResidualMean += truth[i] - model[i];
  }
  yMean /= n;
  refResidualMean /= n;
  modelResidualMean /= n;

  const rng = new Rng(seed);
  const differences = metrics.map(() => new Float64Array(resamples));
  const kept = new Int32Array(metrics.length);
  const refSums = new ModelSums();
  const modelSums = new ModelSums();
  const chunk = Math.max(1, Math.ceil(resamples / 100));
  for (let done = 0; done < resamples;) {
    throwIfCancelled(options.cancel);
    const end = Math.min(resamples, done + chunk);
    for (; done < end; done++) {
      refSums.reset();
      modelSums.reset();
      let ySum = 0;
      let ySquares = 0;
      let refShiftSquares = 0;
      let modelShiftSquares = 0;
      for (let draw = 0; draw < n; draw++) {
        const i = rng.nextInt(n);
        const y = truth[i];
        const floor = Math.max(Math.abs(y), MAPE_EPSILON);
        const dy = y - yMean;
        ySum += dy;
        ySquares += dy * dy;
        const refError = y - reference[i];
        const modelError = y - model[i];
        accumulate(refSums, refError, floor, refError - refResidualMean);
        accumulate(modelSums, modelError, floor, modelError - modelResidualMean);
        refShiftSquares += (refError - refResidualMean) ** 2;
        modelShiftSquares += (modelError - modelResidualMean) ** 2;
      }
      metrics.forEach((metric, m) => {
        if (!wanted[m]) return;
        const d =
          metricFromSums(metric, modelSums, n, ySum, ySquares, modelShiftSquares) -
          metricFromSums(metric, refSums, n, ySum, ySquares, refShiftSquares);
        if (!Number.isNaN(d)) differences[m][kept[m]++] = d;
      });
    }
    options.onProgress?.(done, resamples);
  }

  const alpha = (1 - confidence) / 2;
  return metrics.map((_, m) => {
    if (!wanted[m] || kept[m] === 0) return null;
    const sorted = differences[m].subarray(0, kept[m]).sort();
    return {
      lower: quantileSorted(sorted, alpha),
      upper: quantileSorted(sorted, 1 - alpha),
      confidence,
      resamples,
      undefinedResamples: resamples - kept[m],
      seed,
      method: 'rows',
    };
  });
}

/** `shifted` is the residual minus the full data's mean residual (for the residual variance). */
function accumulate(sums: ModelSums, residual: number, floor: number, shifted: number): void {
  const abs = Math.abs(residual);
  sums.squared += residual * residual;
  sums.absolute += abs;
  sums.relative += abs / floor;
  sums.residual += shifted;
}
