/** The lexer: token types, trivia, error tokens, and the values of literals. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { decodeString, encodeString, percentValue, tokenize } from '../../grammar/lexer.js';

const types = (text: string) => tokenize(text).map((t) => `${t.type}:${t.text}`);

describe('tokenize', () => {
  test('words, operator words, literals, punctuation, trivia', () => {
    assert.deepEqual(types('check R.f1 >= 80% and not x # c\n  -1.5e3 "s" `a b`'), [
      'word:check',
      'ws: ',
      'word:R',
      'op:.',
      'word:f1',
      'ws: ',
      'op:>=',
      'ws: ',
      'percent:80%',
      'ws: ',
      'operatorWord:and',
      'ws: ',
      'operatorWord:not',
      'ws: ',
      'word:x',
      'ws: ',
      'comment:# c',
      'nl:\n',
      'ws:  ',
      'op:-',
      'number:1.5e3',
      'ws: ',
      'string:"s"',
      'ws: ',
      'backticked:`a b`',
    ]);
  });

  test('a backticked name has its text as value; words that start like operator words are words', () => {
    const [backticked] = tokenize('`my col`');
    assert.equal(backticked.value, 'my col');
    assert.deepEqual(types('andy order nothing'), [
      'word:andy',
      'ws: ',
      'word:order',
      'ws: ',
      'word:nothing',
    ]);
  });

  test('positions are 1-based lines and columns', () => {
    const tokens = tokenize('a\r\n  b').filter((t) => t.type === 'word');
    assert.deepEqual(
      tokens.map((t) => [t.text, t.offset, t.line, t.col]),
      [
        ['a', 0, 1, 1],
        ['b', 5, 2, 3],
      ],
    );
  });

  test('text it cannot read becomes error tokens, never an exception', () => {
    assert.deepEqual(types('"open'), ['unterminatedString:"open']);
    assert.deepEqual(types('"a\\"'), ['unterminatedString:"a\\"']);
    assert.deepEqual(types("'q'"), ["singleQuoted:'q'"]);
    assert.deepEqual(types('``'), ['emptyBackticks:``']);
    assert.deepEqual(types('`open\nx'), ['unclosedBacktick:`open', 'nl:\n', 'word:x']);
    assert.deepEqual(types('@😀'), ['invalid:@', 'invalid:😀']);
    assert.deepEqual(types('1.'), ['number:1', 'op:.']);
  });

  test('any text lexes, and the tokens cover it exactly', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: 'binary' }), (text) => {
        const tokens = tokenize(text);
        assert.equal(tokens.map((t) => t.text).join(''), text);
        let offset = 0;
        for (const t of tokens) {
          assert.equal(t.offset, offset);
          offset += t.text.length;
        }
      }),
      { numRuns: 1000, seed: 5 },
    );
  });
});

describe('literal values', () => {
  test('string escapes', () => {
    assert.deepEqual(decodeString('"a\\"b\\\\c\\nd\\te"'), { ok: true, value: 'a"b\\c\nd\te' });
    assert.deepEqual(decodeString('"x\\qy"'), { ok: false, offset: 2, escape: '\\q' });
  });

  test('encodeString is the inverse of decodeString', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (value) => {
        assert.deepEqual(decodeString(encodeString(value)), { ok: true, value });
      }),
      { numRuns: 500, seed: 6 },
    );
  });

  test('percentages are the double nearest the written fraction', () => {
    assert.equal(percentValue('80%'), 0.8);
    assert.equal(percentValue('7%'), 0.07);
    assert.equal(percentValue('33.3%'), 0.333);
    assert.equal(percentValue('12.5%'), 0.125);
    assert.equal(percentValue('1e1%'), 0.1);
    assert.equal(percentValue('0%'), 0);
  });
});
