/**
 * Tokenizers of sacrebleu's BLEU: `13a` (mteval-v13a, the WMT standard) and `none`, plus the
 * Python string primitives sacrebleu's metrics build on (whitespace split, right strip), so that
 * every metric here splits text exactly where Python's `str.split()` does.
 */

/**
 * The characters Python's `str.isspace()` accepts (what `str.split()` and `str.rstrip()` cut
 * on). It differs from JavaScript's `\s`: it has U+001C..U+001F and U+0085, and not U+FEFF.
 */
const PY_WHITESPACE =
  '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE}]+`, 'u');
const PY_TRAILING_WHITESPACE = new RegExp(`[${PY_WHITESPACE}]+$`, 'u');
const PY_WHITESPACE_GLOBAL = new RegExp(`[${PY_WHITESPACE}]+`, 'gu');

/** Python's `s.split()`: the non-empty pieces between runs of whitespace. */
export function pySplit(s: string): string[] {
  const parts = s.split(PY_WHITESPACE_RUN);
  // Leading or trailing whitespace leaves one empty piece at either end, never inside.
  if (parts.length > 0 && parts[0] === '') parts.shift();
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Python's `''.join(s.split())`: the text with all whitespace removed. */
export function pyRemoveWhitespace(s: string): string {
  return s.replace(PY_WHITESPACE_GLOBAL, '');
}

/** Python's `s.rstrip()`. */
export function pyRstrip(s: string): string {
  return s.replace(PY_TRAILING_WHITESPACE, '');
}

/** Python's `' '.join(s.split())`: whitespace runs collapsed to one space, ends trimmed. */
export function pyNormalizeSpaces(s: string): string {
  return pySplit(s).join(' ');
}

export type BleuTokenizerName = '13a' | 'none';

// mteval-v13a's language-dependent rules, in the order they apply: isolate symbols (but not
// `-`, `'`, `.`, `,`), then periods and commas unless between digits, then a dash after a digit.
const SYMBOLS = /([{-~[-` -&(-+:-@/])/gu;
const PERIOD_COMMA_AFTER_NON_DIGIT = /([^0-9])([.,])/gu;
const PERIOD_COMMA_BEFORE_NON_DIGIT = /([.,])([^0-9])/gu;
const DASH_AFTER_DIGIT = /([0-9])(-)/gu;

/**
 * sacrebleu's `13a` tokenizer: drops `<skipped>`, joins hyphenated line breaks, turns line
 * breaks into spaces, unescapes `&quot; &amp; &lt; &gt;`, then applies mteval-v13a's rules and
 * collapses whitespace. Returns the tokens joined by single spaces, as sacrebleu does.
 */
export function tokenize13a(line: string): string {
  let s = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (s.includes('&')) {
    s = s
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>');
  }
  s = ` ${s} `
    .replace(SYMBOLS, ' $1 ')
    .replace(PERIOD_COMMA_AFTER_NON_DIGIT, '$1 $2 ')
    .replace(PERIOD_COMMA_BEFORE_NON_DIGIT, ' $1 $2')
    .replace(DASH_AFTER_DIGIT, '$1 $2 ');
  return pyNormalizeSpaces(s);
}

/** sacrebleu's `none` tokenizer: the text unchanged (BLEU then splits it on whitespace). */
export function tokenizeNone(line: string): string {
  return line;
}

/** The tokenizer function of a name. */
export function bleuTokenizer(name: BleuTokenizerName): (line: string) => string {
  return name === '13a' ? tokenize13a : tokenizeNone;
}
