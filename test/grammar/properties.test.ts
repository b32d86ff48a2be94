/**
 * Properties of the front end over generated input:
 * - generated valid programs of every form parse, with exactly one parse (an ambiguity
 *   throws), spans inside the text, and print back to text that parses to the same tree;
 * - random token sequences, token edits and character edits of valid programs never make
 *   `parse` throw: they give a program (which then also round-trips through the printer) or
 *   clean diagnostics whose spans lie in the text and agree with their line and column.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Span } from '../../dsl/ast.js';
import { renderDiagnostics, spanAt } from '../../dsl/diagnostics.js';
import { CODES } from '../../dsl/messages.js';
import { parse, withoutSpans, type ParseResult } from '../../dsl/parse.js';
import { printProgram } from '../../dsl/print.js';
import { programSource, statementPieces, vocabulary } from './arbitraries.js';

// Fixed seed, so the suite is deterministic; PROPERTY_SCALE=20 (more cases) and another
// PROPERTY_SEED make a longer hunt by hand.
const SCALE = Number(process.env.PROPERTY_SCALE ?? 1);
const SEED = Number(process.env.PROPERTY_SEED ?? 72024);
const runs = (numRuns: number) => ({ numRuns: numRuns * SCALE, seed: SEED });
const knownCodes = new Set<string>(Object.values(CODES));

/** Every span in a tree, with the kind of the node that holds it. */
function spansOf(value: unknown, out: { kind: string; span: Span }[] = []) {
  if (Array.isArray(value)) value.forEach((v) => spansOf(v, out));
  else if (typeof value === 'object' && value !== null) {
    const node = value as { kind?: string; span?: Span };
    if (node.span !== undefined) out.push({ kind: node.kind ?? '?', span: node.span });
    for (const [key, field] of Object.entries(value)) if (key !== 'span') spansOf(field, out);
  }
  return out;
}

function assertSpanInText(span: Span, text: string, what: string): void {
  assert.ok(
    0 <= span.start && span.start <= span.end && span.end <= text.length,
    `${what}: span ${JSON.stringify(span)} outside a text of ${text.length}`,
  );
  const located = spanAt(text, span.start);
  assert.deepEqual([span.line, span.col], [located.line, located.col], `${what}: line/col`);
}

/** Every node's span lies within its parent's. */
function assertNested(value: unknown, parent: Span | undefined): void {
  if (Array.isArray(value)) {
    value.forEach((v) => assertNested(v, parent));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const span = (value as { span?: Span }).span;
  if (span !== undefined && parent !== undefined) {
    assert.ok(
      parent.start <= span.start && span.end <= parent.end,
      `${JSON.stringify(span)} outside its parent ${JSON.stringify(parent)}`,
    );
  }
  for (const [key, field] of Object.entries(value)) {
    if (key !== 'span') assertNested(field, span ?? parent);
  }
}

/** What every parse result must satisfy, valid or not. */
function assertWellFormed(text: string, result: ParseResult): void {
  if (result.ok) {
    for (const { kind, span } of spansOf(result.program.statements)) {
      assertSpanInText(span, text, kind);
    }
    assertNested(result.program, undefined);
    const printed = printProgram(result.program);
    const reparsed = parse(printed);
    assert.ok(reparsed.ok, `the printed program must parse:\n${printed}`);
    assert.deepEqual(withoutSpans(reparsed.program), withoutSpans(result.program));
    return;
  }
  assert.ok(result.diagnostics.length > 0);
  for (const d of result.diagnostics) {
    assert.ok(knownCodes.has(d.code), d.code);
    assert.ok(d.message.length > 0 && !/undefined|\[object/.test(d.message), d.message);
    for (const hint of d.hints) assert.ok(!/undefined|\[object/.test(hint), hint);
    assertSpanInText(d.span, text, d.code);
  }
  const rendered = renderDiagnostics(result.diagnostics, text);
  assert.ok(rendered.startsWith(`error[${result.diagnostics[0].code}]`));
}

describe('valid programs', () => {
  test('parse once, keep spans in the text, and round-trip through the printer', () => {
    fc.assert(
      fc.property(programSource, (text) => {
        const result = parse(text);
        if (!result.ok)
          assert.fail(`should parse:\n${text}\n${renderDiagnostics(result.diagnostics, text)}`);
        assertWellFormed(text, result);
        const printed = printProgram(result.program);
        // The canonical text is a fixed point of parse-then-print.
        const again = parse(printed);
        assert.ok(again.ok);
        assert.equal(printProgram(again.program), printed);
      }),
      runs(1500),
    );
  });

  test('a statement node spans from its keyword to its last token', () => {
    fc.assert(
      fc.property(statementPieces, (pieces) => {
        const text = pieces.join(' ');
        const result = parse(text);
        assert.ok(result.ok, text);
        const [statement] = result.program.statements;
        assert.equal(statement.span.start, 0);
        assert.equal(statement.span.end, text.length);
      }),
      runs(400),
    );
  });
});

describe('invalid input never throws', () => {
  test('random token sequences', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...vocabulary), { maxLength: 25 }), (tokens) => {
        const text = tokens.join(' ');
        assertWellFormed(text, parse(text));
      }),
      runs(1500),
    );
  });

  test('token edits of valid statements', () => {
    const edit = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('insert', 'delete', 'replace', 'swap'),
      token: fc.constantFrom(...vocabulary),
    });
    fc.assert(
      fc.property(
        statementPieces,
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        (pieces, edits) => {
          const tokens = [...pieces];
          for (const { at, kind, token } of edits) {
            const i = at % (tokens.length + 1);
            if (kind === 'insert') tokens.splice(i, 0, token);
            else if (kind === 'delete') tokens.splice(i, 1);
            else if (kind === 'replace') tokens.splice(i, 1, token);
            else if (i + 1 < tokens.length) [tokens[i], tokens[i + 1]] = [tokens[i + 1], tokens[i]];
          }
          const text = tokens.join(' ');
          assertWellFormed(text, parse(text));
        },
      ),
      runs(1500),
    );
  });

  test('character edits of valid programs', () => {
    const edit = fc.record({
      at: fc.nat(),
      length: fc.integer({ min: 0, max: 4 }),
      insert: fc.oneof(
        fc.constantFrom(
          '"',
          '`',
          "'",
          '#',
          '%',
          '\n',
          '\n ',
          '\\',
          ',',
          '=',
          '-',
          '.',
          '(',
          ')',
          '',
        ),
        fc.string({ maxLength: 2 }),
      ),
    });
    fc.assert(
      fc.property(
        programSource,
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        (source, edits) => {
          let text = source;
          for (const { at, length, insert } of edits) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + insert + text.slice(i + length);
          }
          assertWellFormed(text, parse(text));
        },
      ),
      runs(400),
    );
  });
});
