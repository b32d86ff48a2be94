/**
 * The runner and the session: statements commit one by one, a failing statement (data error,
 * failed check, interruption, problems found on the data) leaves the session exactly as it
 * was, parameters and defaults apply, and the plan is the normalised form of the program.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  check,
  parse,
  run,
  runCell,
  Session,
  type CellResult,
  type StatementOutcome,
} from '../../dsl/index.js';
import { SEMANTIC_CODES } from '../../dsl/messages.js';
import type { PlannedStatement } from '../../dsl/plan.js';
import { goldenRoot } from '../helpers/golden.js';

async function cell(session: Session, text: string): Promise<CellResult> {
  return runCell(text, session, { baseDir: goldenRoot });
}

function outcomes(result: CellResult): readonly StatementOutcome[] {
  assert.equal(result.stage, 'run', JSON.stringify(result));
  return result.stage === 'run' ? result.outcomes : [];
}

function plan(session: Session, text: string): readonly PlannedStatement[] {
  const parsed = parse(text);
  assert.ok(parsed.ok);
  const checked = check(parsed.program, session, { source: text, baseDir: goldenRoot });
  assert.ok(checked.ok, JSON.stringify(checked));
  return checked.ok ? checked.plan.statements : [];
}

/** Everything a session holds, as comparable values (objects by identity). */
function snapshot(session: Session): unknown {
  return {
    bindings: session
      .bindings()
      .map((b) => [b.name, b.kind, b.kind === 'table' ? b.table : b.result]),
    params: session.params().map((p) => [p.name, p.value]),
    positive: session.positiveDefault()?.value ?? null,
    seed: session.seedDefault(),
    history: session.history().length,
    inputs: session.inputs().length,
    seeds: session.seeds().length,
    cells: session.cells().length,
  };
}

const SPAM = 'load "binary_spam_ham/data.csv" as test\n';

describe('a failing statement leaves the session as it was', () => {
  test('a cell that does not check changes nothing, not even its first statement', async () => {
    const session = new Session();
    await cell(session, SPAM);
    const before = snapshot(session);
    const result = await cell(
      session,
      'load "binary_int_labels/data.csv" as ints\ncompare a, b on nowhere against label',
    );
    assert.equal(result.stage, 'check');
    assert.deepEqual(snapshot(session), before);
    assert.equal(session.binding('ints'), undefined);
  });

  test('a data error keeps the statements above it and commits nothing of its own', async () => {
    const session = new Session();
    await cell(session, SPAM);
    const before = session.binding('test');
    // Scores where labels are expected: the engine refuses the label column.
    const result = await cell(
      session,
      'load "binary_int_labels/data.csv" as ints\ncompare base_pred, ft_pred on test against base_score as R\nshow ints',
    );
    const [load, compare, ...rest] = outcomes(result);
    assert.equal(load.status, 'ok');
    assert.equal(compare.status, 'error');
    assert.equal(rest.length, 0, 'the cell stops at the failing statement');
    assert.ok(session.binding('ints') !== undefined, 'the load above it stays committed');
    assert.equal(session.binding('R'), undefined);
    assert.equal(session.binding('test'), before);
    assert.equal(session.history().length, 2);
  });

  test('a failed check commits nothing and carries its evaluation', async () => {
    const session = new Session();
    await cell(
      session,
      `${SPAM}compare base_pred, ft_pred on test against label positive "spam" as R`,
    );
    const before = snapshot(session);
    const bound = session.binding('R');
    const f1 =
      bound?.kind === 'result' && bound.result.kind === 'comparison'
        ? bound.result.metricTable.values[bound.result.metricTable.metrics.indexOf('f1')][1]
        : null;
    const [outcome] = outcomes(await cell(session, 'check R.ft_pred.f1 > 0.99'));
    assert.equal(outcome.status, 'error');
    if (outcome.status !== 'error') return;
    assert.equal(outcome.error.kind, 'check-failed');
    assert.equal(outcome.error.diagnostics[0].code, SEMANTIC_CODES.checkFailed);
    assert.equal(
      outcome.error.diagnostics[0].message,
      'check failed: R.ft_pred.f1 (0.9708) > 0.99 → false',
    );
    assert.deepEqual(outcome.value, {
      kind: 'check',
      expression: 'R.ft_pred.f1 > 0.99',
      passed: false,
      detail: '✗ R.ft_pred.f1 (0.9708) > 0.99 → false',
      values: [{ path: 'R.ft_pred.f1', value: f1 }],
    });
    assert.deepEqual(snapshot(session), before);
  });

  test('an interrupted statement commits nothing', async () => {
    const session = new Session();
    await cell(session, SPAM);
    const before = snapshot(session);
    const text = 'compare base_pred, ft_pred on test against label positive "spam" as R';
    const parsed = parse(text);
    assert.ok(parsed.ok);
    const checked = check(parsed.program, session, { source: text });
    assert.ok(checked.ok);
    const [outcome] = await run(checked.plan, session, { cancel: { cancelled: true } });
    assert.equal(outcome.status, 'error');
    assert.equal(outcome.status === 'error' && outcome.error.kind, 'interrupted');
    assert.equal(
      outcome.status === 'error' && outcome.error.diagnostics[0].code,
      SEMANTIC_CODES.interrupted,
    );
    assert.deepEqual(snapshot(session), before);
  });

  test('problems found on a table loaded in the same cell are reported together, before they run', async () => {
    const session = new Session();
    const result = await cell(
      session,
      `${SPAM}compare base_pred, ft_pred on test against lable\nthreshold ft_scor on test against label positive "spam"`,
    );
    const [load, problems, ...rest] = outcomes(result);
    assert.equal(load.status, 'ok');
    assert.equal(rest.length, 0);
    assert.equal(problems.status, 'error');
    if (problems.status !== 'error') return;
    assert.equal(problems.line, 2);
    assert.equal(problems.error.kind, 'check');
    assert.deepEqual(
      problems.error.diagnostics.map((d) => [d.code, d.span.line, d.message]),
      [
        ['E0203', 2, 'table `test` has no column `lable`'],
        ['E0203', 3, 'table `test` has no column `ft_scor`'],
      ],
    );
    assert.ok(session.binding('test') !== undefined);
  });
});

