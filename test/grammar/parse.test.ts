/** Every statement form and option parses to the expected tree; spans; statement splitting. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cellCompleteness, languageKeywords, parse } from '../../dsl/parse.js';
import { STATEMENT_KEYWORDS } from '../../dsl/messages.js';
import {
  as,
  bin,
  name,
  num,
  param,
  parseOk,
  pct,
  ref,
  statements,
  str,
  tree,
  un,
} from './helpers.js';

describe('load', () => {
  test('a file bound to a name', () => {
    assert.deepEqual(tree('load "data/spam_test.csv" as test'), {
      kind: 'Load',
      file: str('data/spam_test.csv'),
      as: as('test'),
    });
  });

  test('every format', () => {
    for (const format of ['csv', 'tsv', 'json', 'jsonl', 'parquet']) {
      assert.deepEqual(tree(`load "f" as t format ${format}`), {
        kind: 'Load',
        file: str('f'),
        as: as('t'),
        format: { kind: 'Format', format },
      });
    }
  });

  test('a parameter for the file, a backticked table name', () => {
    assert.deepEqual(tree('load data as `test set`'), {
      kind: 'Load',
      file: param('data'),
      as: as('test set'),
    });
  });

  test('string escapes are decoded', () => {
    assert.deepEqual(tree(String.raw`load "a \"b\" \\ c\td\n" as t`), {
      kind: 'Load',
      file: str('a "b" \\ c\td\n'),
      as: as('t'),
    });
  });
});

describe('split', () => {
  test('into named parts by percentage, seeded and stratified', () => {
    assert.deepEqual(
      tree('split data into train 80%, val 10%, test 10% seed 42 stratify by label'),
      {
        kind: 'SplitInto',
        table: name('data'),
        parts: [
          { kind: 'SplitPart', name: name('train'), size: pct('80%', 0.8) },
          { kind: 'SplitPart', name: name('val'), size: pct('10%', 0.1) },
          { kind: 'SplitPart', name: name('test'), size: pct('10%', 0.1) },
        ],
        seed: { kind: 'Seed', seed: num('42') },
        stratify: { kind: 'Stratify', column: name('label') },
      },
    );
  });

  test('fractions, counts and parameters as sizes; clauses in any order', () => {
    assert.deepEqual(tree('split d into a 0.5, b 300, c rest_size stratify by y seed s'), {
      kind: 'SplitInto',
      table: name('d'),
      parts: [
        { kind: 'SplitPart', name: name('a'), size: num('0.5') },
        { kind: 'SplitPart', name: name('b'), size: num('300') },
        { kind: 'SplitPart', name: name('c'), size: param('rest_size') },
      ],
      seed: { kind: 'Seed', seed: param('s') },
      stratify: { kind: 'Stratify', column: name('y') },
    });
  });

  test('100% is allowed', () => {
    assert.deepEqual(tree('split d into all 100%'), {
      kind: 'SplitInto',
      table: name('d'),
      parts: [{ kind: 'SplitPart', name: name('all'), size: pct('100%', 1) }],
    });
  });

  test('by a column, with and without a binding', () => {
    assert.deepEqual(tree('split test by source'), {
      kind: 'SplitBy',
      table: name('test'),
      column: name('source'),
    });
    assert.deepEqual(tree('split test by source as slices'), {
      kind: 'SplitBy',
      table: name('test'),
      column: name('source'),
      as: as('slices'),
    });
  });
});

describe('compare', () => {
  test('bare prediction columns', () => {
    assert.deepEqual(tree('compare base_pred, ft_pred on test against label'), {
      kind: 'Compare',
      models: [
        { kind: 'Model', predictions: name('base_pred') },
        { kind: 'Model', predictions: name('ft_pred') },
      ],
      table: name('test'),
      label: name('label'),
    });
  });

  test('named models with score columns', () => {
    assert.deepEqual(
      tree(
        'compare base = base_pred score base_score, finetuned = ft_pred score ft_score on test against label',
      ),
      {
        kind: 'Compare',
        models: [
          {
            kind: 'Model',
            name: name('base'),
            predictions: name('base_pred'),
            scores: name('base_score'),
          },
          {
            kind: 'Model',
            name: name('finetuned'),
            predictions: name('ft_pred'),
            scores: name('ft_score'),
          },
        ],
        table: name('test'),
        label: name('label'),
      },
    );
  });

  test('every clause', () => {
    assert.deepEqual(
      tree(
        'compare ft_pred on test against label positive "spam" metrics accuracy, fbeta, roc_auc ' +
          'beta 0.5 average macro by source significance mcnemar explain as R',
      ),
      {
        kind: 'Compare',
        models: [{ kind: 'Model', predictions: name('ft_pred') }],
        table: name('test'),
        label: name('label'),
        positive: { kind: 'Positive', value: str('spam') },
        metrics: { kind: 'Metrics', metrics: [name('accuracy'), name('fbeta'), name('roc_auc')] },
        beta: { kind: 'Beta', beta: num('0.5') },
        average: { kind: 'Average', average: 'macro' },
        by: { kind: 'By', column: name('source') },
        significance: { kind: 'McNemar' },
        explain: { kind: 'Explain' },
        as: as('R'),
      },
    );
  });

  test('every average mode', () => {
    for (const mode of ['binary', 'macro', 'micro', 'weighted']) {
      const statement = tree(`compare p on t against y average ${mode}`) as {
        average: unknown;
      };
      assert.deepEqual(statement.average, { kind: 'Average', average: mode });
    }
  });

  test('bootstrap with and without a seed', () => {
    const withSeed = tree('compare a, b on t against y significance bootstrap 1000 seed 7') as {
      significance: unknown;
    };
    assert.deepEqual(withSeed.significance, {
      kind: 'Bootstrap',
      resamples: num('1000'),
      seed: num('7'),
    });
    const without = tree('compare a, b on t against y significance bootstrap n') as {
      significance: unknown;
    };
    assert.deepEqual(without.significance, { kind: 'Bootstrap', resamples: param('n') });
  });

  test('positive labels: strings, numbers, negative numbers, parameters', () => {
    const positive = (v: string) =>
      (tree(`compare p on t against y positive ${v}`) as { positive: { value: unknown } }).positive
        .value;
    assert.deepEqual(positive('"spam"'), str('spam'));
    assert.deepEqual(positive('1'), num('1'));
    assert.deepEqual(positive('-1'), { kind: 'Number', value: -1, text: '-1' });
    assert.deepEqual(positive('- 1'), { kind: 'Number', value: -1, text: '-1' });
    assert.deepEqual(positive('pos'), param('pos'));
  });

  test('keywords are contextual: columns called label, test, score, on', () => {
    assert.deepEqual(tree('compare score score score, `on` on on against against'), {
      kind: 'Compare',
      models: [
        { kind: 'Model', predictions: name('score'), scores: name('score') },
        { kind: 'Model', predictions: name('on') },
      ],
      table: name('on'),
      label: name('against'),
    });
  });
});

describe('threshold', () => {
  const pick = (rule: string) =>
    (tree(`threshold s on t against y pick ${rule}`) as { pick: unknown }).pick;

  test('named score columns and every clause', () => {
    assert.deepEqual(
      tree(
        'threshold base = base_score, ft = ft_score on test against label positive "spam" pick max f1 explain as T',
      ),
      {
        kind: 'Threshold',
        scores: [
          { kind: 'Score', name: name('base'), scores: name('base_score') },
          { kind: 'Score', name: name('ft'), scores: name('ft_score') },
        ],
        table: name('test'),
        label: name('label'),
        positive: { kind: 'Positive', value: str('spam') },
        pick: { kind: 'PickMaxF1' },
        explain: { kind: 'Explain' },
        as: as('T'),
      },
    );
  });

  test('every pick rule', () => {
    assert.deepEqual(pick('max f1'), { kind: 'PickMaxF1' });
    assert.deepEqual(pick('max fbeta 0.5'), { kind: 'PickMaxFbeta', beta: num('0.5') });
    assert.deepEqual(pick('recall >= 90%'), {
      kind: 'PickRecallAtLeast',
      recall: pct('90%', 0.9),
    });
    assert.deepEqual(pick('precision >= 0.95'), {
      kind: 'PickPrecisionAtLeast',
      precision: num('0.95'),
    });
    assert.deepEqual(pick('min cost fp 1 fn 5'), {
      kind: 'PickMinCost',
      falsePositiveCost: num('1'),
      falseNegativeCost: num('5'),
    });
    assert.deepEqual(pick('at 0.35'), { kind: 'PickAt', threshold: num('0.35') });
    assert.deepEqual(pick('at -2.5e-1'), {
      kind: 'PickAt',
      threshold: { kind: 'Number', value: -0.25, text: '-2.5e-1' },
    });
  });
});

describe('calibration', () => {
  test('scores, positive, bins, binding', () => {
    assert.deepEqual(
      tree('calibration base = base_score, ft_score on test against label positive 1 bins 10 as C'),
      {
        kind: 'Calibration',
        scores: [
          { kind: 'Score', name: name('base'), scores: name('base_score') },
          { kind: 'Score', scores: name('ft_score') },
        ],
        table: name('test'),
        label: name('label'),
        positive: { kind: 'Positive', value: num('1') },
        bins: { kind: 'Bins', bins: num('10') },
        as: as('C'),
      },
    );
  });
});

describe('curve', () => {
  test('a loss log with the default column names', () => {
    assert.deepEqual(tree('curve log'), { kind: 'Curve', table: name('log') });
  });

  test('every clause; the epoch column may be called epoch', () => {
    assert.deepEqual(tree('curve log epoch epoch train train_loss val val_loss patience 5 as L'), {
      kind: 'Curve',
      table: name('log'),
      epoch: { kind: 'Epoch', column: name('epoch') },
      train: { kind: 'Train', column: name('train_loss') },
      val: { kind: 'Val', column: name('val_loss') },
      patience: { kind: 'Patience', patience: num('5') },
      as: as('L'),
    });
  });
});

describe('report', () => {
  test('bare, with a file, with a title, both', () => {
    assert.deepEqual(tree('report'), { kind: 'Report' });
    assert.deepEqual(tree('report "out.html"'), { kind: 'Report', file: str('out.html') });
    assert.deepEqual(tree('report title "T"'), {
      kind: 'Report',
      title: { kind: 'Title', title: str('T') },
    });
    assert.deepEqual(tree('report "out.md" title "Does it help?"'), {
      kind: 'Report',
      file: str('out.md'),
      title: { kind: 'Title', title: str('Does it help?') },
    });
  });

  test('a parameter named title is a file, the keyword is not', () => {
    assert.deepEqual(tree('report title title "T"'), {
      kind: 'Report',
      file: param('title'),
      title: { kind: 'Title', title: str('T') },
    });
  });
});

describe('check', () => {
  const expr = (text: string) => (tree(`check ${text}`) as { expr: unknown }).expr;

  test('a comparison of result paths', () => {
    assert.deepEqual(
      expr('R.finetuned.f1 > R.base.f1 + 0.02'),
      bin('>', ref('R', 'finetuned', 'f1'), bin('+', ref('R', 'base', 'f1'), num('0.02'))),
    );
  });

  test('precedence: or < and < not < comparison < + - < * / < unary minus', () => {
    assert.deepEqual(
      expr('a or b and not c < d + e * -f'),
      bin(
        'or',
        ref('a'),
        bin(
          'and',
          ref('b'),
          un('not', bin('<', ref('c'), bin('+', ref('d'), bin('*', ref('e'), un('-', ref('f')))))),
        ),
      ),
    );
  });

  test('left associativity and parentheses', () => {
    assert.deepEqual(expr('a - b - c'), bin('-', bin('-', ref('a'), ref('b')), ref('c')));
    assert.deepEqual(expr('a - (b - c)'), bin('-', ref('a'), bin('-', ref('b'), ref('c'))));
    assert.deepEqual(expr('a / b * c'), bin('*', bin('/', ref('a'), ref('b')), ref('c')));
    assert.deepEqual(
      expr('(a < b) == (c < d)'),
      bin('==', bin('<', ref('a'), ref('b')), bin('<', ref('c'), ref('d'))),
    );
  });

  test('every comparison operator; percentages and strings as operands', () => {
    for (const op of ['<', '<=', '>', '>=', '==', '!=']) {
      assert.deepEqual(expr(`x ${op} 5%`), bin(op, ref('x'), pct('5%', 0.05)));
    }
    assert.deepEqual(expr('R.best == "spam"'), bin('==', ref('R', 'best'), str('spam')));
  });

  test('backticked and keyword path segments', () => {
    assert.deepEqual(
      expr('R.by.`hard ham`.recall >= R.by.`and`.recall'),
      bin('>=', ref('R', 'by', 'hard ham', 'recall'), ref('R', 'by', 'and', 'recall')),
    );
  });

  test('leakage between two tables, optionally normalized', () => {
    assert.deepEqual(tree('check leakage train, test on text'), {
      kind: 'CheckLeakage',
      train: name('train'),
      test: name('test'),
      column: name('text'),
    });
    assert.deepEqual(tree('check leakage train, val on text normalized'), {
      kind: 'CheckLeakage',
      train: name('train'),
      test: name('val'),
      column: name('text'),
      normalized: { kind: 'Normalized' },
    });
  });

  test('reported leakage, optionally normalized and bound', () => {
    assert.deepEqual(tree('leakage train, test on text'), {
      kind: 'Leakage',
      train: name('train'),
      test: name('test'),
      column: name('text'),
    });
    assert.deepEqual(tree('leakage train, val on text as L normalized'), {
      kind: 'Leakage',
      train: name('train'),
      test: name('val'),
      column: name('text'),
      normalized: { kind: 'Normalized' },
      as: { kind: 'As', name: name('L') },
    });
  });

  test('a result called leakage is still an expression', () => {
    assert.deepEqual(expr('leakage.count == 0'), bin('==', ref('leakage', 'count'), num('0')));
  });
});

describe('show, set, param', () => {
  test('show with and without a limit', () => {
    assert.deepEqual(tree('show test'), { kind: 'Show', target: name('test') });
    assert.deepEqual(tree('show test limit 5'), {
      kind: 'Show',
      target: name('test'),
      limit: { kind: 'Limit', limit: num('5') },
    });
  });

  test('session defaults', () => {
    assert.deepEqual(tree('set positive "spam"'), { kind: 'SetPositive', value: str('spam') });
    assert.deepEqual(tree('set positive 0'), { kind: 'SetPositive', value: num('0') });
    assert.deepEqual(tree('set seed 42'), { kind: 'SetSeed', seed: num('42') });
  });

  test('parameters take a literal', () => {
    assert.deepEqual(tree('param data = "spam.csv"'), {
      kind: 'Param',
      name: name('data'),
      value: str('spam.csv'),
    });
    assert.deepEqual(tree('param min_gain = 2%'), {
      kind: 'Param',
      name: name('min_gain'),
      value: pct('2%', 0.02),
    });
    assert.deepEqual(tree('param shift = -0.5'), {
      kind: 'Param',
      name: name('shift'),
      value: { kind: 'Number', value: -0.5, text: '-0.5' },
    });
  });
});

describe('numbers', () => {
  test('decimals, exponents, percentages keep their text', () => {
    const size = (text: string) =>
      (tree(`split d into a ${text}`) as { parts: { size: unknown }[] }).parts[0].size;
    assert.deepEqual(size('1e3'), { kind: 'Number', value: 1000, text: '1e3' });
    assert.deepEqual(size('2.5E-2'), { kind: 'Number', value: 0.025, text: '2.5E-2' });
    assert.deepEqual(size('33.3%'), { kind: 'Percent', value: 0.333, text: '33.3%' });
    assert.deepEqual(size('7%'), { kind: 'Percent', value: 0.07, text: '7%' });
  });
});

describe('spans', () => {
  test('a full tree with every span', () => {
    const text = 'load "a.csv" as t\ncompare base = p score s on t\n  against y as R';
    const [load, compare] = statements(text);
    assert.deepEqual(load, {
      kind: 'Load',
      file: { kind: 'String', value: 'a.csv', span: { start: 5, end: 12, line: 1, col: 6 } },
      as: {
        kind: 'As',
        name: { kind: 'Name', text: 't', span: { start: 16, end: 17, line: 1, col: 17 } },
        span: { start: 13, end: 17, line: 1, col: 14 },
      },
      span: { start: 0, end: 17, line: 1, col: 1 },
    });
    assert.deepEqual(compare, {
      kind: 'Compare',
      models: [
        {
          kind: 'Model',
          name: { kind: 'Name', text: 'base', span: { start: 26, end: 30, line: 2, col: 9 } },
          predictions: { kind: 'Name', text: 'p', span: { start: 33, end: 34, line: 2, col: 16 } },
          scores: { kind: 'Name', text: 's', span: { start: 41, end: 42, line: 2, col: 24 } },
          span: { start: 26, end: 42, line: 2, col: 9 },
        },
      ],
      table: { kind: 'Name', text: 't', span: { start: 46, end: 47, line: 2, col: 29 } },
      label: { kind: 'Name', text: 'y', span: { start: 58, end: 59, line: 3, col: 11 } },
      as: {
        kind: 'As',
        name: { kind: 'Name', text: 'R', span: { start: 63, end: 64, line: 3, col: 16 } },
        span: { start: 60, end: 64, line: 3, col: 13 },
      },
      span: { start: 18, end: 64, line: 2, col: 1 },
    });
    for (const statement of [load, compare]) {
      assert.equal(
        text
          .slice(statement.span.start, statement.span.end)
          .startsWith(statement.kind.toLowerCase()),
        true,
      );
    }
  });

  test('parentheses belong to the span of what they enclose', () => {
    const text = 'check -(a + b) * 2 > 1';
    const [check] = statements(text);
    assert.equal(check.kind, 'Check');
    if (check.kind !== 'Check' || check.expr.kind !== 'Binary') return assert.fail();
    const product = check.expr.left;
    assert.equal(text.slice(product.span.start, product.span.end), '-(a + b) * 2');
    if (product.kind !== 'Binary' || product.left.kind !== 'Unary') return assert.fail();
    const sum = product.left.operand;
    assert.equal(text.slice(sum.span.start, sum.span.end), '(a + b)');
    assert.deepEqual(sum.span, { start: 7, end: 14, line: 1, col: 8 });
  });

  test('a backticked name spans its backticks; a negative number its sign', () => {
    const text = 'set positive - 1\nshow `my table`';
    const [set, show] = statements(text);
    if (set.kind !== 'SetPositive' || show.kind !== 'Show') return assert.fail();
    assert.equal(text.slice(set.value.span.start, set.value.span.end), '- 1');
    assert.deepEqual(show.target.span, { start: 22, end: 32, line: 2, col: 6 });
  });

  test('the program spans the whole cell', () => {
    const text = '# heading\n\nshow t\n\n';
    assert.deepEqual(parseOk(text).span, { start: 0, end: text.length, line: 1, col: 1 });
  });
});

describe('statements and lines', () => {
  test('indented lines continue a statement; comments and blank lines anywhere', () => {
    const text = [
      '# a comment line',
      'compare base = base_pred,   # the base model',
      '',
      '# a comment between continuation lines',
      '        finetuned = ft_pred',
      '\ton test against label',
      '',
      'show test',
    ].join('\n');
    const parsed = statements(text);
    assert.deepEqual(
      parsed.map((s) => s.kind),
      ['Compare', 'Show'],
    );
    assert.equal(parsed[0].span.line, 2);
    assert.equal(parsed[1].span.line, 8);
  });

  test('an indented first line starts a statement', () => {
    assert.deepEqual(
      statements('  show t\n  limit 3\nshow u').map((s) => s.kind),
      ['Show', 'Show'],
    );
  });

  test('Windows line ends', () => {
    assert.deepEqual(
      statements('load "a" as t\r\ncompare p\r\n  on t against y\r\n').map((s) => s.kind),
      ['Load', 'Compare'],
    );
  });

  test('an empty cell and a comment-only cell are empty programs', () => {
    for (const text of ['', '\n\n', '# nothing here\n   # nor here']) {
      assert.deepEqual(parseOk(text).statements, []);
    }
  });

  test('a # inside a string is not a comment', () => {
    assert.deepEqual(tree('report "a#b.md" # comment'), { kind: 'Report', file: str('a#b.md') });
  });

  test('an error in one statement does not hide errors in the next', () => {
    const result = parse('compre a on t against y\nshow t\nload "x" as\nset seed 1');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.span.line]),
      [
        ['E0103', 1],
        ['E0102', 3],
      ],
    );
  });
});

describe('completeness and keywords', () => {
  test('a statement cut short is incomplete; a bad one invalid', () => {
    assert.deepEqual(cellCompleteness('show t'), { status: 'complete', indent: '' });
    assert.deepEqual(cellCompleteness('compare a, b'), { status: 'incomplete', indent: '  ' });
    assert.deepEqual(cellCompleteness('check R.f1 >'), { status: 'incomplete', indent: '  ' });
    assert.deepEqual(cellCompleteness('compare a, # the next model\n\n'), {
      status: 'incomplete',
      indent: '  ',
    });
    assert.deepEqual(cellCompleteness('compre a\ncompare a,'), { status: 'invalid', indent: '' });
    assert.deepEqual(cellCompleteness('compre a'), { status: 'invalid', indent: '' });
    assert.deepEqual(cellCompleteness('compare a, b\nshow t'), { status: 'invalid', indent: '' });
  });

  test('the keyword list holds every statement keyword and the clause words', () => {
    const keywords = languageKeywords();
    for (const k of STATEMENT_KEYWORDS) assert.ok(keywords.includes(k), k);
    for (const k of [
      'against',
      'positive',
      'stratify',
      'mcnemar',
      'fbeta',
      'normalized',
      'parquet',
      'and',
      'not',
    ]) {
      assert.ok(keywords.includes(k), k);
    }
    assert.deepEqual([...keywords].sort(), keywords);
    assert.ok(!keywords.includes('label'));
  });
});
