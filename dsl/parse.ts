/**
 * The parse entry: cell text → Program, or the diagnostics that say why not.
 *
 * A cell is split into statements first (a line that starts with indentation continues the
 * statement above; blank and comment-only lines belong to none), and each statement is parsed
 * on its own, so that a mistake in one does not hide mistakes in the next. A statement has
 * exactly one parse: none is a syntax error, reported in words from the parser's state
 * ("expected `on` or `,` after the model list, found `test`"); more than one is a bug in the
 * grammar, thrown as a GrammarAmbiguityError.
 */
import type nearley from 'nearley';
import {
  IDENTIFIER,
  OPERATORS,
  TRIVIA_TYPES,
  decodeString,
  numberValue,
  percentValue,
  tokenize,
  type Token,
} from '../grammar/lexer.js';
import {
  COMPARISON_OPERATORS,
  type Clause,
  type Expr,
  type Program,
  type Span,
  type Statement,
  type StatementKind,
} from './ast.js';
import { atMostMaxDiagnostics, spanAt, type Diagnostic } from './diagnostics.js';
import {
  columnAt,
  grammar,
  literalOf,
  nameRulesAsking,
  parserOver,
  statementsOf,
  tokenTypeOf,
  type EarleyColumn,
  type EarleyState,
  type NameRule,
} from './earley.js';
import {
  MAX_DIAGNOSTICS,
  MAX_EXPRESSION_DEPTH,
  MAX_PROGRAM_LENGTH,
  MAX_STATEMENT_TOKENS,
  MAX_STRING_LENGTH,
} from './limits.js';
import * as messages from './messages.js';
import { suggest } from './suggest.js';

export type ParseResult =
  | { readonly ok: true; readonly program: Program }
  /** At least one diagnostic, in source order. */
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * Thrown when a statement has more than one parse: a bug in the grammar, never the user's
 * mistake. The message shows the statement and where the first two trees differ.
 */
export class GrammarAmbiguityError extends Error {
  readonly statementText: string;
  /** The trees, spans left out. */
  readonly trees: readonly unknown[];

  constructor(statementText: string, trees: readonly unknown[]) {
    const [a, b] = trees;
    const difference = firstDifference(a, b, '$');
    super(
      `internal error: the grammar is ambiguous: ${trees.length} parses of ${JSON.stringify(statementText)}; ` +
        `they first differ at ${difference}\n` +
        trees.map((tree, i) => `parse ${i + 1}: ${JSON.stringify(tree)}`).join('\n'),
    );
    this.name = 'GrammarAmbiguityError';
    this.statementText = statementText;
    this.trees = trees;
  }
}

/** Parses a cell. Never throws for any input text, except GrammarAmbiguityError (a bug). */
export function parse(text: string): ParseResult {
  if (text.length > MAX_PROGRAM_LENGTH) {
    // Refused before the lexer: its tokens, and every statement's parse, are then bounded.
    return {
      ok: false,
      diagnostics: [
        diagnosticAt(
          spanAt(text, MAX_PROGRAM_LENGTH, MAX_PROGRAM_LENGTH + 1),
          messages.programTooLong(text.length, MAX_PROGRAM_LENGTH),
        ),
      ],
    };
  }
  const statements = statementsOf(tokenize(text));
  const parsed: Statement[] = [];
  const diagnostics: Diagnostic[] = [];
  statements.forEach((tokens, index) => {
    // Past the bound, the rest of the cell is not looked at: one problem more says so.
    if (diagnostics.length > MAX_DIAGNOSTICS) return;
    const context: StatementContext = {
      text,
      tokens,
      previous: statements[index - 1],
      next: statements[index + 1],
    };
    if (tokens.length > MAX_STATEMENT_TOKENS) {
      // Refused before nearley, whose work grows faster than the statement's length.
      diagnostics.push(
        diagnosticAt(
          tokenSpan(tokens[MAX_STATEMENT_TOKENS]),
          messages.statementTooLong(tokens.length, MAX_STATEMENT_TOKENS),
        ),
      );
      return;
    }
    const lexical = lexicalDiagnostics(context);
    if (lexical.length > 0) {
      diagnostics.push(...lexical);
      return;
    }
    const result = parseStatement(context);
    if ('diagnostic' in result) {
      diagnostics.push(result.diagnostic);
      return;
    }
    const { statement, problems } = finishStatement(result.draft);
    if (statement.kind === 'Check') {
      const tooDeep = nodeBeyondDepth(statement.expr, MAX_EXPRESSION_DEPTH);
      if (tooDeep !== undefined) {
        diagnostics.push(
          diagnosticAt(tooDeep.span, messages.expressionTooDeep(MAX_EXPRESSION_DEPTH)),
        );
        return;
      }
    }
    diagnostics.push(...problems);
    parsed.push(statement);
  });
  if (diagnostics.length > 0) {
    return { ok: false, diagnostics: atMostMaxDiagnostics(diagnostics, messages.tooManyProblems) };
  }
  return {
    ok: true,
    program: { kind: 'Program', statements: parsed, span: spanAt(text, 0, text.length) },
  };
}

