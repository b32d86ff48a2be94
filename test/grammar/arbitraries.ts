/**
 * fast-check generators of Evalbook source text: valid statements of every form (with
 * keyword-like and backticked names, every literal form, clauses in any order, statements
 * continued over indented lines with comments between), and the vocabulary for random token
 * sequences.
 *
 * A statement is generated as a list of pieces (each one or a few tokens); `joinPieces`
 * decides what goes between them: a space, or a newline and indentation, sometimes with
 * comment and blank lines, which must not change the parse.
 */
import fc from 'fast-check';
import { encodeString } from '../../grammar/lexer.js';
import { languageKeywords } from '../../dsl/parse.js';

type Pieces = string[];

const OPERATOR_WORDS = ['and', 'or', 'not'];

const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,7}$/);

/** Keywords of the language are contextual, so they make good names to try. */
const keywordName = fc.constantFrom(
  ...languageKeywords().filter((k) => !OPERATOR_WORDS.includes(k)),
);

/** Text between backticks: anything but a backtick or a line break, not empty. */
const backtickedText = fc
  .string({ minLength: 1, maxLength: 8 })
  .filter((s) => !/[`\n\r]/.test(s) && s.length > 0);

export const nameSource: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: identifier.filter((s) => !OPERATOR_WORDS.includes(s)) },
  { weight: 3, arbitrary: keywordName },
  { weight: 1, arbitrary: backtickedText.map((s) => `\`${s}\``) },
  { weight: 1, arbitrary: fc.constantFrom(...OPERATOR_WORDS).map((s) => `\`${s}\``) },
);

export const stringSource: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('spam', 'a "quoted" \\ word', 'tab\there', 'é😀'),
  )
  .map(encodeString);

export const unsignedNumberSource: fc.Arbitrary<string> = fc.stringMatching(
  /^\d{1,4}(\.\d{1,3})?([eE][+-]?\d{1,2})?$/,
);

/** Percentages of at most 100%, so that they are valid split sizes too. */
export const percentSource: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 0, max: 99 }), fc.option(fc.integer({ min: 0, max: 9 })))
  .map(([whole, tenth]) => (tenth === null ? `${whole}%` : `${whole}.${tenth}%`));

const signedNumberSource = fc.oneof(
  unsignedNumberSource,
  unsignedNumberSource.map((n) => `-${n}`),
  unsignedNumberSource.map((n) => `- ${n}`),
);

const textValue = fc.oneof(stringSource, nameSource);
const countValue = fc.oneof(unsignedNumberSource, nameSource);
const numberValue = fc.oneof(signedNumberSource, percentSource, nameSource);
const labelValue = fc.oneof(stringSource, signedNumberSource, nameSource);
const literal = fc.oneof(stringSource, signedNumberSource, percentSource);

function commaSeparated(item: fc.Arbitrary<Pieces>, minLength = 1): fc.Arbitrary<Pieces> {
  return fc
    .array(item, { minLength, maxLength: 3 })
    .map((items) => items.flatMap((pieces, i) => (i === 0 ? pieces : [',', ...pieces])));
}

/** Clauses in a random order, each at most once. */
function clauses(...options: fc.Arbitrary<Pieces>[]): fc.Arbitrary<Pieces> {
  return fc
    .tuple(...options)
    .chain((drawn) => fc.shuffledSubarray(drawn))
    .map((chosen) => chosen.flat());
}

const asClause = nameSource.map((n) => ['as', n]);
const positiveClause = labelValue.map((v) => ['positive', v]);
const explainClause = fc.constant<Pieces>(['explain']);

const namedColumn = fc
  .tuple(fc.option(nameSource), nameSource)
  .map(([n, c]) => (n === null ? [c] : [n, '=', c]));

const modelSpec = fc
  .tuple(namedColumn, fc.option(nameSource))
  .map(([head, score]) => (score === null ? head : [...head, 'score', score]));

const load = fc
  .tuple(
    textValue,
    nameSource,
    clauses(fc.constantFrom('csv', 'tsv', 'json', 'jsonl', 'parquet').map((f) => ['format', f])),
  )
  .map(([file, n, rest]) => ['load', file, 'as', n, ...rest]);

const splitInto = fc
  .tuple(
    nameSource,
    commaSeparated(
      fc
        .tuple(nameSource, fc.oneof(unsignedNumberSource, percentSource, nameSource))
        .map((p) => [...p]),
    ),
    clauses(
      countValue.map((v) => ['seed', v]),
      nameSource.map((c) => ['stratify', 'by', c]),
    ),
  )
  .map(([t, parts, rest]) => ['split', t, 'into', ...parts, ...rest]);

const splitBy = fc
  .tuple(nameSource, nameSource, clauses(asClause))
  .map(([t, c, rest]) => ['split', t, 'by', c, ...rest]);

const compare = fc
  .tuple(
    commaSeparated(modelSpec),
    nameSource,
    nameSource,
    clauses(
      positiveClause,
      commaSeparated(nameSource.map((m) => [m])).map((ms) => ['metrics', ...ms]),
      numberValue.map((v) => ['beta', v]),
      fc.constantFrom('binary', 'macro', 'micro', 'weighted').map((m) => ['average', m]),
      nameSource.map((c) => ['by', c]),
      fc.oneof(
        fc.constant<Pieces>(['significance', 'mcnemar']),
        fc
          .tuple(countValue, fc.option(countValue))
          .map(([n, s]) =>
            s === null
              ? ['significance', 'bootstrap', n]
              : ['significance', 'bootstrap', n, 'seed', s],
          ),
      ),
      explainClause,
      asClause,
    ),
  )
  .map(([models, t, l, rest]) => ['compare', ...models, 'on', t, 'against', l, ...rest]);

