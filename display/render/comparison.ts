/**
 * `compare`: metrics side by side with deltas, intervals and p-values; the paired summary
 * (fixed, broken, McNemar); per-class metrics or confusion counts; fixed and broken examples;
 * per-slice metrics; warnings and formulas. Charts: confusion matrices side by side, metric
 * bars with the deltas' intervals, per-slice bars.
 */
import type {
  ClassificationComparison,
  ComparisonResult,
  ExampleRow,
  ModelDelta,
  PairedSummary,
  SliceTable,
} from '../../engine/analysis/types.js';
import { confusionChart } from '../charts/confusion.js';
import { metricBarsChart } from '../charts/metrics.js';
import { sliceChart } from '../charts/slices.js';
import {
  MISSING,
  formatCount,
  formatDelta,
  formatDeltaInterval,
  formatMetric,
  formatPValue,
  formatPercent,
  labelText,
  plural,
} from '../format.js';
import type { Tone } from '../html.js';
import type { Chart } from '../plotly.js';
import type { CellInput, TableColumn, TableSpec } from '../table.js';
import { viewWarnings, type Section } from '../view.js';
import type { Renderer } from './renderer.js';

/** Metrics left out of the bar chart: unbounded, so they would flatten every other bar. */
const UNBOUNDED_METRICS: ReadonlySet<string> = new Set(['log_loss']);

/** Per-slice tables list at most this many metrics (the chart has all of them). */
const SLICE_TABLE_METRICS = 4;

/** How long a text example may be in a table cell before it is cut (full text in a tooltip). */
const EXAMPLE_TEXT_MAX = 160;

function deltaTone(delta: number | null, higherIsBetter: boolean): Tone | undefined {
  if (delta === null || delta === 0) return undefined;
  return delta > 0 === higherIsBetter ? 'good' : 'bad';
}

function deltaCell(delta: number | null, higherIsBetter: boolean): CellInput {
  const tone = deltaTone(delta, higherIsBetter);
  return tone === undefined ? formatDelta(delta) : { text: formatDelta(delta), tone };
}

function metricsTable(result: ComparisonResult): TableSpec {
  const { metricTable, deltas } = result;
  const several = deltas.length > 1;
  const hasInterval = deltas.map((d) => d.metrics.some((m) => m.interval !== null));
  const hasP = deltas.map((d) => d.metrics.some((m) => m.pValue !== null));
  const confidence = deltas
    .flatMap((d) => d.metrics.flatMap((m) => (m.interval === null ? [] : [m.interval.confidence])))
    .at(0);
  const ciHeader = confidence === undefined ? 'CI' : `${formatPercent(confidence, 0)} CI`;
  const columns: TableColumn[] = [{ header: 'metric' }];
  for (const model of metricTable.models) columns.push({ header: model, align: 'right' });
  deltas.forEach((d, i) => {
    columns.push({ header: `Δ ${d.model}`, align: 'right' });
    if (hasInterval[i])
      columns.push({ header: several ? `${ciHeader} ${d.model}` : ciHeader, align: 'right' });
    if (hasP[i]) columns.push({ header: several ? `p ${d.model}` : 'p', align: 'right' });
  });
  const rows = metricTable.metrics.map((metric, m) => {
    const cells: CellInput[] = [
      metricTable.higherIsBetter[m] ? metric : { text: `${metric} (lower is better)` },
    ];
    for (const value of metricTable.values[m]) cells.push(formatMetric(value));
    deltas.forEach((d, i) => {
      const md = d.metrics[m];
      cells.push(deltaCell(md.delta, md.higherIsBetter));
      if (hasInterval[i]) {
        cells.push(
          md.interval === null
            ? MISSING
            : formatDeltaInterval(md.interval.lower, md.interval.upper),
        );
      }
      if (hasP[i]) cells.push(md.pValue === null ? MISSING : formatPValue(md.pValue));
    });
    return cells;
  });
  const interval = deltas.flatMap((d) => d.metrics).find((m) => m.interval !== null)?.interval;
  const footnote =
    interval === undefined || interval === null
      ? undefined
      : `Intervals: paired bootstrap, ${formatCount(interval.resamples)} resamples, seed ${interval.seed}; p: McNemar's exact test on accuracy.`;
  return { columns, rows, footnote };
}

