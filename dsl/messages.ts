/**
 * Every user-facing message of the language front end, as functions, with its code. Tests
 * compare rendered diagnostics against these texts; change wording here, not at the call
 * sites.
 *
 * Codes: E00xx are lexical (characters, strings, names in backticks), E01xx syntactic. The
 * checker's messages take E02xx and up; warnings are W-codes.
 */
import type { EngineErrorCode } from '../engine/errors.js';
import type { Severity } from './diagnostics.js';
import type { IntegerRange } from './limits.js';

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
  // Bounds of a cell's size (dsl/limits.ts).
  programTooLong: 'E0008',
  stringTooLong: 'E0009',
  unexpectedToken: 'E0101',
  unexpectedEnd: 'E0102',
  expectedStatement: 'E0103',
  duplicateClause: 'E0104',
  splitPartOver100: 'E0105',
  // Bounds of a statement's size (dsl/limits.ts).
  statementTooLong: 'E0106',
  expressionTooDeep: 'E0107',
  tooManyProblems: 'E0108',
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
  'leakage',
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
  leakage: 'leakage TABLE, TABLE on COLUMN [normalized] [as NAME]',
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
// `--set NAME=VALUE` refused before any cell runs: plain text, printed after the command's name

/** `where` is what declares the parameters: `program` (a `.eval` file) or `notebook`. */
export function overrideUnknownParam(
  name: string,
  where: 'program' | 'notebook',
  declared: readonly string[],
): string {
  const known = [...declared].sort();
  return (
    `--set ${name}: the ${where} has no parameter ${name} (` +
    `${known.length === 0 ? 'it declares none' : `its parameters: ${known.join(', ')}`}; ` +
    '`seed` sets the seed)'
  );
}

export function overrideSeedNotWhole(given: string): string {
  return `--set seed needs a whole number ≥ 0, got ${JSON.stringify(given)}`;
}

export function overrideSeedOutOfRange(given: string, range: IntegerRange): string {
  return `--set seed needs a whole number from ${range.min} to ${range.max}, got ${JSON.stringify(given)}`;
}

