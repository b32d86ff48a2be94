import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseThresholds } from '../../engine/analysis/index.js';
import { Rng } from '../../engine/random.js';
import { makeTable, numberColumn, stringColumn } from '../../engine/table.js';
import { PLOTLY_MIME } from '../../display/bundle.js';
import { confusionChart, rowShares } from '../../display/charts/confusion.js';
import { lossChart } from '../../display/charts/loss.js';
import { metricBarsChart } from '../../display/charts/metrics.js';
import { rocPrChart } from '../../display/charts/curves.js';
import { reliabilityChart } from '../../display/charts/reliability.js';
import { heatmapCounts, thresholdChart } from '../../display/charts/threshold.js';
import { createDisplayContext } from '../../display/context.js';
import { chartBundle, type PlotlyFigure, type PlotlyTrace } from '../../display/plotly.js';
import { render } from '../../display/render/index.js';
import { readExpected } from '../helpers/golden.js';
import * as fixtures from './fixtures.js';

type Json = Record<string, unknown>;

function traces(figure: PlotlyFigure, type: string): PlotlyTrace[] {
  return figure.data.filter((t) => t.type === type);
}

/** The figure survives JSON exactly: no typed arrays, no NaN, no undefined. */
function assertJsonSafe(figure: PlotlyFigure): void {
  assert.deepEqual(JSON.parse(JSON.stringify(figure)), figure);
  const text = JSON.stringify(figure);
  assert.ok(!text.includes('NaN'));
}

interface SliderStep {
  label: string;
  value: string;
  method: string;
  args: [
    { x: [number[], string[]]; y: [number[], string[]]; z: [null, number[][]] },
    Record<string, unknown>,
    number[],
  ];
}

function sliderSteps(figure: PlotlyFigure): { active: number; steps: SliderStep[] } {
  const sliders = figure.layout.sliders as { active: number; steps: SliderStep[] }[];
  assert.equal(sliders.length, 1);
  return sliders[0];
}

test('confusion matrices: heatmap z holds the golden counts exactly, per model', async () => {
  const expected = readExpected('binary_spam_ham');
  const result = await fixtures.spamComparison();
  const chart = render(result, { context: createDisplayContext() })[1];
  const figure = chart.data[PLOTLY_MIME] as PlotlyFigure;
  const heatmaps = traces(figure, 'heatmap');
  assert.equal(heatmaps.length, 2);
  assert.deepEqual(heatmaps[0].z, expected.models.base.confusion_matrix);
  assert.deepEqual(heatmaps[1].z, expected.models.ft.confusion_matrix);
  assert.deepEqual(heatmaps[0].x, expected.labels);
  assert.deepEqual(heatmaps[0].y, expected.labels);
  assert.equal(heatmaps[0].name, 'base');
  assert.equal(heatmaps[1].xaxis, 'x2');
  // Cells are annotated with the count and the share of the true row.
  assert.deepEqual(heatmaps[0].text, [
    ['<b>143</b><br>91.7%', '<b>13</b><br>8.3%'],
    ['<b>7</b><br>8.3%', '<b>77</b><br>91.7%'],
  ]);
  // One colour scale for all models: the largest count of any of them.
  assert.equal(heatmaps[0].zmax, 152);
  assert.equal(heatmaps[1].zmax, 152);
  const buttons = (figure.layout.updatemenus as { buttons: { args: [Json] }[] }[])[0].buttons;
  assert.deepEqual(buttons[1].args[0].z, [
    rowShares(expected.models.base.confusion_matrix),
    rowShares(expected.models.ft.confusion_matrix),
  ]);
  assertJsonSafe(figure);
  assert.match(
    String(chart.data['text/plain']),
    /base — true ham: ham 143, spam 13; true spam: ham 7, spam 77/u,
  );
});

test('confusion matrices of a multiclass comparison are k×k in label order', async () => {
  const expected = readExpected('multiclass_intent_4');
  const result = await fixtures.multiclassComparison();
  const figure = render(result, { context: createDisplayContext() })[1].data[
    PLOTLY_MIME
  ] as PlotlyFigure;
  const [base, ft] = traces(figure, 'heatmap');
  assert.deepEqual(base.z, expected.models.base.confusion_matrix);
  assert.deepEqual(ft.z, expected.models.ft.confusion_matrix);
  assert.deepEqual(base.x, expected.models.base.labels);
});

