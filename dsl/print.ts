/**
 * The pretty-printer: a Program back to canonical text. One statement per line, the required
 * parts in their fixed order, then the clauses in the order the reference lists them; names
 * in backticks only when they must be; the minimum of parentheses in expressions. Parsing the
 * printed text gives the same tree again, spans aside.
 */
import { IDENTIFIER, OPERATOR_WORDS, encodeString } from '../grammar/lexer.js';
import type {
  Clause,
  Expr,
  Literal,
  ModelSpec,
  Name,
  Program,
  ScoreSpec,
  SignificanceClause,
  PickClause,
  PositiveClause,
  Statement,
  Value,
} from './ast.js';

/** The program's statements, one per line, each line ending in a newline. */
export function printProgram(program: Program): string {
  return program.statements.map((s) => `${printStatement(s)}\n`).join('');
}

/** One statement on one line, without a newline. */
export function printStatement(statement: Statement): string {
  switch (statement.kind) {
    case 'Load':
      return words(
        'load',
        printValue(statement.file),
        clause(statement.as),
        clause(statement.format),
      );
    case 'SplitInto':
      return words(
        'split',
        printName(statement.table),
        'into',
        statement.parts.map((p) => `${printName(p.name)} ${printValue(p.size)}`).join(', '),
        clause(statement.seed),
        clause(statement.stratify),
      );
    case 'SplitBy':
      return words(
        'split',
        printName(statement.table),
        'by',
        printName(statement.column),
        clause(statement.as),
      );
    case 'Compare':
      return words(
        'compare',
        statement.models.map(printModel).join(', '),
        onTableAgainstLabel(statement),
        clause(statement.metrics),
        clause(statement.beta),
        clause(statement.average),
        clause(statement.by),
        clause(statement.significance),
        clause(statement.explain),
        clause(statement.as),
      );
    case 'Threshold':
      return words(
        'threshold',
        statement.scores.map(printScore).join(', '),
        onTableAgainstLabel(statement),
        clause(statement.pick),
        clause(statement.explain),
        clause(statement.as),
      );
    case 'Calibration':
      return words(
        'calibration',
        statement.scores.map(printScore).join(', '),
        onTableAgainstLabel(statement),
        clause(statement.bins),
        clause(statement.as),
      );
    case 'Curve':
      return words(
        'curve',
        printName(statement.table),
        clause(statement.epoch),
        clause(statement.train),
        clause(statement.val),
        clause(statement.patience),
        clause(statement.as),
      );
    case 'Report':
      return words(
        'report',
        statement.file === undefined ? undefined : printValue(statement.file),
        clause(statement.title),
      );
    case 'Check':
      return `check ${printExpr(statement.expr)}`;
    case 'CheckLeakage':
      return words(
        'check leakage',
        `${printName(statement.train)}, ${printName(statement.test)}`,
        'on',
        printName(statement.column),
        clause(statement.normalized),
      );
    case 'Leakage':
      return words(
        'leakage',
        `${printName(statement.train)}, ${printName(statement.test)}`,
        'on',
        printName(statement.column),
        clause(statement.normalized),
        clause(statement.as),
      );
    case 'Show':
      return words('show', printName(statement.target), clause(statement.limit));
    case 'SetPositive':
      return `set positive ${printValue(statement.value)}`;
    case 'SetSeed':
      return `set seed ${printValue(statement.seed)}`;
    case 'Param':
      return `param ${printName(statement.name)} = ${printLiteral(statement.value)}`;
  }
}

/** A name as written: backticked unless it is a plain identifier other than an operator word. */
export function printName(name: Name | string): string {
  const text = typeof name === 'string' ? name : name.text;
  const plain = IDENTIFIER.test(text) && !(OPERATOR_WORDS as readonly string[]).includes(text);
  return plain ? text : `\`${text}\``;
}

export function printLiteral(literal: Literal): string {
  return literal.kind === 'String' ? encodeString(literal.value) : literal.text;
}

export function printValue(value: Value): string {
  return value.kind === 'ParamRef' ? printName(value.name) : printLiteral(value);
}

function words(...parts: (string | undefined)[]): string {
  return parts.filter((p): p is string => p !== undefined && p !== '').join(' ');
}

/** `on TABLE against LABEL [positive V]`, as compare, threshold and calibration write it. */
function onTableAgainstLabel(statement: {
  readonly table: Name;
  readonly label: Name;
  readonly positive?: PositiveClause;
}): string {
  return words(
    'on',
    printName(statement.table),
    'against',
    printName(statement.label),
    clause(statement.positive),
  );
}

function printModel(model: ModelSpec): string {
  return words(
    model.name === undefined ? undefined : `${printName(model.name)} =`,
    printName(model.predictions),
    model.scores === undefined ? undefined : `score ${printName(model.scores)}`,
  );
}

