import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkOverrides, declaredParams, printOverrides } from '../../dsl/overrides.js';
import { parse } from '../../dsl/parse.js';

function declared(text: string) {
  const parsed = parse(text);
  assert.ok(parsed.ok);
  return declaredParams([parsed.program]);
}

const program = declared('param data = "a.csv"\nparam gain = 5%\nparam n = 3\nparam data = 1\n');

describe('checkOverrides', () => {
  test('the first declaration of a parameter gives its kind', () => {
    assert.deepEqual(
      [...program],
      [
        ['data', 'String'],
        ['gain', 'Percent'],
        ['n', 'Number'],
      ],
    );
  });

  test('accepted overrides print as the statements that set them, in the order given', () => {
    const checked = checkOverrides(
      { seed: ' 7 ', data: 'say "hi"\n', gain: '10%', n: '2e3', 'odd name': '1' },
      new Map([...program, ['odd name', 'Number']]),
      { where: 'notebook', types: true },
    );
    assert.ok(checked.ok);
    assert.equal(
      printOverrides(checked.statements),
      'set seed 7\nparam data = "say \\"hi\\"\\n"\nparam gain = 10%\nparam n = 2e3\nparam `odd name` = 1',
    );
  });

  test('a seed must be a whole number within the range of `set seed`', () => {
    const options = { where: 'program', types: false } as const;
    assert.deepEqual(checkOverrides({ seed: '-5' }, program, options), {
      ok: false,
      problem: '--set seed needs a whole number ≥ 0, got "-5"',
    });
    assert.deepEqual(checkOverrides({ seed: '4294967296' }, program, options), {
      ok: false,
      problem: '--set seed needs a whole number from 0 to 4294967295, got "4294967296"',
    });
    const largest = checkOverrides({ seed: '4294967295' }, program, options);
    assert.ok(largest.ok);
    assert.equal(printOverrides(largest.statements), 'set seed 4294967295');
  });

  test('a declared `seed` parameter is a parameter, not the seed', () => {
    const checked = checkOverrides({ seed: '99999999999' }, declared('param seed = 1'), {
      where: 'program',
      types: true,
    });
    assert.ok(checked.ok);
    assert.equal(printOverrides(checked.statements), 'param seed = 99999999999');
  });

  test('an unknown name is refused with the names that are declared', () => {
    assert.deepEqual(checkOverrides({ size: '1' }, program, { where: 'notebook', types: true }), {
      ok: false,
      problem:
        '--set size: the notebook has no parameter size (its parameters: data, gain, n; `seed` sets the seed)',
    });
    assert.deepEqual(checkOverrides({ size: '1' }, new Map(), { where: 'program', types: false }), {
      ok: false,
      problem:
        '--set size: the program has no parameter size (it declares none; `seed` sets the seed)',
    });
  });

  test("a number parameter's type is checked only when asked", () => {
    assert.deepEqual(checkOverrides({ n: 'many' }, program, { where: 'notebook', types: true }), {
      ok: false,
      problem:
        '--set n: the parameter\'s default is a number, so its value must be a number or a percentage (5%), got "many"',
    });
    // A program's checker refuses it instead, pointing at the `param` statement.
    const left = checkOverrides({ n: 'many' }, program, { where: 'program', types: false });
    assert.deepEqual(left, { ok: true, statements: [] });
  });
});
