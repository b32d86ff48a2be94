/**
 * The `check` expression language after checking: typed expressions over numbers of bound
 * results, their evaluation (with the undefined values that make a check undecided), and how
 * an evaluation is described. It imports nothing of the plan, which holds its expressions.
 */
import type { Span } from './ast.js';

export type ExprType = 'number' | 'string' | 'boolean';

/** A `check` expression after checking: names resolved, every node typed. */
export type CheckedExpr =
  | {
      readonly kind: 'literal';
      readonly type: 'number' | 'string';
      readonly value: number | string;
      readonly span: Span;
    }
  | {
      readonly kind: 'param';
      readonly type: 'number' | 'string';
      readonly name: string;
      readonly value: number | string;
      readonly span: Span;
    }
  | {
      readonly kind: 'path';
      readonly type: 'number';
      /** The bound table or result. */
      readonly binding: string;
      /** The keys after the bound name. */
      readonly keys: readonly string[];
      /** As written, e.g. `R.finetuned.f1`. */
      readonly text: string;
      readonly span: Span;
      /** The spans of the bound name and of each key, for messages. */
      readonly segmentSpans: readonly Span[];
    }
  | {
      readonly kind: 'unary';
      readonly type: ExprType;
      readonly op: '-' | 'not';
      readonly operand: CheckedExpr;
      readonly span: Span;
    }
  | {
      readonly kind: 'binary';
      readonly type: ExprType;
      readonly op: string;
      readonly left: CheckedExpr;
      readonly right: CheckedExpr;
      readonly span: Span;
    };

/** The paths of an expression, in source order. */
export function pathsOf(expr: CheckedExpr): Extract<CheckedExpr, { kind: 'path' }>[] {
  switch (expr.kind) {
    case 'path':
      return [expr];
    case 'unary':
      return pathsOf(expr.operand);
    case 'binary':
      return [...pathsOf(expr.left), ...pathsOf(expr.right)];
    default:
      return [];
  }
}

/** A value met while evaluating: a path's or a parameter's, for the check's detail line. */
export interface EvaluatedRef {
  readonly text: string;
  readonly span: Span;
  readonly value: number | string | null;
}

/**
 * A check's evaluation. `value` is null when it cannot be decided (a number on the way is
 * undefined, or a division by zero); `undecided` then says why.
 */
export interface Evaluation {
  readonly value: boolean | null;
  readonly refs: readonly EvaluatedRef[];
  readonly undecided: string | null;
}

type Scalar = number | string | boolean | null;

/** Numbers of paths, by the path as written; resolved by the caller from bound results. */
export type PathValues = (path: Extract<CheckedExpr, { kind: 'path' }>) => {
  value: number | null;
  why: string | null;
};

/** Evaluates a checked expression (its type is boolean; the checker made sure). */
export function evaluateCheck(expr: CheckedExpr, paths: PathValues): Evaluation {
  const refs: EvaluatedRef[] = [];
  let undecided: string | null = null;
  const undefinedBecause = (reason: string): null => {
    undecided ??= reason;
    return null;
  };
  const evaluate = (e: CheckedExpr): Scalar => {
    switch (e.kind) {
      case 'literal':
        return e.value;
      case 'param':
        refs.push({ text: e.name, span: e.span, value: e.value });
        return e.value;
      case 'path': {
        const { value: v, why } = paths(e);
        refs.push({ text: e.text, span: e.span, value: v });
        return v === null
          ? undefinedBecause(`${e.text} is undefined${why === null ? '' : ` (${why})`}`)
          : v;
      }
      case 'unary': {
        const x = evaluate(e.operand);
        if (x === null) return null;
        return e.op === 'not' ? !x : -(x as number);
      }
      case 'binary': {
        // `and`/`or` evaluate both sides, so the detail line shows every value.
        const a = evaluate(e.left);
        const b = evaluate(e.right);
        if (e.op === 'and')
          return a === false || b === false ? false : a === null || b === null ? null : true;
        if (e.op === 'or')
          return a === true || b === true ? true : a === null || b === null ? null : false;
        if (a === null || b === null) return null;
        switch (e.op) {
          case '+':
            return (a as number) + (b as number);
          case '-':
            return (a as number) - (b as number);
          case '*':
            return (a as number) * (b as number);
          case '/':
            return b === 0 ? undefinedBecause('a division by zero') : (a as number) / (b as number);
          case '<':
            return a < b;
          case '<=':
            return a <= b;
          case '>':
            return a > b;
          case '>=':
            return a >= b;
          case '==':
            return a === b;
          case '!=':
            return a !== b;
          default:
            throw new Error(`internal error: unknown operator ${e.op}`);
        }
      }
    }
  };
  const result = evaluate(expr);
  return { value: result === null ? null : result === true, refs, undecided };
}

/**
 * A number for a check's detail line: whole numbers as they are, others to four significant
 * digits below 1 and four decimals above (0.9717, 12.3457), without trailing zeros.
 */
export function formatCheckNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const rounded = Math.abs(x) < 1 ? Number(x.toPrecision(4)) : Number(x.toFixed(4));
  return String(rounded);
}

function formatRefValue(v: number | string | null): string {
  if (v === null) return 'n/a';
  return typeof v === 'number' ? formatCheckNumber(v) : JSON.stringify(v);
}

/**
 * The expression as written with each value put in after its path or parameter, and the
 * verdict: `R.finetuned.f1 (0.9717) > R.base.f1 (0.9002) + 0.02 → true`. `exprStart` is the
 * offset of `source` in the text that the refs' spans index.
 */
export function describeEvaluation(
  source: string,
  exprStart: number,
  evaluation: Evaluation,
): string {
  const refs = [...evaluation.refs].sort((a, b) => a.span.start - b.span.start);
  let out = '';
  let at = 0;
  for (const ref of refs) {
    const end = ref.span.end - exprStart;
    if (end < at || end > source.length) continue;
    out += `${source.slice(at, end)} (${formatRefValue(ref.value)})`;
    at = end;
  }
  out += source.slice(at);
  const oneLine = out.replace(/\s*\n\s*/gu, ' ');
  const verdict = evaluation.value === null ? 'undecided' : String(evaluation.value);
  return `${oneLine} → ${verdict}`;
}
