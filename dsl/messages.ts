/**
 * Every user-facing message of the language front end, as functions, with its code. Tests
 * compare rendered diagnostics against these texts; change wording here, not at the call
 * sites.
 *
 * Codes: E00xx are lexical (characters, strings, names in backticks), E01xx syntactic. The
 * checker's messages take E02xx and up; warnings are W-codes.
 */
import type { Severity } from './diagnostics.js';

/** A diagnostic before it is given a place. */
export interface Message {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly hints: readonly string[];
}

export const CODES = {
  unexpectedCharacter: 'E0001',
  unterminatedString: 'E0002',
  unknownEscape: 'E0003',
  unclosedBacktick: 'E0004',
  emptyBackticks: 'E0005',
  singleQuotedString: 'E0006',
  numberOutOfRange: 'E0007',
  unexpectedToken: 'E0101',
  unexpectedEnd: 'E0102',
  expectedStatement: 'E0103',
  duplicateClause: 'E0104',
  splitPartOver100: 'E0105',
} as const;

export type Code = (typeof CODES)[keyof typeof CODES];

/** The words a statement starts with, in the order the reference presents them. */
export const STATEMENT_KEYWORDS = [
  'load',
  'split',
  'compare',
  'threshold',
  'calibration',
  'curve',
  'report',
  'check',
  'show',
  'set',
  'param',
] as const;
export type StatementKeyword = (typeof STATEMENT_KEYWORDS)[number];

export function isStatementKeyword(word: string): word is StatementKeyword {
  return (STATEMENT_KEYWORDS as readonly string[]).includes(word);
}

/**
 * A short synopsis of each statement, for hints and for the kernel's inspection; the
 * optional clauses of `compare` are many, so its synopsis stands them in as `[OPTIONS]`.
 */
export const STATEMENT_USAGE: Readonly<Record<StatementKeyword, string>> = {
  load: 'load "FILE" as NAME [format csv|tsv|json|jsonl|parquet]',
  split:
    'split TABLE into NAME SIZE, ... [seed N] [stratify by COLUMN]  or  split TABLE by COLUMN [as NAME]',
  compare: 'compare [NAME =] COLUMN [score COLUMN], ... on TABLE against LABEL [OPTIONS]',
  threshold:
    'threshold [NAME =] COLUMN, ... on TABLE against LABEL [positive VALUE] [pick RULE] [explain] [as NAME]',
  calibration:
    'calibration [NAME =] COLUMN, ... on TABLE against LABEL [positive VALUE] [bins N] [as NAME]',
  curve: 'curve TABLE [epoch COLUMN] [train COLUMN] [val COLUMN] [patience N] [as NAME]',
  report: 'report ["FILE.html" | "FILE.md"] [title "TITLE"]',
  check: 'check EXPRESSION  or  check leakage TABLE, TABLE on COLUMN [normalized]',
  show: 'show NAME [limit N]',
  set: 'set positive VALUE  or  set seed N',
  param: 'param NAME = "TEXT" | NUMBER',
};

/** `a`, `a or b`, `a, b or c`. */
export function oneOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Source text quoted for a message: in backticks, cut short when long. */
export function quote(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 39)}…` : text;
  return short.includes('`') ? `\`\` ${short} \`\`` : `\`${short}\``;
}

function error(code: Code, message: string, hints: readonly string[] = []): Message {
  return { code, severity: 'error', message, hints };
}

// ---------------------------------------------------------------------------------------------
// Hints

export function didYouMean(words: readonly string[]): string {
  return `did you mean ${oneOf(words.map(quote))}?`;
}

export function usage(keyword: StatementKeyword): string {
  return `usage: ${STATEMENT_USAGE[keyword]}`;
}

export function statementKeywordList(): string {
  return `a statement starts with ${oneOf(STATEMENT_KEYWORDS.map(quote))}`;
}

export function operatorWordAsName(word: string): string {
  return `${quote(word)} is an operator; to use it as a name, write it in backticks: \`\` \`${word}\` \`\``;
}

export function useDoubleEquals(): string {
  return 'to test equality, write `==`';
}

export function comparisonsDoNotChain(): string {
  return 'comparisons do not chain: write `a < b and b < c`';
}

export function statementOnItsOwnLine(keyword: string): string {
  return `${quote(keyword)} starts a statement: put it on a line of its own`;
}

export function continueWithIndent(): string {
  return 'a statement continues on the next line only if that line is indented';
}

export function indentToContinue(): string {
  return 'if this line continues the statement above, indent it';
}

export function quoteFileName(): string {
  return 'a file name is a string: put it in double quotes, as in `load "data/test.csv" as test`';
}

export function missingComma(): string {
  return 'separate the items of a list with commas';
}

