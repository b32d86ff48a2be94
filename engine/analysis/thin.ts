/**
 * Thinning curves for display: a curve from ten million rows has up to ten million points,
 * far more than a chart can show and far too many for a notebook file. Thinning keeps a
 * subset of the points whose polyline stays within a small distance of the original.
 *
 * The method is Ramer–Douglas–Peucker, run best first: every range between two kept points
 * knows its farthest interior point, and the range whose farthest point is farthest away is
 * split next, until every range is within the tolerance or the point budget is spent. Best
 * first makes the budget a hard bound while spending it where the shape needs it, and the
 * work is proportional to the points times the depth of the kept splits, not of all splits
 * (a noisy curve has millions of splits below the tolerance that are never explored).
 *
 * Curves longer than a hundred thousand points are first reduced to candidates: a point within
 * half the tolerance of the previous candidate adds nothing visible, and on real curves (ROC,
 * PR, sweeps, where neighbouring points are a row apart) this leaves tens of thousands at
 * most. Only a curve that is noise at every scale keeps more, and is then sampled at an even
 * stride. Either way the reported deviation is measured against every original point.
 *
 * Distances are measured in a space where every coordinate has a comparable scale: either as
 * given (ROC and PR curves live on the unit square) or with each coordinate divided by its
 * range (a threshold sweep, where scores may be logits and costs any size).
 */
import { EngineError } from '../errors.js';

/** At most this many points per displayed curve unless the caller asks otherwise. */
export const DEFAULT_MAX_POINTS = 2000;

/** Distance (in scaled units: a thousandth of the plot is 1e-3) below which detail is dropped. */
export const DEFAULT_TOLERANCE = 1e-4;

export interface ThinOptions {
  /** Hard upper bound on the kept points; at least the number of forced points. */
  readonly maxPoints?: number;
  /** Ranges whose farthest point is at most this far from their chord are not split. */
  readonly tolerance?: number;
  /** Indices that are always kept (the chosen operating point); out-of-range ones are ignored. */
  readonly keep?: readonly number[];
  /** 'unit': coordinates as given; 'range': each divided by its range (max − min). */
  readonly scale?: 'unit' | 'range';
}

/**
 * The kept points. Invariants: `indices` is strictly increasing, starts at 0 and ends at
 * n − 1 (for n ≥ 1), contains every valid `keep` index, and has at most
 * max(maxPoints, forced points) entries. `maxDeviation` is the largest distance, in scaled
 * units, from a dropped point to the chord of the kept segment that replaced it (so an upper
 * bound on its distance to the thinned polyline); 0 when nothing was dropped.
 */
export interface Thinning {
  readonly indices: Int32Array;
  readonly maxDeviation: number;
}

/**
 * Thins the polyline whose i-th point is (coordinates[0][i], coordinates[1][i], …). All
 * coordinate arrays must have the same length. Non-finite coordinates count as 0 for distances
 * (a ROC rate of a class that is absent is NaN everywhere, so it carries no shape).
 */
export function thinPolyline(
  coordinates: readonly ArrayLike<number>[],
  options: ThinOptions = {},
): Thinning {
  const n = coordinates.length === 0 ? 0 : coordinates[0].length;
  for (const c of coordinates) {
    if (c.length !== n) {
      throw new EngineError(
        'length-mismatch',
        'every coordinate of a curve needs one value per point',
      );
    }
  }
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_POINTS;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  if (!(Number.isInteger(maxPoints) && maxPoints >= 2)) {
    throw new EngineError('bad-argument', `a curve needs at least 2 points, got ${maxPoints}`);
  }
  if (!(tolerance >= 0)) {
    throw new EngineError('bad-argument', `the thinning tolerance must be ≥ 0, got ${tolerance}`);
  }
  if (n <= 2) return { indices: Int32Array.from({ length: n }, (_, i) => i), maxDeviation: 0 };

  const forced = [...new Set([0, n - 1, ...(options.keep ?? [])])]
    .filter((i) => Number.isInteger(i) && i >= 0 && i < n)
    .sort((a, b) => a - b);
  const points = scaled(coordinates, n, options.scale ?? 'unit');
  if (n <= PREFILTER_ABOVE) return simplify(points, forced, maxPoints, tolerance);

  // Long curves: drop points closer than half the tolerance to the previous candidate, then
  // (only if still far too many) every k-th, and simplify what is left. The deviation is then
  // measured again against every original point, so it stays exact.
  let candidates = radialCandidates(points, forced, tolerance / 2);
  if (candidates.length > MAX_CANDIDATES) candidates = strideCandidates(candidates, forced);
  const reduced = points.map((c) => Float64Array.from(candidates, (i) => c[i]));
  const forcedPositions = forced.map((i) => lowerBound(candidates, i));
  const simplified = simplify(reduced, forcedPositions, maxPoints, tolerance);
  const indices = simplified.indices.map((position) => candidates[position]);
  return { indices, maxDeviation: chordDeviation(points, indices) };
}

