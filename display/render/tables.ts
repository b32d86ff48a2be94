/** `load` / `show` (a table summary), `split` (parts and class proportions), `split by` (slices). */
import type {
  SliceSummaryResult,
  SplitSummaryResult,
  TableSummary,
} from '../../engine/analysis/types.js';
import {
  MISSING,
  formatCount,
  formatMetric,
  formatNumber,
  formatPercent,
  labelText,
  plural,
} from '../format.js';
import type { CellInput, TableColumn, TableSpec } from '../table.js';
import { viewWarnings, type ResultView, type Section } from '../view.js';

/**
 * Columns listed in the columns table: past this a table's display would grow with its width
 * (a million columns), so the rest are counted in a footnote.
 */
const COLUMNS_LISTED = 50;

/** Longest preview cell before it is cut (full value in a tooltip). */
const PREVIEW_CELL_MAX = 80;

function previewCell(value: string | number | null): CellInput {
  if (value === null) return { text: MISSING, tone: 'muted' };
  const text = labelText(value);
  if (text.length <= PREVIEW_CELL_MAX) return text;
  return { text: `${text.slice(0, PREVIEW_CELL_MAX - 1)}…`, title: text };
}

function sourceLine(result: TableSummary): string | null {
  const s = result.source;
  const parts: string[] = [];
  if (s.path !== null) parts.push(`file ${s.path}${s.format === null ? '' : ` (${s.format})`}`);
  if (s.derivedFrom !== null) parts.push(`derived: ${s.derivedFrom}`);
  if (s.sha256 !== null) parts.push(`SHA-256 ${s.sha256}`);
  return parts.length === 0 ? null : parts.join('; ');
}

function columnsTable(result: TableSummary): TableSpec {
  return {
    caption: 'Columns',
    columns: [
      { header: 'column' },
      { header: 'type' },
      { header: 'missing', align: 'right' },
      { header: 'summary', wrap: true },
    ],
    rows: result.columns.slice(0, COLUMNS_LISTED).map((c) => {
      if (c.type === 'number') {
        const range =
          c.min === null
            ? 'all missing'
            : `min ${formatNumber(c.min)}, max ${formatNumber(c.max)}, mean ${formatMetric(c.mean)}`;
        return [
          c.name,
          c.categorical ? 'number (classes)' : 'number',
          formatCount(c.missing),
          range,
        ];
      }
      // When even the most frequent value occurs once, listing values says nothing.
      const summary =
        c.top.length === 0
          ? 'all missing'
          : c.top[0].count === 1
            ? `${formatCount(c.distinct)} distinct, each once`
            : `${formatCount(c.distinct)} distinct; ${c.top.map((t) => `${t.value} (${formatCount(t.count)})`).join(', ')}`;
      return [c.name, 'text', formatCount(c.missing), summary];
    }),
    footnote:
      result.columns.length > COLUMNS_LISTED
        ? `… ${plural(result.columns.length - COLUMNS_LISTED, 'more column')}`
        : undefined,
  };
}

function previewTable(result: TableSummary): TableSpec {
  const shown = result.preview.rows.length;
  const columnsLeft = result.columns.length - result.preview.columns.length;
  const notes: string[] = [];
  if (result.preview.truncated) notes.push(plural(result.rows - shown, 'more row'));
  if (columnsLeft > 0) notes.push(plural(columnsLeft, 'more column'));
  return {
    caption: `First ${plural(shown, 'row')}`,
    // The preview's columns are the table's first columns, in order.
    columns: result.preview.columns.map((name, j) => ({
      header: name,
      align: result.columns[j]?.type === 'number' ? 'right' : 'left',
    })),
    rows: result.preview.rows.map((row) => row.map(previewCell)),
    footnote: notes.length === 0 ? undefined : `… ${notes.join(', ')}`,
  };
}

