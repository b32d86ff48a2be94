import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  ClassificationComparison,
  ComparisonResult,
  TableSummary,
} from '../../engine/analysis/index.js';
import { PLOTLY_MIME, type DisplayBundle } from '../../display/bundle.js';
import { createDisplayContext } from '../../display/context.js';
import { escapeHtml } from '../../display/html.js';
import type { PlotlyFigure } from '../../display/plotly.js';
import { render, type Renderable } from '../../display/render/index.js';
import { makeTable, numberColumn } from '../../engine/table.js';
import { readExpected } from '../helpers/golden.js';
import * as fixtures from './fixtures.js';
import { PAYLOADS, assertEscaped } from './payloads.js';

function bundles(result: Renderable, explain = false): DisplayBundle[] {
  return render(result, { context: createDisplayContext({ includePlotlyJs: 'none' }), explain });
}

function plain(b: DisplayBundle): string {
  return String(b.data['text/plain']);
}

function html(b: DisplayBundle): string {
  return String(b.data['text/html']);
}

function markdown(b: DisplayBundle): string {
  return String(b.data['text/markdown']);
}

/** The cells of the `nth` plain-text table row whose first cell is `first`. */
function row(text: string, first: string, nth = 0): string[] {
  const line = text.split('\n').filter((l) => l.startsWith(`${first} `))[nth];
  assert.ok(line !== undefined, `no row ${nth} starting with ${first}`);
  return line.trim().split(/\s{2,}/u);
}

test('compare (binary): golden numbers in plain text, HTML and markdown, then two charts', async () => {
  const expected = readExpected('binary_spam_ham');
  const result = await fixtures.spamComparison();
  const out = bundles(result);
  assert.equal(out.length, 3);
  assert.deepEqual(
    out.map((b) => Object.keys(b.data).sort()),
    [
      ['text/html', 'text/markdown', 'text/plain'],
      [PLOTLY_MIME, 'text/html', 'text/plain'],
      [PLOTLY_MIME, 'text/html', 'text/plain'],
    ],
  );
  const text = plain(out[0]);
  assert.ok(text.startsWith('compare on test: base vs finetuned\n\n'));
  const f1 = row(text, 'f1');
  assert.equal(f1[1], expected.models.base.f1.toFixed(4));
  assert.equal(f1[2], expected.models.ft.f1.toFixed(4));
  assert.equal(f1[3], '+0.0857');
  const accuracy = row(text, 'accuracy');
  assert.equal(accuracy.at(-1), '0.004', 'McNemar exact p of the golden case, 0.00408');
  assert.equal(row(text, 'finetuned vs base').slice(1, 5).join(' '), '215 20 5 0');
  assert.deepEqual(row(text, 'base').slice(1), ['77', '13', '7', '143', '90']);
  // Every warning of the result, as its own line, marked with its severity.
  assert.ok(result.warnings.length > 0);
  for (const w of result.warnings) {
    assert.ok(text.split('\n').includes(`${w.severity}: ${w.message}`), w.code);
    const block = w.severity === 'warning' ? 'evalbook-warnings' : 'evalbook-notes';
    const start = html(out[0]).indexOf(`<div class="${block}"`);
    assert.ok(start >= 0 && html(out[0]).indexOf(escapeHtml(w.message), start) > start, w.code);
  }
  assert.ok(
    !text.includes('How the numbers are computed'),
    'plain text has formulas only on request',
  );
  const h = html(out[0]);
  assert.ok(h.includes('<td class="evalbook-right">0.8851</td>'));
  assert.ok(h.includes('<td class="evalbook-right evalbook-good">+0.0857</td>'));
  assert.ok(h.includes('<details class="evalbook-explain">'));
  assert.ok(h.includes('77 / (77 + 13) = '));
  assert.equal(h.match(/<style>/gu)?.length, 1);
  assert.ok(markdown(out[0]).includes('| f1 | 0.8851 | 0.9708 | +0.0857 |'));
  const first = result.warnings[0];
  const tag = first.severity === 'warning' ? 'Warning' : 'Note';
  assert.ok(markdown(out[0]).includes(`> **${tag}:** ${first.message.slice(0, 40)}`));
});

