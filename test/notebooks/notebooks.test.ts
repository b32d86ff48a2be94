/**
 * Every notebook in notebooks/ executed through the real `evalbook run` (a child process, the
 * kernel over ZeroMQ), with its outputs checked: the numbers against notebooks/data/README.md
 * and the reference cases, the MIME types, no errors (but the one the write-up expects), the
 * reports written, nbformat's own validation, and the HTML rendering showing every output.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { renderMarkdown } from '../../bin/markdown.js';
import type { Json } from '../helpers/golden.js';
import {
  NOTEBOOK_DIR,
  PLOTLY_MIME,
  allOutputs,
  codeCells,
  freshDir,
  jsonLines,
  nbformatPython,
  readJson,
  runEvalbook,
  text,
  validateWithNbformat,
  type CliRun,
} from './helpers.js';

const RESULT_MIME = 'application/vnd.evalbook.result+json';

interface Executed {
  run: CliRun;
  dir: string;
  notebook: Json;
  html: string;
  /** The --json objects, by the name the statement bound (unnamed ones under their line). */
  results: Json[];
}

async function execute(name: string): Promise<Executed> {
  const dir = freshDir(`run-${name}`);
  const run = await runEvalbook(['run', join('notebooks', `${name}.ipynb`), '--out', dir, '--json']);
  assert.equal(run.status, 0, `evalbook run ${name} failed:\n${run.stdout}\n${run.stderr}`);
  return {
    run,
    dir,
    notebook: readJson(join(dir, `${name}.ipynb`)),
    html: readFileSync(join(dir, `${name}.html`), 'utf8'),
    results: jsonLines(run.stdout),
  };
}

function named(results: readonly Json[], name: string): Json {
  const found = results.find((r) => r.name === name);
  assert.ok(found !== undefined, `no statement bound ${name}`);
  return found.result;
}

function checks(results: readonly Json[]): Json[] {
  return results.filter((r) => r.statement === 'check');
}

function model(result: Json, name: string): Json {
  return result.models.find((m: Json) => m.name === name);
}