/** Curves up to this many points are simplified directly. */
const PREFILTER_ABOVE = 100_000;
/** At most this many candidates go into the simplification of a long curve. */
const MAX_CANDIDATES = 200_000;

/** Best-first Ramer–Douglas–Peucker over all of `points`, keeping the `forced` indices. */
function simplify(
  points: readonly Float64Array[],
  forced: readonly number[],
  maxPoints: number,
  tolerance: number,
): Thinning {
  const n = points[0].length;
  const kept = new Uint8Array(n);
  for (const i of forced) kept[i] = 1;
  const ranges = new RangeHeap();
  for (let j = 0; j + 1 < forced.length; j++) {
    const range = farthestPoint(points, forced[j], forced[j + 1]);
    if (range !== null) ranges.push(range);
  }
  let budget = maxPoints - forced.length;
  let maxDeviation = 0;
  while (ranges.size > 0) {
    const top = ranges.peek();
    if (top.distance <= tolerance || budget <= 0) {
      maxDeviation = top.distance;
      break;
    }
    ranges.pop();
    kept[top.far] = 1;
    budget--;
    const left = farthestPoint(points, top.lo, top.far);
    const right = farthestPoint(points, top.far, top.hi);
    if (left !== null) ranges.push(left);
    if (right !== null) ranges.push(right);
  }
  return { indices: keptIndices(kept), maxDeviation };
}

function keptIndices(kept: Uint8Array): Int32Array {
  let count = 0;
  for (let i = 0; i < kept.length; i++) count += kept[i];
  const indices = new Int32Array(count);
  for (let i = 0, k = 0; i < kept.length; i++) if (kept[i]) indices[k++] = i;
  return indices;
}

/**
 * Indices of the points farther than `radius` from the previous candidate, plus every forced
 * one (first and last included). A dropped point is within `radius` of a candidate.
 */
function radialCandidates(
  points: readonly Float64Array[],
  forced: readonly number[],
  radius: number,
): Int32Array {
  const n = points[0].length;
  const d = points.length;
  const radius2 = radius * radius;
  const out = new Int32Array(n);
  let count = 0;
  let last = 0;
  let nextForced = 0;
  for (let i = 0; i < n; i++) {
    let keep = false;
    if (nextForced < forced.length && forced[nextForced] === i) {
      keep = true;
      nextForced++;
    } else {
      let d2 = 0;
      for (let c = 0; c < d; c++) {
        const e = points[c][i] - points[c][last];
        d2 += e * e;
      }
      keep = d2 > radius2;
    }
    if (keep) {
      out[count++] = i;
      last = i;
    }
  }
  return out.slice(0, count);
}

/** Every k-th candidate (k chosen to leave about MAX_CANDIDATES), plus the forced ones. */
function strideCandidates(candidates: Int32Array, forced: readonly number[]): Int32Array {
  const stride = Math.ceil(candidates.length / MAX_CANDIDATES);
  const isForced = new Set(forced);
  const out: number[] = [];
  candidates.forEach((index, k) => {
    if (k % stride === 0 || isForced.has(index)) out.push(index);
  });
  return Int32Array.from(out);
}

/** The position of `value` in the ascending `sorted`, which contains it. */
function lowerBound(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The largest distance of any point to the chord of the kept segment that spans it. */
function chordDeviation(points: readonly Float64Array[], indices: Int32Array): number {
  let worst = 0;
  for (let k = 0; k + 1 < indices.length; k++) {
    const range = farthestPoint(points, indices[k], indices[k + 1]);
    if (range !== null && range.distance > worst) worst = range.distance;
  }
  return worst;
}

/** The values at the given indices, as a plain array (for JSON results). */
export function takeAt<T>(values: ArrayLike<T>, indices: ArrayLike<number>): T[] {
  const out = new Array<T>(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = values[indices[k]];
  return out;
}

/**
 * The largest distance from any point of the original polyline to the thinned polyline
 * (kept points in order), in the same scaled units as `thinPolyline`. O(n · kept): for tests
 * and checks on moderate curves, not for ten million points.
 */
export function deviationFromThinned(
  coordinates: readonly ArrayLike<number>[],
  indices: ArrayLike<number>,
  scale: 'unit' | 'range' = 'unit',
): number {
  const n = coordinates.length === 0 ? 0 : coordinates[0].length;
  const points = scaled(coordinates, n, scale);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let k = 0; k + 1 < indices.length; k++) {
      best = Math.min(best, segmentDistance(points, i, indices[k], indices[k + 1]));
    }
    if (indices.length === 1) best = segmentDistance(points, i, indices[0], indices[0]);
    if (best > worst) worst = best;
  }
  return worst;
}

