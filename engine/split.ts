/**
 * Seeded, reproducible partitions of a table (train / val / test), optionally stratified.
 *
 * Part sizes: by fractions (which must add up to 1) or by row counts (which may add up to less
 * than the table; the rest is left out). Fractions become sizes by largest remainder: each part
 * gets floor(n·f), and the rows left over go one each to the parts with the largest fractional
 * parts (the earlier part on ties), so the sizes add up to n exactly.
 *
 * Unstratified: one seeded shuffle of all rows, cut into consecutive runs of those sizes.
 *
 * Stratified by a column: each class c of n_c rows gets, in part k, floor or ceil of its ideal
 * n_c·f_k, so every part/class count is within one row of the ideal, every class is used up
 * exactly, and every part still has exactly its target size. Choosing which cells round up is a
 * small flow problem (rows = classes, columns = parts), solved greedily and completed with
 * augmenting paths. Then each class's rows are shuffled with the seeded generator and dealt out.
 *
 * Every part's row indices are sorted ascending, so a part keeps the file's row order.
 */
import { EngineError } from './errors.js';
import { Rng } from './random.js';
import { groupRows, requireColumn } from './slice.js';
import { type Column, type Label, type Table, makeTable } from './table.js';

/** A part and its size: a fraction of the table in (0, 1], or a number of rows. */
export type SplitPartSpec =
  | { readonly name: string; readonly fraction: number }
  | { readonly name: string; readonly count: number };

export interface SplitOptions {
  readonly seed: number;
  /** Keep this column's class proportions in every part. */
  readonly stratifyBy?: string;
  /** The column whose class counts are reported per part; defaults to `stratifyBy`. */
  readonly classColumn?: string;
}

export interface SplitPart {
  readonly name: string;
  /** Row indices into the source table, ascending, disjoint from every other part's. */
  readonly indices: Int32Array;
  /** The rows as a table of their own (`source.derivedFrom` says how it was made). */
  readonly table: Table;
  readonly size: number;
  /** Rows per class, aligned with `SplitResult.classes` (when there is a class column). */
  readonly classCounts?: readonly number[];
  /** classCounts / size (0 for an empty part). */
  readonly classProportions?: readonly number[];
}

export interface SplitResult {
  readonly parts: readonly SplitPart[];
  readonly seed: number;
  readonly stratifiedBy?: string;
  readonly classColumn?: string;
  /** The class values in label order (numbers, then strings, missing last). */
  readonly classes?: readonly (Label | null)[];
  /** Rows per class in the whole table. */
  readonly classCounts?: readonly number[];
  /** Rows in no part (only when counts add up to less than the table). */
  readonly unassigned: number;
}

/** Fractions may miss 1 by this much (0.8 + 0.1 + 0.1 is not exactly 1 in floating point). */
const FRACTION_SUM_TOLERANCE = 1e-9;
/** An ideal count this close to an integer is that integer. */
const INTEGER_TOLERANCE = 1e-9;

const splitErrors = {
  noParts: () => new EngineError('bad-argument', 'a split needs at least one part'),
  duplicateName: (name: string) =>
    new EngineError('bad-argument', `the part name "${name}" is used twice`),
  mixedSizes: () =>
    new EngineError(
      'bad-argument',
      'give every part as a percentage or every part as a number of rows, not a mix',
    ),
  badFraction: (name: string, fraction: number) =>
    new EngineError(
      'bad-argument',
      `part ${name}: a share must be more than 0% and at most 100%, got ${percent(fraction)}`,
    ),
  fractionSum: (sum: number) =>
    new EngineError(
      'bad-argument',
      `the parts add up to ${percent(sum)}; they must add up to 100%`,
    ),
  badCount: (name: string, count: number) =>
    new EngineError(
      'bad-argument',
      `part ${name}: a number of rows must be a whole number ≥ 0, got ${count}`,
    ),
  countSum: (sum: number, n: number) =>
    new EngineError('bad-argument', `the parts add up to ${sum} rows, but the table has only ${n}`),
  badSeed: (seed: number) =>
    new EngineError('bad-argument', `the seed must be a whole number, got ${seed}`),
};