export function quoteText(word: string): string {
  return `text goes in double quotes: "${word}"`;
}

export function unquoteNumber(text: string): string {
  return `a number is written without quotes: ${text}`;
}

export function closeParenthesis(open: { line: number; col: number }): string {
  return `close the \`(\` at line ${open.line}, col ${open.col}`;
}

export function leakageTwoTables(): string {
  return '`check leakage` takes two tables, the one trained on and the one evaluated on; check more pairs with more statements';
}

export function paramDefinition(name: string): string {
  return `to define a parameter, write \`param ${name} = ...\``;
}

export function backtickName(word: string): string {
  return `a name with characters other than ASCII letters, digits and \`_\` goes in backticks: \`\` \`${word}\` \`\``;
}

// ---------------------------------------------------------------------------------------------
// Lexical errors (E00xx)

/** Hints for a character the lexer does not know, by character. */
function characterHints(char: string, word: string | undefined): string[] {
  if (char === ';') return ['a statement ends at the end of its line; no `;` is needed'];
  if (char === '!') return ['for "not equal" write `!=`; to negate, write `not`'];
  if (char === '&' || char === '|') return ['write `and` and `or`'];
  if (char === '%') return ['write the percent sign right after the number, as in `80%`'];
  if ('“”„«»'.includes(char)) return ['use straight double quotes: `"`'];
  if ('‘’'.includes(char)) return ['strings use straight double quotes: `"`'];
  if ('[]{}'.includes(char)) {
    return ['lists have no brackets: separate the items with commas, as in `metrics f1, accuracy`'];
  }
  if (word !== undefined && /\p{L}/u.test(char)) return [backtickName(word)];
  return [];
}

/**
 * `word`: when the character is a letter inside a longer run of text, that run, to show how
 * to write it as a name.
 */
export function unexpectedCharacter(char: string, word?: string): Message {
  const shown =
    char.trim() === ''
      ? `U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`
      : char;
  return error(
    CODES.unexpectedCharacter,
    `unexpected character ${quote(shown)}`,
    characterHints(char, word),
  );
}

export function unterminatedString(): Message {
  return error(CODES.unterminatedString, 'unterminated string', [
    'close it with `"` on the same line: a string cannot span lines',
  ]);
}

export function unknownEscape(escape: string): Message {
  return error(CODES.unknownEscape, `unknown escape ${quote(escape)} in a string`, [
    'a string may contain the escapes `\\"`, `\\\\`, `\\n` and `\\t`',
    'for a backslash write `\\\\`; in a file path `/` works too',
  ]);
}

export function unclosedBacktick(): Message {
  return error(CODES.unclosedBacktick, 'unclosed backtick', [
    'end the name with a backtick on the same line, as in `` `my col` ``',
  ]);
}

export function emptyBackticks(): Message {
  return error(CODES.emptyBackticks, 'empty name in backticks', [
    'write the name between the backticks, as in `` `my col` ``',
  ]);
}

export function singleQuotedString(text: string): Message {
  const inner = text.endsWith("'") && text.length > 1 ? text.slice(1, -1) : text.slice(1);
  return error(CODES.singleQuotedString, 'strings are written in double quotes', [
    `write "${inner}"`,
  ]);
}

export function numberOutOfRange(text: string): Message {
  return error(CODES.numberOutOfRange, `the number ${quote(text)} is too large`);
}

// ---------------------------------------------------------------------------------------------
// Syntax errors (E01xx)

/** `expected` are descriptions (`` `on` ``, `a column name`), `after` a phrase such as `` after `test` ``. */
export function unexpectedToken(
  expected: readonly string[],
  after: string,
  found: string,
  hints: readonly string[] = [],
): Message {
  return error(
    CODES.unexpectedToken,
    `expected ${oneOf(expected)} ${after}, found ${found}`,
    hints,
  );
}

export function unexpectedEnd(
  expected: readonly string[],
  after: string,
  hints: readonly string[] = [],
): Message {
  return error(
    CODES.unexpectedEnd,
    `expected ${oneOf(expected)} ${after}, found the end of the statement`,
    hints,
  );
}

export function expectedStatement(found: string, hints: readonly string[] = []): Message {
  return error(CODES.expectedStatement, `expected a statement, found ${found}`, hints);
}

export function duplicateClause(keyword: string, first: { line: number; col: number }): Message {
  return error(CODES.duplicateClause, `${quote(keyword)} is given twice`, [
    `the first is at line ${first.line}, col ${first.col}; keep one of them`,
  ]);
}

export function splitPartOver100(text: string): Message {
  return error(
    CODES.splitPartOver100,
    `a part of a split cannot be more than 100%, found ${quote(text)}`,
  );
}
