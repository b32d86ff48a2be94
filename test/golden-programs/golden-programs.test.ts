/**
 * Golden programs: each `.eval` file here runs through `evalbook run`'s own code path
 * (runCommand, in-process) and must print exactly its `.txt` (text output) and `.jsonl`
 * (`--json` output, one object per statement). Two also run through the real command line.
 * The key numbers of each program's results are asserted against the golden fixtures'
 * expected.json, so a wrong expected file cannot be accepted by regenerating it.
 *
 * Regenerate the expected files with `EVALBOOK_UPDATE_GOLDEN=1 node --test
 * dist/test/golden-programs/golden-programs.test.js`, then read the diff.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCommand } from '../../bin/run-eval.js';
import { languageKeywords } from '../../dsl/parse.js';
import { tokenize } from '../../grammar/lexer.js';
import { assertGolden, readExpected, repoRoot, type Json } from '../helpers/golden.js';

const programsDir = join(repoRoot, 'test', 'golden-programs');
const update = process.env.EVALBOOK_UPDATE_GOLDEN === '1';
const programs = readdirSync(programsDir)
  .filter((f) => f.endsWith('.eval'))
  .sort();
/** The programs that end with a failed statement, and so exit with status 1. */
const FAILING = new Set(['09-leakage.eval', '10-failing-check.eval']);

const outRoot = mkdtempSync(join(tmpdir(), 'evalbook-golden-'));
after(() => rmSync(outRoot, { recursive: true, force: true }));

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function runProgram(file: string, extra: readonly string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const outDir = mkdtempSync(join(outRoot, 'out-'));
  const status = await runCommand([join(programsDir, file), ...extra, '--out', outDir], {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env: process.env,
  });
  return { status, stdout: out.join(''), stderr: err.join('') };
}

function expectedFile(file: string, extension: string): string {
  return join(programsDir, file.replace(/\.eval$/u, extension));
}

/** The `--json` lines of a run, by the line of their statement. */
function byLine(jsonl: string): Map<number, Json> {
  const lines = new Map<number, Json>();
  for (const line of jsonl.split('\n').filter((l) => l !== '')) {
    const parsed: Json = JSON.parse(line);
    lines.set(parsed.line, parsed);
  }
  return lines;
}

