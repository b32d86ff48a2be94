/** `load` / `show`: a table summary (its source, its columns, its first rows). */
import type { TableSummary } from '../../engine/analysis/types.js';
import { MISSING, formatCount, formatMetric, formatNumber, labelText, plural } from '../format.js';
import type { CellInput, TableSpec } from '../table.js';
import type { Section } from '../view.js';
import type { Renderer } from './renderer.js';

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

export const describeTableSummary: Renderer<TableSummary> = (result) => {
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
};