export function describeTableSummary(result: TableSummary): ResultView {
  const source = sourceLine(result);
  const sections: Section[] = [];
  if (source !== null) sections.push({ type: 'sentences', lines: [source] });
  sections.push({ type: 'table', table: columnsTable(result) });
  if (result.preview.columns.length > 0 && result.preview.rows.length > 0) {
    sections.push({ type: 'table', table: previewTable(result) });
  }
  return {
    title: `${result.name}: ${plural(result.rows, 'row')} × ${plural(result.columns.length, 'column')}`,
    sections,
    warnings: [],
    explanations: [],
    charts: [],
  };
}

export function describeSplit(result: SplitSummaryResult): ResultView {
  const classes = result.classes;
  const columns: TableColumn[] = [
    { header: 'part' },
    { header: 'rows', align: 'right' },
    { header: 'share', align: 'right' },
  ];
  if (classes !== null) {
    for (const c of classes) columns.push({ header: `${labelText(c)}`, align: 'right' });
  }
  const classCells = (
    counts: readonly number[] | null,
    proportions: readonly number[] | null,
  ): string[] =>
    classes === null
      ? []
      : classes.map((_, k) =>
          counts === null || proportions === null
            ? MISSING
            : `${formatCount(counts[k])} (${formatPercent(proportions[k], 1)})`,
        );
  const rows: CellInput[][] = result.parts.map((p) => [
    p.name,
    formatCount(p.size),
    formatPercent(p.share, 1),
    ...classCells(p.classCounts, p.classProportions),
  ]);
  rows.push([
    { text: 'all', tone: 'strong' },
    { text: formatCount(result.rows), tone: 'strong' },
    { text: formatPercent(1, 1), tone: 'strong' },
    ...classCells(result.classCounts, result.classProportions).map((t) => ({
      text: t,
      tone: 'strong' as const,
    })),
  ]);
  const how = result.stratifiedBy === null ? 'random' : `stratified by ${result.stratifiedBy}`;
  const notes: string[] = [];
  if (result.unassigned > 0) notes.push(`${plural(result.unassigned, 'row')} in no part`);
  if (result.maxProportionGap !== null) {
    notes.push(
      `largest gap between a part's class share and the whole table's: ${formatPercent(result.maxProportionGap, 2)}`,
    );
  }
  const sections: Section[] = [
    {
      type: 'sentences',
      lines: [
        `${plural(result.rows, 'row')}${result.source === null ? '' : ` of ${result.source}`}, ${how}, seed ${result.seed}.`,
      ],
    },
    {
      type: 'table',
      table: {
        caption:
          classes === null ? 'Parts' : `Parts, with rows per ${result.classColumn ?? 'class'}`,
        columns,
        rows,
      },
    },
  ];
  if (notes.length > 0) sections.push({ type: 'notes', lines: notes });
  return {
    title: `split${result.source === null ? '' : ` ${result.source}`}: ${result.parts.map((p) => p.name).join(', ')}`,
    sections,
    warnings: viewWarnings(result.warnings),
    explanations: [],
    charts: [],
  };
}

export function describeSlices(result: SliceSummaryResult): ResultView {
  return {
    title: `split${result.source === null ? '' : ` ${result.source}`} by ${result.column}`,
    sections: [
      {
        type: 'sentences',
        lines: [`${plural(result.sliceCount, 'slice')} over ${plural(result.rows, 'row')}.`],
      },
      {
        type: 'table',
        table: {
          columns: [
            { header: result.column },
            { header: 'rows', align: 'right' },
            { header: 'share', align: 'right' },
          ],
          rows: result.slices.map((s) => [
            labelText(s.value),
            formatCount(s.n),
            formatPercent(s.share, 1),
          ]),
          footnote:
            result.omitted > 0
              ? `${plural(result.omitted, 'smaller slice')} not listed.`
              : undefined,
        },
      },
    ],
    warnings: [],
    explanations: [],
    charts: [],
  };
}