/** What each program's results must hold, against the fixtures' expected.json. */
const KEY_NUMBERS: Readonly<Record<string, (results: Map<number, Json>) => void>> = {
  '01-spam-compare.eval': (results) => {
    const expected = readExpected('binary_spam_ham');
    const r = results.get(5).result;
    for (const [j, model] of [
      [0, 'base'],
      [1, 'ft'],
    ] as const) {
      const m = r.models[j].metrics;
      const e = expected.models[model];
      for (const key of [
        'accuracy',
        'precision',
        'recall',
        'f1',
        'f0_5',
        'f2',
        'specificity',
        'mcc',
        'tp',
        'fp',
        'fn',
        'tn',
      ]) {
        assertGolden(m[key], e[key], `${model}.${key}`);
      }
      assertGolden(m.balancedAccuracy, e.balanced_accuracy, `${model}.balanced_accuracy`);
      const s = r.models[j].scores;
      const es = expected.scores[model];
      assertGolden(s.rocAuc, es.roc_auc, `${model}.roc_auc`);
      assertGolden(s.averagePrecision, es.average_precision, `${model}.average_precision`);
      assertGolden(s.logLoss, es.log_loss, `${model}.log_loss`);
      assertGolden(s.brier, es.brier_score, `${model}.brier`);
    }
    const paired = r.deltas[0].paired;
    assert.equal(paired.fixed, expected.paired.fixed);
    assert.equal(paired.broken, expected.paired.broken);
    assertGolden(paired.mcnemar.exactP, expected.paired.mcnemar_exact_p, 'mcnemar');
    // The check's detail shows the numbers it compared.
    assert.equal(results.get(10).result.values[0].value, r.models[1].metrics.f1);
  },
  '02-worked-examples.eval': (results) => {
    const doc = results.get(4).result.models[0].metrics;
    assert.equal(doc.precision, 0.8947368421052632);
    assert.equal(doc.recall, 0.85);
    assert.equal(doc.f1, 0.8717948717948718);
    assert.equal(doc.accuracy, 0.875);
    const ten = results.get(15).result;
    const expected = readExpected('worked_example_ten_rows');
    for (const key of ['accuracy', 'precision', 'recall', 'f1']) {
      assert.equal(ten.models[1].metrics[key], 1, `finetuned ${key}`);
      assertGolden(ten.models[0].metrics[key], expected.models.base[key], `base ${key}`);
      assert.equal(Math.round(ten.models[0].metrics[key] * 1e9) / 1e9, 0.8);
    }
    // Not the document's claim (accuracy 0.9, recall 0.9, F1 0.947): sklearn's numbers.
    assert.notEqual(ten.models[1].metrics.accuracy, expected.document_claim_ft.accuracy);
    assert.equal(ten.deltas[0].paired.mcnemar.exactP, 0.5);
    assert.equal(ten.deltas[0].paired.fixed, 2);
    assert.equal(ten.deltas[0].paired.broken, 0);
  },
  '03-multiclass.eval': (results) => {
    const expected = readExpected('multiclass_intent_4');
    for (const [line, average] of [
      [3, 'macro'],
      [4, 'micro'],
      [5, 'weighted'],
    ] as const) {
      const table = results.get(line).result.metricTable;
      for (const metric of ['precision', 'recall', 'f1']) {
        const m = table.metrics.indexOf(metric);
        assert.ok(m >= 0, `${metric} in the ${average} table`);
        assertGolden(
          table.values[m][0],
          expected.models.base[average][metric],
          `base ${average} ${metric}`,
        );
        assertGolden(
          table.values[m][1],
          expected.models.ft[average][metric],
          `ft ${average} ${metric}`,
        );
      }
    }
    const accuracy = results.get(3).result.models[1].metrics.accuracy;
    assertGolden(accuracy, expected.models.ft.accuracy, 'ft accuracy');
  },
  '04-thresholds.eval': (results) => {
    const expected = readExpected('scores_continuous').scores.ft;
    const best = results.get(6).result.models[0].chosen;
    for (const key of ['threshold', 'f1', 'precision', 'recall', 'tp', 'fp', 'fn', 'tn']) {
      assertGolden(best[key], expected.best_f1[key], `best_f1.${key}`);
    }
    const r90 = results.get(9).result.models[0].chosen;
    for (const key of ['threshold', 'recall', 'precision', 'tp', 'fp']) {
      assertGolden(r90[key], expected.recall_at_least_0_9[key], `recall_at_least_0_9.${key}`);
    }
    assertGolden(results.get(4).result.models[1].rocAuc, expected.roc_auc, 'roc_auc');
    const fixed = results.get(14).result;
    assert.ok(fixed.warnings.some((w: Json) => w.code === 'threshold-on-evaluation-rows'));
  },
  '05-calibration-curve.eval': (results) => {
    const expected = readExpected('calibration_10_bins');
    const c = results.get(3).result;
    for (const [j, model] of [
      [0, 'base'],
      [1, 'ft'],
    ] as const) {
      assertGolden(c.models[j].ece, expected.models[model].ece, `${model}.ece`);
      assertGolden(c.models[j].mce, expected.models[model].mce, `${model}.mce`);
      assertGolden(c.models[j].brier, expected.models[model].brier_score, `${model}.brier`);
    }
    const log = readExpected('loss_log_early_stopping');
    const l = results.get(8).result;
    assertGolden(
      {
        epochs: l.epochs,
        best_epoch: l.bestEpoch,
        best_val_loss: l.bestValLoss,
        train_loss_at_best: l.trainLossAtBest,
        final_val_loss: l.finalValLoss,
        final_train_loss: l.finalTrainLoss,
        val_loss_rise_after_best: l.valLossRiseAfterBest,
        epochs_after_best: l.epochsAfterBest,
        early_stop_epoch_patience_3: l.earlyStopEpoch,
      },
      Object.fromEntries(
        [
          'epochs',
          'best_epoch',
          'best_val_loss',
          'train_loss_at_best',
          'final_val_loss',
          'final_train_loss',
          'val_loss_rise_after_best',
          'epochs_after_best',
          'early_stop_epoch_patience_3',
        ].map((k) => [k, log[k]]),
      ),
    );
  },
  '06-split-slices.eval': (results) => {
    const expected = readExpected('split_stratified_1000');
    const split = results.get(4).result;
    assert.deepEqual(split.classes, expected.labels);
    for (const part of split.parts) {
      assert.equal(part.size, expected.split_sizes[part.name]);
      expected.labels.forEach((label: string, c: number) => {
        const ideal = expected.ideal_class_counts[part.name][label];
        assert.ok(Math.abs(part.classCounts[c] - ideal) <= 1, `${part.name} ${label}`);
      });
    }
  },
  '07-regression.eval': (results) => {
    const expected = readExpected('regression_basic');
    const g = results.get(3).result;
    const names: Record<string, string> = {
      mse: 'mse',
      rmse: 'rmse',
      mae: 'mae',
      r2: 'r2',
      explainedVariance: 'explained_variance',
      mape: 'mape',
      medianAbsoluteError: 'median_absolute_error',
      maxError: 'max_error',
    };
    for (const [j, model] of [
      [0, 'base'],
      [1, 'ft'],
    ] as const) {
      for (const [ours, theirs] of Object.entries(names)) {
        assertGolden(
          g.models[j].metrics[ours],
          expected.models[model][theirs],
          `${model}.${theirs}`,
        );
      }
    }
  },
  '09-leakage.eval': (results) => {
    const expected = readExpected('leakage_duplicates');
    const leak = results.get(5);
    assert.equal(leak.error.code, 'E0403');
    assert.equal(leak.result.duplicateTextCount, expected.duplicate_text_count);
    assert.deepEqual([...leak.result.leakedTestIds].sort(), expected.leaked_test_ids);
    assertGolden(leak.result.leakedTestFraction, expected.leaked_test_fraction);
    assert.equal(results.get(4).result.leakedTestRows, 0);
  },
  '10-failing-check.eval': (results) => {
    const expected = readExpected('paired_mcnemar');
    const paired = results.get(4).result.deltas[0].paired;
    assert.equal(paired.fixed, 21);
    assert.equal(paired.broken, 9);
    assertGolden(paired.mcnemar.exactP, expected.paired.mcnemar_exact_p);
    assert.equal(results.get(5).error.code, 'E0401');
    assert.equal(results.has(6), false, 'the statement after the failed check does not run');
  },
  '11-traps-and-edges.eval': (results) => {
    const rare = results.get(4).result;
    const expected = readExpected('accuracy_paradox_rare_positive');
    assertGolden(rare.models[0].metrics.accuracy, expected.models.base.accuracy);
    assertGolden(rare.models[0].metrics.recall, expected.models.base.recall);
    assert.ok(rare.warnings.some((w: Json) => w.code === 'accuracy-paradox'));
    const ints = results.get(8).result;
    const e = readExpected('binary_int_labels');
    assert.equal(ints.positiveLabel, 1);
    assertGolden(ints.models[1].scores.rocAuc, e.scores.ft.roc_auc);
    assertGolden(ints.models[1].scores.logLoss, e.scores.ft.log_loss);
    assertGolden(ints.models[1].metrics.f2, e.models.ft.f2);
  },
};