const escapeHtml = (s: string): string =>
  s
    .replace(/&/gu, '&amp;')
    .replace(/</gu, '&lt;')
    .replace(/>/gu, '&gt;')
    .replace(/"/gu, '&quot;')
    .replace(/'/gu, '&#39;');

/** What every executed notebook must satisfy, whatever it computes. */
function assertWellFormed(name: string, executed: Executed): void {
  const { notebook, html, dir, results } = executed;
  const source = readJson(join(NOTEBOOK_DIR, `${name}.ipynb`));
  assert.equal(notebook.nbformat, 4);
  assert.equal(notebook.nbformat_minor, 5);
  assert.equal(notebook.metadata.kernelspec.name, 'evalbook');
  assert.equal(notebook.metadata.language_info.name, 'evalbook');
  // The same cells, in the same order, with the same ids.
  assert.deepEqual(
    notebook.cells.map((c: Json) => [c.id, c.cell_type, text(c.source)]),
    source.cells.map((c: Json) => [c.id, c.cell_type, text(c.source)]),
  );
  const cells = codeCells(notebook);
  assert.deepEqual(
    cells.map((c) => c.execution_count),
    cells.map((_, i) => i + 1),
    'every code cell ran, in order',
  );
  for (const cell of cells) assert.ok(cell.outputs.length > 0, `cell ${cell.id} shows something`);
  const outputs = allOutputs(notebook);
  const mimes = new Set(outputs.flatMap(({ output }) => Object.keys(output.data ?? {})));
  for (const mime of ['text/plain', 'text/html', PLOTLY_MIME]) {
    assert.ok(mimes.has(mime), `${name} has ${mime} outputs`);
  }
  assert.ok(!mimes.has(RESULT_MIME), "the runner's result JSON is not kept in the notebook");
  for (const { cell, output } of outputs) {
    if (output.output_type === 'execute_result') {
      assert.equal(output.execution_count, cell.execution_count);
    }
  }
  // The --json objects: one per statement, each naming its cell.
  const statements = cells.reduce((sum, c) => sum + countStatements(text(c.source)), 0);
  assert.equal(results.length, statements, 'one JSON object per statement');
  for (const r of results) {
    const cell = cells.find((c) => c.id === r.cell_id);
    assert.ok(cell !== undefined && cell.execution_count === r.cell);
  }
  // The rendering shows every output, with plotly.js once.
  assertRenderingShowsEverything(notebook, html);
  // nbformat's own schema.
  const python = nbformatPython();
  if (python !== null) {
    assert.equal(validateWithNbformat(python, join(dir, `${name}.ipynb`)), '4.5');
  }
}

/** Statements of a cell: lines at the left margin that are not comments. */
function countStatements(source: string): number {
  return source.split('\n').filter((line) => /^[a-z]/u.test(line)).length;
}

function assertRenderingShowsEverything(notebook: Json, html: string): void {
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  const plotlyCopies = html.split('plotly.js v').length - 1;
  const charts = allOutputs(notebook).filter(({ output }) => PLOTLY_MIME in (output.data ?? {}));
  assert.equal(plotlyCopies, charts.length > 0 ? 1 : 0, 'plotly.js is in the page once');
  assert.equal(
    html.split('class="evalbook-plot"').length - 1,
    charts.length,
    'one drawn chart per Plotly output, and no fallback drawn twice',
  );
  for (const { cell, output } of allOutputs(notebook)) {
    const where = `cell ${cell.id}, ${output.output_type}`;
    if (output.output_type === 'error') {
      assert.ok(html.includes(escapeHtml(output.ename)), where);
      assert.ok(html.includes(escapeHtml(output.evalue)), where);
    } else if (output.output_type === 'stream') {
      assert.ok(html.includes(escapeHtml(text(output.text))), where);
    } else if (!(PLOTLY_MIME in output.data) && 'text/html' in output.data) {
      assert.ok(html.includes(text(output.data['text/html'])), `${where}: its HTML`);
    } else if ('text/markdown' in output.data) {
      assert.ok(html.includes(renderMarkdown(text(output.data['text/markdown']))), where);
    } else if (!(PLOTLY_MIME in output.data)) {
      assert.ok(html.includes(escapeHtml(text(output.data['text/plain']))), where);
    }
  }
  for (const cell of notebook.cells) {
    if (cell.cell_type === 'code') {
      assert.ok(html.includes(escapeHtml(text(cell.source))), `the source of ${cell.id}`);
    } else {
      const heading = /^#+ (.+)$/mu.exec(text(cell.source));
      if (heading !== null) assert.ok(html.includes(`>${escapeHtml(heading[1])}<`), heading[1]);
    }
  }
}

test('notebooks/ holds the three example notebooks and the data they read', () => {
  const names = readdirSync(NOTEBOOK_DIR).filter((f) => f.endsWith('.ipynb'));
  assert.deepEqual(names.sort(), [
    'finetune-writeup.ipynb',
    'precision-recall-tradeoffs.ipynb',
    'quickstart.ipynb',
  ]);
  for (const file of ['worked_85_15_10_90.csv', 'worked_ten_rows.csv', 'spam_rare_test.csv']) {
    assert.ok(existsSync(join(NOTEBOOK_DIR, 'data', file)), file);
  }
});

describe('quickstart.ipynb', () => {
  let executed: Executed;
  before(async () => {
    executed = await execute('quickstart');
  });

  test('runs whole and well-formed', () => assertWellFormed('quickstart', executed));

  test('five code cells, each after a markdown cell', () => {
    const types = executed.notebook.cells.map((c: Json) => c.cell_type);
    assert.equal(types.filter((t: string) => t === 'code').length, 5);
    types.forEach((type: string, i: number) => {
      if (type === 'code') assert.equal(types[i - 1], 'markdown');
    });
  });

  test('the comparison has the figures of notebooks/data/README.md', () => {
    const { results, notebook } = executed;
    assert.equal(named(results, 'test').rows, 914);
    const R = named(results, 'R');
    const base = model(R, 'base').metrics;
    const finetuned = model(R, 'finetuned').metrics;
    assert.equal(base.accuracy, 828 / 914);
    assert.equal(finetuned.accuracy, 890 / 914);
    assert.deepEqual([base.tp, base.fp, base.fn, base.tn], [388, 55, 31, 440]);
    assert.deepEqual([finetuned.tp, finetuned.fp, finetuned.fn, finetuned.tn], [412, 17, 7, 478]);
    assert.equal(base.f1.toFixed(4), '0.9002');
    assert.equal(finetuned.f1.toFixed(4), '0.9717');
    // And the notebook shows them.
    const compareCell = codeCells(notebook).find((c) => c.id === 'compare');
    const shown = compareCell.outputs.map((o: Json) => text(o.data?.['text/plain'] ?? '')).join('\n');
    assert.match(shown, /accuracy\s+0\.9059\s+0\.9737\s+\+0\.0678/u);
    assert.ok(compareCell.outputs.some((o: Json) => PLOTLY_MIME in (o.data ?? {})));
  });

  test('the threshold sweep picks the max-F1 points, and both checks hold', () => {
    const T = named(executed.results, 'T');
    assert.deepEqual(T.rule.kind, 'max-f1');
    assert.equal(model(T, 'base').chosen.threshold, 0.193036);
    const chosen = model(T, 'finetuned').chosen;
    assert.equal(chosen.threshold, 0.499561);
    assert.deepEqual([chosen.tp, chosen.fp, chosen.fn, chosen.tn], [413, 17, 6, 478]);
    const held = checks(executed.results);
    assert.equal(held.length, 2);
    for (const c of held) assert.equal(c.result.passed, true);
  });

  test('no errors, and the report is written into the output directory', () => {
    const errors = allOutputs(executed.notebook).filter((o) => o.output.output_type === 'error');
    assert.deepEqual(errors, []);
    const report = executed.results.find((r) => r.statement === 'report');
    assert.deepEqual(report.result.files, ['quickstart-report.html']);
    const page = readFileSync(join(executed.dir, 'quickstart-report.html'), 'utf8');
    assert.ok(page.startsWith('<!DOCTYPE html>'));
    assert.ok(page.includes('plotly.js v'));
    assert.ok(!existsSync(join(NOTEBOOK_DIR, 'quickstart-report.html')), 'nothing in the source tree');
  });
});

describe('precision-recall-tradeoffs.ipynb', () => {
  let executed: Executed;
  before(async () => {
    executed = await execute('precision-recall-tradeoffs');
  });

  test('runs whole and well-formed, without errors', () => {
    assertWellFormed('precision-recall-tradeoffs', executed);
    const errors = allOutputs(executed.notebook).filter((o) => o.output.output_type === 'error');
    assert.deepEqual(errors, []);
    for (const c of checks(executed.results)) assert.equal(c.result.passed, true, c.result.expression);
  });

  test('the worked examples come out exact, with their explanations', () => {
    const W = model(named(executed.results, 'W'), 'base').metrics;
    assert.deepEqual([W.tp, W.fn, W.fp, W.tn], [85, 15, 10, 90]);
    assert.equal(W.precision, 85 / 95);
    assert.equal(W.recall, 0.85);
    assert.ok(Math.abs(W.f1 - 170 / 195) < 1e-12);
    const X = named(executed.results, 'X');
    assert.equal(model(X, 'finetuned').metrics.f1, 1);
    assert.equal(model(X, 'base').metrics.accuracy, 0.8);
    const workedCell = codeCells(executed.notebook).find((c) => c.id === 'worked');
    const html = workedCell.outputs.map((o: Json) => text(o.data?.['text/html'] ?? '')).join('');
    assert.ok(html.includes('How the numbers are computed'));
  });

  test('the accuracy paradox: rare spam, and the majority-baseline warning', () => {
    const P = named(executed.results, 'P');
    assert.equal(P.n, 505);
    assert.equal(model(P, 'base').metrics.accuracy, 450 / 505);
    assert.equal(model(P, 'finetuned').metrics.accuracy, 488 / 505);
    assert.equal(model(P, 'base').metrics.recall, 1);
    const skewed = executed.results.find((r) => r.statement === 'compare' && r.name === null);
    const paradox = skewed.result.warnings.filter((w: Json) => w.code === 'accuracy-paradox');
    assert.equal(paradox.length, 1);
    assert.match(paradox[0].message, /always predicting 0 scores 98\.0% accuracy/u);
  });

  test('costs and targets pick the thresholds the markdown describes', () => {
    const threshold = (name: string, m?: string): number => {
      const result = named(executed.results, name);
      return (m === undefined ? result.models[0] : model(result, m)).chosen.threshold;
    };
    assert.equal(threshold('Cautious'), 0.973559);
    assert.equal(threshold('Eager'), 0.193425);
    assert.equal(threshold('P99', 'base'), 0.994598);
    assert.equal(threshold('P99', 'finetuned'), 0.973559);
    assert.equal(threshold('R99', 'base'), 0.121314);
    assert.equal(threshold('R99', 'finetuned'), 0.385389);
    const sliderCell = codeCells(executed.notebook).find((c) => c.id === 'slider');
    const figures = sliderCell.outputs.filter((o: Json) => PLOTLY_MIME in (o.data ?? {}));
    const sliders = figures.filter((o: Json) => o.data[PLOTLY_MIME].layout.sliders?.length === 1);
    assert.equal(sliders.length, 2, 'one threshold slider per model');
  });
});

describe('finetune-writeup.ipynb', () => {
  let executed: Executed;
  before(async () => {
    executed = await execute('finetune-writeup');
  });

  test('runs whole and well-formed', () => assertWellFormed('finetune-writeup', executed));

  test('loss curve, significance, broken rows, calibration and slices have the data figures', () => {
    const { results } = executed;
    const L = named(results, 'L');
    assert.equal(L.bestEpoch, 3);
    assert.equal(L.bestValLoss, 0.039997);
    assert.equal(L.overfittingStartEpoch, 4);
    const R = named(results, 'R');
    const f1 = R.deltas[0].metrics.find((m: Json) => m.metric === 'f1');
    assert.equal(f1.interval.resamples, 1000);
    assert.ok(f1.interval.lower > 0.05 && f1.interval.upper < 0.1);
    assert.ok(R.deltas[0].metrics[0].pValue < 1e-10);
    const broken = checks(results).find((c) => c.result.expression.includes('R.broken == 5'));
    assert.equal(broken.result.passed, true);
    const C = named(results, 'C');
    assert.equal(model(C, 'base').ece.toFixed(4), '0.0366');
    assert.equal(model(C, 'finetuned').ece.toFixed(4), '0.0159');
    const hardHam = named(results, 'BySource').slices.rows.find((r: Json) => r.value === 'hard_ham');
    assert.equal(hardHam.n, 75);
    assert.deepEqual(hardHam.values[0], [24 / 75, 64 / 75]);
  });

  test('every release gate holds', () => {
    const gates = checks(executed.results).filter((c) => c.result.kind === 'check');
    // The seven release gates of section 6 and the leakage ceiling of section 7.
    assert.equal(gates.length, 8);
    for (const gate of gates) assert.equal(gate.result.passed, true, gate.result.expression);
  });

  test('the leakage findings are shown and bound without failing: 274 exact, 294 normalised', () => {
    const Leak = named(executed.results, 'Leak');
    assert.equal(Leak.kind, 'leakage');
    assert.equal(Leak.leakedTestRows, 274);
    assert.equal(Leak.testRows, 914);
    assert.equal(Leak.duplicateTextCount, 159);
    assert.equal(Leak.normalized, null);
    assert.equal(named(executed.results, 'LeakNormalized').normalized.leakedTestRows, 294);
    const ceiling = checks(executed.results).find((c) =>
      c.result.expression.startsWith('Leak.leaked_test_fraction < 1/3'),
    );
    assert.equal(ceiling.result.passed, true);
    assert.deepEqual(
      ceiling.result.values.map((v: Json) => [v.path, v.value]),
      [
        ['Leak.leaked_test_fraction', 274 / 914],
        ['LeakNormalized.normalized.leaked_test_fraction', 294 / 914],
      ],
    );
  });

  test('the leakage gate fails as the markdown says: 274 exact, 294 normalised; nothing else errs', () => {
    const errors = allOutputs(executed.notebook).filter((o) => o.output.output_type === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].cell.id, 'leakage');
    assert.deepEqual(errors[0].cell.metadata.tags, ['raises-exception']);
    assert.equal(errors[0].output.ename, 'CheckFailed');
    const leakage = executed.results.find((r) => r.result?.kind === 'leakage' && r.error !== undefined);
    assert.equal(leakage.error.code, 'E0403');
    assert.equal(leakage.result.leakedTestRows, 274);
    assert.equal(leakage.result.duplicateTextCount, 159);
    assert.equal(leakage.result.normalized.leakedTestRows, 294);
    assert.ok(executed.html.includes('raises-exception'));
    assert.ok(executed.run.stderr.includes('CheckFailed (expected)'));
  });

  test('the report is written, once per run, into the output directory', () => {
    const report = executed.results.find((r) => r.statement === 'report');
    assert.deepEqual(report.result.files, ['finetune-writeup-report.html']);
    assert.ok(existsSync(join(executed.dir, 'finetune-writeup-report.html')));
  });

  test('the report includes the leakage findings, bound before it, and not the failed gate', () => {
    const report = readFileSync(join(executed.dir, 'finetune-writeup-report.html'), 'utf8');
    assert.ok(report.includes(escapeHtml('leakage train, test on text as Leak')));
    assert.ok(report.includes(escapeHtml('leakage train, test on text normalized as LeakNormalized')));
    assert.ok(!report.includes(escapeHtml('check leakage train, test on text normalized')));
  });
});
