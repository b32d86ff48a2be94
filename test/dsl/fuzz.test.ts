/**
 * Fuzzing of the whole front end — lexer, parser, checker, printer and evaluator — with
 * random text, random bytes, token soup of every length and deeply nested `check`
 * expressions over real results. Whatever the input, no internal error reaches the user:
 * every outcome is a success or diagnostics from the catalogue, each with a code and a
 * position inside the text, that render; never a RangeError, a TypeError, a stack overflow or
 * a rejected promise. Fixed seeds keep it deterministic (PROPERTY_SCALE and PROPERTY_SEED
 * make a longer hunt by hand).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { renderDiagnostics, spanAt, type Diagnostic } from '../../dsl/diagnostics.js';
import { check, parse, runCell, Session } from '../../dsl/index.js';
import { CODES, SEMANTIC_CODES } from '../../dsl/messages.js';
import { printProgram } from '../../dsl/print.js';
import { programSource, vocabulary } from '../grammar/arbitraries.js';
import { goldenRoot } from '../helpers/golden.js';

const SCALE = Number(process.env.PROPERTY_SCALE ?? 1);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261208);
const runs = (numRuns: number) => ({ numRuns: numRuns * SCALE, seed: SEED });
const knownCodes = new Set<string>([...Object.values(CODES), ...Object.values(SEMANTIC_CODES)]);
const INTERNAL = /RangeError|TypeError|Maximum call stack|internal error|Invalid array length/u;

/** Diagnostics a user may see: known codes, spans in the text, no internal error, rendered. */
function assertClean(diagnostics: readonly Diagnostic[], text: string): void {
  assert.ok(diagnostics.length > 0, 'a failure has at least one diagnostic');
  for (const d of diagnostics) {
    assert.ok(knownCodes.has(d.code), `unknown code ${d.code}: ${d.message}`);
    assert.ok(
      0 <= d.span.start && d.span.start <= d.span.end && d.span.end <= text.length,
      `${d.code}: span ${JSON.stringify(d.span)} outside a text of ${text.length}`,
    );
    const at = spanAt(text, d.span.start);
    assert.deepEqual([d.span.line, d.span.col], [at.line, at.col], `${d.code}: line and col`);
    assert.doesNotMatch(d.message, INTERNAL);
    for (const hint of d.hints) assert.doesNotMatch(hint, INTERNAL);
  }
  assert.doesNotMatch(renderDiagnostics(diagnostics, text), INTERNAL);
}

/** Parses; a program must print back to text that parses again. */
function parsedClean(text: string): void {
  const result = parse(text);
  if (!result.ok) {
    assertClean(result.diagnostics, text);
    return;
  }
  const printed = printProgram(result.program);
  const again = parse(printed);
  assert.ok(again.ok, `the printed program parses: ${printed.slice(0, 500)}`);
}

// --- generators

/** Random bytes read as UTF-8 and as Latin-1: any character, broken sequences included. */
const bytesAsText = fc
  .tuple(fc.uint8Array({ maxLength: 400 }), fc.boolean())
  .map(([bytes, utf8]) => Buffer.from(bytes).toString(utf8 ? 'utf8' : 'latin1'));

/** Any text, by code unit (lone surrogates too) and by grapheme. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({
    unit: fc.constantFrom('"', '`', '\\', '\n', ' ', '(', ')', 'a', '1', '%', '.', '#'),
    maxLength: 400,
  }),
);

/** Words and junk of the language, from a few to far more than a statement may have. */
const tokenSoup = fc
  .tuple(
    fc.array(fc.constantFrom(...vocabulary), { maxLength: 1_300, size: 'max' }),
    fc.constantFrom(' ', '\n', '\n  ', ''),
  )
  .map(([words, separator]) => words.join(separator));

/** Operands a check can really read in the session below. */
const LEAVES = [
  'R.base_pred.accuracy',
  'R.ft_pred.f1',
  'R.delta.recall',
  'R.n',
  'R.p_value',
  'R.base_pred.tp',
  'test.rows',
  'p',
  '0',
  '0.5',
  '2',
  '1e308',
  '80%',
  '"spam"',
  'R.nope',
  'R',
];
const leaf = fc.constantFrom(...LEAVES);
const binaryOperator = fc.constantFrom(
  '+',
  '-',
  '*',
  '/',
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '!=',
  'and',
  'or',
);

/**
 * One step of nesting around an expression `e`: steps that parse whatever `e` is, so that
 * deep expressions get past the parser (the other properties make syntax errors enough).
 */
const wrap = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(binaryOperator, leaf).map(
      ([op, l]) =>
        (e: string) =>
          `(${e}) ${op} ${l}`,
    ),
  },
  {
    weight: 4,
    arbitrary: fc.tuple(binaryOperator, leaf).map(
      ([op, l]) =>
        (e: string) =>
          `${l} ${op} (${e})`,
    ),
  },
  { weight: 2, arbitrary: fc.constant((e: string) => `not (${e})`) },
  { weight: 2, arbitrary: fc.constant((e: string) => `-(${e})`) },
  { weight: 1, arbitrary: fc.constant((e: string) => `(${e})`) },
  { weight: 1, arbitrary: fc.constant((e: string) => `not ${e}`) },
);

/**
 * A check over real results, nested up to ~130 levels (past the bound of 100): built by
 * wrapping a leaf step by step, so the generator itself does not recurse.
 */