describe('golden programs', () => {
  test('there are programs, and together they use every keyword of the language', () => {
    assert.ok(programs.length >= 10, `${programs.length} programs`);
    const used = new Set(
      programs.flatMap((f) =>
        tokenize(readFileSync(join(programsDir, f), 'utf8')).map((t) => t.text),
      ),
    );
    assert.deepEqual(
      languageKeywords().filter((k) => !used.has(k)),
      [],
    );
  });

  for (const file of programs) {
    test(file, async () => {
      const text = await runProgram(file, []);
      const json = await runProgram(file, ['--json']);
      const expectedStatus = FAILING.has(file) ? 1 : 0;
      assert.equal(text.status, expectedStatus, text.stderr);
      assert.equal(json.status, expectedStatus, json.stderr);
      if (update) {
        writeFileSync(expectedFile(file, '.txt'), text.stdout);
        writeFileSync(expectedFile(file, '.jsonl'), json.stdout);
      }
      assert.equal(text.stdout, readFileSync(expectedFile(file, '.txt'), 'utf8'));
      assert.equal(json.stdout, readFileSync(expectedFile(file, '.jsonl'), 'utf8'));
      const lines = json.stdout.split('\n').filter((l) => l !== '');
      for (const line of lines) {
        const parsed: Json = JSON.parse(line);
        assert.equal(typeof parsed.line, 'number');
        assert.equal(typeof parsed.statement, 'string');
        assert.ok('result' in parsed || 'error' in parsed);
      }
      KEY_NUMBERS[file]?.(byLine(json.stdout));
    });
  }

  test('a program that writes reports writes the same bytes when run again', async () => {
    const readReports = async (): Promise<string[]> => {
      const outDir = mkdtempSync(join(outRoot, 'again-'));
      const status = await runCommand(
        [join(programsDir, '08-params-formats.eval'), '--out', outDir],
        {
          out: () => undefined,
          err: () => undefined,
          env: process.env,
        },
      );
      assert.equal(status, 0);
      return ['report.html', 'report.md'].map((f) => readFileSync(join(outDir, f), 'utf8'));
    };
    const [first, second] = [await readReports(), await readReports()];
    assert.deepEqual(first, second);
    assert.ok(first[0].includes('Ten rows, five formats'));
    assert.ok(
      first[0].includes('f012a324a153b892e29168649140c4fbd78d2722e17818c3ba9df133fc57b025'),
    );
  });

  test('--set seed is refused outside the range of `set seed`, before anything runs', async () => {
    const tooLarge = await runProgram('06-split-slices.eval', ['--set', 'seed=4294967296']);
    assert.equal(tooLarge.status, 2);
    assert.equal(tooLarge.stdout, '');
    assert.equal(
      tooLarge.stderr,
      'evalbook run: --set seed needs a whole number from 0 to 4294967295, got "4294967296"\n',
    );
    const largest = await runProgram('06-split-slices.eval', ['--set', 'seed=4294967295']);
    assert.equal(largest.status, 0, largest.stderr);
  });

  test('--set overrides a parameter: a larger minimum gain fails the check', async () => {
    const run = await runProgram('08-params-formats.eval', ['--json', '--set', 'min_gain=25%']);
    assert.equal(run.status, 1);
    const failed = run.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Json)
      .find((o) => o.error !== undefined);
    assert.equal(failed.line, 16);
    assert.equal(failed.error.code, 'E0401');
    assert.equal(
      failed.result.detail,
      '✗ P.ft_pred.accuracy (1) - P.base_pred.accuracy (0.8) >= min_gain (0.25) → false',
    );
  });
});

