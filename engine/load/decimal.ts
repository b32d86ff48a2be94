/**
 * Decimal numbers read straight from bytes, giving exactly what `Number(text)` gives.
 *
 * The accepted syntax is a plain decimal: `[+-]? (D+ (. D*)? | . D+) ([eE] [+-]? D+)?`. Hex,
 * binary, `Infinity`, `NaN`, underscores and surrounding white space are not numbers here
 * (`Number()` would accept some of them), so a column that holds them stays text.
 *
 * Fast path (Clinger's): when there is no exponent and at most 15 digits, the digits form an
 * integer m < 10^15 < 2^53 and the value is m / 10^f with f ≤ 15 fraction digits. Both operands
 * are exact doubles, and IEEE division rounds the exact quotient correctly, which is also what
 * a correctly rounded decimal conversion (`Number()`) returns. Anything else goes through
 * `Number()` on the text, so the result never differs.
 */

/** 10^0 .. 10^22: every one of them is exactly representable as a double. */
const POWERS_OF_TEN: readonly number[] = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** Longest digit string whose integer value is certainly exact (10^15 < 2^53). */
export const MAX_FAST_DIGITS = 15;

const ZERO = 48;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const LOWER_E = 101;
const UPPER_E = 69;

const utf8 = new TextDecoder();

/** The ASCII bytes [start, end) as a string (callers have checked there is no byte > 127). */
export function asciiText(bytes: Uint8Array, start: number, end: number): string {
  // Short values (numbers, labels) are cheaper built by hand than through a decoder call.
  if (end - start > 24) return utf8.decode(bytes.subarray(start, end));
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]);
  return text;
}

/**
 * The value of the decimal number in bytes [start, end), or NaN when those bytes are not a
 * plain decimal (see the module comment). An empty range is not a number.
 */
export function parseDecimalBytes(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (i < end) {
    const c = bytes[i];
    if (c === MINUS) {
      negative = true;
      i++;
    } else if (c === PLUS) {
      i++;
    }
  }
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  while (i < end) {
    const d = bytes[i] - ZERO;
    if (d < 0 || d > 9) break;
    mantissa = mantissa * 10 + d;
    digits++;
    i++;
  }
  if (i < end && bytes[i] === DOT) {
    i++;
    while (i < end) {
      const d = bytes[i] - ZERO;
      if (d < 0 || d > 9) break;
      mantissa = mantissa * 10 + d;
      digits++;
      fractionDigits++;
      i++;
    }
  }
  if (digits === 0) return NaN;
  if (i === end) {
    if (digits <= MAX_FAST_DIGITS) {
      const value = mantissa / POWERS_OF_TEN[fractionDigits];
      return negative ? -value : value;
    }
    return Number(asciiText(bytes, start, end));
  }
  const e = bytes[i];
  if (e !== LOWER_E && e !== UPPER_E) return NaN;
  i++;
  if (i < end && (bytes[i] === PLUS || bytes[i] === MINUS)) i++;
  const exponentStart = i;
  while (i < end) {
    const d = bytes[i] - ZERO;
    if (d < 0 || d > 9) break;
    i++;
  }
  if (i === exponentStart || i !== end) return NaN;
  return Number(asciiText(bytes, start, end));
}

const encoder = new TextEncoder();

/** `parseDecimalBytes` for a string: NaN unless the whole string is a plain decimal. */
export function parseDecimalText(text: string): number {
  // Non-ASCII text is never a number; checking first keeps the byte view one-to-one.
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return NaN;
  const bytes = encoder.encode(text);
  return parseDecimalBytes(bytes, 0, bytes.length);
}