const pick = fc.oneof(
  fc.constant<Pieces>(['pick', 'max', 'f1']),
  numberValue.map((v) => ['pick', 'max', 'fbeta', v]),
  numberValue.map((v) => ['pick', 'recall', '>=', v]),
  numberValue.map((v) => ['pick', 'precision', '>=', v]),
  fc.tuple(numberValue, numberValue).map(([a, b]) => ['pick', 'min', 'cost', 'fp', a, 'fn', b]),
  numberValue.map((v) => ['pick', 'at', v]),
);

const threshold = fc
  .tuple(
    commaSeparated(namedColumn),
    nameSource,
    nameSource,
    clauses(positiveClause, pick, explainClause, asClause),
  )
  .map(([scores, t, l, rest]) => ['threshold', ...scores, 'on', t, 'against', l, ...rest]);

const calibration = fc
  .tuple(
    commaSeparated(namedColumn),
    nameSource,
    nameSource,
    clauses(
      positiveClause,
      countValue.map((v) => ['bins', v]),
      asClause,
    ),
  )
  .map(([scores, t, l, rest]) => ['calibration', ...scores, 'on', t, 'against', l, ...rest]);

const curve = fc
  .tuple(
    nameSource,
    clauses(
      nameSource.map((c) => ['epoch', c]),
      nameSource.map((c) => ['train', c]),
      nameSource.map((c) => ['val', c]),
      countValue.map((v) => ['patience', v]),
      asClause,
    ),
  )
  .map(([t, rest]) => ['curve', t, ...rest]);

const report = fc
  .tuple(fc.option(textValue), clauses(textValue.map((v) => ['title', v])))
  .map(([file, rest]) => (file === null ? ['report', ...rest] : ['report', file, ...rest]));

const refSource = fc
  .tuple(
    nameSource,
    fc.array(
      fc.oneof(
        nameSource,
        fc.constantFrom(...OPERATOR_WORDS).map((w) => `\`${w}\``),
      ),
      { maxLength: 3 },
    ),
  )
  .map(([head, rest]) => [head, ...rest].join('.'));

/** Expressions, every compound operand in parentheses (so any tree is valid source). */
const expression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    unsignedNumberSource,
    percentSource,
    stringSource,
    refSource,
    fc
      .tuple(
        tie('expr'),
        fc.constantFrom('or', 'and', '<', '<=', '>', '>=', '==', '!=', '+', '-', '*', '/'),
        tie('expr'),
      )
      .map(([l, op, r]) => `(${l}) ${op} (${r})`),
    tie('expr').map((e) => `not (${e})`),
    tie('expr').map((e) => `-(${e})`),
  ),
})).expr;

const check = expression.map((e) => ['check', e]);

const checkLeakage = fc
  .tuple(nameSource, nameSource, nameSource, clauses(fc.constant<Pieces>(['normalized'])))
  .map(([train, test, c, rest]) => ['check', 'leakage', train, ',', test, 'on', c, ...rest]);

const show = fc
  .tuple(nameSource, clauses(countValue.map((v) => ['limit', v])))
  .map(([n, rest]) => ['show', n, ...rest]);

const setStatement = fc.oneof(
  labelValue.map((v) => ['set', 'positive', v]),
  countValue.map((v) => ['set', 'seed', v]),
);

const paramStatement = fc.tuple(nameSource, literal).map(([n, v]) => ['param', n, '=', v]);

/** One valid statement of any form, as pieces. */
export const statementPieces: fc.Arbitrary<Pieces> = fc.oneof(
  load,
  splitInto,
  splitBy,
  compare,
  threshold,
  calibration,
  curve,
  report,
  check,
  checkLeakage,
  show,
  setStatement,
  paramStatement,
);

/** What may go between two pieces of one statement without changing its meaning. */
const gap = fc.oneof(
  { weight: 12, arbitrary: fc.constant(' ') },
  { weight: 1, arbitrary: fc.constant('\t') },
  { weight: 2, arbitrary: fc.constantFrom('\n  ', '\n\t', '\n    ') },
  { weight: 1, arbitrary: fc.constantFrom(' # why\n  ', '\n\n   ', '\n# a comment line\n  ') },
);

/** A statement's text: its pieces with random gaps (a `-` sign may be spaced from its number). */
export const statementSource: fc.Arbitrary<string> = statementPieces.chain((pieces) =>
  fc
    .array(gap, { minLength: pieces.length, maxLength: pieces.length })
    .map((gaps) => pieces.map((p, i) => (i === 0 ? p : gaps[i] + p)).join('')),
);

/** A cell: statements on lines of their own, blank and comment lines between some. */
export const programSource: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(statementSource, { minLength: 1, maxLength: 5 }),
    fc.array(fc.constantFrom('\n', '\n\n', '\n# note\n', '   # trailing\n'), {
      minLength: 5,
      maxLength: 5,
    }),
  )
  .map(([statements, separators]) =>
    statements
      .map((s, i) => (i === 0 ? s : separators[i] + s))
      .join('')
      .concat(separators[0]),
  );

/** Tokens and junk to build random token sequences from. */
export const vocabulary: readonly string[] = [
  ...languageKeywords(),
  'x',
  'label',
  'R',
  '`my col`',
  '``',
  '`open',
  '"spam"',
  '"open',
  '"bad \\q"',
  "'single'",
  '12',
  '0.5',
  '80%',
  '120%',
  '1e999',
  '-',
  '+',
  '*',
  '/',
  ',',
  '.',
  '=',
  '==',
  '!=',
  '>=',
  '<',
  '(',
  ')',
  '%',
  '!',
  '@',
  ';',
  '[',
  '“',
  'é',
  '😀',
  '\\',
  '# comment',
  '\n',
  '\n  ',
  '\r\n',
  '\t',
];