/**
 * Coordinates as float64 arrays in the distance space. A float64 coordinate that is already
 * in that space (unit scale, every value finite) is used as it is, not copied.
 */
function scaled(
  coordinates: readonly ArrayLike<number>[],
  n: number,
  scale: 'unit' | 'range',
): Float64Array[] {
  return coordinates.map((c) => {
    let min = Infinity;
    let max = -Infinity;
    let finite = true;
    for (let i = 0; i < n; i++) {
      const v = c[i];
      if (v - v !== 0) {
        finite = false; // NaN or ±Infinity: no shape, and no part of the range
        continue;
      }
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (scale === 'unit' && finite && c instanceof Float64Array) return c;
    const span = max - min;
    const divisor = scale === 'range' && span > 0 && Number.isFinite(span) ? span : 1;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = c[i];
      out[i] = v - v === 0 ? v / divisor : 0;
    }
    return out;
  });
}

/** Distance from point p to the segment a–b (to a itself when a and b coincide). */
function segmentDistance(points: readonly Float64Array[], p: number, a: number, b: number): number {
  let ab2 = 0;
  let apAb = 0;
  for (const c of points) {
    const ab = c[b] - c[a];
    ab2 += ab * ab;
    apAb += (c[p] - c[a]) * ab;
  }
  const t = ab2 === 0 ? 0 : Math.min(1, Math.max(0, apAb / ab2));
  let d2 = 0;
  for (const c of points) {
    const d = c[p] - (c[a] + t * (c[b] - c[a]));
    d2 += d * d;
  }
  return Math.sqrt(d2);
}

/** A range (lo, hi) of dropped interior points, with its farthest one from the chord. */
interface Range {
  readonly lo: number;
  readonly hi: number;
  readonly far: number;
  readonly distance: number;
}

function farthestPoint(points: readonly Float64Array[], lo: number, hi: number): Range | null {
  if (hi - lo < 2) return null;
  let far = lo + 1;
  let distance = -1;
  if (points.length === 2) {
    // The common case (curves in the plane), without the generic loops.
    const [x, y] = points;
    const ax = x[lo];
    const ay = y[lo];
    const dx = x[hi] - ax;
    const dy = y[hi] - ay;
    const len2 = dx * dx + dy * dy;
    for (let i = lo + 1; i < hi; i++) {
      const px = x[i] - ax;
      const py = y[i] - ay;
      let t = len2 === 0 ? 0 : (px * dx + py * dy) / len2;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = px - t * dx;
      const ey = py - t * dy;
      const d2 = ex * ex + ey * ey;
      if (d2 > distance) {
        distance = d2;
        far = i;
      }
    }
    return { lo, hi, far, distance: Math.sqrt(distance) };
  }
  // Any number of coordinates: the chord's origin and direction once, then one pass.
  const d = points.length;
  const origin = new Float64Array(d);
  const direction = new Float64Array(d);
  let len2 = 0;
  for (let c = 0; c < d; c++) {
    origin[c] = points[c][lo];
    direction[c] = points[c][hi] - origin[c];
    len2 += direction[c] * direction[c];
  }
  for (let i = lo + 1; i < hi; i++) {
    let along = 0;
    for (let c = 0; c < d; c++) along += (points[c][i] - origin[c]) * direction[c];
    let t = len2 === 0 ? 0 : along / len2;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    let d2 = 0;
    for (let c = 0; c < d; c++) {
      const e = points[c][i] - origin[c] - t * direction[c];
      d2 += e * e;
    }
    if (d2 > distance) {
      distance = d2;
      far = i;
    }
  }
  distance = Math.sqrt(distance);
  return { lo, hi, far, distance };
}

/** Max-heap of ranges by distance; ties go to the leftmost range, so results are deterministic. */
class RangeHeap {
  private readonly items: Range[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Range {
    return this.items[0];
  }

  push(range: Range): void {
    const items = this.items;
    items.push(range);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  pop(): Range {
    const items = this.items;
    const top = items[0];
    const last = items.pop() as Range;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < items.length && before(items[l], items[best])) best = l;
        if (r < items.length && before(items[r], items[best])) best = r;
        if (best === i) break;
        [items[i], items[best]] = [items[best], items[i]];
        i = best;
      }
    }
    return top;
  }
}

function before(a: Range, b: Range): boolean {
  return a.distance > b.distance || (a.distance === b.distance && a.lo < b.lo);
}
