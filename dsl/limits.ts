/**
 * The bounds of every size a cell controls, documented in docs/language.md ("Limits"). Each
 * is far above what a real cell needs and low enough that the lexer, the parser and every
 * recursive walk of a tree (checker, printer, evaluator) stay within a small, fixed budget of
 * memory, time and stack, whatever the input: a cell beyond one is refused with a diagnostic
 * before anything large is allocated.
 */
import { MAX_BINS } from '../engine/metrics/calibration.js';
import { MAX_RESAMPLES } from '../engine/stats/bootstrap.js';

/**
 * Characters in a cell or program file: room for some 250,000 short statements (parsed one
 * statement at a time, in linear time), and a bound on what one cell can make the lexer read.
 */
export const MAX_PROGRAM_LENGTH = 4_000_000;

/** Characters in one string literal or backticked name, quotes left out. */
export const MAX_STRING_LENGTH = 10_000;

/**
 * Tokens (words, numbers, strings, symbols) in one statement. The Earley parser's work grows
 * faster than linearly with a statement's length; at this bound a statement parses in a
 * fraction of a second.
 */
export const MAX_STATEMENT_TOKENS = 1_000;

/**
 * Levels of a `check` expression's tree: each operator, `not` and minus sign applied to the
 * result of another adds one, parentheses none (`a + b + c` is three deep: two `+` over the
 * names). Bounds the recursion of the checker, the printer and the evaluator.
 */
export const MAX_EXPRESSION_DEPTH = 100;

/** Problems reported for one cell; the rest of a cell with more is not reported. */
export const MAX_DIAGNOSTICS = 100;

/** An integer clause's range, both ends included. */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

/** Seeds are 32-bit: the generator (engine/random.ts) takes a seed modulo 2^32. */
export const SEED_RANGE: IntegerRange = { min: 0, max: 4_294_967_295 };

/** Calibration bins: each holds a row count and two sums; beyond this, bins hold a row or none. */
export const BINS_RANGE: IntegerRange = { min: 1, max: MAX_BINS };

/**
 * Bootstrap resamples: one array of that many numbers per metric and model; the intervals
 * stop moving long before the bound, which keeps those arrays at a few megabytes.
 */
export const RESAMPLES_RANGE: IntegerRange = { min: 1, max: MAX_RESAMPLES };

/** Epochs of patience of `curve`. */
export const PATIENCE_RANGE: IntegerRange = { min: 1, max: 1_000_000 };

/** Rows `show ... limit` displays: more rows than that belong in a file, not in a notebook. */
export const SHOW_LIMIT_RANGE: IntegerRange = { min: 0, max: 10_000 };

/** Rows of a split part given as a count: the largest length of a JavaScript array. */
export const SPLIT_ROWS_RANGE: IntegerRange = { min: 0, max: 4_294_967_295 };