describe('the session', () => {
  test('names bound in a cell are used by the statements after them, and re-binding replaces', async () => {
    const session = new Session();
    const result = await cell(
      session,
      `${SPAM}load "binary_int_labels/data.csv" as test\ncheck test.rows == 500`,
    );
    assert.deepEqual(
      outcomes(result).map((o) => o.status),
      ['ok', 'ok', 'ok'],
    );
    assert.equal(session.bindings().length, 1);
    const test = session.binding('test');
    assert.equal(test?.kind === 'table' && test.table.nRows, 500);
  });

  test('parameters: defaults, overrides given to the session, and their types', async () => {
    const overridden = new Session({ params: { resamples: '50', name: 'x' } });
    const planned = plan(overridden, 'param resamples = 1000\nparam name = "y"\nparam unused = 3%');
    assert.deepEqual(
      planned.map((p) =>
        p.kind === 'param' ? [p.name.name, p.value, p.defaultValue, p.overridden] : null,
      ),
      [
        ['resamples', 50, 1000, true],
        ['name', 'x', 'y', true],
        ['unused', 0.03, 0.03, false],
      ],
    );
    const wrong = new Session({ params: { resamples: 'many' } });
    const parsed = parse('param resamples = 1000');
    assert.ok(parsed.ok);
    const checked = check(parsed.program, wrong, { source: 'param resamples = 1000' });
    assert.equal(checked.ok, false);
    assert.equal(!checked.ok && checked.diagnostics[0].code, SEMANTIC_CODES.wrongType);
  });

  test('a percentage parameter stays a share in later cells, where a whole number is a row count', async () => {
    const session = new Session();
    await cell(session, `param everything = 100%\nparam one_row = 1\n${SPAM}`);
    const [byShare, byCount] = plan(
      session,
      'split test into all_rows everything\nsplit test into first one_row',
    );
    assert.deepEqual(byShare.kind === 'split-into' && byShare.parts[0].size, { fraction: 1 });
    assert.deepEqual(byCount.kind === 'split-into' && byCount.parts[0].size, { count: 1 });
  });

  test('defaults: set seed and set positive fill in what statements leave out; the seed override wins', async () => {
    const session = new Session();
    await cell(session, `set seed 9\nset positive "spam"\n${SPAM}`);
    const [split, threshold, calibration, compare] = plan(
      session,
      'split test into a 50%, b 50%\nthreshold ft_score on test against label\ncalibration ft_score on test against label\ncompare base_pred, ft_pred on test against label significance bootstrap 10',
    );
    assert.equal(split.kind === 'split-into' && split.seed, 9);
    assert.deepEqual(split.kind === 'split-into' && split.parts.map((p) => p.size), [
      { fraction: 0.5 },
      { fraction: 0.5 },
    ]);
    assert.equal(threshold.kind === 'threshold' && threshold.positive?.value, 'spam');
    assert.equal(threshold.kind === 'threshold' && threshold.positive?.from, 'session');
    assert.deepEqual(threshold.kind === 'threshold' && threshold.rule, { kind: 'max-f1' });
    assert.equal(calibration.kind === 'calibration' && calibration.bins, 10);
    assert.deepEqual(compare.kind === 'compare' && compare.bootstrap, { resamples: 10, seed: 9 });
    assert.deepEqual(compare.kind === 'compare' && compare.models.map((m) => m.name.name), [
      'base_pred',
      'ft_pred',
    ]);
    const overridden = new Session({ params: { seed: '5' } });
    const [setSeed] = plan(overridden, 'set seed 9');
    assert.equal(setSeed.kind === 'set-seed' && setSeed.seed, 5);
    assert.equal(setSeed.kind === 'set-seed' && setSeed.overridden, true);
  });

  test('a default positive label that does not apply is not used', async () => {
    const session = new Session();
    const result = await cell(
      session,
      'set positive "spam"\nload "multiclass_intent_4/data.csv" as intents\ncompare base_pred, ft_pred on intents against label as M',
    );
    const compare = outcomes(result)[2];
    assert.equal(compare.status, 'ok');
    const value = compare.status === 'ok' ? compare.value : null;
    assert.equal(value?.kind === 'comparison' && value.task, 'multiclass');
    assert.equal(
      value?.kind === 'comparison' &&
        value.warnings.some((w) => w.code === 'positive-label-ignored'),
      false,
    );
  });

  test('the checker settles the defaults that depend on the data; the plan records them', async () => {
    const session = new Session();
    await cell(
      session,
      `set positive "spam"\n${SPAM}load "multiclass_intent_4/data.csv" as intents\n`,
    );
    const [split, threshold, calibration, compare, multiclass, stratified] = plan(
      session,
      'split test into a 50%, b 50%\nthreshold ft_score on test against label positive "ham"\ncalibration ft_score on test against label\ncompare base_pred, ft_pred on test against label\ncompare base_pred, ft_pred on intents against label\nsplit test into c 50%, d 50% stratify by base_pred',
    );
    assert.deepEqual(split.kind === 'split-into' && split.onData, { classColumn: 'label' });
    assert.deepEqual(threshold.kind === 'threshold' && threshold.onData, {
      positive: 'ham',
      assumedAmong: null,
    });
    assert.deepEqual(calibration.kind === 'calibration' && calibration.onData, {
      positive: 'spam',
      assumedAmong: null,
    });
    assert.deepEqual(compare.kind === 'compare' && compare.onData, { positive: 'spam' });
    // The session default does not apply to four labels.
    assert.deepEqual(multiclass.kind === 'compare' && multiclass.onData, { positive: null });
    assert.deepEqual(stratified.kind === 'split-into' && stratified.onData, {
      classColumn: 'base_pred',
    });

    const fresh = new Session();
    await cell(fresh, SPAM);
    const [assumed] = plan(fresh, 'threshold ft_score on test against label');
    assert.deepEqual(assumed.kind === 'threshold' && assumed.onData, {
      positive: 'spam',
      assumedAmong: ['ham', 'spam'],
    });
  });

  test('a statement on a table of its own cell is settled when it runs, not before', async () => {
    const session = new Session();
    const [compare] = plan(
      session,
      `${SPAM}compare base_pred, ft_pred on test against label`,
    ).slice(1);
    assert.equal(compare.kind === 'compare' && compare.onData, null);
    const result = await cell(
      session,
      `set positive "ham"\n${SPAM}compare base_pred, ft_pred on test against label as R`,
    );
    const ran = outcomes(result)[2];
    assert.equal(ran.status, 'ok');
    assert.equal(
      ran.status === 'ok' &&
        ran.value.kind === 'comparison' &&
        ran.value.task !== 'regression' &&
        ran.value.positiveLabel,
      'ham',
    );
  });

  test('dataChecked: a statement on a table of an earlier cell is checked on its data at once', () => {
    const session = new Session();
    return cell(session, SPAM).then(() => {
      const text = `compare base_pred, ft_pred on test against label\nload "single_row/data.csv" as one\ncompare base_pred, ft_pred on one against label`;
      const parsed = parse(text);
      assert.ok(parsed.ok);
      const checked = check(parsed.program, session, { source: text, baseDir: goldenRoot });
      assert.ok(checked.ok);
      if (!checked.ok) return;
      assert.deepEqual(checked.plan.dataChecked, [true, true, false]);
      assert.deepEqual(
        checked.plan.statements.map((s) => s.dependsOn),
        [[], [], [1]],
      );
    });
  });

  test('the record of a session numbers lines across cells, for reports', async () => {
    const session = new Session();
    await cell(session, `# first cell\n${SPAM}`);
    await cell(
      session,
      'show test\ncompare base_pred, ft_pred on test against label positive "spam"',
    );
    const record = session.record();
    assert.equal(
      record.source,
      `# first cell\n${SPAM.trimEnd()}\n\nshow test\ncompare base_pred, ft_pred on test against label positive "spam"\n`,
    );
    assert.deepEqual(
      record.items.map((i) => [i.line, i.statement, i.result.kind]),
      [
        [2, SPAM.trimEnd(), 'table-summary'],
        [5, 'compare base_pred, ft_pred on test against label positive "spam"', 'comparison'],
      ],
    );
    assert.deepEqual(
      record.inputs.map((f) => [f.path, f.name, f.rows]),
      [['binary_spam_ham/data.csv', 'test', 240]],
    );
  });
});

