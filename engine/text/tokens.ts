/**
 * Tokenisation helpers shared by the text metrics. The reference implementations are Python
 * programs, so "whitespace" here is Python's (`str.isspace`, which `str.split()`, `str.strip()`
 * and the `\s` of `re` on str patterns all use), not JavaScript's `\s`: Python counts the
 * information separators U+001C–U+001F and NEL (U+0085) as whitespace and not U+FEFF.
 * Characters are Unicode code points, never UTF-16 code units.
 */

/** Python's whitespace as a regular-expression class (the same set as `isPythonSpace`). */
export const PYTHON_SPACE_CLASS =
  '[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

/** True when the code point is whitespace for Python's `str.isspace()`. */
export function isPythonSpace(cp: number): boolean {
  if (cp <= 0x20) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x1f);
  if (cp < 0x85) return false;
  return (
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** Python's `text.split()`: the maximal runs of non-whitespace, in order. */
export function splitPythonWhitespace(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    // Every Python whitespace character is in the BMP, so surrogates never count as spaces.
    const space = isPythonSpace(text.charCodeAt(i));
    if (space) {
      if (start >= 0) out.push(text.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(text.slice(start));
  return out;
}

/** Python's `text.strip()`. */
export function stripPythonWhitespace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPythonSpace(text.charCodeAt(start))) start++;
  while (end > start && isPythonSpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Python's `text.rstrip()`. */
export function rstripPythonWhitespace(text: string): string {
  let end = text.length;
  while (end > 0 && isPythonSpace(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** The number of Unicode code points in `text` (a surrogate pair counts once). */
export function codePointLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** The code points of `text`, in order. */
export function codePoints(text: string): Int32Array {
  const out = new Int32Array(codePointLength(text));
  let k = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i) as number;
    out[k++] = cp;
    if (cp > 0xffff) i++;
  }
  return out;
}

/**
 * Maps strings to dense integer ids (0, 1, 2, … in order of first appearance), so that the
 * metrics compare and count tokens as integers in typed arrays.
 */
export class TokenVocabulary {
  private readonly ids = new Map<string, number>();

  /** The id of `token`, assigning the next one when it is new. */
  id(token: string): number {
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(token, id);
    }
    return id;
  }

  /** The ids of `tokens`, in order. */
  encode(tokens: readonly string[]): Int32Array {
    const out = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) out[i] = this.id(tokens[i]);
    return out;
  }

  get size(): number {
    return this.ids.size;
  }
}

/**
 * Levenshtein distance (insertions, deletions and substitutions, each costing 1) between two
 * integer sequences, in O(|a|·|b|) time and O(min) memory. `row` may be passed in to reuse a
 * buffer of at least |b| + 1 entries across calls.
 */
export function levenshtein(a: Int32Array, b: Int32Array, row?: Int32Array): number {
  if (a.length < b.length) [a, b] = [b, a];
  const m = b.length;
  if (m === 0) return a.length;
  const prev = row !== undefined && row.length > m ? row : new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0];
    prev[0] = i;
    const ai = a[i - 1];
    for (let j = 1; j <= m; j++) {
      const above = prev[j];
      const substitution = diagonal + (ai === b[j - 1] ? 0 : 1);
      const deletion = above + 1;
      const insertion = prev[j - 1] + 1;
      let best = substitution < deletion ? substitution : deletion;
      if (insertion < best) best = insertion;
      prev[j] = best;
      diagonal = above;
    }
  }
  return prev[m];
}