export function overrideNotNumber(name: string, given: string): string {
  return (
    `--set ${name}: the parameter's default is a number, so its value must be a number ` +
    `or a percentage (5%), got ${JSON.stringify(given)}`
  );
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

export function leakageTwoTables(statement: 'check leakage' | 'leakage'): string {
  return `\`${statement}\` takes two tables, the one trained on and the one evaluated on; ${statement === 'leakage' ? 'show' : 'check'} more pairs with more statements`;
}

export function paramDefinition(name: string): string {
  return `to define a parameter, write \`param ${name} = ...\``;
}

export function backtickName(word: string): string {
  return `a name with characters other than ASCII letters, digits and \`_\` goes in backticks: \`\` \`${word}\` \`\``;
}

// What the checker says a value must be, and why, where a value is refused
export const EXPECTED_VALUES = {
  share: 'between 0 and 1 (0% and 100%)',
  splitSize: 'a share or a number of rows',
  splitShare: 'more than 0% and at most 100%',
  cost: '0 or more',
  threshold: 'a finite number',
  logicalOperands: 'conditions on both sides, such as `R.delta.f1 > 0`',
  probabilityUse: 'log loss or the Brier score',
} as const;

export const VALUE_HINTS = {
  seed: 'a seed is a whole number; the same seed gives the same rows on every machine',
  share: 'write a share as a fraction (0.95) or a percentage (95%)',
  splitShare: 'give each part its share of the rows, as in `train 80%, test 20%`',
  splitRows: 'a part of a split is a share (80%) or a number of rows (800)',
  resamples: 'a thousand resamples or more give stable 95% intervals',
  cost: 'a cost is what one false positive (`fp`) or false negative (`fn`) costs',
  threshold: 'rows whose score is at or above the threshold count as positive',
  bins: 'ten equal-width bins is usual; with few rows, fewer',
  patience:
    'the patience is the number of epochs without a new best validation loss before stopping',
  showLimit: 'the limit is the number of rows to show',
} as const;

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
  // Invisible characters (spaces, controls, zero-width and direction marks) are named by
  // their code point: shown as themselves, the message would point at nothing.
  const shown = /^[\s\p{C}]$/u.test(char)
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

// Bounds of a cell's size.

export function programTooLong(length: number, limit: number): Message {
  return error(
    CODES.programTooLong,
    `the cell is ${length} characters long; a cell may have at most ${limit}`,
    ['split it into several cells; this is where the limit falls'],
  );
}

export function stringTooLong(
  what: 'string' | 'name in backticks',
  length: number,
  limit: number,
): Message {
  return error(
    CODES.stringTooLong,
    `this ${what} is ${length} characters long; at most ${limit} are allowed`,
    [
      what === 'string'
        ? 'a file name or title is far shorter; is a closing `"` misplaced?'
        : 'a column name is far shorter; is a closing backtick misplaced?',
    ],
  );
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

// Bounds of a statement's size.

export function statementTooLong(tokens: number, limit: number): Message {
  return error(
    CODES.statementTooLong,
    `this statement has ${tokens} words, numbers and symbols; a statement may have at most ${limit}`,
    ['split it into several statements; this is where the limit falls'],
  );
}

export function tooManyProblems(limit: number): Message {
  return error(
    CODES.tooManyProblems,
    `more than ${limit} problems in this cell; the rest are not shown`,
    ['fix the ones above and run the cell again'],
  );
}

export function expressionTooDeep(limit: number): Message {
  return error(CODES.expressionTooDeep, `this expression nests more than ${limit} levels deep`, [
    'each operator, `not` and minus sign applied to the result of another is a level: split the check into several checks',
  ]);
}

// ---------------------------------------------------------------------------------------------
// Meaning (E02xx): the checker's messages, about names, columns, metrics, values and data.
// Running (E03xx): data errors from the engine, interruption. Checks (E04xx): assertions that
// do not hold.

export const SEMANTIC_CODES = {
  unknownName: 'E0201',
  wrongKind: 'E0202',
  unknownColumn: 'E0203',
  unknownMetric: 'E0204',
  metricDoesNotFit: 'E0205',
  notClassLabels: 'E0206',
  unknownPositive: 'E0207',
  notNumeric: 'E0208',
  notProbabilities: 'E0209',
  splitSum: 'E0210',
  duplicateModel: 'E0211',
  badPath: 'E0212',
  reportFormat: 'E0213',
  fileNotFound: 'E0214',
  unknownParam: 'E0215',
  wrongType: 'E0216',
  outOfRange: 'E0217',
  tooFewModels: 'E0218',
  exprType: 'E0219',
  unknownFormat: 'E0220',
  reservedName: 'E0221',
  mixedSplitSizes: 'E0222',
  duplicatePart: 'E0223',
  // Data the statement cannot work on: a table without rows.
  emptyTable: 'E0250',
  interrupted: 'E0302',
  checkFailed: 'E0401',
  checkUndecided: 'E0402',
  leakageFound: 'E0403',
  // Files that are not files (checker), and report files that must not replace data (running).
  notARegularFile: 'E0230',
  symlinkLoop: 'E0231',
  reportOverwritesInput: 'E0310',
  reportOutsideOut: 'E0311',
  reportWriteFailed: 'E0312',
  reportWrittenTwice: 'W0310',
  // Bounds of a cell's size (dsl/limits.ts).
  tooManyCheckProblems: 'E0240',
  // Data the engine refuses while running, one code per family of EngineError kinds.
  dataFileMissing: 'E0330',
  dataFileEmpty: 'E0331',
  dataNotText: 'E0332',
  dataMalformed: 'E0333',
  dataMissingValue: 'E0334',
  dataNotNumeric: 'E0335',
  dataUnknownColumn: 'E0336',
  dataUnknownLabel: 'E0337',
  dataLengthMismatch: 'E0338',
  dataScoreOutOfRange: 'E0339',
  dataNotAllowed: 'E0340',
} as const;

export type SemanticCode = (typeof SEMANTIC_CODES)[keyof typeof SEMANTIC_CODES];

function semanticError(
  code: SemanticCode,
  message: string,
  hints: readonly string[] = [],
): Message {
  return { code, severity: 'error', message, hints };
}

/** At most `limit` items in words, then how many more: `a, b, c and 4 more`. */
export function listSome(items: readonly string[], limit = 12): string {
  if (items.length <= limit) return oneOf(items).replace(/ or ([^,]*)$/u, ' and $1');
  return `${items.slice(0, limit).join(', ')} and ${items.length - limit} more`;
}

/** A label value as the language writes it: text in double quotes, numbers as they are. */
export function labelText(value: string | number): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

export type NameKind = 'table' | 'result' | 'table or result';

export function unknownName(
  name: string,
  wanted: NameKind,
  suggestions: readonly string[],
  bound: readonly string[],
): Message {
  const hints: string[] = [];
  if (suggestions.length > 0) hints.push(didYouMean(suggestions));
  if (bound.length > 0) {
    const what = wanted === 'table' ? 'tables' : wanted === 'result' ? 'results' : 'names';
    hints.push(`the ${what} bound so far: ${listSome(bound.map(quote))}`);
  } else if (wanted === 'table') {
    hints.push('bind a table first, as in `load "data/test.csv" as test`');
  } else {
    hints.push(
      'nothing is bound yet: load a table, as in `load "data/test.csv" as test`, or bind a result with `as`, as in `compare ... as R`',
    );
  }
  return semanticError(SEMANTIC_CODES.unknownName, `unknown ${wanted} ${quote(name)}`, hints);
}

export function wrongKind(
  name: string,
  is: 'table' | 'result',
  wanted: 'table' | 'result',
  boundAt: { line: number; statement: string },
): Message {
  const article = is === 'table' ? 'a table' : 'a result';
  const by = `${quote(name)} was bound by the \`${boundAt.statement}\` at line ${boundAt.line}`;
  const hint =
    wanted === 'table'
      ? `${by}; this needs a table, bound by \`load\` or \`split\``
      : `${by}; this needs a result, bound with \`as\``;
  return semanticError(
    SEMANTIC_CODES.wrongKind,
    `${quote(name)} is ${article}, not ${wanted === 'table' ? 'a table' : 'a result'}`,
    [hint],
  );
}

export function unknownColumn(
  column: string,
  table: string,
  columns: readonly string[],
  suggestions: readonly string[],
): Message {
  const hints: string[] = [];
  if (suggestions.length > 0) hints.push(didYouMean(suggestions));
  hints.push(`the columns of ${quote(table)} are ${listSome(columns.map(quote), 20)}`);
  return semanticError(
    SEMANTIC_CODES.unknownColumn,
    `table ${quote(table)} has no column ${quote(column)}`,
    hints,
  );
}

export function defaultColumnMissing(
  role: 'epoch' | 'train' | 'val',
  column: string,
  table: string,
  columns: readonly string[],
): Message {
  return semanticError(
    SEMANTIC_CODES.unknownColumn,
    `table ${quote(table)} has no column ${quote(column)}, the default ${role} column`,
    [
      `name the column with \`${role} COLUMN\``,
      `the columns of ${quote(table)} are ${listSome(columns.map(quote), 20)}`,
    ],
  );
}

export function unknownMetric(
  name: string,
  suggestions: readonly string[],
  known: readonly string[],
): Message {
  const hints: string[] = [];
  if (suggestions.length > 0) hints.push(didYouMean(suggestions));
  else hints.push(`the metrics are ${listSome(known.map(quote), 40)}`);
  return semanticError(SEMANTIC_CODES.unknownMetric, `unknown metric ${quote(name)}`, hints);
}

export function fbetaNeedsBeta(): Message {
  return semanticError(SEMANTIC_CODES.metricDoesNotFit, '`fbeta` needs a β', [
    'give it with `beta`, as in `metrics f1, fbeta beta 2`; `f0_5` and `f2` need none',
  ]);
}

export function betaWithoutFbeta(): Message {
  return semanticError(
    SEMANTIC_CODES.metricDoesNotFit,
    '`beta` is only used by the `fbeta` metric',
    ['add `fbeta` to the metrics, as in `metrics f1, fbeta beta 2`'],
  );
}

export function metricNeedsScores(metric: string): Message {
  return semanticError(SEMANTIC_CODES.metricDoesNotFit, `${quote(metric)} needs a score column`, [
    'attach the score of the positive label to a model, as in `base = base_pred score base_score`',
  ]);
}

export function regressionMetricOnClasses(metric: string, label: string): Message {
  return semanticError(
    SEMANTIC_CODES.metricDoesNotFit,
    `${quote(metric)} is a regression metric, but ${quote(label)} and the predictions hold class labels`,
    [
      'regression metrics need numeric targets and predictions; for classes use `accuracy`, `f1`, `mcc`...',
    ],
  );
}

export function notClassLabels(
  column: string,
  table: string,
  example: { row: number; value: number },
  statement: string,
): Message {
  return semanticError(
    SEMANTIC_CODES.notClassLabels,
    `${quote(column)} of ${quote(table)} does not hold class labels: row ${example.row} has ${example.value}`,
    [
      `${quote(statement)} needs class labels: text, or whole numbers with at most 20 distinct values`,
    ],
  );
}

export function regressionWithClassOptions(
  column: string,
  table: string,
  example: { row: number; value: number },
  option: string,
): Message {
  return semanticError(
    SEMANTIC_CODES.notClassLabels,
    `${quote(column)} of ${quote(table)} does not hold class labels: row ${example.row} has ${example.value}`,
    [
      `numeric labels and predictions are compared as regression, where ${quote(option)} has no meaning`,
      'class labels are text, or whole numbers with at most 20 distinct values',
    ],
  );
}

export function unknownPositive(
  value: string | number,
  column: string,
  labels: readonly (string | number)[],
  suggestions: readonly string[],
  setAt: number | null,
): Message {
  const hints: string[] = [];
  if (suggestions.length > 0)
    hints.push(`did you mean ${oneOf(suggestions.map((s) => JSON.stringify(s)))}?`);
  hints.push(`the labels are ${listSome(labels.map(labelText), 20)}`);
  if (setAt !== null)
    hints.push(`the positive label is the default set by \`set positive\` at line ${setAt}`);
  return semanticError(
    SEMANTIC_CODES.unknownPositive,
    `the positive label ${labelText(value)} is not one of the labels of ${quote(column)}`,
    hints,
  );
}

export function notNumeric(
  column: string,
  table: string,
  row: number,
  value: string | null,
  role: string,
): Message {
  const found = value === null ? 'has no value' : `has ${labelText(value)}`;
  return semanticError(
    SEMANTIC_CODES.notNumeric,
    `${role} ${quote(column)} of ${quote(table)} is not numeric: row ${row} ${found}`,
    [
      value === null
        ? 'every row needs a number here'
        : `${role === 'score column' ? 'scores' : 'values'} must be numbers, such as 0.93`,
    ],
  );
}

export function notProbabilities(
  column: string,
  table: string,
  row: number,
  value: number,
  why: string,
): Message {
  return semanticError(
    SEMANTIC_CODES.notProbabilities,
    `the scores in ${quote(column)} of ${quote(table)} are not probabilities: row ${row} has ${value}`,
    [`${why} needs probabilities in [0, 1]`],
  );
}

function percentText(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(12))}%`;
}

export function splitFractionSum(sum: number): Message {
  const hints =
    sum < 1
      ? [`add a part for the remaining ${percentText(1 - sum)}, or make the parts add up to 100%`]
      : ['make the parts add up to 100%'];
  return semanticError(
    SEMANTIC_CODES.splitSum,
    `the parts add up to ${percentText(sum)}, not 100%`,
    hints,
  );
}

export function splitCountSum(sum: number, table: string, rows: number): Message {
  return semanticError(
    SEMANTIC_CODES.splitSum,
    `the parts add up to ${sum} rows, but ${quote(table)} has ${rows}`,
    [
      'parts given as row counts may add up to fewer rows than the table (the rest is left out), not more',
    ],
  );
}

export function mixedSplitSizes(): Message {
  return semanticError(SEMANTIC_CODES.mixedSplitSizes, 'the parts mix shares and row counts', [
    'give every part as a share (`80%`, `0.8`) or every part as a number of rows (`800`)',
  ]);
}

export function duplicatePart(name: string, first: { line: number; col: number }): Message {
  return semanticError(SEMANTIC_CODES.duplicatePart, `the part name ${quote(name)} is used twice`, [
    `the first is at line ${first.line}, col ${first.col}; each part needs a name of its own`,
  ]);
}

export function duplicateModel(name: string, first: { line: number; col: number }): Message {
  return semanticError(
    SEMANTIC_CODES.duplicateModel,
    `the model name ${quote(name)} is used twice`,
    [
      `the first is at line ${first.line}, col ${first.col}`,
      'name the models apart, as in `base = base_pred, finetuned = ft_pred`',
    ],
  );
}

export function reservedModelName(name: string, reserved: readonly string[]): Message {
  return semanticError(
    SEMANTIC_CODES.reservedName,
    `a model cannot be called ${quote(name)} in a bound result`,
    [
      `the result's own keys ${listSome(reserved.map(quote), 20)} would hide it`,
      `name it otherwise, as in \`${name}_model = ...\``,
    ],
  );
}