test('explain: formulas with the numbers put in, in plain text when asked for', async () => {
  const result = await fixtures.workedExampleComparison();
  const text = plain(bundles(result, true)[0]);
  assert.match(text, /How the numbers are computed:\n {2}base — TP \d+, FP \d+, FN \d+, TN \d+/u);
  assert.ok(text.includes('    precision = TP / (TP + FP) = 85 / (85 + 10) = 0.8947'));
  assert.ok(text.includes('    recall = TP / (TP + FN) = 85 / (85 + 15) = 0.8500'));
  assert.ok(text.includes('= 0.8718'), 'F1 of the worked example');
});

test('compare (multiclass): per-class table and both confusion matrices', async () => {
  const expected = readExpected('multiclass_intent_4');
  const result = await fixtures.multiclassComparison();
  const out = bundles(result);
  const text = plain(out[0]);
  const billing = row(text, 'billing');
  const cls = expected.models.base.per_class[0];
  assert.equal(billing[1], String(cls.support));
  assert.equal(billing[2], cls.precision.toFixed(4));
  assert.equal(billing[3], cls.recall.toFixed(4));
  assert.match(
    text,
    /Multiclass classification of label \(4 labels, macro averages\) on 300 rows\./u,
  );
  assert.match(text, /accuracy +0\.7600 +0\.8800 +\+0\.1200 +< 0\.001/u);
  assert.equal(out.length, 3);
});

test('compare (regression): metric table with lower-is-better marks, no confusion chart', async () => {
  const expected = readExpected('regression_basic');
  const result = await fixtures.regressionComparison();
  const out = bundles(result);
  assert.equal(out.length, 1);
  const text = plain(out[0]);
  assert.equal(row(text, 'mse (lower is better)')[1], expected.models.base.mse.toFixed(4));
  assert.equal(row(text, 'r2')[2], expected.models.ft.r2.toFixed(4));
  assert.ok(html(out[0]).includes('evalbook-good'));
});

test('threshold: the chosen points, their counts, ROC/PR and one slider per model', async () => {
  const expected = readExpected('binary_spam_ham');
  const result = await fixtures.spamThreshold();
  const out = bundles(result, true);
  assert.equal(out.length, 4);
  const text = plain(out[0]);
  const best = expected.scores.ft.best_f1;
  assert.deepEqual(row(text, 'finetuned').slice(1), ['ft_score', '0.9997', '0.9995']);
  assert.deepEqual(row(text, 'finetuned', 1).slice(1), [
    '0.582',
    '1.0000',
    best.recall.toFixed(4),
    best.f1.toFixed(4),
    '1.0000',
    '0.9958',
    '83',
    '0',
    '1',
    '156',
  ]);
  assert.ok(text.includes('finetuned at threshold 0.582 — TP 83, FP 0, FN 1, TN 156'));
  const picked = result.warnings.find((w) => w.code === 'threshold-on-evaluation-rows');
  assert.ok(picked !== undefined && picked.severity === 'warning');
  assert.ok(text.split('\n').includes(`warning: ${picked.message}`));
  const sliders = out.slice(2).map((b) => (b.data[PLOTLY_MIME] as PlotlyFigure).layout.sliders);
  assert.ok(sliders.every((s) => Array.isArray(s) && s.length === 1));
  assert.match(
    plain(out[3]),
    /^finetuned: metrics against threshold, a slider over \d+ thresholds/u,
  );
});