describe('thresholds tuned on the rows they are evaluated on', () => {
  test('a fixed threshold that max F1 picked on the same table is warned about; on other rows it is not', async () => {
    const session = new Session();
    const result = await cell(
      session,
      [
        'set positive 1',
        'load "scores_continuous/data.csv" as scores',
        'split scores into val 50%, test 50% seed 1',
        'threshold ft_score on val against label as T',
        'check T.threshold > 0',
        'threshold ft_score on val against label pick at 0.59350629',
      ].join('\n'),
    );
    const all = outcomes(result);
    assert.ok(all.every((o) => o.status === 'ok'));
    const picked = session.binding('T');
    const chosen =
      picked?.kind === 'result' && picked.result.kind === 'threshold'
        ? picked.result.models[0].chosen?.threshold
        : null;
    assert.equal(typeof chosen, 'number');
    const again = outcomes(
      await cell(
        session,
        `threshold ft_score on val against label pick at ${chosen}\nthreshold ft_score on test against label pick at ${chosen}`,
      ),
    );
    const warned = (o: StatementOutcome): boolean =>
      o.status === 'ok' &&
      o.value.kind === 'threshold' &&
      o.value.warnings.some((w) => w.code === 'threshold-on-evaluation-rows');
    assert.equal(warned(again[0]), true, 'same rows');
    assert.equal(warned(again[1]), false, 'the other part of the split');
    const message =
      again[0].status === 'ok' && again[0].value.kind === 'threshold'
        ? again[0].value.warnings[0].message
        : '';
    assert.match(message, /picked by max F1 at line 4 of cell 1/u);
  });
});

