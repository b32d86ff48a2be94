/**
 * `threshold`: each model's ranking quality (ROC AUC, average precision) and the operating
 * point its rule chose, with counts and formulas. Charts: ROC and PR curves with the chosen
 * points, and per model the metrics against threshold with a slider.
 */
import type { ThresholdAnalysisResult } from '../../engine/analysis/types.js';
import { rocPrChart } from '../charts/curves.js';
import { thresholdChart } from '../charts/threshold.js';
import { MISSING, formatCount, formatMetric, formatNumber, labelText, plural } from '../format.js';
import type { Chart } from '../plotly.js';
import type { CellInput, TableSpec } from '../table.js';
import { viewWarnings, type Section } from '../view.js';
import type { Renderer } from './renderer.js';

function chosenSentence(result: ThresholdAnalysisResult, i: number): string {
  const model = result.models[i];
  const c = model.chosen;
  if (c === null)
    return `${model.name}: no threshold found — ${model.notFound ?? 'the rule found none'}.`;
  const ties =
    c.tiedThresholds > 1
      ? ` (${formatCount(c.tiedThresholds)} thresholds tie; the highest is taken)`
      : '';
  return (
    `${model.name}: threshold ${formatNumber(c.threshold)} by ${result.rule.description}${ties} — ` +
    `precision ${formatMetric(c.precision)}, recall ${formatMetric(c.recall)}, F1 ${formatMetric(c.f1)}.`
  );
}

function scoresTable(result: ThresholdAnalysisResult): TableSpec {
  return {
    caption: 'Ranking quality (all thresholds)',
    columns: [
      { header: 'model' },
      { header: 'score column' },
      { header: 'ROC AUC', align: 'right' },
      { header: 'average precision', align: 'right' },
    ],
    rows: result.models.map((m) => [
      m.name,
      m.scoreColumn,
      formatMetric(m.rocAuc),
      formatMetric(m.averagePrecision),
    ]),
  };
}

function chosenTable(result: ThresholdAnalysisResult): TableSpec {
  const rows = result.models.map((m): CellInput[] => {
    const c = m.chosen;
    if (c === null)
      return [m.name, { text: 'not found', tone: 'bad' }, ...Array<string>(9).fill(MISSING)];
    return [
      m.name,
      { text: formatNumber(c.threshold), tone: 'strong' },
      formatMetric(c.precision),
      formatMetric(c.recall),
      formatMetric(c.f1),
      formatMetric(c.specificity),
      formatMetric(c.accuracy),
      formatCount(c.tp),
      formatCount(c.fp),
      formatCount(c.fn),
      formatCount(c.tn),
    ];
  });
  const illDefined = result.models.flatMap((m) =>
    m.chosen === null || m.chosen.illDefined.length === 0
      ? []
      : [
          `${m.name}: ${m.chosen.illDefined.join(', ')} had a zero denominator and are reported as 0`,
        ],
  );
  return {
    caption: `At the chosen threshold (${result.rule.description}; positive when score ≥ threshold)`,
    columns: [
      { header: 'model' },
      { header: 'threshold', align: 'right' },
      { header: 'precision', align: 'right' },
      { header: 'recall', align: 'right' },
      { header: 'F1', align: 'right' },
      { header: 'specificity', align: 'right' },
      { header: 'accuracy', align: 'right' },
      { header: 'TP', align: 'right' },
      { header: 'FP', align: 'right' },
      { header: 'FN', align: 'right' },
      { header: 'TN', align: 'right' },
    ],
    rows,
    footnote: illDefined.length > 0 ? `${illDefined.join('; ')}.` : undefined,
  };
}

function thresholdCharts(result: ThresholdAnalysisResult): Chart[] {
  const prevalence = result.n === 0 ? null : result.positives / result.n;
  const charts: Chart[] = [rocPrChart(result.models, prevalence)];
  for (const m of result.models) {
    if (m.sweep.threshold.length === 0) continue;
    charts.push(
      thresholdChart({
        model: m.name,
        positiveLabel: result.positiveLabel,
        n: result.n,
        sweep: m.sweep,
        chosen: m.chosen,
        rule: result.rule.description,
      }),
    );
  }
  return charts;
}

export const describeThreshold: Renderer<ThresholdAnalysisResult> = (result) => {
  const on = result.table === null ? '' : ` on ${result.table}`;
  const sections: Section[] = [
    {
      type: 'sentences',
      lines: [
        `${plural(result.n, 'row')}: ${formatCount(result.positives)} positive ` +
          `(${result.labelColumn} = ${labelText(result.positiveLabel)}), ${formatCount(result.negatives)} negative.`,
        ...result.models.map((_, i) => chosenSentence(result, i)),
      ],
    },
    { type: 'table', table: scoresTable(result) },
    { type: 'table', table: chosenTable(result) },
  ];
  const thinned = result.models.filter((m) => m.sweep.originalPoints > m.sweep.threshold.length);
  if (thinned.length > 0) {
    sections.push({
      type: 'notes',
      lines: thinned.map(
        (m) =>
          `${m.name}: the charts show ${formatCount(m.sweep.threshold.length)} of ` +
          `${formatCount(m.sweep.originalPoints)} thresholds (largest deviation from the full curve ${formatMetric(m.sweep.maxDeviation)}); the areas and the chosen point come from all rows`,
      ),
    });
  }
  return {
    title: `threshold${on}: ${result.rule.description}`,
    sections,
    warnings: viewWarnings(result.warnings),
    explanations: result.models.flatMap((m) => (m.explanation === null ? [] : [m.explanation])),
    charts: thresholdCharts(result),
  };
};
