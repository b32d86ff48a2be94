/**
 * Helpers for the grammar tests: parse-or-fail, and builders for span-free trees so that an
 * expected tree reads close to the source it comes from.
 */
import assert from 'node:assert/strict';
import type { Program, Statement } from '../../dsl/ast.js';
import { renderDiagnostics } from '../../dsl/diagnostics.js';
import { parse, withoutSpans } from '../../dsl/parse.js';

/** The program of a text that must parse; fails the test with the rendered errors if not. */
export function parseOk(text: string): Program {
  const result = parse(text);
  if (!result.ok) assert.fail(`expected to parse:\n${renderDiagnostics(result.diagnostics, text)}`);
  return result.program;
}

/** The only statement of a one-statement text, spans left out. */
export function tree(text: string): unknown {
  const program = parseOk(text);
  assert.equal(program.statements.length, 1, `one statement in ${JSON.stringify(text)}`);
  return withoutSpans(program.statements[0]);
}

/** The statements of a text, spans kept. */
export function statements(text: string): readonly Statement[] {
  return parseOk(text).statements;
}

export const name = (text: string) => ({ kind: 'Name', text });
export const str = (value: string) => ({ kind: 'String', value });
export const num = (text: string) => ({ kind: 'Number', value: Number(text), text });
export const pct = (text: string, value: number) => ({ kind: 'Percent', value, text });
export const param = (paramName: string) => ({ kind: 'ParamRef', name: paramName });
export const as = (text: string) => ({ kind: 'As', name: name(text) });
export const ref = (...path: string[]) => ({ kind: 'Ref', path: path.map(name) });
export const bin = (op: string, left: unknown, right: unknown) => ({
  kind: 'Binary',
  op,
  left,
  right,
});
export const un = (op: string, operand: unknown) => ({ kind: 'Unary', op, operand });