function pairedTable(deltas: readonly ModelDelta[]): TableSpec | null {
  const withPaired = deltas.filter(
    (d): d is ModelDelta & { paired: PairedSummary } => d.paired !== null,
  );
  if (withPaired.length === 0) return null;
  const hasMcnemar = withPaired.some((d) => d.paired.mcnemar !== null);
  const columns: TableColumn[] = [
    { header: 'model vs reference' },
    { header: 'both right', align: 'right' },
    { header: 'fixed', align: 'right' },
    { header: 'broken', align: 'right' },
    { header: 'both wrong', align: 'right' },
  ];
  if (hasMcnemar) {
    columns.push(
      { header: 'McNemar exact p', align: 'right' },
      { header: 'χ² (corrected)', align: 'right' },
      { header: 'χ² p', align: 'right' },
    );
  }
  const rows = withPaired.map((d) => {
    const p = d.paired;
    const cells: CellInput[] = [
      `${d.model} vs ${d.reference}`,
      formatCount(p.bothCorrect),
      p.fixed > 0 ? { text: formatCount(p.fixed), tone: 'good' } : formatCount(p.fixed),
      p.broken > 0 ? { text: formatCount(p.broken), tone: 'bad' } : formatCount(p.broken),
      formatCount(p.bothWrong),
    ];
    if (hasMcnemar) {
      const mc = p.mcnemar;
      cells.push(
        mc === null ? MISSING : formatPValue(mc.exactP),
        mc === null ? MISSING : formatMetric(mc.chiSquare),
        mc === null || mc.chiSquareP === null ? MISSING : formatPValue(mc.chiSquareP),
      );
    }
    return cells;
  });
  return {
    caption: 'Paired: the same rows, right or wrong under each model',
    columns,
    rows,
    footnote: 'fixed: the reference was wrong and the model right; broken: the other way round.',
  };
}

function countsTable(result: ClassificationComparison): TableSpec | null {
  if (result.task !== 'binary') return null;
  const rows = result.models.flatMap((model) => {
    const m = model.metrics;
    if (m.task !== 'binary') return [];
    return [
      [
        model.name,
        formatCount(m.tp),
        formatCount(m.fp),
        formatCount(m.fn),
        formatCount(m.tn),
        formatCount(m.predicted.positive),
      ],
    ];
  });
  return {
    caption: `Confusion counts (positive: ${labelText(result.positiveLabel)})`,
    columns: [
      { header: 'model' },
      { header: 'TP', align: 'right' },
      { header: 'FP', align: 'right' },
      { header: 'FN', align: 'right' },
      { header: 'TN', align: 'right' },
      { header: 'predicted positive', align: 'right' },
    ],
    rows,
  };
}

function perClassTable(result: ClassificationComparison): TableSpec | null {
  if (result.task !== 'multiclass') return null;
  const { perClass } = result;
  const columns: TableColumn[] = [{ header: 'label' }, { header: 'support', align: 'right' }];
  for (const model of perClass.models) {
    columns.push(
      { header: `${model} P`, align: 'right' },
      { header: `${model} R`, align: 'right' },
      { header: `${model} F1`, align: 'right' },
    );
  }
  const rows = perClass.rows.map((row) => {
    const cells: CellInput[] = [labelText(row.label), formatCount(row.support)];
    for (const m of row.models) {
      if (m === null) cells.push(MISSING, MISSING, MISSING);
      else cells.push(formatMetric(m.precision), formatMetric(m.recall), formatMetric(m.f1));
    }
    return cells;
  });
  return {
    caption: 'Per class (P precision, R recall)',
    columns,
    rows,
    footnote: `${MISSING}: the label occurs neither in the truth nor in that model's predictions.`,
  };
}

function shortText(text: string): CellInput {
  if (text.length <= EXAMPLE_TEXT_MAX) return text;
  return { text: `${text.slice(0, EXAMPLE_TEXT_MAX - 1)}…`, title: text };
}

function examplesTable(
  result: ComparisonResult,
  delta: ModelDelta,
  kind: 'fixed' | 'broken',
): TableSpec | null {
  const paired = delta.paired;
  if (paired === null) return null;
  const examples: readonly ExampleRow[] =
    kind === 'fixed' ? paired.fixedExamples : paired.brokenExamples;
  const total = kind === 'fixed' ? paired.fixed : paired.broken;
  if (examples.length === 0) return null;
  const withScores = examples.some((e) => e.referenceScore !== null || e.modelScore !== null);
  const columns: TableColumn[] = [{ header: 'row', align: 'right' }];
  if (result.idColumn !== null) columns.push({ header: result.idColumn });
  if (result.textColumn !== null) columns.push({ header: result.textColumn, wrap: true });
  columns.push(
    { header: result.labelColumn },
    { header: delta.reference },
    { header: delta.model },
  );
  if (withScores) {
    columns.push(
      { header: `${delta.reference} score`, align: 'right' },
      { header: `${delta.model} score`, align: 'right' },
    );
  }
  const rows = examples.map((e) => {
    const cells: CellInput[] = [String(e.row)];
    if (result.idColumn !== null) cells.push(labelText(e.id));
    if (result.textColumn !== null) cells.push(e.text === null ? MISSING : shortText(e.text));
    cells.push(
      labelText(e.label),
      { text: labelText(e.referencePrediction), tone: kind === 'fixed' ? 'bad' : 'good' },
      { text: labelText(e.modelPrediction), tone: kind === 'fixed' ? 'good' : 'bad' },
    );
    if (withScores) cells.push(formatMetric(e.referenceScore), formatMetric(e.modelScore));
    return cells;
  });
  const what =
    kind === 'fixed'
      ? `Fixed by ${delta.model} (${delta.reference} wrong, ${delta.model} right)`
      : `Broken by ${delta.model} (${delta.reference} right, ${delta.model} wrong)`;
  const shown =
    examples.length < total
      ? `first ${formatCount(examples.length)} of ${formatCount(total)}`
      : formatCount(total);
  return { caption: `${what}: ${shown}`, columns, rows };
}