/** What a notebook front end needs for `is_complete_request`. */
export interface Completeness {
  /** `incomplete`: the last statement stops where more is expected (a line may follow). */
  readonly status: 'complete' | 'incomplete' | 'invalid';
  /** What to start a continuation line with: statements continue on indented lines. */
  readonly indent: string;
}

/**
 * Whether a cell is ready to run: `incomplete` when its only problem is that its last
 * statement stops where more is expected (as after `compare a,`), so that a front end can
 * offer an indented continuation line.
 */
export function cellCompleteness(text: string): Completeness {
  const result = parse(text);
  if (result.ok) return { status: 'complete', indent: '' };
  const [only] = result.diagnostics;
  const stopsShort =
    result.diagnostics.length === 1 &&
    only.code === messages.CODES.unexpectedEnd &&
    tokenize(text.slice(only.span.end)).every((t) =>
      (TRIVIA_TYPES as readonly string[]).includes(t.type),
    );
  return stopsShort ? { status: 'incomplete', indent: '  ' } : { status: 'invalid', indent: '' };
}

const KEYWORDS: readonly string[] = (() => {
  const words = new Set<string>();
  for (const rule of grammar.rules) {
    for (const symbol of rule.symbols as unknown[]) {
      const literal = literalOf(symbol);
      if (literal !== undefined && IDENTIFIER.test(literal)) words.add(literal);
    }
  }
  return [...words].sort();
})();

/**
 * Every keyword of the language, sorted (for completion). Keywords are contextual: each is
 * one only where the grammar expects it, and may be a name elsewhere.
 */
export function languageKeywords(): readonly string[] {
  return KEYWORDS;
}

/** A copy of a tree with every `span` left out, for comparing trees by content. */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'span')
        .map(([key, field]) => [key, withoutSpans(field)]),
    );
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Statements

interface StatementContext {
  readonly text: string;
  /** The statement's tokens, trivia left out; never empty. */
  readonly tokens: readonly Token[];
  readonly previous: readonly Token[] | undefined;
  readonly next: readonly Token[] | undefined;
}

function tokenSpan(token: Token): Span {
  return {
    start: token.offset,
    end: token.offset + token.text.length,
    line: token.line,
    col: token.col,
  };
}

function diagnosticAt(span: Span, message: messages.Message): Diagnostic {
  return { ...message, span };
}