export function tooFewModels(): Message {
  return semanticError(SEMANTIC_CODES.tooFewModels, '`compare` needs at least two models', [
    'list the base model first and the model to compare with it second, as in `compare base_pred, ft_pred on test against label`',
  ]);
}

/** `planned`: the keys listed are those the result can have, known before it has been computed. */
export function unknownKey(
  path: string,
  key: string,
  suggestions: readonly string[],
  available: readonly string[],
  openTo: string | undefined,
  planned: boolean,
): Message {
  const hints: string[] = [];
  if (suggestions.length > 0) hints.push(didYouMean(suggestions));
  const are = planned ? `the keys ${quote(path)} can have are` : `the keys of ${quote(path)} are`;
  if (available.length > 0) {
    hints.push(
      `${are} ${listSome(available.map(quote), 40)}${openTo === undefined ? '' : `, or ${openTo}`}`,
    );
  } else if (openTo !== undefined) {
    hints.push(`a key of ${quote(path)} is ${openTo}`);
  }
  return semanticError(SEMANTIC_CODES.badPath, `${quote(path)} has no key ${quote(key)}`, hints);
}

export function pathNotANumber(
  path: string,
  available: readonly string[],
  openTo: string | undefined,
  planned: boolean,
): Message {
  const keys = available.length > 0 ? listSome(available.map(quote), 40) : '';
  const choice = [keys, openTo].filter((k) => k !== undefined && k !== '').join(', or ');
  const which = planned ? 'the keys it can have' : 'its keys';
  return semanticError(SEMANTIC_CODES.badPath, `${quote(path)} is not a number`, [
    `a check compares numbers: add one of ${which}: ${choice}`,
  ]);
}

