/**
 * Every user-facing message of the kernel itself (not of the language, whose catalogue is
 * dsl/messages.ts): cells the kernel refuses before anything parses or type-checks them. Each
 * is a diagnostic with a code and a span, rendered as the language's diagnostics are.
 */
import { renderDiagnostics, spanAt, type Diagnostic } from '../dsl/diagnostics.js';
import type { ExecuteOutcome } from './executor.js';

export const KERNEL_CODES = {
  // Size bounds of cells, checked by the kernel before parsing or type-checking.
  tsCellTooLarge: 'E0325',
  tsNestedTooDeep: 'E0326',
  cellTooLarge: 'E0327',
} as const;

const EXCERPT_CHARS = 120;

/** The `ename` of a cell the kernel refused. */
export const REFUSED_CELL = 'CellRefused';

function kib(chars: number): string {
  return `${Math.round(chars / 1024)} KiB`;
}

function diagnostic(code: string, message: string, span: Diagnostic['span'], hints: string[]) {
  return { code, severity: 'error' as const, message, span, hints };
}

export function tsCellTooLarge(code: string, limit: number): Diagnostic {
  return diagnostic(
    KERNEL_CODES.tsCellTooLarge,
    `this %%ts cell has ${code.length} characters (${kib(code.length)}); at most ${limit} (${kib(limit)}) are type-checked`,
    spanAt(code, 0, 4),
    [
      'split the code over several cells, or load large data from a file instead of writing it in the cell',
    ],
  );
}

export function tsNestedTooDeep(code: string, at: number, limit: number): Diagnostic {
  return diagnostic(
    KERNEL_CODES.tsNestedTooDeep,
    `brackets nested more than ${limit} deep in a %%ts cell`,
    spanAt(code, at, at + 1),
    ['name intermediate values with `const` instead of nesting expressions this deep'],
  );
}

export function cellTooLarge(code: string, limit: number): Diagnostic {
  return diagnostic(
    KERNEL_CODES.cellTooLarge,
    `this cell has ${code.length} characters (${kib(code.length)}); the kernel parses at most ${limit} (${kib(limit)}) in one cell`,
    spanAt(code, 0, 0),
    ['split the program over several cells'],
  );
}

/**
 * A refused cell as the error it ends with. The excerpt quotes at most the first
 * EXCERPT_CHARS of the cell: a refused cell may be one enormous line.
 */
export function refusal(diagnostic: Diagnostic, code: string): ExecuteOutcome {
  const end = Math.max(diagnostic.span.end, Math.min(code.length, EXCERPT_CHARS));
  const rendered = renderDiagnostics([diagnostic], code.slice(0, end));
  return {
    status: 'error',
    ename: REFUSED_CELL,
    evalue: diagnostic.message,
    traceback: rendered.split('\n'),
  };
}

// ------------------------------------------------------------------ user_expressions

/** An expression's failure, with the exception name ipykernel would give it. */
export interface ExpressionError {
  readonly ename: 'NameError' | 'KeyError' | 'TypeError' | 'ValueError' | 'SyntaxError';
  readonly evalue: string;
}

function someOf(keys: readonly string[]): string {
  const shown = keys.slice(0, 12).map((k) => `\`${k}\``);
  return keys.length > 12 ? `${shown.join(', ')} and ${keys.length - 12} more` : shown.join(', ');
}

export function expressionNotAPath(expression: string): ExpressionError {
  return {
    ename: 'SyntaxError',
    evalue: `\`${expression}\` is not a result path: user_expressions are paths such as R.finetuned.f1`,
  };
}

export function expressionUnknownName(name: string, known: readonly string[]): ExpressionError {
  return {
    ename: 'NameError',
    evalue:
      known.length === 0
        ? `no result, table or parameter is named \`${name}\`: nothing is bound yet`
        : `no result, table or parameter is named \`${name}\`; bound: ${someOf(known)}`,
  };
}

export function expressionUnknownKey(
  path: string,
  key: string,
  available: readonly string[],
): ExpressionError {
  return {
    ename: 'KeyError',
    evalue: `\`${path}\` has no \`${key}\`; it has ${someOf(available)}`,
  };
}

export function expressionNotANumber(path: string, available: readonly string[]): ExpressionError {
  return {
    ename: 'TypeError',
    evalue: `\`${path}\` is a group of values, not one; it has ${someOf(available)}`,
  };
}

export function expressionTooLong(path: string, number: string): ExpressionError {
  return { ename: 'KeyError', evalue: `\`${number}\` is a number: \`${path}\` goes past it` };
}

export function expressionUndefined(path: string, why: string | undefined): ExpressionError {
  return {
    ename: 'ValueError',
    evalue: `\`${path}\` is undefined${why === undefined ? '' : `: ${why}`}`,
  };
}