test('a confusion chart of 1,000 classes (a million cells) is built, its zmax the largest count', () => {
  const k = 1000;
  const labels = Array.from({ length: k }, (_, i) => `c${i + 1}`);
  const matrix: number[][] = labels.map((_, i) => labels.map((__, j) => (i === j ? 1 : 0)));
  matrix[k - 1][k - 1] = 7;
  const { figure } = confusionChart([{ name: 'a', labels, matrix }]);
  const [heatmap] = traces(figure, 'heatmap');
  assert.equal(heatmap.zmax, 7);
  assert.equal((heatmap.z as number[][]).length, k);
});

test('row shares: each row over its sum, null for a row with no true rows', () => {
  assert.deepEqual(
    rowShares([
      [3, 1],
      [0, 0],
    ]),
    [
      [0.75, 0.25],
      [null, null],
    ],
  );
  const chart = confusionChart([
    {
      name: 'm',
      labels: [0, 1],
      matrix: [
        [0, 0],
        [0, 0],
      ],
    },
  ]);
  const heatmap = traces(chart.figure, 'heatmap')[0];
  assert.equal(heatmap.zmax, 1, 'an all-zero matrix still has a valid colour range');
  assert.deepEqual(heatmap.x, ['0', '1']);
});

test('threshold slider: one step per sweep point, each carrying that point’s counts', async () => {
  const expected = readExpected('binary_spam_ham');
  const result = await fixtures.spamThreshold();
  const ft = result.models[1];
  const chart = thresholdChart({
    model: ft.name,
    positiveLabel: result.positiveLabel,
    n: result.n,
    sweep: ft.sweep,
    chosen: ft.chosen,
    rule: result.rule.description,
  });
  const figure = chart.figure;
  const { active, steps } = sliderSteps(figure);
  const sweep = ft.sweep;
  assert.equal(steps.length, sweep.threshold.length);
  assert.ok(steps.length > 100, 'the golden case has many distinct scores');
  const markerIndex = figure.data.findIndex((t) => t.mode === 'markers');
  const heatmapIndex = figure.data.findIndex((t) => t.type === 'heatmap');
  steps.forEach((step, i) => {
    assert.equal(step.method, 'update');
    assert.equal(step.value, String(i));
    const [data, layout, indices] = step.args;
    assert.deepEqual(indices, [markerIndex, heatmapIndex]);
    assert.deepEqual(data.z[1], [
      [sweep.tp[i], sweep.fn[i]],
      [sweep.fp[i], sweep.tn[i]],
    ]);
    assert.equal(data.z[0], null);
    assert.equal(sweep.tp[i] + sweep.fp[i] + sweep.fn[i] + sweep.tn[i], result.n);
    assert.deepEqual(data.x[0], [sweep.threshold[i], sweep.threshold[i], sweep.threshold[i]]);
    assert.deepEqual(data.y[0], [sweep.precision[i], sweep.recall[i], sweep.f1[i]]);
    assert.equal(layout['shapes[0].x0'], sweep.threshold[i]);
    assert.equal(layout['shapes[0].x1'], sweep.threshold[i]);
  });
  // The slider opens at the rule's choice: the golden best-F1 point.
  const best = expected.scores.ft.best_f1;
  assert.equal(active, sweep.chosenIndex);
  assert.equal(sweep.threshold[active], best.threshold);
  assert.deepEqual(figure.data[heatmapIndex].z, heatmapCounts(best));
  assert.deepEqual(figure.data[markerIndex].x, [best.threshold, best.threshold, best.threshold]);
  assert.deepEqual(figure.data[markerIndex].y, [best.precision, best.recall, best.f1]);
  assertJsonSafe(figure);
  assert.match(chart.text, /chosen threshold 0\.582 \(max F1\): TP 83, FP 0, FN 1, TN 156/u);
});

test('threshold slider carries F-beta and cost series when the sweep has them', async () => {
  const table = await fixtures.golden('binary_spam_ham');
  const result = analyseThresholds(table, {
    label: 'label',
    positive: 'spam',
    models: [{ name: 'finetuned', scoreColumn: 'ft_score' }],
    pick: { kind: 'min-cost', costs: { falsePositive: 1, falseNegative: 5 } },
    beta: 2,
  });
  const m = result.models[0];
  const chart = thresholdChart({
    model: m.name,
    positiveLabel: result.positiveLabel,
    n: result.n,
    sweep: m.sweep,
    chosen: m.chosen,
    rule: result.rule.description,
  });
  const names = chart.figure.data.map((t) => t.name);
  assert.ok(names.includes('F2'));
  assert.ok(names.includes('cost'));
  const cost = chart.figure.data.find((t) => t.name === 'cost');
  assert.equal(cost?.yaxis, 'y3');
  assert.deepEqual(cost?.y, m.sweep.cost);
  const { steps } = sliderSteps(chart.figure);
  const i = steps.length - 1;
  assert.deepEqual(steps[i].args[0].y[0], [
    m.sweep.precision[i],
    m.sweep.recall[i],
    m.sweep.f1[i],
    m.sweep.fbeta?.[i],
  ]);
});