describe('checks', () => {
  test('a check on an undefined number cannot be decided, and fails', async () => {
    const session = new Session();
    const [, compare, checked] = outcomes(
      await cell(
        session,
        'load "single_row/data.csv" as one\ncompare base_pred, ft_pred on one against label positive 1 as T\ncheck T.base_pred.cohen_kappa > 0.5',
      ),
    );
    assert.equal(compare.status, 'ok');
    assert.equal(checked.status, 'error');
    if (checked.status !== 'error') return;
    assert.equal(checked.error.diagnostics[0].code, SEMANTIC_CODES.checkUndecided);
    assert.equal(
      checked.error.diagnostics[0].message,
      'check cannot be decided: T.base_pred.cohen_kappa is undefined (Cohen’s kappa is 0/0 with a single label)',
    );
  });

  test('division by zero and text comparisons in checks', async () => {
    const session = new Session();
    const [, , ok, undecided] = outcomes(
      await cell(
        session,
        'param name = "spam"\nparam zero = 0\ncheck name == "spam" and not name != "spam"\ncheck 1 / zero > 0',
      ),
    );
    assert.equal(ok.status, 'ok');
    assert.equal(undecided.status, 'error');
    assert.equal(
      undecided.status === 'error' && undecided.error.diagnostics[0].message,
      'check cannot be decided: a division by zero',
    );
  });
});