export function pathTooLong(path: string, extra: string): Message {
  return semanticError(
    SEMANTIC_CODES.badPath,
    `${quote(path)} is a number and has no key ${quote(extra)}`,
    [`a path ends at its number: \`${path}\``],
  );
}

export function resultNotANumber(name: string, example: string): Message {
  return semanticError(SEMANTIC_CODES.badPath, `${quote(name)} is not a number`, [
    `a check compares numbers of a result, such as \`${example}\``,
  ]);
}

export function reportFormat(file: string): Message {
  return semanticError(
    SEMANTIC_CODES.reportFormat,
    `a report is written as \`.html\` or \`.md\`, not ${JSON.stringify(file)}`,
    ['end the file name with `.html` (a standalone page) or `.md` (markdown)'],
  );
}

export function fileNotFound(
  file: string,
  suggestions: readonly string[],
  siblings: readonly string[] | null,
  directory: string,
): Message {
  const hints: string[] = [];
  if (suggestions.length > 0)
    hints.push(`did you mean ${oneOf(suggestions.map((s) => JSON.stringify(s)))}?`);
  if (siblings === null) hints.push(`there is no directory ${JSON.stringify(directory)}`);
  else if (siblings.length > 0 && suggestions.length === 0) {
    hints.push(
      `the data files in ${JSON.stringify(directory)} are ${listSome(siblings.map((s) => JSON.stringify(s)))}`,
    );
  }
  hints.push('a relative path is read from the directory of the notebook or `.eval` file');
  return semanticError(SEMANTIC_CODES.fileNotFound, `no such file: ${JSON.stringify(file)}`, hints);
}