test('calibration, loss curves, leakage, split, slices, table summary: their key numbers', async () => {
  const calibration = plain(bundles(await fixtures.calibrationResult())[0]);
  assert.deepEqual(row(calibration, 'base').slice(2, 5), ['0.1277', '0.2279', '0.2024']);
  assert.deepEqual(row(calibration, 'finetuned').slice(2, 3), ['0.0420']);
  assert.ok(calibration.includes('[0, 0.1]'));

  const lossResult = await fixtures.lossResult();
  const loss = bundles(lossResult);
  assert.equal(loss.length, 2);
  assert.match(plain(loss[0]), /best epoch: 6 {3}best val loss: 0\.5176/u);
  const overfitting = lossResult.warnings.find((w) => w.code === 'overfitting');
  assert.ok(overfitting !== undefined);
  assert.ok(plain(loss[0]).split('\n').includes(`${overfitting.severity}: ${overfitting.message}`));
  assert.ok(html(loss[0]).includes('evalbook-keyfigure'));

  const leakage = plain(bundles(await fixtures.leakageResult())[0]);
  assert.ok(
    leakage.includes(
      '7 rows of test (11.67%) share their text with train (exact match): 7 distinct values.',
    ),
  );
  assert.deepEqual(row(leakage, 'Click loan draft offer winner win deal.').slice(1), [
    'tr-0104',
    'te-0031',
  ]);

  const split = plain(bundles(await fixtures.splitResult())[0]);
  assert.deepEqual(row(split, 'train'), [
    'train',
    '800',
    '80.0%',
    '400 (50.0%)',
    '240 (30.0%)',
    '120 (15.0%)',
    '40 (5.0%)',
  ]);
  assert.deepEqual(row(split, 'all').slice(0, 3), ['all', '1,000', '100.0%']);

  const slices = plain(bundles(await fixtures.sliceResult())[0]);
  assert.deepEqual(row(slices, 'billing'), ['billing', '500', '50.0%']);

  const summary = plain(bundles(await fixtures.tableSummaryResult())[0]);
  assert.ok(summary.startsWith('test: 240 rows × 7 columns\n'));
  assert.match(
    summary,
    /SHA-256 46b0462207e0f4d996df01bd42176c5d09b8ed7a051b9e65c4e56ba731216d34/u,
  );
  assert.deepEqual(row(summary, 'label').slice(1), [
    'text',
    '0',
    '2 distinct; ham (156), spam (84)',
  ]);
  assert.deepEqual(row(summary, 'text').slice(3), ['240 distinct, each once']);
});

test('check outcomes: passed and failed', () => {
  const passed = bundles({
    kind: 'check',
    expression: 'R.ft.f1 > 0.9',
    passed: true,
    detail: '0.97 > 0.9',
  });
  assert.equal(plain(passed[0]), 'check R.ft.f1 > 0.9: passed\n\n0.97 > 0.9');
  const failed = bundles({
    kind: 'check',
    expression: 'R.ft.f1 > 0.99',
    passed: false,
    detail: null,
  });
  assert.equal(
    plain(failed[0]),
    'check R.ft.f1 > 0.99: FAILED\n\nwarning: check failed: R.ft.f1 > 0.99',
  );
  assert.ok(html(failed[0]).includes('R.ft.f1 &gt; 0.99'));
});

/** Replaces every model name, label and column name of a comparison with hostile strings. */
function hostile(result: ClassificationComparison, payload: string): ComparisonResult {
  const clone = JSON.parse(JSON.stringify(result)) as ClassificationComparison;
  const rename = (name: string): string => (name === 'base' ? `${payload} base` : `${payload} ft`);
  const models = clone.models.map((m) => ({
    ...m,
    name: rename(m.name),
    metrics: { ...m.metrics, labels: m.metrics.labels.map((l) => `${payload}${l}`) },
  })) as unknown as ClassificationComparison['models'];
  return {
    ...clone,
    table: payload,
    labelColumn: payload,
    textColumn: payload,
    positiveLabel: `${payload}spam`,
    models,
    metricTable: { ...clone.metricTable, models: clone.metricTable.models.map(rename) },
    deltas: clone.deltas.map((d) => ({
      ...d,
      model: rename(d.model),
      reference: rename(d.reference),
      headline: `${payload} headline`,
    })),
    warnings: clone.warnings.map((w) => ({ ...w, message: `${payload} warning` })),
  };
}

