/**
 * The bounds of a cell's size (dsl/limits.ts, docs/language.md "Limits"): a cell, a string,
 * a statement and an expression beyond them are refused with their code at the place the
 * bound falls, never with a RangeError; just within them they parse. Also: long literals no
 * longer overflow the lexer's regular expressions, a cell gives at most 100 problems, and a
 * long line is excerpted around the caret.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Diagnostic } from '../../dsl/diagnostics.js';
import { renderDiagnostic, renderDiagnostics } from '../../dsl/diagnostics.js';
import {
  MAX_DIAGNOSTICS,
  MAX_EXPRESSION_DEPTH,
  MAX_PROGRAM_LENGTH,
  MAX_STATEMENT_TOKENS,
  MAX_STRING_LENGTH,
} from '../../dsl/limits.js';
import { parse } from '../../dsl/parse.js';
import { tokenize } from '../../grammar/lexer.js';

function diagnosticsOf(text: string): readonly Diagnostic[] {
  const result = parse(text);
  assert.ok(!result.ok, 'expected diagnostics');
  return result.diagnostics;
}

function onlyDiagnostic(text: string): Diagnostic {
  const diagnostics = diagnosticsOf(text);
  assert.equal(diagnostics.length, 1, diagnostics.map((d) => d.message).join('\n'));
  return diagnostics[0];
}

function parses(text: string): void {
  const result = parse(text);
  assert.ok(result.ok, result.ok ? '' : renderDiagnostics(result.diagnostics, text).slice(0, 2000));
}

describe('the bounds are those documented', () => {
  test('values', () => {
    assert.deepEqual(
      [
        MAX_PROGRAM_LENGTH,
        MAX_STRING_LENGTH,
        MAX_STATEMENT_TOKENS,
        MAX_EXPRESSION_DEPTH,
        MAX_DIAGNOSTICS,
      ],
      [4_000_000, 10_000, 1_000, 100, 100],
    );
  });
});

describe('a cell', () => {
  test('of 4,000,000 characters parses; one more is refused at the character past the bound (E0008)', () => {
    const filled = `show t\n#${'x'.repeat(MAX_PROGRAM_LENGTH - 8)}`;
    assert.equal(filled.length, MAX_PROGRAM_LENGTH);
    parses(filled);
    const d = onlyDiagnostic(`${filled}x`);
    assert.equal(d.code, 'E0008');
    assert.equal(d.message, 'the cell is 4000001 characters long; a cell may have at most 4000000');
    assert.deepEqual(d.span, {
      start: MAX_PROGRAM_LENGTH,
      end: MAX_PROGRAM_LENGTH + 1,
      line: 2,
      col: MAX_PROGRAM_LENGTH - 'show t\n'.length + 1,
    });
  });

  test('a 10 MB string literal is refused as too long a cell, not a stack overflow', () => {
    const text = `load "${'a'.repeat(10_000_000)}" as t`;
    const d = onlyDiagnostic(text);
    assert.equal(d.code, 'E0008');
    assert.deepEqual([d.span.line, d.span.col], [1, MAX_PROGRAM_LENGTH + 1]);
    // The excerpt is a window around the caret, not the whole line.
    const rendered = renderDiagnostic(d, text);
    assert.ok(rendered.length < 1000, `${rendered.length} characters`);
    assert.match(rendered, /^ 1 \| …a{200}…$/mu);
  });

  test('more than 100 problems: the first 100, then one saying the rest are not shown (E0108)', () => {
    const text = '@\n'.repeat(500);
    const diagnostics = diagnosticsOf(text);
    assert.equal(diagnostics.length, MAX_DIAGNOSTICS + 1);
    assert.ok(diagnostics.slice(0, MAX_DIAGNOSTICS).every((d) => d.code === 'E0001'));
    const last = diagnostics[MAX_DIAGNOSTICS];
    assert.equal(last.code, 'E0108');
    assert.equal(last.message, 'more than 100 problems in this cell; the rest are not shown');
    assert.deepEqual([last.span.line, last.span.col], [101, 1]);
  });
});

describe('the lexer on long literals', () => {
  test('never overflows its stack: a 10 MB string, unterminated string and backticked name each lex as one token', () => {
    const long = 'a\\n'.repeat(3_000_000);
    assert.deepEqual(
      tokenize(`"${long}"`).map((t) => [t.type, t.text.length]),
      [['string', long.length + 2]],
    );
    assert.deepEqual(
      tokenize(`"${long}`).map((t) => [t.type, t.text.length]),
      [['unterminatedString', long.length + 1]],
    );
    assert.deepEqual(
      tokenize(`\`${'b'.repeat(10_000_000)}\``).map((t) => t.type),
      ['backticked'],
    );
  });

  test('the unrolled string rule reads what the old one did', () => {
    const cases: [string, string[]][] = [
      ['"a\\"b" x', ['string', 'ws', 'word']],
      ['"ab\\\\" "c"', ['string', 'ws', 'string']],
      ['"abc', ['unterminatedString']],
      ['"ab\\', ['unterminatedString']],
      ['"a\\"', ['unterminatedString']],
      ['""', ['string']],
      ['"a\nb"', ['unterminatedString', 'nl', 'word', 'unterminatedString']],
    ];
    for (const [text, types] of cases) {
      assert.deepEqual(
        tokenize(text).map((t) => t.type),
        types,
        JSON.stringify(text),
      );
    }
  });
});

describe('a string or backticked name', () => {
  test('of 10,000 characters parses; one more is refused at its opening quote (E0009)', () => {
    parses(`load "${'a'.repeat(MAX_STRING_LENGTH)}" as t`);
    const d = onlyDiagnostic(`load "${'a'.repeat(MAX_STRING_LENGTH + 1)}" as t`);
    assert.equal(d.code, 'E0009');
    assert.equal(d.message, 'this string is 10001 characters long; at most 10000 are allowed');
    assert.deepEqual(d.span, { start: 5, end: 6, line: 1, col: 6 });
  });

  test('a backticked name', () => {
    parses(`show \`${'b'.repeat(MAX_STRING_LENGTH)}\``);
    const d = onlyDiagnostic(`show \`${'b'.repeat(MAX_STRING_LENGTH + 1)}\``);
    assert.equal(d.code, 'E0009');
    assert.equal(
      d.message,
      'this name in backticks is 10001 characters long; at most 10000 are allowed',
    );
    assert.deepEqual([d.span.line, d.span.col], [1, 6]);
  });
});

describe('a statement', () => {
  // compare m1, ..., mN on t against l: 2N + 4 tokens.
  const compareOf = (models: number) =>
    `compare ${Array.from({ length: models }, (_, i) => `m${i}`).join(', ')} on t against l`;

  test('of 1,000 tokens parses; of 1,001 is refused at its 1,001st token (E0106)', () => {
    parses(compareOf(498));
    const text = `x = 1\n${compareOf(499)}`;
    const tokens = tokenize(text).filter((t) => !['ws', 'nl'].includes(t.type));
    const d = diagnosticsOf(text).find((x) => x.code === 'E0106');
    assert.ok(d !== undefined);
    assert.equal(
      d.message,
      'this statement has 1002 words, numbers and symbols; a statement may have at most 1000',
    );
    const first = tokens.findIndex((t) => t.text === 'compare');
    const token = tokens[first + MAX_STATEMENT_TOKENS];
    assert.deepEqual([d.span.start, d.span.line, d.span.col], [token.offset, 2, token.col]);
  });

  test('a check of thousands of chained terms is too long a statement, not a stack overflow', () => {
    const d = onlyDiagnostic(`check ${Array(5000).fill('R.a').join(' + ')} > 0`);
    assert.equal(d.code, 'E0106');
  });
});

describe('a check expression', () => {
  test('100 levels deep parses; 101 is refused at the first node past the bound (E0107)', () => {
    // `not` × k, then a comparison over a path: k + 2 levels.
    parses(`check ${'not '.repeat(98)}R.a > 0`);
    const d = onlyDiagnostic(`check ${'not '.repeat(99)}R.a > 0`);
    assert.equal(d.code, 'E0107');
    assert.equal(d.message, 'this expression nests more than 100 levels deep');
    assert.equal(d.span.col, 'check '.length + 99 * 'not '.length + 1, 'at the path');
  });

  test('chains of `+`, minus signs and parentheses count as the tree does', () => {
    // 99 terms: 98 `+`, a comparison and the paths: 100 levels.
    parses(`check ${Array(99).fill('R.a').join(' + ')} > 0`);
    assert.equal(onlyDiagnostic(`check ${Array(100).fill('R.a').join(' + ')} > 0`).code, 'E0107');
    parses(`check ${'- '.repeat(98)}R.a > 0`);
    assert.equal(onlyDiagnostic(`check ${'- '.repeat(99)}R.a > 0`).code, 'E0107');
    // Parentheses add no level.
    parses(`check ${'('.repeat(300)}R.a${')'.repeat(300)} > 0`);
  });

  test('thousands of `not`s: too long, never a RangeError', () => {
    const d = onlyDiagnostic(`check ${'not '.repeat(20_000)}R.a > 0`);
    assert.equal(d.code, 'E0106');
  });
});

describe('excerpts of long lines', () => {
  test('a window of 200 characters around the caret, cut ends marked', () => {
    const text = `show ${'x'.repeat(500)} @ ${'y'.repeat(500)}`;
    const d = onlyDiagnostic(text);
    assert.equal(d.code, 'E0001');
    const lines = renderDiagnostic(d, text).split('\n');
    assert.equal(lines[3], ` 1 | …${'x'.repeat(59)} @ ${'y'.repeat(138)}…`);
    assert.equal(lines[4], `   | ${' '.repeat(61)}^`);
  });

  test('a line of 200 characters is shown whole', () => {
    const text = `show ${'x'.repeat(193)} @`;
    assert.equal(text.length, 200);
    const lines = renderDiagnostic(onlyDiagnostic(text), text).split('\n');
    assert.equal(lines[3], ` 1 | ${text}`);
  });
});
