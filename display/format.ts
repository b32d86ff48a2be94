/**
 * Number and label formatting shared by every output format (plain text, HTML, markdown).
 *
 * The formats are fixed, not locale-dependent, so that output is byte-identical on every
 * machine: metrics with 4 decimals, percentages with 2, counts with `,` thousands separators,
 * deltas always signed, p-values with three decimals and "< 0.001" below that (the engine's
 * formatPValue, the same in tables and sentences). A missing or undefined value (null, NaN) is
 * shown as `n/a`.
 */
import type { Label } from '../engine/table.js';

// One rounding of p-values for the whole project; the renderers take it from here.
export { formatPValue } from '../engine/analysis/statements.js';

/** What an undefined value (null, undefined, NaN) looks like in every table and sentence. */
export const MISSING = 'n/a';

function isMissing(x: number | null | undefined): x is null | undefined {
  return x === null || x === undefined || Number.isNaN(x);
}

/** `toFixed` that never prints "-0.0000" for a value that rounds to zero. */
function fixed(x: number, digits: number): string {
  const text = x.toFixed(digits);
  return /^-0(\.0*)?$/u.test(text) ? text.slice(1) : text;
}

function infinity(x: number): string | null {
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '-∞';
  return null;
}

/**
 * A metric value: 4 decimals (0.8947). Values too large or too small for 4 decimals to say
 * anything (regression errors such as an MSE of 1.2e7 or 3.4e-9) switch to 4 significant
 * digits in exponent form.
 */
export function formatMetric(x: number | null | undefined, digits = 4): string {
  if (isMissing(x)) return MISSING;
  const inf = infinity(x);
  if (inf !== null) return inf;
  const magnitude = Math.abs(x);
  if (magnitude !== 0 && (magnitude < 10 ** -digits || magnitude >= 1e7)) {
    return x.toExponential(digits - 1);
  }
  return fixed(x, digits);
}

/** A fraction as a percentage: 0.98076 → "98.08%". */
export function formatPercent(fraction: number | null | undefined, digits = 2): string {
  if (isMissing(fraction)) return MISSING;
  return `${fixed(fraction * 100, digits)}%`;
}

/** A whole number with thousands separators: 1234567 → "1,234,567". */
export function formatCount(n: number | null | undefined): string {
  if (isMissing(n)) return MISSING;
  const inf = infinity(n);
  if (inf !== null) return inf;
  if (!Number.isInteger(n)) return formatMetric(n);
  const digits = String(Math.abs(n));
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) {
    groups.unshift(digits.slice(Math.max(0, end - 3), end));
  }
  return (n < 0 ? '-' : '') + groups.join(',');
}

/**
 * A signed difference with 4 decimals: "+0.0123", "-0.0040"; a difference that rounds to
 * zero is "0.0000" (no sign: it says nothing about a direction).
 */
export function formatDelta(x: number | null | undefined, digits = 4): string {
  if (isMissing(x)) return MISSING;
  const text = fixed(x, digits);
  if (/^0(\.0*)?$/u.test(text)) return text;
  return x > 0 ? `+${text}` : text;
}

/** A difference of two fractions in percentage points: 0.0235 → "+2.35 pp". */
export function formatPointsDelta(x: number | null | undefined, digits = 2): string {
  if (isMissing(x)) return MISSING;
  const delta = formatDelta(x * 100, digits);
  return delta === MISSING ? delta : `${delta} pp`;
}

/**
 * A threshold or other free-range number: up to 6 significant digits without trailing
 * zeros (0.5, 0.734512, 1.5), exponent form only for very small or large magnitudes.
 */
export function formatNumber(x: number | null | undefined, significant = 6): string {
  if (isMissing(x)) return MISSING;
  const inf = infinity(x);
  if (inf !== null) return inf;
  if (x === 0) return '0';
  const magnitude = Math.abs(x);
  if (magnitude < 1e-4 || magnitude >= 1e9) {
    return x.toExponential(significant - 1).replace(/\.?0+e/u, 'e');
  }
  const text = x.toPrecision(significant);
  if (text.includes('e')) return String(Number(text));
  return text.includes('.') ? text.replace(/\.?0+$/u, '') : text;
}

/** A signed interval for a difference: "[-0.0120, +0.0450]". */
export function formatDeltaInterval(lower: number | null, upper: number | null): string {
  return `[${formatDelta(lower)}, ${formatDelta(upper)}]`;
}

/**
 * A class label as shown in tables and charts: text labels as they are (no quotes), numbers
 * as numbers, a missing value as `n/a`. (Messages quote labels with `formatLabel`; a table
 * column of labels reads better without quotes.)
 */
export function labelText(label: Label | null | undefined): string {
  if (label === null || label === undefined) return MISSING;
  return typeof label === 'number' ? formatNumber(label) : label;
}

/** "1 row", "2 rows": a count and a noun that agrees with it. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}