export function notAFile(file: string): Message {
  return semanticError(
    SEMANTIC_CODES.fileNotFound,
    `${JSON.stringify(file)} is a directory, not a file`,
    ['name a data file inside it'],
  );
}

export function unknownFormat(file: string): Message {
  return semanticError(
    SEMANTIC_CODES.unknownFormat,
    `cannot tell the format of ${JSON.stringify(file)} from its name`,
    ['name it, as in `format csv` (csv, tsv, json, jsonl or parquet)'],
  );
}

export function unknownParam(name: string, suggestions: readonly string[]): Message {
  const hints: string[] = [];
  if (suggestions.length > 0) hints.push(didYouMean(suggestions));
  hints.push(`define it first, as in \`param ${name} = ...\`, or write the value itself`);
  return semanticError(SEMANTIC_CODES.unknownParam, `unknown parameter ${quote(name)}`, hints);
}

const TYPE_EXAMPLES: Readonly<Record<string, string>> = {
  'a whole number': '1000',
  'a number': '0.5',
  'text in double quotes': '"text"',
  'text or a number': '"spam"',
  'a share or a number of rows': '80%',
};

/**
 * `what`: "the seed"; `expected`: "a whole number"; `found`: "the text \"abc\"". The grammar
 * lets a value of the wrong type through only by a parameter, so the hint says how to define it.
 */