test('ROC and PR curves are the engine’s thinned points, with the chosen point marked', async () => {
  const result = await fixtures.spamThreshold();
  const chart = rocPrChart(result.models, result.positives / result.n);
  const lines = chart.figure.data.filter((t) => t.mode === 'lines' && t.name !== 'random ranking');
  assert.equal(lines.length, 4);
  const [baseRoc, basePr, ftRoc] = lines;
  assert.deepEqual(baseRoc.x, result.models[0].roc.x);
  assert.deepEqual(baseRoc.y, result.models[0].roc.y);
  assert.deepEqual(basePr.x, result.models[0].pr.x);
  assert.deepEqual(ftRoc.y, result.models[1].roc.y);
  assert.match(String(baseRoc.name), /^base \(AUC 0\.9723, AP 0\.9590\)$/u);
  const markers = chart.figure.data.filter((t) => t.mode === 'markers');
  assert.equal(markers.length, 4);
  const roc = result.models[1].roc;
  const k = roc.chosenIndex ?? -1;
  assert.deepEqual(markers[2].x, [roc.x[k]]);
  assert.deepEqual(markers[2].y, [roc.y[k]]);
  const reference = chart.figure.data.filter((t) => t.name === 'random ranking');
  assert.deepEqual(reference[1].y, [84 / 240, 84 / 240]);
});

test('reliability diagram: the non-empty bins, the diagonal, ECE in the legend', async () => {
  const expected = readExpected('calibration_10_bins');
  const result = await fixtures.calibrationResult();
  const chart = reliabilityChart(result.models);
  const lines = chart.figure.data.filter((t) => t.mode === 'lines+markers');
  assert.equal(lines.length, 2);
  assert.equal(lines[0].name, 'base (ECE 0.1277)');
  assert.equal(lines[1].name, 'finetuned (ECE 0.0420)');
  const close = (a: unknown, b: readonly number[]): void => {
    const values = a as number[];
    assert.equal(values.length, b.length);
    values.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-12));
  };
  close(lines[0].y, expected.models.base.sklearn_prob_true);
  close(lines[0].x, expected.models.base.sklearn_prob_pred);
  const bars = traces(chart.figure, 'bar');
  assert.deepEqual(
    bars[0].y,
    expected.models.base.bins.map((b: { count: number }) => b.count),
  );
  assert.deepEqual(chart.figure.data[0].x, [0, 1]);
  assert.match(
    String((chart.figure.layout.title as Json).text),
    /ECE base 0\.1277, finetuned 0\.0420/u,
  );
});

test('loss curves mark the best epoch, the overfitting band and early stopping', async () => {
  const expected = readExpected('loss_log_early_stopping');
  const result = await fixtures.lossResult();
  const chart = lossChart(result);
  const star = chart.figure.data.find((t) => t.name === 'best epoch');
  assert.deepEqual(star?.x, [expected.best_epoch]);
  assert.deepEqual(star?.y, [expected.best_val_loss]);
  const shapes = chart.figure.layout.shapes as Json[];
  assert.equal(shapes[0].x0, expected.best_epoch);
  const band = shapes.find((s) => s.type === 'rect');
  assert.equal(band?.x0, result.overfittingStartEpoch);
  assert.equal(band?.x1, expected.epochs);
  assert.ok(shapes.some((s) => s.x0 === expected.early_stop_epoch_patience_3));
  assert.equal(chart.figure.data[1].y instanceof Array, true);
  assert.equal((chart.figure.data[1].y as number[]).length, expected.epochs);
});