/** The per-slice table (first few metrics); shared with nothing else, exported for tests. */
function sliceTableSpec(slices: SliceTable): TableSpec {
  const metrics = slices.metrics.slice(0, SLICE_TABLE_METRICS);
  const columns: TableColumn[] = [{ header: slices.column }, { header: 'rows', align: 'right' }];
  for (const metric of metrics) {
    for (const model of slices.models)
      columns.push({ header: `${metric} ${model}`, align: 'right' });
  }
  const rows = slices.rows.map((row) => {
    const cells: CellInput[] = [labelText(row.value), formatCount(row.n)];
    metrics.forEach((_, m) => {
      for (let j = 0; j < slices.models.length; j++) cells.push(formatMetric(row.values[m][j]));
    });
    return cells;
  });
  const notes: string[] = [];
  if (slices.metrics.length > metrics.length) {
    notes.push(`${slices.metrics.length - metrics.length} more metrics in the chart`);
  }
  if (slices.omitted > 0) notes.push(`${plural(slices.omitted, 'smaller slice')} not listed`);
  return {
    caption: `By ${slices.column}`,
    columns,
    rows,
    footnote: notes.length > 0 ? `${notes.join('; ')}.` : undefined,
  };
}

function comparisonCharts(result: ComparisonResult): Chart[] {
  const charts: Chart[] = [];
  if (result.task !== 'regression') {
    charts.push(
      confusionChart(
        result.models.map((m) => ({
          name: m.name,
          labels: m.metrics.labels,
          matrix: m.metrics.confusionMatrix,
        })),
      ),
    );
    const { metricTable } = result;
    const kept = metricTable.metrics
      .map((metric, m) => ({ metric, m }))
      .filter(({ metric }) => !UNBOUNDED_METRICS.has(metric));
    if (kept.length > 0) {
      charts.push(
        metricBarsChart({
          metrics: kept.map((k) => k.metric),
          higherIsBetter: kept.map((k) => metricTable.higherIsBetter[k.m]),
          models: metricTable.models.map((name, j) => ({
            name,
            values: kept.map((k) => metricTable.values[k.m][j]),
          })),
          deltas: result.deltas.map((d) => ({
            name: d.model,
            deltas: kept.map((k) => d.metrics[k.m].delta),
            intervals: kept.map((k) => d.metrics[k.m].interval),
          })),
        }),
      );
    }
  }
  if (result.slices !== null && result.slices.rows.length > 0)
    charts.push(sliceChart(result.slices));
  return charts;
}

function comparisonTitle(result: ComparisonResult): string {
  const on = result.table === null ? '' : ` on ${result.table}`;
  return `compare${on}: ${result.metricTable.models.join(' vs ')}`;
}

function describeTask(result: ComparisonResult): string {
  const rows = plural(result.n, 'row');
  if (result.task === 'regression') return `Regression of ${result.labelColumn} on ${rows}.`;
  if (result.task === 'binary') {
    return `Binary classification of ${result.labelColumn} (positive: ${labelText(result.positiveLabel)}) on ${rows}.`;
  }
  return (
    `Multiclass classification of ${result.labelColumn} (${result.labels.length} labels, ` +
    `${result.average} averages) on ${rows}.`
  );
}

export const describeComparison: Renderer<ComparisonResult> = (result) => {
  const sections: Section[] = [
    { type: 'sentences', lines: [describeTask(result), ...result.deltas.map((d) => d.headline)] },
    { type: 'table', table: metricsTable(result) },
  ];
  const paired = pairedTable(result.deltas);
  if (paired !== null) sections.push({ type: 'table', table: paired });
  if (result.task !== 'regression') {
    const counts = countsTable(result);
    if (counts !== null) sections.push({ type: 'table', table: counts });
    const perClass = perClassTable(result);
    if (perClass !== null) sections.push({ type: 'table', table: perClass });
  }
  if (result.slices !== null && result.slices.rows.length > 0) {
    sections.push({ type: 'table', table: sliceTableSpec(result.slices) });
  }
  for (const delta of result.deltas) {
    for (const kind of ['fixed', 'broken'] as const) {
      const table = examplesTable(result, delta, kind);
      if (table !== null) sections.push({ type: 'table', table });
    }
  }
  return {
    title: comparisonTitle(result),
    sections,
    warnings: viewWarnings(result.warnings),
    explanations: result.task === 'regression' ? [] : result.explanation,
    charts: comparisonCharts(result),
  };
};
