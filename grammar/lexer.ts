/**
 * The lexer of the Evalbook language: cell text → tokens.
 *
 * It never throws. Text it cannot read becomes an error token (`invalid`,
 * `unterminatedString`, `unclosedBacktick`, ...) that the parse entry turns into a diagnostic
 * with a span. Whitespace, newlines and comments come out as trivia tokens: the parse entry
 * needs them to split a cell into statements (a line that starts with indentation continues
 * the statement above) and then drops them before the parser sees the tokens.
 *
 * Keywords are contextual: every word lexes as `word` and the grammar matches keywords by
 * their text, so a column may be called `label`, `test` or `epoch`. Only the three operator
 * words `and`, `or`, `not` get a type of their own, because an expression could not tell them
 * apart from names.
 */
import moo from 'moo';

/** Tokens that carry no meaning for the parser. */
export const TRIVIA_TYPES = ['ws', 'nl', 'comment'] as const;
export type TriviaType = (typeof TRIVIA_TYPES)[number];

/** Tokens the lexer emits for text it cannot read; each becomes a diagnostic. */
export const ERROR_TYPES = [
  'unterminatedString',
  'singleQuoted',
  'emptyBackticks',
  'unclosedBacktick',
  'invalid',
] as const;
export type ErrorTokenType = (typeof ERROR_TYPES)[number];

/** Tokens the grammar consumes. */
export const SIGNIFICANT_TYPES = [
  'string',
  'backticked',
  'percent',
  'number',
  'word',
  'operatorWord',
  'op',
] as const;
export type SignificantType = (typeof SIGNIFICANT_TYPES)[number];

export type TokenType = TriviaType | ErrorTokenType | SignificantType;

/** The words that can never be names unless backticked: an expression needs them. */
export const OPERATOR_WORDS = ['and', 'or', 'not'] as const;

/** Punctuation and operators, longest first where one is a prefix of another. */
export const OPERATORS = [
  '>=',
  '<=',
  '==',
  '!=',
  '<',
  '>',
  '=',
  '+',
  '-',
  '*',
  '/',
  '(',
  ')',
  ',',
  '.',
] as const;

const NUMBER_SOURCE = String.raw`\d+(?:\.\d+)?(?:[eE][+-]?\d+)?`;

/** A plain identifier: what a name may be without backticks (operator words aside). */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The moo lexer. Order matters: at one position moo takes the first rule that matches, so
 * a closed string is tried before an unterminated one, a percentage before a number.
 */
export const lexer = moo.compile({
  nl: { match: /\r?\n/, lineBreaks: true },
  // A lone carriage return and a no-break space (pasted text) count as plain spacing.
  ws: /[ \t\r\f\v\u00a0]+/,
  comment: /#[^\n]*/,
  // Unrolled (a run of plain characters, then escapes each followed by a run) rather than
  // `(?:\\.|[^"])*`: an alternation inside a star costs the regex engine stack per character,
  // and a long string literal overflowed it.
  string: /"[^"\\\n]*(?:\\[^\n][^"\\\n]*)*"/,
  unterminatedString: /"[^"\\\n]*(?:\\[^\n][^"\\\n]*)*\\?/,
  singleQuoted: /'[^'\n]*'?/,
  emptyBackticks: '``',
  backticked: /`[^`\n]+`/,
  unclosedBacktick: /`[^`\n]*/,
  percent: new RegExp(NUMBER_SOURCE + '%'),
  number: new RegExp(NUMBER_SOURCE),
  word: {
    match: /[A-Za-z_][A-Za-z0-9_]*/,
    type: moo.keywords({ operatorWord: [...OPERATOR_WORDS] }),
  },
  op: [...OPERATORS],
  // One character (a whole surrogate pair for characters outside the BMP).
  invalid: /[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\n]/,
});

/** A token as moo produces it: `offset` is into the cell text, `line` and `col` are 1-based. */
export interface Token {
  readonly type: TokenType;
  /** The source text, including quotes or backticks. */
  readonly text: string;
  /** `text` for most tokens; the name inside the backticks for `backticked`. */
  readonly value: string;
  readonly offset: number;
  readonly line: number;
  readonly col: number;
}

/** Splits a whole cell into tokens, trivia and error tokens included. Never throws. */
export function tokenize(text: string): Token[] {
  lexer.reset(text);
  const tokens: Token[] = [];
  for (const t of lexer) {
    const type = t.type as TokenType;
    tokens.push({
      type,
      text: t.text,
      value: type === 'backticked' ? t.text.slice(1, -1) : t.text,
      offset: t.offset,
      line: t.line,
      col: t.col,
    });
  }
  return tokens;
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };

export type DecodedString =
  | { readonly ok: true; readonly value: string }
  /** `offset` is the backslash's position within the token text. */
  | { readonly ok: false; readonly offset: number; readonly escape: string };

/** The value of a `string` token's text (quotes included), or the first unknown escape. */
export function decodeString(text: string): DecodedString {
  let value = '';
  for (let i = 1; i < text.length - 1; i++) {
    const ch = text[i];
    if (ch !== '\\') {
      value += ch;
      continue;
    }
    const next = text[i + 1];
    const decoded = ESCAPES[next];
    if (decoded === undefined) return { ok: false, offset: i, escape: text.slice(i, i + 2) };
    value += decoded;
    i++;
  }
  return { ok: true, value };
}

/** The inverse of decodeString: a string literal, with quotes, whose value is `value`. */
export function encodeString(value: string): string {
  let out = '"';
  for (const ch of value) {
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return out + '"';
}

/** The value of a `number` token's text. */
export function numberValue(text: string): number {
  return Number(text);
}

/**
 * The value of a `percent` token's text as a fraction: `80%` → 0.8. The exponent is shifted
 * rather than the number divided by 100, so `33.3%` is exactly the double nearest 0.333.
 */
export function percentValue(text: string): number {
  const digits = text.slice(0, -1);
  const [mantissa, exponent = '0'] = digits.split(/[eE]/);
  return Number(`${mantissa}e${Number(exponent) - 2}`);
}