/** The run of non-space, non-punctuation text around `offset`: the word a stray letter is in. */
function surroundingWord(text: string, offset: number): string {
  const stop = /[\s,()=<>!"'`#]/u;
  let start = offset;
  while (start > 0 && !stop.test(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && !stop.test(text[end])) end++;
  return text.slice(start, end);
}

/** Errors of the lexer (and strings with unknown escapes), one per bad token. */
function lexicalDiagnostics({ text, tokens }: StatementContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const token of tokens) {
    const span = tokenSpan(token);
    switch (token.type) {
      case 'invalid':
        found.push(
          diagnosticAt(
            span,
            messages.unexpectedCharacter(token.text, surroundingWord(text, token.offset)),
          ),
        );
        break;
      case 'unterminatedString':
        found.push(diagnosticAt(span, messages.unterminatedString()));
        break;
      case 'singleQuoted':
        found.push(diagnosticAt(span, messages.singleQuotedString(token.text)));
        break;
      case 'unclosedBacktick':
        found.push(diagnosticAt(span, messages.unclosedBacktick()));
        break;
      case 'emptyBackticks':
        found.push(diagnosticAt(span, messages.emptyBackticks()));
        break;
      case 'backticked':
        if (token.value.length > MAX_STRING_LENGTH) {
          found.push(
            diagnosticAt(
              { ...span, end: span.start + 1 },
              messages.stringTooLong('name in backticks', token.value.length, MAX_STRING_LENGTH),
            ),
          );
        }
        break;
      case 'string': {
        if (token.text.length - 2 > MAX_STRING_LENGTH) {
          found.push(
            diagnosticAt(
              { ...span, end: span.start + 1 },
              messages.stringTooLong('string', token.text.length - 2, MAX_STRING_LENGTH),
            ),
          );
          break;
        }
        const decoded = decodeString(token.text);
        if (!decoded.ok) {
          const start = token.offset + decoded.offset;
          found.push(
            diagnosticAt(
              {
                start,
                end: start + decoded.escape.length,
                line: token.line,
                col: token.col + decoded.offset,
              },
              messages.unknownEscape(decoded.escape),
            ),
          );
        }
        break;
      }
      case 'number':
      case 'percent': {
        const value = token.type === 'number' ? numberValue(token.text) : percentValue(token.text);
        if (!Number.isFinite(value))
          found.push(diagnosticAt(span, messages.numberOutOfRange(token.text)));
        break;
      }
      default:
        break;
    }
  }
  return found;
}

/** What the grammar's postprocessors build for a statement: clauses still in a list. */
interface StatementDraft {
  readonly kind: StatementKind;
  readonly span: Span;
  readonly clauses?: readonly Clause[];
  readonly [field: string]: unknown;
}

const STATEMENT_KINDS: Readonly<Record<StatementKind, true>> = {
  Load: true,
  SplitInto: true,
  SplitBy: true,
  Compare: true,
  Threshold: true,
  Calibration: true,
  Curve: true,
  Report: true,
  Check: true,
  CheckLeakage: true,
  Leakage: true,
  Show: true,
  SetPositive: true,
  SetSeed: true,
  Param: true,
};

function isStatementDraft(value: unknown): value is StatementDraft {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, span } = value as { kind?: unknown; span?: unknown };
  return (
    typeof kind === 'string' && Object.hasOwn(STATEMENT_KINDS, kind) && typeof span === 'object'
  );
}

/** A nearley syntax error carries the token it could not take. */
function isSyntaxError(error: unknown): error is Error & { token: Token } {
  return error instanceof Error && 'token' in error && typeof error.token === 'object';
}

function parseStatement(
  context: StatementContext,
): { readonly draft: StatementDraft } | { readonly diagnostic: Diagnostic } {
  const parser = parserOver(context.tokens);
  try {
    parser.feed('');
  } catch (error) {
    if (!isSyntaxError(error)) throw error;
    return { diagnostic: syntaxError(context, parser, context.tokens.indexOf(error.token)) };
  }
  const results: unknown[] = parser.results;
  if (results.length === 0) {
    return { diagnostic: syntaxError(context, parser, context.tokens.length) };
  }
  if (results.length > 1) {
    const first = context.tokens[0];
    const last = context.tokens[context.tokens.length - 1];
    throw new GrammarAmbiguityError(
      context.text.slice(first.offset, last.offset + last.text.length),
      results.map(withoutSpans),
    );
  }
  const [draft] = results;
  if (!isStatementDraft(draft)) {
    throw new Error(`internal error: the grammar gave ${JSON.stringify(draft)} for a statement`);
  }
  return { draft };
}

/**
 * The first node (in source order) deeper than `limit` levels of `expr`'s tree, the root
 * being level 1; found without recursion, since the depth is what is in question.
 */
function nodeBeyondDepth(expr: Expr, limit: number): Expr | undefined {
  const pending: { node: Expr; depth: number }[] = [{ node: expr, depth: 1 }];
  let deepest: Expr | undefined;
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { node, depth } = item;
    if (depth > limit) {
      if (deepest === undefined || node.span.start < deepest.span.start) deepest = node;
      continue;
    }
    if (node.kind === 'Binary') {
      pending.push({ node: node.right, depth: depth + 1 }, { node: node.left, depth: depth + 1 });
    } else if (node.kind === 'Unary') {
      pending.push({ node: node.operand, depth: depth + 1 });
    }
  }
  return deepest;
}

// ---------------------------------------------------------------------------------------------
// Clauses: from the grammar's list into the statement's fields