export function wrongType(
  what: string,
  expected: string,
  found: string,
  param: string | null,
): Message {
  const via = param === null ? '' : ` (the value of parameter ${quote(param)})`;
  const example = TYPE_EXAMPLES[expected] ?? '...';
  const hint =
    param === null
      ? `write ${expected} here, such as ${example}`
      : `define the parameter as ${expected}, as in \`param ${param} = ${example}\`, or write the value here`;
  return semanticError(
    SEMANTIC_CODES.wrongType,
    `${what} must be ${expected}, found ${found}${via}`,
    [hint],
  );
}

export function overrideType(param: string, expected: string, given: string): Message {
  return semanticError(
    SEMANTIC_CODES.wrongType,
    `parameter ${quote(param)} is ${expected}, but the run gave it ${JSON.stringify(given)}`,
    [`give it ${expected}, as in \`--set ${param}=${expected === 'a number' ? '0.5' : 'text'}\``],
  );
}

export function tooManyCheckProblems(limit: number): Message {
  return semanticError(
    SEMANTIC_CODES.tooManyCheckProblems,
    `more than ${limit} problems in this cell; the rest are not shown`,
    ['fix the ones above and run the cell again'],
  );
}

/** The rule of an integer clause's range, for outOfRange: `a whole number from 1 to 10000`. */
export function wholeNumberRange(range: { readonly min: number; readonly max: number }): string {
  return `a whole number from ${range.min} to ${range.max}`;
}