function printScore(score: ScoreSpec): string {
  return words(
    score.name === undefined ? undefined : `${printName(score.name)} =`,
    printName(score.scores),
  );
}

function printSignificance(significance: SignificanceClause): string {
  if (significance.kind === 'McNemar') return 'significance mcnemar';
  return words(
    'significance bootstrap',
    printValue(significance.resamples),
    significance.seed === undefined ? undefined : `seed ${printValue(significance.seed)}`,
  );
}

function printPick(pick: PickClause): string {
  switch (pick.kind) {
    case 'PickMaxF1':
      return 'pick max f1';
    case 'PickMaxFbeta':
      return `pick max fbeta ${printValue(pick.beta)}`;
    case 'PickRecallAtLeast':
      return `pick recall >= ${printValue(pick.recall)}`;
    case 'PickPrecisionAtLeast':
      return `pick precision >= ${printValue(pick.precision)}`;
    case 'PickMinCost':
      return `pick min cost fp ${printValue(pick.falsePositiveCost)} fn ${printValue(pick.falseNegativeCost)}`;
    case 'PickAt':
      return `pick at ${printValue(pick.threshold)}`;
  }
}

function clause(c: Clause | undefined): string | undefined {
  if (c === undefined) return undefined;
  switch (c.kind) {
    case 'As':
      return `as ${printName(c.name)}`;
    case 'Format':
      return `format ${c.format}`;
    case 'Seed':
      return `seed ${printValue(c.seed)}`;
    case 'Stratify':
      return `stratify by ${printName(c.column)}`;
    case 'Positive':
      return `positive ${printValue(c.value)}`;
    case 'Metrics':
      return `metrics ${c.metrics.map(printName).join(', ')}`;
    case 'Beta':
      return `beta ${printValue(c.beta)}`;
    case 'Average':
      return `average ${c.average}`;
    case 'By':
      return `by ${printName(c.column)}`;
    case 'McNemar':
    case 'Bootstrap':
      return printSignificance(c);
    case 'Explain':
      return 'explain';
    case 'PickMaxF1':
    case 'PickMaxFbeta':
    case 'PickRecallAtLeast':
    case 'PickPrecisionAtLeast':
    case 'PickMinCost':
    case 'PickAt':
      return printPick(c);
    case 'Title':
      return `title ${printValue(c.title)}`;
    case 'Normalized':
      return 'normalized';
    case 'Bins':
      return `bins ${printValue(c.bins)}`;
    case 'Epoch':
      return `epoch ${printName(c.column)}`;
    case 'Train':
      return `train ${printName(c.column)}`;
    case 'Val':
      return `val ${printName(c.column)}`;
    case 'Patience':
      return `patience ${printValue(c.patience)}`;
    case 'Limit':
      return `limit ${printValue(c.limit)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Expressions

/** Binding strength, loosest first, as in grammar/check.ne. */
const enum Precedence {
  Or = 1,
  And,
  Not,
  Comparison,
  Sum,
  Product,
  Negation,
  Atom,
}

function precedenceOf(expr: Expr): Precedence {
  switch (expr.kind) {
    case 'Binary':
      switch (expr.op) {
        case 'or':
          return Precedence.Or;
        case 'and':
          return Precedence.And;
        case '+':
        case '-':
          return Precedence.Sum;
        case '*':
        case '/':
          return Precedence.Product;
        default:
          return Precedence.Comparison;
      }
    case 'Unary':
      return expr.op === 'not' ? Precedence.Not : Precedence.Negation;
    default:
      return Precedence.Atom;
  }
}

/** `expr`, in parentheses when it binds more loosely than `min` allows. */
function operand(expr: Expr, min: Precedence): string {
  const text = printExpr(expr);
  return precedenceOf(expr) < min ? `(${text})` : text;
}

/** An expression with the fewest parentheses that keep its tree. */
export function printExpr(expr: Expr): string {
  switch (expr.kind) {
    case 'Binary': {
      const p = precedenceOf(expr);
      // Operators associate to the left, so a right operand of the same strength needs
      // parentheses; comparisons do not chain, so neither side may be a bare comparison.
      const leftMin = p === Precedence.Comparison ? p + 1 : p;
      return `${operand(expr.left, leftMin)} ${expr.op} ${operand(expr.right, p + 1)}`;
    }
    case 'Unary':
      return expr.op === 'not'
        ? `not ${operand(expr.operand, Precedence.Not)}`
        : `-${operand(expr.operand, Precedence.Negation)}`;
    case 'Ref':
      return expr.path.map(printName).join('.');
    default:
      return printLiteral(expr);
  }
}