describe('leakage, reported', () => {
  const TABLES =
    'load "leakage_duplicates/train.csv" as train\nload "leakage_duplicates/test.csv" as test\n';

  test('binds its finding without failing; checks read its paths; the history records it', async () => {
    const session = new Session();
    const [, , leakage, normalized, passing, failing] = outcomes(
      await cell(
        session,
        `${TABLES}leakage train, test on text as L\nleakage train, test on text normalized as N\ncheck L.leaked_test_rows == 7 and L.duplicate_texts == 7 and N.normalized.leaked_test_rows >= 7\ncheck L.leaked_test_fraction < 10%`,
      ),
    );
    assert.equal(leakage.status, 'ok', 'seven leaked rows do not fail the statement');
    assert.equal(leakage.name, 'L');
    assert.equal(normalized.status, 'ok');
    assert.equal(passing.status, 'ok');
    assert.equal(failing.status, 'error');
    if (failing.status === 'error') {
      assert.equal(
        failing.error.diagnostics[0].message,
        'check failed: L.leaked_test_fraction (0.1167) < 10% → false',
      );
    }
    const bound = session.binding('L');
    assert.ok(bound?.kind === 'result' && bound.result.kind === 'leakage');
    if (bound?.kind !== 'result' || bound.result.kind !== 'leakage') return;
    assert.equal(bound.result.leakedTestRows, 7);
    assert.equal(bound.result.testRows, 60);
    assert.equal(bound.result.trainRows, 240);
    assert.equal(bound.result.leakedTestFraction, 7 / 60);
    assert.equal(bound.result.normalized, null);
    assert.deepEqual(
      session.history().map((h) => [h.keyword, h.name, h.result?.kind ?? null]),
      [
        ['load', 'train', 'table-summary'],
        ['load', 'test', 'table-summary'],
        ['leakage', 'L', 'leakage'],
        ['leakage', 'N', 'leakage'],
        ['check', null, 'check'],
      ],
    );
  });

  test('without as it only shows and records; a path it does not have is caught before running', async () => {
    const session = new Session();
    await cell(session, TABLES);
    const [shown] = outcomes(await cell(session, 'leakage train, test on id'));
    assert.equal(shown.status, 'ok');
    assert.equal(shown.status === 'ok' && shown.value?.kind, 'leakage');
    assert.equal(session.binding('L'), undefined);
    assert.equal(session.history().at(-1)?.keyword, 'leakage');
    const before = snapshot(session);
    const result = await cell(
      session,
      'leakage train, test on text as L\ncheck L.normalized.leaked_test_rows == 0',
    );
    assert.equal(result.stage, 'check');
    assert.deepEqual(snapshot(session), before);
  });

  test('an unknown table is reported before anything runs and leaves the session unchanged', async () => {
    const session = new Session();
    await cell(session, TABLES);
    const before = snapshot(session);
    const result = await cell(session, 'leakage train, nowhere on text as L');
    assert.equal(result.stage, 'check');
    assert.deepEqual(snapshot(session), before);
    assert.equal(session.binding('L'), undefined);
  });
});