export function outOfRange(
  what: string,
  rule: string,
  found: string,
  param: string | null,
  hint: string,
): Message {
  const via = param === null ? '' : ` (the value of parameter ${quote(param)})`;
  return semanticError(SEMANTIC_CODES.outOfRange, `${what} must be ${rule}, found ${found}${via}`, [
    hint,
  ]);
}

export function notACondition(found: string): Message {
  return semanticError(SEMANTIC_CODES.exprType, `a check needs a condition, found ${found}`, [
    'compare numbers, as in `check R.finetuned.f1 > R.base.f1 + 0.02`',
  ]);
}

export function operandType(op: string, expected: string, found: string): Message {
  const hint = found.includes('text')
    ? 'text can only be compared with `==` and `!=`, as in `check name == "spam"`'
    : found.includes('condition')
      ? 'a comparison is true or false, not a number; combine conditions with `and`, `or` and `not`'
      : 'compare the number with another, as in `R.delta.f1 > 0`';
  return semanticError(SEMANTIC_CODES.exprType, `${quote(op)} needs ${expected}, found ${found}`, [
    hint,
  ]);
}

/** The code of each kind of engine error: the one place an EngineError gets its code. */
export const ENGINE_ERROR_CODES: Readonly<Record<EngineErrorCode, SemanticCode>> = {
  'file-not-found': SEMANTIC_CODES.dataFileMissing,
  'file-unreadable': SEMANTIC_CODES.dataFileMissing,
  'file-empty': SEMANTIC_CODES.dataFileEmpty,
  'bad-encoding': SEMANTIC_CODES.dataNotText,
  'ragged-row': SEMANTIC_CODES.dataMalformed,
  'bad-quote': SEMANTIC_CODES.dataMalformed,
  'bad-format': SEMANTIC_CODES.dataMalformed,
  'missing-value': SEMANTIC_CODES.dataMissingValue,
  'not-numeric': SEMANTIC_CODES.dataNotNumeric,
  'unknown-column': SEMANTIC_CODES.dataUnknownColumn,
  'unknown-label': SEMANTIC_CODES.dataUnknownLabel,
  'length-mismatch': SEMANTIC_CODES.dataLengthMismatch,
  'score-out-of-range': SEMANTIC_CODES.dataScoreOutOfRange,
  'bad-argument': SEMANTIC_CODES.dataNotAllowed,
  interrupted: SEMANTIC_CODES.interrupted,
};

export function engineErrorCode(kind: EngineErrorCode): SemanticCode {
  return ENGINE_ERROR_CODES[kind];
}

/** Data the engine refused, with the code of its kind. */
export function dataError(
  kind: EngineErrorCode,
  message: string,
  hints: readonly string[] = [],
): Message {
  return semanticError(engineErrorCode(kind), message, hints);
}

export function interrupted(): Message {
  return semanticError(SEMANTIC_CODES.interrupted, 'interrupted', [
    'the statement was stopped before it finished; the session is as it was before it',
  ]);
}

export function checkFailed(detail: string): Message {
  return semanticError(SEMANTIC_CODES.checkFailed, `check failed: ${detail}`);
}

export function checkUndecided(detail: string, reason: string): Message {
  return semanticError(SEMANTIC_CODES.checkUndecided, `check cannot be decided: ${reason}`, [
    detail,
  ]);
}

export function leakageFound(
  test: string,
  train: string,
  column: string,
  rows: number,
  testRows: number,
  normalized: boolean,
): Message {
  const share = testRows === 0 ? 0 : rows / testRows;
  const how = normalized ? ' after normalising case and spacing' : '';
  return semanticError(
    SEMANTIC_CODES.leakageFound,
    `leakage: ${rows} of ${testRows} rows of ${quote(test)} (${percentText(Number(share.toFixed(4)))}) have a ${quote(column)} that is also in ${quote(train)}${how}`,
    ['remove those rows from one side, or split so that equal values stay on one side'],
  );
}

