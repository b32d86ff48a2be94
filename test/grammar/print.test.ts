/** The pretty-printer: canonical text, and trees that survive printing. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse, withoutSpans } from '../../dsl/parse.js';
import { printExpr, printName, printProgram } from '../../dsl/print.js';
import { parseOk } from './helpers.js';

/** The canonical text of a cell, which must also parse back to the same tree. */
function canonical(text: string): string {
  const program = parseOk(text);
  const printed = printProgram(program);
  const again = parse(printed);
  assert.ok(again.ok, printed);
  assert.deepEqual(withoutSpans(again.program), withoutSpans(program));
  return printed;
}

describe('printProgram', () => {
  test('one statement per line; continuation lines and comments are gone', () => {
    assert.equal(
      canonical(
        '# setup\nload "a.csv"   as  t\n\ncompare base = p,\n    ft = q # tuned\n  on t against y\n',
      ),
      'load "a.csv" as t\ncompare base = p, ft = q on t against y\n',
    );
  });

  test('clauses come out in the reference order whatever order they were written in', () => {
    assert.equal(
      canonical(
        'compare p score s on t against y as R explain significance bootstrap 200 seed 3 by g average micro metrics f1, accuracy positive "spam"',
      ),
      'compare p score s on t against y positive "spam" metrics f1, accuracy average micro by g significance bootstrap 200 seed 3 explain as R\n',
    );
    assert.equal(
      canonical('split d into a 70%, b 30% stratify by y seed 1'),
      'split d into a 70%, b 30% seed 1 stratify by y\n',
    );
    assert.equal(
      canonical(
        'threshold base = bs, ft = fs on t against y as T pick min cost fp 1 fn 10 explain positive 1',
      ),
      'threshold base = bs, ft = fs on t against y positive 1 pick min cost fp 1 fn 10 explain as T\n',
    );
  });

  test('every other statement form', () => {
    const forms = [
      'load data as t format jsonl',
      'split t by source as slices',
      'calibration s on t against y positive -1 bins 15 as C',
      'curve log',
      'curve log epoch epoch train train_loss val val_loss patience 3 as L',
      'report',
      'report "r.md" title "A \\"quoted\\" title"',
      'check leakage train, test on text normalized',
      'leakage train, test on text',
      'leakage train, test on text normalized as L',
      'compare a, b on t against y metrics fbeta beta 2',
      'show t limit 10',
      'set positive "spam"',
      'set seed 7',
      'param gain = 2.5%',
      'param file = "x\\ty.csv"',
      'threshold s on t against y pick max fbeta 0.5',
      'threshold s on t against y pick recall >= 90%',
      'threshold s on t against y pick precision >= 0.8',
      'threshold s on t against y pick at -1.5e-2',
      'compare a, b on t against y significance mcnemar',
    ];
    for (const form of forms) assert.equal(canonical(form), `${form}\n`);
  });

  test('numbers keep their written form; a spaced minus sign closes up', () => {
    assert.equal(canonical('set positive - 1'), 'set positive -1\n');
    assert.equal(canonical('split d into a 1E3, b 0.25'), 'split d into a 1E3, b 0.25\n');
  });

  test('strings are re-escaped', () => {
    assert.equal(
      canonical('report "tab\\there \\\\ \\"q\\" \\n"'),
      'report "tab\\there \\\\ \\"q\\" \\n"\n',
    );
  });
});

describe('names', () => {
  test('backticks only where needed', () => {
    assert.equal(printName('ft_pred'), 'ft_pred');
    assert.equal(printName('label'), 'label');
    assert.equal(printName('on'), 'on');
    assert.equal(printName('my col'), '`my col`');
    assert.equal(printName('2nd'), '`2nd`');
    assert.equal(printName('données'), '`données`');
    assert.equal(printName('and'), '`and`');
    assert.equal(printName('not'), '`not`');
  });

  test('a needlessly backticked name loses its backticks', () => {
    assert.equal(canonical('show `t`'), 'show t\n');
    assert.equal(canonical('check R.`and`.`x y` > 0'), 'check R.`and`.`x y` > 0\n');
  });
});

describe('expressions', () => {
  const printed = (text: string) => {
    const statement = parseOk(`check ${text}`).statements[0];
    assert.equal(statement.kind, 'Check');
    return statement.kind === 'Check' ? printExpr(statement.expr) : '';
  };

  test('redundant parentheses go, needed ones stay', () => {
    assert.equal(printed('((a + b)) * c'), '(a + b) * c');
    assert.equal(printed('a + (b * c)'), 'a + b * c');
    assert.equal(printed('(a - b) - c'), 'a - b - c');
    assert.equal(printed('a - (b - c)'), 'a - (b - c)');
    assert.equal(printed('a / (b * c)'), 'a / (b * c)');
    assert.equal(printed('(a or b) and c'), '(a or b) and c');
    assert.equal(printed('a or (b and c)'), 'a or b and c');
    assert.equal(printed('a or (b or c)'), 'a or (b or c)');
    assert.equal(printed('not (a and b)'), 'not (a and b)');
    assert.equal(printed('(not a) and b'), 'not a and b');
    assert.equal(printed('not (a < b)'), 'not a < b');
    assert.equal(printed('(a < b) == (c < d)'), '(a < b) == (c < d)');
    assert.equal(printed('(not a) < b'), '(not a) < b');
    assert.equal(printed('-(a + b)'), '-(a + b)');
    assert.equal(printed('-(-a)'), '--a');
    assert.equal(printed('(-a) * b'), '-a * b');
    assert.equal(printed('-(a * b)'), '-(a * b)');
  });

  test('literals in expressions', () => {
    assert.equal(printed('R.f1 >= 80% and R.name != "a\\"b"'), 'R.f1 >= 80% and R.name != "a\\"b"');
  });
});
