/** Rendering diagnostics: the header, the location, the source line, carets and hints. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  renderDiagnostic,
  renderDiagnostics,
  spanAt,
  type Diagnostic,
} from '../../dsl/diagnostics.js';
import { GrammarAmbiguityError } from '../../dsl/parse.js';
import * as messages from '../../dsl/messages.js';

function diag(text: string, start: number, end: number, hints: string[] = []): Diagnostic {
  return {
    code: 'E0999',
    severity: 'error',
    message: 'something',
    span: spanAt(text, start, end),
    hints,
  };
}

describe('spanAt', () => {
  test('line and column of an offset', () => {
    const text = 'ab\ncd\r\nef';
    assert.deepEqual(spanAt(text, 0), { start: 0, end: 0, line: 1, col: 1 });
    assert.deepEqual(spanAt(text, 4, 5), { start: 4, end: 5, line: 2, col: 2 });
    assert.deepEqual(spanAt(text, 7), { start: 7, end: 7, line: 3, col: 1 });
    assert.deepEqual(spanAt(text, text.length), { start: 9, end: 9, line: 3, col: 3 });
  });
});

describe('renderDiagnostic', () => {
  test('header, location, source line, carets under the span, hints', () => {
    const text = 'load "a" as t\ncompare p on t agains y';
    assert.equal(
      renderDiagnostic(diag(text, 29, 35, ['first hint', 'second hint']), text),
      [
        'error[E0999]: something',
        '  --> line 2, col 16',
        '   |',
        ' 2 | compare p on t agains y',
        '   |                ^^^^^^',
        '   = hint: first hint',
        '   = hint: second hint',
      ].join('\n'),
    );
  });

  test('an empty span at the end of the text gets one caret after it', () => {
    const text = 'check x >';
    assert.equal(
      renderDiagnostic(diag(text, 9, 9), text),
      [
        'error[E0999]: something',
        '  --> line 1, col 10',
        '   |',
        ' 1 | check x >',
        '   |          ^',
      ].join('\n'),
    );
  });

  test('the gutter widens with the line number; warnings say so', () => {
    const text = `${'\n'.repeat(11)}show t`;
    const warning: Diagnostic = { ...diag(text, 16, 17), severity: 'warning', code: 'W0201' };
    assert.equal(
      renderDiagnostic(warning, text),
      [
        'warning[W0201]: something',
        '   --> line 12, col 6',
        '    |',
        ' 12 | show t',
        '    |      ^',
      ].join('\n'),
    );
  });

  test('tabs show as four spaces, and the carets follow them', () => {
    const text = 'compare p\n\ton t\tagainst y';
    assert.equal(
      renderDiagnostic(diag(text, 16, 23), text),
      [
        'error[E0999]: something',
        '  --> line 2, col 7',
        '   |',
        ' 2 |     on t    against y',
        '   |             ^^^^^^^',
      ].join('\n'),
    );
  });

  test('a span over several lines is underlined to the end of its first line', () => {
    const text = 'compare p,\n  q on t';
    assert.equal(
      renderDiagnostic(diag(text, 8, 19), text)
        .split('\n')
        .slice(3)
        .join('\n'),
      [' 1 | compare p,', '   |         ^^'].join('\n'),
    );
  });

  test('characters outside the BMP take one column', () => {
    const text = 'show "😀" x';
    assert.equal(
      renderDiagnostic(diag(text, 10, 11), text)
        .split('\n')
        .slice(3)
        .join('\n'),
      [' 1 | show "😀" x', '   |          ^'].join('\n'),
    );
  });

  test('several diagnostics are separated by a blank line', () => {
    const text = 'a\nb';
    const rendered = renderDiagnostics([diag(text, 0, 1), diag(text, 2, 3)], text);
    assert.equal(rendered.split('\n\n').length, 2);
    assert.ok(rendered.split('\n\n')[1].includes(' 2 | b'));
  });
});

describe('messages', () => {
  test('lists read as prose', () => {
    assert.equal(messages.oneOf([]), '');
    assert.equal(messages.oneOf(['a']), 'a');
    assert.equal(messages.oneOf(['a', 'b']), 'a or b');
    assert.equal(messages.oneOf(['a', 'b', 'c']), 'a, b or c');
  });

  test('quoted source text is cut short and survives backticks', () => {
    assert.equal(messages.quote('on'), '`on`');
    assert.equal(messages.quote('`my col`'), '`` `my col` ``');
    assert.equal(messages.quote('x'.repeat(50)), `\`${'x'.repeat(39)}…\``);
  });

  test('codes are unique', () => {
    const codes = Object.values(messages.CODES);
    assert.equal(new Set(codes).size, codes.length);
  });

  test('a blank character is named by its code point', () => {
    assert.equal(messages.unexpectedCharacter('\u2028').message, 'unexpected character `U+2028`');
  });
});

describe('GrammarAmbiguityError', () => {
  test('names the statement and where the trees first differ', () => {
    const error = new GrammarAmbiguityError('show t', [
      { kind: 'Show', target: { kind: 'Name', text: 't' } },
      { kind: 'Show', target: { kind: 'Name', text: 'u' } },
    ]);
    assert.match(error.message, /2 parses of "show t"/);
    assert.match(error.message, /first differ at \$\.target\.text: "t" vs "u"/);
  });
});