const nestedCheck = fc
  .tuple(leaf, fc.array(wrap, { maxLength: 130, size: 'max' }), fc.boolean())
  .map(([start, steps, compared]) => {
    const e = steps.reduce((inner, step) => step(inner), start);
    return compared ? `check (${e}) > 0` : `check ${e}`;
  });

const numericLeaf = fc.constantFrom(
  'R.base_pred.accuracy',
  'R.ft_pred.f1',
  'R.delta.recall',
  'R.n',
  'R.p_value',
  'test.rows',
  'p',
  '0',
  '0.5',
  '2',
  '1e308',
  '80%',
);
const arithmetic = fc.constantFrom('+', '-', '*', '/');
const numericWrap = fc.oneof(
  fc.tuple(arithmetic, numericLeaf).map(
    ([op, l]) =>
      (e: string) =>
        `(${e}) ${op} ${l}`,
  ),
  fc.tuple(arithmetic, numericLeaf).map(
    ([op, l]) =>
      (e: string) =>
        `${l} ${op} (${e})`,
  ),
  fc.constant((e: string) => `-(${e})`),
);

/** A well-typed check, nested up to ~130 levels, so that it reaches the evaluator. */
const typedCheck = fc
  .tuple(numericLeaf, fc.array(numericWrap, { maxLength: 130, size: 'max' }), fc.nat(3))
  .map(
    ([start, steps, nots]) =>
      `check ${'not '.repeat(nots)}(${steps.reduce<string>((e, step) => step(e), start)}) > 0`,
  );

// --- the session the checker and evaluator run against

const session = new Session();
let scratch = '';

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'evalbook-fuzz-'));
  const loaded = await runCell(
    'load "binary_spam_ham/data.csv" as test\ncompare base_pred, ft_pred on test against label positive "spam" as R\nparam p = 0.5',
    session,
    { baseDir: goldenRoot },
  );
  assert.equal(loaded.stage, 'run');
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Parses, checks and runs a cell; every failure must be clean. Never lets a rejection by.
 * Returns the stage it ended at, or the code of the statement that failed.
 */
async function runsClean(text: string): Promise<string> {
  const result = await runCell(text, session, { baseDir: scratch });
  if (result.stage !== 'run') {
    assertClean(result.diagnostics, text);
    return result.diagnostics[0].code;
  }
  for (const outcome of result.outcomes) {
    if (outcome.status === 'error') {
      assertClean(outcome.error.diagnostics, text);
      return outcome.error.diagnostics[0].code;
    }
  }
  return 'ran';
}

/** Counts of what happened, to show a generator reaches the places it is meant to. */
function tally(): { count: (what: string) => void; of: (what: string) => number; all: string } {
  const seen = new Map<string, number>();
  return {
    count: (what) => seen.set(what, (seen.get(what) ?? 0) + 1),
    of: (what) => seen.get(what) ?? 0,
    get all() {
      return JSON.stringify([...seen]);
    },
  };
}

describe('the lexer and the parser on any input', () => {
  test('random bytes', () => {
    fc.assert(fc.property(bytesAsText, parsedClean), runs(400));
  });

  test('random text, by code unit, by grapheme, and of quotes and brackets', () => {
    fc.assert(fc.property(anyText, parsedClean), runs(400));
  });

  test('token soup of up to 1,300 words, past the bound of a statement', () => {
    fc.assert(fc.property(tokenSoup, parsedClean), runs(60));
  });

  test('valid programs with random bytes spliced in', () => {
    fc.assert(
      fc.property(programSource, bytesAsText, fc.nat(), (program, junk, at) => {
        const cut = at % (program.length + 1);
        parsedClean(program.slice(0, cut) + junk + program.slice(cut));
      }),
      runs(200),
    );
  });
});

describe('the checker, the printer and the evaluator on deep expressions', () => {
  test('nested checks parse, check and print cleanly', () => {
    const seen = tally();
    fc.assert(
      fc.property(nestedCheck, (text) => {
        parsedClean(text);
        const parsed = parse(text);
        if (!parsed.ok) {
          for (const d of parsed.diagnostics) seen.count(d.code);
          return;
        }
        const checked = check(parsed.program, session, { source: text, baseDir: scratch });
        seen.count('reached the checker');
        if (!checked.ok) assertClean(checked.diagnostics, text);
      }),
      runs(80),
    );
    // The generator reaches both sides of the depth bound.
    assert.ok(seen.of('E0107') >= 5, seen.all);
    assert.ok(seen.of('reached the checker') >= 5, seen.all);
  });

  test('well-typed nested checks run to a value or a clean error', async () => {
    const seen = tally();
    await fc.assert(
      fc.asyncProperty(typedCheck, async (text) => {
        seen.count(await runsClean(text));
      }),
      runs(60),
    );
    assert.ok(seen.of('E0107') >= 5, seen.all);
    assert.ok(seen.of('ran') + seen.of('E0401') + seen.of('E0402') >= 5, seen.all);
  });

  test('any nested checks run to a value or a clean error', async () => {
    await fc.assert(
      fc.asyncProperty(nestedCheck, async (text) => {
        await runsClean(text);
      }),
      runs(30),
    );
  });

  test('generated programs of every form run to a value or a clean error', async () => {
    await fc.assert(
      fc.asyncProperty(programSource, async (text) => {
        await runsClean(text);
      }),
      runs(100),
    );
  });
});