/** The field each clause kind fills, and the keyword that introduces it. */
const CLAUSE_FIELDS: Readonly<Record<Clause['kind'], { field: string; keyword: string }>> = {
  As: { field: 'as', keyword: 'as' },
  Format: { field: 'format', keyword: 'format' },
  Seed: { field: 'seed', keyword: 'seed' },
  Stratify: { field: 'stratify', keyword: 'stratify' },
  Positive: { field: 'positive', keyword: 'positive' },
  Metrics: { field: 'metrics', keyword: 'metrics' },
  Beta: { field: 'beta', keyword: 'beta' },
  Average: { field: 'average', keyword: 'average' },
  By: { field: 'by', keyword: 'by' },
  McNemar: { field: 'significance', keyword: 'significance' },
  Bootstrap: { field: 'significance', keyword: 'significance' },
  Explain: { field: 'explain', keyword: 'explain' },
  PickMaxF1: { field: 'pick', keyword: 'pick' },
  PickMaxFbeta: { field: 'pick', keyword: 'pick' },
  PickRecallAtLeast: { field: 'pick', keyword: 'pick' },
  PickPrecisionAtLeast: { field: 'pick', keyword: 'pick' },
  PickMinCost: { field: 'pick', keyword: 'pick' },
  PickAt: { field: 'pick', keyword: 'pick' },
  Title: { field: 'title', keyword: 'title' },
  Normalized: { field: 'normalized', keyword: 'normalized' },
  Bins: { field: 'bins', keyword: 'bins' },
  Epoch: { field: 'epoch', keyword: 'epoch' },
  Train: { field: 'train', keyword: 'train' },
  Val: { field: 'val', keyword: 'val' },
  Patience: { field: 'patience', keyword: 'patience' },
  Limit: { field: 'limit', keyword: 'limit' },
};

/**
 * Moves the draft's clauses into their fields (reporting any given twice) and checks what the
 * grammar cannot: a split part of more than 100%.
 */
function finishStatement(draft: StatementDraft): {
  statement: Statement;
  problems: Diagnostic[];
} {
  const problems: Diagnostic[] = [];
  const { clauses = [], ...required } = draft;
  const fields: Record<string, Clause> = {};
  for (const clause of clauses) {
    const { field, keyword } = CLAUSE_FIELDS[clause.kind];
    const first = fields[field];
    if (first === undefined) fields[field] = clause;
    else problems.push(diagnosticAt(clause.span, messages.duplicateClause(keyword, first.span)));
  }
  // The grammar builds each statement kind with that kind's required fields and only its own
  // clauses (the grammar tests pin every shape), so the assembled object is that Statement.
  const statement = { ...required, ...fields } as unknown as Statement;
  if (statement.kind === 'SplitInto') {
    for (const part of statement.parts) {
      if (part.size.kind === 'Percent' && part.size.value > 1) {
        problems.push(diagnosticAt(part.size.span, messages.splitPartOver100(part.size.text)));
      }
    }
  }
  return { statement, problems };
}

// ---------------------------------------------------------------------------------------------
// Syntax errors in words

/**
 * What a name is for, by the rule that asks for it, most specific first: when a position
 * takes names of two kinds, the message names the first (a model may start with its own name
 * or with its column; "a column name" is the better guide).
 */
const NAME_ROLES: readonly (readonly [rule: NameRule, description: string])[] = [
  ['column', 'a column name'],
  ['table', 'a table name'],
  ['metric', 'a metric name'],
  ['target', 'a table name'],
  ['paramRef', 'a parameter'],
  ['binding', 'a name'],
  ['refSegment', 'a name'],
];

const TOKEN_DESCRIPTIONS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  percent: 'a percentage',
};

/** Lists the parser is in the middle of, for "after the model list". */
const LIST_DESCRIPTIONS: Readonly<Record<string, string>> = {
  models: 'the model list',
  scoreSpecs: 'the score list',
  splitParts: 'the list of parts',
  metricList: 'the metric list',
};

/** The least specific role: a name of no known purpose. */
const ANY_NAME = NAME_ROLES.findIndex(([rule]) => rule === 'binding');

/** The role of the name a state expects: the most specific of the rules that asked for it. */
function nameRole(state: EarleyState): number {
  let best = ANY_NAME;
  for (const rule of nameRulesAsking(state)) {
    const role = NAME_ROLES.findIndex(([named]) => named === rule);
    if (role >= 0) best = Math.min(best, role);
  }
  return best;
}