function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(12))}%`;
}

/**
 * Sizes for parts with the given shares of n rows, by largest remainder: they add up to n
 * when the shares add up to 1, and each is floor or ceil of its ideal n·share.
 */
export function largestRemainderSizes(n: number, shares: readonly number[]): number[] {
  const ideal = shares.map((share) => n * share);
  const sizes = ideal.map(floorWithTolerance);
  let left = n - sizes.reduce((a, b) => a + b, 0);
  const order = shares
    .map((_, k) => k)
    .sort((a, b) => ideal[b] - sizes[b] - (ideal[a] - sizes[a]) || a - b);
  for (const k of order) {
    if (left <= 0) break;
    if (ideal[k] - sizes[k] > INTEGER_TOLERANCE) {
      sizes[k]++;
      left--;
    }
  }
  return sizes;
}

function floorWithTolerance(x: number): number {
  const nearest = Math.round(x);
  return Math.abs(x - nearest) <= INTEGER_TOLERANCE ? nearest : Math.floor(x);
}

interface PartPlan {
  readonly names: string[];
  /** Target rows per part; a last, hidden part holds the rows left out (counts only). */
  readonly sizes: number[];
  /** Share of the table per part (same length as sizes). */
  readonly shares: number[];
  readonly hidden: boolean;
}

function planParts(n: number, specs: readonly SplitPartSpec[]): PartPlan {
  if (specs.length === 0) throw splitErrors.noParts();
  const names: string[] = [];
  for (const spec of specs) {
    if (names.includes(spec.name)) throw splitErrors.duplicateName(spec.name);
    names.push(spec.name);
  }
  const byFraction = specs.every((s) => 'fraction' in s);
  const byCount = specs.every((s) => 'count' in s);
  if (!byFraction && !byCount) throw splitErrors.mixedSizes();
  if (byFraction) {
    const shares = specs.map((spec) => {
      const fraction = (spec as { fraction: number }).fraction;
      if (!(fraction > 0 && fraction <= 1)) throw splitErrors.badFraction(spec.name, fraction);
      return fraction;
    });
    const sum = shares.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > FRACTION_SUM_TOLERANCE) throw splitErrors.fractionSum(sum);
    return { names, sizes: largestRemainderSizes(n, shares), shares, hidden: false };
  }
  const sizes = specs.map((spec) => {
    const count = (spec as { count: number }).count;
    if (!Number.isInteger(count) || count < 0) throw splitErrors.badCount(spec.name, count);
    return count;
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total > n) throw splitErrors.countSum(total, n);
  const hidden = total < n;
  if (hidden) sizes.push(n - total);
  const shares = sizes.map((size) => (n === 0 ? 0 : size / n));
  return { names, sizes, shares, hidden };
}

/** Partitions the table's rows into the given parts (see the module comment). */
export function splitTable(
  table: Table,
  specs: readonly SplitPartSpec[],
  options: SplitOptions,
): SplitResult {
  if (!Number.isInteger(options.seed)) throw splitErrors.badSeed(options.seed);
  const n = table.nRows;
  const plan = planParts(n, specs);
  const stratifyColumn =
    options.stratifyBy === undefined ? undefined : requireColumn(table, options.stratifyBy);
  const classColumnName = options.classColumn ?? options.stratifyBy;
  const classColumn =
    classColumnName === undefined ? undefined : requireColumn(table, classColumnName);
  const rng = new Rng(options.seed);
  const partRows =
    stratifyColumn === undefined
      ? shuffledRuns(n, plan.sizes, rng)
      : stratifiedRuns(stratifyColumn, plan, rng);
  const visible = plan.names.length;
  const description = splitDescription(table, options);
  const classGroups = classColumn === undefined ? undefined : groupRows(classColumn);
  const classOfRow = classGroups && classIndexOfRows(n, classGroups);

  const parts: SplitPart[] = plan.names.map((name, k) => {
    const indices = partRows[k].sort();
    const part: SplitPart = {
      name,
      indices,
      table: takeRows(table, indices, `${description}: part ${name}`),
      size: indices.length,
    };
    if (classGroups === undefined || classOfRow === undefined) return part;
    const classCounts = new Array<number>(classGroups.length).fill(0);
    for (const row of indices) classCounts[classOfRow[row]]++;
    const classProportions = classCounts.map((c) =>
      indices.length === 0 ? 0 : c / indices.length,
    );
    return { ...part, classCounts, classProportions };
  });
  return {
    parts,
    seed: options.seed,
    stratifiedBy: options.stratifyBy,
    classColumn: classColumnName,
    classes: classGroups?.map((g) => g.value),
    classCounts: classGroups?.map((g) => g.indices.length),
    unassigned: plan.hidden ? plan.sizes[visible] : 0,
  };
}

function splitDescription(table: Table, options: SplitOptions): string {
  const from = table.source.path ?? table.source.derivedFrom ?? 'a table';
  const how =
    options.stratifyBy === undefined
      ? `seed ${options.seed}`
      : `seed ${options.seed}, stratified by ${options.stratifyBy}`;
  return `split of ${from} (${how})`;
}

function classIndexOfRows(n: number, groups: readonly { indices: Int32Array }[]): Int32Array {
  const classOf = new Int32Array(n);
  groups.forEach((group, c) => {
    for (const row of group.indices) classOf[row] = c;
  });
  return classOf;
}

/** One shuffle of 0..n-1 cut into runs of the given sizes. */
function shuffledRuns(n: number, sizes: readonly number[], rng: Rng): Int32Array[] {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  rng.shuffle(order);
  const runs: Int32Array[] = [];
  let start = 0;
  for (const size of sizes) {
    runs.push(order.slice(start, start + size));
    start += size;
  }
  return runs;
}

/** Per part, its rows: each class shuffled and dealt out by the allocation. */
function stratifiedRuns(column: Column, plan: PartPlan, rng: Rng): Int32Array[] {
  const groups = groupRows(column);
  const allocation = allocateStrata(
    groups.map((g) => g.indices.length),
    plan.shares,
    plan.sizes,
  );
  const runs = plan.sizes.map((size) => new Int32Array(size));
  const filled = new Array<number>(plan.sizes.length).fill(0);
  groups.forEach((group, c) => {
    const rows = rng.shuffle(group.indices.slice());
    let next = 0;
    allocation[c].forEach((count, k) => {
      runs[k].set(rows.subarray(next, next + count), filled[k]);
      filled[k] += count;
      next += count;
    });
  });
  return runs;
}

/**
 * Rows per class and part: cell (c, k) is floor or ceil of classSizes[c]·shares[k], row c adds
 * up to classSizes[c] and column k to partSizes[k] (which must be roundings of n·shares[k]
 * adding up to n, as largest remainder gives).
 */
export function allocateStrata(
  classSizes: readonly number[],
  shares: readonly number[],
  partSizes: readonly number[],
): number[][] {
  const parts = shares.length;
  const ideal = classSizes.map((size) => shares.map((share) => size * share));
  const cells = ideal.map((row) => row.map(floorWithTolerance));
  const fraction = ideal.map((row, c) => row.map((x, k) => x - cells[c][k]));
  // May a cell round up? Only where its ideal is not a whole number.
  const canRoundUp = fraction.map((row) => row.map((f) => f > INTEGER_TOLERANCE));
  const classNeed = classSizes.map((size, c) => size - sum(cells[c]));
  const partNeed = partSizes.map((size, k) => size - sum(cells.map((row) => row[k])));
  const up = classSizes.map(() => new Array<boolean>(parts).fill(false));

  // Greedy: each class rounds up its largest fractions, where the part still has room.
  classSizes.forEach((_, c) => {
    const order = fraction[c]
      .map((_, k) => k)
      .sort((a, b) => fraction[c][b] - fraction[c][a] || a - b);
    for (const k of order) {
      if (classNeed[c] === 0) break;
      if (canRoundUp[c][k] && partNeed[k] > 0) {
        up[c][k] = true;
        classNeed[c]--;
        partNeed[k]--;
      }
    }
  });
  // Whatever the greedy left, augmenting paths complete (a flow of rounded-up cells).
  classSizes.forEach((_, c) => {
    while (classNeed[c] > 0) {
      if (!augment(c, up, canRoundUp, partNeed)) {
        throw new Error(`internal: no stratified allocation for class ${c}`);
      }
      classNeed[c]--;
    }
  });
  return cells.map((row, c) => row.map((cell, k) => cell + (up[c][k] ? 1 : 0)));
}

/**
 * Finds, breadth first, a path class → part → class → … → part with room, alternating cells
 * that are not yet rounded up and cells that are; flipping the path rounds up one more cell of
 * `start` and uses one unit of the last part's room. False when there is no such path.
 */
function augment(
  start: number,
  up: boolean[][],
  canRoundUp: readonly (readonly boolean[])[],
  partNeed: number[],
): boolean {
  const classes = up.length;
  const parts = partNeed.length;
  const partFrom = new Int32Array(parts).fill(-1); // the class a part was reached from
  const classFrom = new Int32Array(classes).fill(-1); // the part a class was reached from
  const seenClass = new Uint8Array(classes);
  seenClass[start] = 1;
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const c = queue[head];
    for (let k = 0; k < parts; k++) {
      if (partFrom[k] >= 0 || up[c][k] || !canRoundUp[c][k]) continue;
      partFrom[k] = c;
      if (partNeed[k] > 0) {
        // Flip the path back to the start.
        partNeed[k]--;
        let part = k;
        for (;;) {
          const cls = partFrom[part];
          up[cls][part] = true;
          if (cls === start) return true;
          const previous = classFrom[cls];
          up[cls][previous] = false;
          part = previous;
        }
      }
      for (let other = 0; other < classes; other++) {
        if (!seenClass[other] && up[other][k]) {
          seenClass[other] = 1;
          classFrom[other] = k;
          queue.push(other);
        }
      }
    }
  }
  return false;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/**
 * The given rows of a table as a new table, in the order given. Text columns are re-encoded so
 * that their categories are exactly the values present, in order of first appearance.
 */
export function takeRows(table: Table, indices: ArrayLike<number>, derivedFrom?: string): Table {
  const n = indices.length;
  const columns = table.columns.map((column): Column => {
    if (column.kind === 'number') {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = column.values[indices[i]];
      return { kind: 'number', name: column.name, values };
    }
    const newCode = new Int32Array(column.categories.length).fill(-1);
    const categories: string[] = [];
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const code = column.codes[indices[i]];
      if (code < 0) {
        codes[i] = -1;
        continue;
      }
      if (newCode[code] < 0) {
        newCode[code] = categories.length;
        categories.push(column.categories[code]);
      }
      codes[i] = newCode[code];
    }
    return { kind: 'string', name: column.name, codes, categories };
  });
  const from = table.source.path ?? table.source.derivedFrom ?? 'a table';
  return makeTable(columns, { derivedFrom: derivedFrom ?? `${n} rows of ${from}` });
}