describe('the real command line', () => {
  const cli = join(repoRoot, 'dist', 'bin', 'evalbook.js');
  for (const file of ['02-worked-examples.eval', '10-failing-check.eval']) {
    test(`evalbook run ${file} --json`, () => {
      const outDir = mkdtempSync(join(outRoot, 'cli-'));
      const result = spawnSync(
        process.execPath,
        [cli, 'run', join(programsDir, file), '--json', '--out', outDir],
        {
          encoding: 'utf8',
          env: { ...process.env, TZ: 'UTC' },
        },
      );
      assert.equal(result.status, FAILING.has(file) ? 1 : 0, result.stderr);
      assert.equal(result.stdout, readFileSync(expectedFile(file, '.jsonl'), 'utf8'));
    });
  }

  test('usage errors exit with status 2', () => {
    const noFile = spawnSync(process.execPath, [cli, 'run'], { encoding: 'utf8' });
    assert.equal(noFile.status, 2);
    assert.match(noFile.stderr, /expected a file to run/u);
    const unknown = spawnSync(
      process.execPath,
      [cli, 'run', join(programsDir, '08-params-formats.eval'), '--set', 'min_gian=1'],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(unknown.status, 2);
    assert.match(
      unknown.stderr,
      /the program has no parameter min_gian \(its parameters: data, min_gain, positive_label, resamples/u,
    );
  });
});