interface Expectation {
  /** Keywords (`on`), in alphabetical order. */
  readonly keywords: string[];
  /** Punctuation and operators (`,`, `>=`). */
  readonly operators: string[];
  /** Descriptions of token classes (`a column name`, `a number`). */
  readonly classes: string[];
  readonly endAllowed: boolean;
}

function expectationAt(column: EarleyColumn): Expectation {
  const keywords = new Set<string>();
  const operators = new Set<string>();
  const classes = new Set<string>();
  let nameRank = NAME_ROLES.length;
  let endAllowed = false;
  for (const state of column.states) {
    if (state.isComplete && state.reference === 0 && state.rule.name === grammar.start) {
      endAllowed = true;
    }
    const symbol = state.rule.symbols[state.dot];
    if (symbol === undefined || typeof symbol === 'string') continue;
    const literal = literalOf(symbol);
    const type = tokenTypeOf(symbol);
    if (literal !== undefined) {
      (IDENTIFIER.test(literal) ? keywords : operators).add(literal);
    } else if (type === 'word' || type === 'backticked') {
      nameRank = Math.min(nameRank, nameRole(state));
    } else if (type !== undefined && TOKEN_DESCRIPTIONS[type] !== undefined) {
      classes.add(TOKEN_DESCRIPTIONS[type]);
    }
  }
  const nameClass = nameRank < NAME_ROLES.length ? NAME_ROLES[nameRank][1] : undefined;
  const literalClasses = Object.values(TOKEN_DESCRIPTIONS).filter((c) => classes.has(c));
  // Where a literal is expected a parameter may stand in: it is mentioned last.
  const orderedClasses =
    nameClass === undefined
      ? literalClasses
      : NAME_ROLES[nameRank][0] === 'paramRef'
        ? [...literalClasses, nameClass]
        : [nameClass, ...literalClasses];
  // A minus sign where a number may come is the number's sign, not worth a mention.
  if (classes.has(TOKEN_DESCRIPTIONS.number)) operators.delete('-');
  return {
    keywords: [...keywords].sort(),
    operators: OPERATORS.filter((op) => operators.has(op)),
    classes: orderedClasses,
    endAllowed,
  };
}

function describeExpectation(expectation: Expectation): string[] {
  return [
    ...expectation.keywords.map(messages.quote),
    ...expectation.operators.map(messages.quote),
    ...expectation.classes,
    ...(expectation.endAllowed ? ['the end of the statement'] : []),
  ];
}

/** The list the parser has just completed an item of, if any ("the model list"). */
function listJustTaken(column: EarleyColumn): string | undefined {
  let widest: EarleyState | undefined;
  for (const state of column.states) {
    if (!state.isComplete || LIST_DESCRIPTIONS[state.rule.name] === undefined) continue;
    if (widest === undefined || state.reference < widest.reference) widest = state;
  }
  return widest === undefined ? undefined : LIST_DESCRIPTIONS[widest.rule.name];
}

function isWord(token: Token | undefined): boolean {
  return token !== undefined && (token.type === 'word' || token.type === 'operatorWord');
}

/** The last `(` among the tokens that no `)` closes. */
function unclosedParenthesis(tokens: readonly Token[]): Token | undefined {
  const open: Token[] = [];
  for (const token of tokens) {
    if (token.text === '(') open.push(token);
    else if (token.text === ')') open.pop();
  }
  return open[open.length - 1];
}

