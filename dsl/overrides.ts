/**
 * The check of `--set NAME=VALUE`, for `.eval` programs and notebooks alike: each name must be
 * a declared `param` or `seed`, and a seed must be one a `set seed` statement accepts. The
 * accepted overrides come back as statements (`param NAME = V`, `set seed N`), for a notebook's
 * injected-parameters cell, printed by `dsl/print.ts` as any program is.
 */
import type { Literal, ParamStatement, Program, SetSeedStatement, Span } from './ast.js';
import { SEED_RANGE } from './limits.js';
import * as messages from './messages.js';
import { printStatement } from './print.js';

/** The parameters a program (or a notebook's cells) declares: the first declaration's kind. */
export type DeclaredParams = ReadonlyMap<string, Literal['kind']>;

/** What `param` statements declare, in the order of the programs given. */
export function declaredParams(programs: Iterable<Program>): DeclaredParams {
  const declared = new Map<string, Literal['kind']>();
  for (const program of programs) {
    for (const statement of program.statements) {
      if (statement.kind === 'Param' && !declared.has(statement.name.text)) {
        declared.set(statement.name.text, statement.value.kind);
      }
    }
  }
  return declared;
}

export interface OverrideOptions {
  /** What declares the parameters, for the message about an unknown one. */
  readonly where: 'program' | 'notebook';
  /**
   * Whether a value must already be of its parameter's type. A `.eval` program leaves that to
   * the checker of its `param` statement (E0205, with the statement's span).
   */
  readonly types: boolean;
}

export type CheckedOverrides =
  | { readonly ok: true; readonly statements: readonly (ParamStatement | SetSeedStatement)[] }
  | { readonly ok: false; readonly problem: string };

const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/u;
const PERCENT = /^-?\d+(?:\.\d+)?%$/u;

/** Overrides are not from any source text: their statements have an empty span. */
const NO_SPAN: Span = { start: 0, end: 0, line: 1, col: 1 };

/** Checks the overrides in the order given; the first problem refuses them all. */
export function checkOverrides(
  params: Readonly<Record<string, string>>,
  declared: DeclaredParams,
  options: OverrideOptions,
): CheckedOverrides {
  const statements: (ParamStatement | SetSeedStatement)[] = [];
  for (const [name, given] of Object.entries(params)) {
    const kind = declared.get(name);
    const text = given.trim();
    if (kind === undefined && name === 'seed') {
      if (!/^\d+$/u.test(text)) return { ok: false, problem: messages.overrideSeedNotWhole(given) };
      const seed = Number(text);
      if (seed > SEED_RANGE.max) {
        return { ok: false, problem: messages.overrideSeedOutOfRange(given, SEED_RANGE) };
      }
      statements.push({
        kind: 'SetSeed',
        seed: { kind: 'Number', value: seed, text, span: NO_SPAN },
        span: NO_SPAN,
      });
      continue;
    }
    if (kind === undefined) {
      return {
        ok: false,
        problem: messages.overrideUnknownParam(name, options.where, [...declared.keys()]),
      };
    }
    let value: Literal;
    if (kind === 'String') value = { kind: 'String', value: given, span: NO_SPAN };
    else if (PERCENT.test(text)) {
      value = { kind: 'Percent', value: Number(text.slice(0, -1)) / 100, text, span: NO_SPAN };
    } else if (NUMBER.test(text))
      value = { kind: 'Number', value: Number(text), text, span: NO_SPAN };
    else if (options.types) return { ok: false, problem: messages.overrideNotNumber(name, given) };
    else continue;
    statements.push({
      kind: 'Param',
      name: { kind: 'Name', text: name, span: NO_SPAN },
      value,
      span: NO_SPAN,
    });
  }
  return { ok: true, statements };
}

/** The accepted overrides as program text, one statement a line (no final newline). */
export function printOverrides(statements: readonly (ParamStatement | SetSeedStatement)[]): string {
  return statements.map((s) => printStatement(s)).join('\n');
}