test('metric bars: error bars are the delta intervals, and only where there is one', () => {
  const chart = metricBarsChart({
    metrics: ['accuracy', 'brier'],
    higherIsBetter: [true, false],
    models: [
      { name: 'base', values: [0.8, 0.2] },
      { name: 'ft', values: [0.9, 0.1] },
    ],
    deltas: [
      {
        name: 'ft',
        deltas: [0.1, -0.1],
        intervals: [{ lower: 0.05, upper: 0.2, confidence: 0.95 }, null],
      },
    ],
  });
  const bars = traces(chart.figure, 'bar');
  assert.equal(bars.length, 4);
  assert.deepEqual(bars[0].x, ['accuracy', 'brier ↓']);
  const withError = bars[2];
  assert.deepEqual(withError.y, [0.1, null]);
  const errorY = withError.error_y as Json;
  assert.ok(Math.abs((errorY.array as number[])[0] - 0.1) < 1e-15);
  assert.ok(Math.abs((errorY.arrayminus as number[])[0] - 0.05) < 1e-15);
  assert.deepEqual(bars[3].y, [null, -0.1]);
  assert.deepEqual(bars[3].error_y, { visible: false });
  assert.equal(withError.offsetgroup, bars[3].offsetgroup);
  assert.match(
    chart.text,
    /accuracy: base 0\.8000, ft 0\.9000, Δ ft \+0\.1000 \[\+0\.0500, \+0\.2000\]/u,
  );
});

test('chart bundles: plotly.js travels with the first chart of a context only', async () => {
  const result = await fixtures.spamThreshold();
  const context = createDisplayContext();
  const bundles = render(result, { context });
  const charts = bundles.filter((b) => PLOTLY_MIME in b.data);
  assert.equal(charts.length, 3);
  const html = charts.map((b) => String(b.data['text/html']));
  assert.ok(html[0].includes('plotly.js v'));
  assert.ok(!html[1].includes('plotly.js v'));
  assert.ok(!html[2].includes('plotly.js v'));
  assert.equal(context.plotlyIncluded, true);
  assert.equal(context.nextChartNumber, 4);
  for (const h of html) {
    assert.match(h, /window\.Plotly\.newPlot\(el,fig\.data,fig\.layout,fig\.config\)/u);
    assert.match(h, /<div id="evalbook-chart-\d+-[0-9a-f]{10}" class="evalbook-plot"/u);
    assert.equal(h.match(/<style>/gu)?.length, 1);
  }
  const none = createDisplayContext({ includePlotlyJs: 'none' });
  const quiet = render(result, { context: none }).filter((b) => PLOTLY_MIME in b.data);
  assert.ok(quiet.every((b) => !String(b.data['text/html']).includes('plotly.js v')));
  assert.equal(none.plotlyIncluded, false);
  const already = createDisplayContext({ plotlyIncluded: true });
  assert.ok(
    !String(chartBundle(rocPrChart(result.models, null), already).data['text/html']).includes(
      'plotly.js v',
    ),
  );
});

test('the same result renders to the same bytes, chart ids included', async () => {
  const result = await fixtures.spamComparison();
  const a = JSON.stringify(render(result, { context: createDisplayContext() }));
  const b = JSON.stringify(render(result, { context: createDisplayContext() }));
  assert.equal(a, b);
});

test('a big sweep embeds only the engine’s thinned points', async (t) => {
  // 200,000 rows with distinct scores: 200,001 thresholds before thinning.
  const n = 200_000;
  const rng = new Rng(11);
  const scores = new Float64Array(n);
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const positive = rng.nextFloat() < 0.3;
    labels.push(positive ? 'spam' : 'ham');
    scores[i] = Math.min(1, Math.max(0, (positive ? 0.62 : 0.38) + (rng.nextFloat() - 0.5) * 0.9));
  }
  const table = makeTable([stringColumn('label', labels), numberColumn('score', scores)]);
  const result = analyseThresholds(table, {
    label: 'label',
    positive: 'spam',
    models: [{ name: 'model', scoreColumn: 'score' }],
  });
  const m = result.models[0];
  assert.ok(m.sweep.originalPoints > 100_000);
  assert.ok(m.sweep.threshold.length <= 2000);
  const bundles = render(result, { context: createDisplayContext({ includePlotlyJs: 'none' }) });
  const slider = bundles[2].data[PLOTLY_MIME] as PlotlyFigure;
  assert.equal(sliderSteps(slider).steps.length, m.sweep.threshold.length);
  const sizes = bundles.map((b) => JSON.stringify(b.data).length);
  const total = sizes.reduce((a, b) => a + b, 0);
  t.diagnostic(
    `sweep ${m.sweep.originalPoints} → ${m.sweep.threshold.length} points; bundle bytes ${sizes.join(', ')} (total ${total})`,
  );
  // Two representations of each figure (JSON and HTML fallback): about 1.5 MB in all.
  assert.ok(total < 3_000_000, `bundles total ${total} bytes`);
});