/** `statement` on a table without rows; `fromSplit`: the table is a part of a split. */
export function emptyTable(table: string, statement: string, fromSplit: boolean): Message {
  return semanticError(
    SEMANTIC_CODES.emptyTable,
    `table ${quote(table)} has no rows, so \`${statement}\` has nothing to work on`,
    [
      fromSplit
        ? `${quote(table)} is a part of a split that got no rows: give it a larger share, or split a larger table`
        : `load a file with rows, or use another table`,
    ],
  );
}

export function positiveNeeded(column: string, labels: readonly (string | number)[]): Message {
  return semanticError(
    SEMANTIC_CODES.unknownPositive,
    `name the positive label: ${quote(column)} holds ${labels.length === 1 ? 'one label' : `${labels.length} labels`}`,
    [
      `the labels are ${listSome(labels.map(labelText), 20)}`,
      'add `positive VALUE` to the statement, or set a default with `set positive VALUE`',
    ],
  );
}

// Files that are not files, and report files that must not replace data or escape --out.

export function notARegularFile(file: string, kind: string): Message {
  return semanticError(
    SEMANTIC_CODES.notARegularFile,
    `${JSON.stringify(file)} is ${kind}, not a regular file`,
    ['a table is read from a regular file; save the data to one first'],
  );
}

export function symlinkLoop(file: string): Message {
  return semanticError(
    SEMANTIC_CODES.symlinkLoop,
    `${JSON.stringify(file)} is a symbolic link loop (a link that leads back to itself)`,
    ['point the link at the data file itself'],
  );
}

export function danglingSymlink(file: string, target: string): Message {
  return semanticError(
    SEMANTIC_CODES.fileNotFound,
    `${JSON.stringify(file)} is a symbolic link to ${JSON.stringify(target)}, which does not exist`,
    ['point the link at an existing data file, or name that file itself'],
  );
}

/** `input` is the file as its `load` named it (the same file under another name, maybe). */
export function reportOverwritesInput(report: string, input: string): Message {
  const which =
    report === input
      ? `the data file ${JSON.stringify(input)}`
      : `the data file ${JSON.stringify(input)} (the same file under another name)`;
  return semanticError(
    SEMANTIC_CODES.reportOverwritesInput,
    `the report ${JSON.stringify(report)} would replace ${which}, which this session loaded`,
    ['write the report to a file of its own, as in `report "report.html"`'],
  );
}

export function reportOverwritesProgram(report: string, program: string): Message {
  return semanticError(
    SEMANTIC_CODES.reportOverwritesInput,
    `the report ${JSON.stringify(report)} would replace the program ${JSON.stringify(program)} being run`,
    ['write the report to a file of its own, as in `report "report.html"`'],
  );
}

export function reportOutsideOut(report: string, outDir: string): Message {
  return semanticError(
    SEMANTIC_CODES.reportOutsideOut,
    `the report ${JSON.stringify(report)} would be written outside the output directory ${JSON.stringify(outDir)}`,
    [
      'name a file inside it (a relative path without `..`)',
      'or run with `--allow-outside-out` to write reports anywhere',
    ],
  );
}

export function reportWriteFailed(report: string, reason: string): Message {
  return semanticError(
    SEMANTIC_CODES.reportWriteFailed,
    `the report ${JSON.stringify(report)} cannot be written: ${reason}`,
    ['any earlier file of that name is left as it was'],
  );
}

/** `earlier` and `later` name the statements, as in `line 3: report "a.html"`. */
export function reportWrittenTwice(file: string, earlier: string, later: string): Message {
  return {
    code: SEMANTIC_CODES.reportWrittenTwice,
    severity: 'warning',
    message: `${JSON.stringify(file)} is written twice in this run: ${later} replaces what ${earlier} wrote`,
    hints: ['give each report a file of its own'],
  };
}