test('every user-supplied string is escaped in HTML, in Plotly text and in scripts', async () => {
  const result = (await fixtures.spamComparison()) as ClassificationComparison;
  for (const payload of PAYLOADS) {
    const out = bundles(hostile(result, payload));
    assertEscaped(html(out[0]), payload);
    assert.ok(!html(out[0]).includes('<script'), 'the tables bundle has no script at all');
    for (const chart of out.slice(1)) {
      const h = html(chart);
      // The only script elements are the chart's own; the figure's strings cannot close them.
      const scripts = h.split('<script').length - 1;
      assert.equal(scripts, h.split('</script>').length - 1);
      assert.equal(scripts, 1);
      const body = h.slice(h.indexOf('<script'), h.lastIndexOf('</script>'));
      assert.ok(!body.slice(1).includes('<'), 'no raw "<" inside the drawing script');
      const figure = JSON.stringify(chart.data[PLOTLY_MIME]);
      if (payload.includes('<'))
        assert.ok(!figure.includes(payload), 'Plotly text is entity-escaped');
    }
  }
  const summary = JSON.parse(JSON.stringify(await fixtures.tableSummaryResult())) as TableSummary;
  const renamed: TableSummary = {
    ...summary,
    name: PAYLOADS[0],
    columns: summary.columns.map((c) => ({ ...c, name: PAYLOADS[2] })),
    preview: { ...summary.preview, columns: summary.preview.columns.map(() => PAYLOADS[1]) },
    source: { ...summary.source, path: PAYLOADS[3] },
  };
  const h = html(bundles(renamed)[0]);
  for (const payload of [PAYLOADS[0], PAYLOADS[1], PAYLOADS[2], PAYLOADS[3]])
    assertEscaped(h, payload);
  assert.ok(h.includes(escapeHtml('file " onmouseover="alert(1)')));
});

test('edge cases render whole: no positives, one row, a class never predicted, empty bins', async () => {
  const { analyseThresholds, calibrationAnalysis, compareModels } =
    await import('../../engine/analysis/index.js');
  // No positive rows: max F1 finds no threshold; the slider still covers every score.
  const noPositives = makeTable([
    numberColumn('label', [0, 0, 0, 0]),
    numberColumn('ft_score', [0.1, 0.4, 0.35, 0.8]),
  ]);
  const threshold = analyseThresholds(noPositives, {
    label: 'label',
    positive: 1,
    models: [{ name: 'finetuned', scoreColumn: 'ft_score' }],
  });
  assert.equal(threshold.models[0].chosen, null);
  const out = bundles(threshold);
  const text = plain(out[0]);
  assert.match(text, /finetuned: no threshold found — /u);
  assert.deepEqual(row(text, 'finetuned', 1).slice(1, 3), ['not found', 'n/a']);
  const slider = out.at(-1)?.data[PLOTLY_MIME] as PlotlyFigure;
  const sliders = slider.layout.sliders as { steps: unknown[] }[];
  assert.equal(sliders[0].steps.length, threshold.models[0].sweep.threshold.length);

  // One row.
  const single = compareModels(await fixtures.golden('single_row'), {
    label: 'label',
    positive: 1,
    models: [
      { name: 'base', predictionColumn: 'base_pred' },
      { name: 'finetuned', predictionColumn: 'ft_pred' },
    ],
  });
  assert.match(plain(bundles(single)[0]), /on 1 row\./u);

  // A class the base model never predicts: its precision is 0/0.
  const never = compareModels(await fixtures.golden('multiclass_class_never_predicted'), {
    label: 'label',
    models: [
      { name: 'base', predictionColumn: 'base_pred' },
      { name: 'finetuned', predictionColumn: 'ft_pred' },
    ],
  });
  const neverText = plain(bundles(never)[0]);
  assert.ok(neverText.includes('Per class (P precision, R recall)'));

  // Calibration with 20 bins leaves some empty: they show as 0 rows and n/a means.
  const calibration = calibrationAnalysis(await fixtures.golden('scores_with_ties'), {
    label: 'label',
    positive: 1,
    models: [{ name: 'finetuned', scoreColumn: 'ft_score' }],
    bins: 20,
  });
  const empty = calibration.models[0].bins.filter((b) => b.count === 0).length;
  assert.ok(empty > 0);
  const calText = plain(bundles(calibration)[0]);
  assert.equal(calText.split('\n').filter((l) => /^\S.*\s0\s+n\/a\s+n\/a$/u.test(l)).length, empty);
});