/** Advice for a syntax error at tokens[index], most specific first; else the statement's usage. */
function syntaxHints(
  context: StatementContext,
  column: EarleyColumn,
  expectation: Expectation,
  index: number,
  list: string | undefined,
): string[] {
  const { tokens } = context;
  const keyword = tokens[0].text;
  const found = tokens[index] as Token | undefined;
  const following = tokens[index + 1] as Token | undefined;
  const hints: string[] = [];
  if (found === undefined) {
    const paren = unclosedParenthesis(tokens);
    const next = context.next?.[0];
    if (paren !== undefined && expectation.operators.includes(')')) {
      hints.push(messages.closeParenthesis(paren));
    } else if (next !== undefined && !messages.isStatementKeyword(next.text)) {
      // The statement stopped short; perhaps the next line was meant to continue it.
      hints.push(messages.continueWithIndent());
    }
  } else if (isWord(found)) {
    const suggestions = suggest(found.text, expectation.keywords);
    // A word followed by a comma, by what may follow the list, or by the end looks like one
    // more item of a list whose comma is missing.
    const looksLikeListItem =
      following === undefined
        ? expectation.endAllowed
        : following.text === ',' || expectation.keywords.includes(following.text);
    if (suggestions.length > 0) hints.push(messages.didYouMean(suggestions));
    else if (found.type === 'operatorWord' && expectation.classes.length > 0) {
      hints.push(messages.operatorWordAsName(found.text));
    } else if (messages.isStatementKeyword(found.text)) {
      hints.push(messages.statementOnItsOwnLine(found.text));
    } else if (
      expectation.operators.includes(',') &&
      ((list !== undefined && looksLikeListItem) || describeExpectation(expectation).length === 1)
    ) {
      hints.push(messages.missingComma());
    } else if (expectation.classes[0] === 'a string') {
      hints.push(messages.quoteText(found.text));
    }
  } else if (found.type === 'string' && expectation.classes.includes('a number')) {
    const inner = found.text.slice(1, -1);
    if (/^-?\d+(\.\d+)?%?$/.test(inner)) hints.push(messages.unquoteNumber(inner));
  } else if (found.text === ',' && keyword === 'check' && tokens[1].text === 'leakage') {
    hints.push(messages.leakageTwoTables('check leakage'));
  } else if (found.text === ',' && keyword === 'leakage') {
    hints.push(messages.leakageTwoTables('leakage'));
  } else if (found.text === '=' && expectation.operators.includes('==')) {
    hints.push(messages.useDoubleEquals());
  } else if (
    keyword === 'check' &&
    (COMPARISON_OPERATORS as readonly string[]).includes(found.text) &&
    column.states.some(
      (s) => s.isComplete && s.rule.name === 'comparison' && s.rule.symbols.length === 3,
    )
  ) {
    hints.push(messages.comparisonsDoNotChain());
  } else if ((keyword === 'load' || keyword === 'report') && ['.', '/'].includes(found.text)) {
    hints.push(messages.quoteFileName());
  }
  if (hints.length === 0 && messages.isStatementKeyword(keyword)) {
    hints.push(messages.usage(keyword));
  }
  return hints;
}

/** The diagnostic for a statement that does not start with a statement keyword. */
function notAStatement(context: StatementContext): Diagnostic {
  const [first, second] = context.tokens;
  const hints: string[] = [];
  const suggestions = isWord(first) ? suggest(first.text, messages.STATEMENT_KEYWORDS) : [];
  if (suggestions.length > 0) {
    hints.push(messages.didYouMean(suggestions));
  } else {
    if (isWord(first) && second?.text === '=') hints.push(messages.paramDefinition(first.text));
    else if (context.previous !== undefined) hints.push(messages.indentToContinue());
    hints.push(messages.statementKeywordList());
  }
  return diagnosticAt(
    tokenSpan(first),
    messages.expectedStatement(messages.quote(first.text), hints),
  );
}

/**
 * The diagnostic for a statement whose tokens[index] (or, at tokens.length, the end) the
 * parser could not take.
 */
function syntaxError(context: StatementContext, parser: nearley.Parser, index: number): Diagnostic {
  if (index === 0) return notAStatement(context);
  const { tokens } = context;
  const column = columnAt(parser, index);
  const expectation = expectationAt(column);
  const found = tokens[index] as Token | undefined;
  const list = listJustTaken(column);
  const after = `after ${list ?? messages.quote(tokens[index - 1].text)}`;
  const expected = describeExpectation(expectation);
  const hints = syntaxHints(context, column, expectation, index, list);
  if (found === undefined) {
    const last = tokens[tokens.length - 1];
    const end = last.offset + last.text.length;
    return diagnosticAt(
      { start: end, end, line: last.line, col: last.col + last.text.length },
      messages.unexpectedEnd(expected, after, hints),
    );
  }
  return diagnosticAt(
    tokenSpan(found),
    messages.unexpectedToken(expected, after, messages.quote(found.text), hints),
  );
}

/** The path of the first place two trees differ, and the two values there. */
function firstDifference(a: unknown, b: unknown, path: string): string {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return Object.is(a, b)
      ? `nowhere (the trees are equal)`
      : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const x = (a as Record<string, unknown>)[key];
    const y = (b as Record<string, unknown>)[key];
    if (JSON.stringify(x) !== JSON.stringify(y)) return firstDifference(x, y, `${path}.${key}`);
  }
  return 'nowhere (the trees are equal)';
}
