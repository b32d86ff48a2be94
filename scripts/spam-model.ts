/**
 * Logistic regression on sparse hashed features, trained by plain stochastic gradient descent
 * with L2 regularisation: the base and fine-tuned spam models of the example notebooks.
 *
 * Deterministic: example order comes from the seeded `Rng`, sums run in a fixed order, and the
 * only transcendental functions are Math.exp and Math.log1p.
 */
import { Rng } from '../engine/random.js';
import type { SparseVector } from './spam-text.js';

/** Below this the lazy weight scale is folded back into the weights, to keep precision. */
const MIN_SCALE = 1e-9;

/**
 * A binary logistic regression model, P(positive | x) = sigmoid(w·x + bias).
 *
 * The weights are stored as `scale * direction`, so that the L2 shrink of every weight at each
 * SGD step is one multiplication of `scale` (the sparse update then touches only the example's
 * own features). Invariant: `scale > 0`; the weight of feature j is `scale * direction[j]`.
 */
export class LogisticRegression {
  readonly dimension: number;
  bias = 0;
  private readonly direction: Float64Array;
  private scale = 1;

  constructor(dimension: number) {
    this.dimension = dimension;
    this.direction = new Float64Array(dimension);
  }

  /** An independent copy (a warm start, or a checkpoint). */
  clone(): LogisticRegression {
    const copy = new LogisticRegression(this.dimension);
    copy.direction.set(this.direction);
    copy.scale = this.scale;
    copy.bias = this.bias;
    return copy;
  }

  weight(feature: number): number {
    return this.scale * this.direction[feature];
  }

  /** The log-odds w·x + bias. */
  margin(x: SparseVector): number {
    let dot = 0;
    for (let k = 0; k < x.indices.length; k++) dot += this.direction[x.indices[k]] * x.values[k];
    return this.scale * dot + this.bias;
  }

  /** P(positive | x). */
  probability(x: SparseVector): number {
    return sigmoid(this.margin(x));
  }

  /**
   * One SGD step on the loss log-loss(x, y) + (l2 / 2)·|w|² (the bias is not regularised):
   * w ← (1 − rate·l2)·w − rate·(p − y)·x, bias ← bias − rate·(p − y).
   */
  step(x: SparseVector, positive: boolean, rate: number, l2: number): void {
    const gradient = this.probability(x) - (positive ? 1 : 0);
    const shrink = 1 - rate * l2;
    if (!(shrink > 0)) throw new RangeError(`learning rate × l2 must be below 1, got ${rate * l2}`);
    this.scale *= shrink;
    if (this.scale < MIN_SCALE) this.foldScale();
    const delta = (rate * gradient) / this.scale;
    for (let k = 0; k < x.indices.length; k++) this.direction[x.indices[k]] -= delta * x.values[k];
    this.bias -= rate * gradient;
  }

  private foldScale(): void {
    for (let j = 0; j < this.dimension; j++) this.direction[j] *= this.scale;
    this.scale = 1;
  }
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** The log loss of one example from its margin z, computed without overflow for large |z|. */
export function marginLogLoss(z: number, positive: boolean): number {
  return Math.max(z, 0) - (positive ? z : 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** Mean log loss (natural log, no regularisation term) of the model over a data set. */
export function meanLogLoss(
  model: LogisticRegression,
  examples: readonly SparseVector[],
  positive: readonly boolean[],
): number {
  if (examples.length === 0) throw new RangeError('mean log loss of no examples');
  let total = 0;
  for (let i = 0; i < examples.length; i++) {
    total += marginLogLoss(model.margin(examples[i]), positive[i]);
  }
  return total / examples.length;
}

/**
 * A training schedule. The learning rate of epoch e (1-based) is
 * `learningRate / (1 + decay·(e − 1))`, constant within the epoch.
 */
export interface SgdSchedule {
  readonly epochs: number;
  readonly learningRate: number;
  readonly decay: number;
  readonly l2: number;
  /** Seeds the example order: every epoch visits the examples in a fresh seeded shuffle. */
  readonly seed: number;
}

export function epochLearningRate(schedule: SgdSchedule, epoch: number): number {
  return schedule.learningRate / (1 + schedule.decay * (epoch - 1));
}

/**
 * Trains `model` in place for `schedule.epochs` epochs, calling `afterEpoch` with the 1-based
 * epoch number once each epoch is done (for loss logging and checkpoints).
 */
export function trainSgd(
  model: LogisticRegression,
  examples: readonly SparseVector[],
  positive: readonly boolean[],
  schedule: SgdSchedule,
  afterEpoch?: (epoch: number, model: LogisticRegression) => void,
): void {
  if (examples.length !== positive.length) {
    throw new RangeError(`${examples.length} examples but ${positive.length} labels`);
  }
  const rng = new Rng(schedule.seed);
  const order = new Int32Array(examples.length);
  for (let epoch = 1; epoch <= schedule.epochs; epoch++) {
    for (let i = 0; i < order.length; i++) order[i] = i;
    rng.shuffle(order);
    const rate = epochLearningRate(schedule, epoch);
    for (const i of order) model.step(examples[i], positive[i], rate, schedule.l2);
    afterEpoch?.(epoch, model);
  }
}
