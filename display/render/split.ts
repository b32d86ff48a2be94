/** `split`: the parts, their sizes and their class proportions. */
import type { SplitSummaryResult } from '../../engine/analysis/types.js';
import { MISSING, formatCount, formatPercent, labelText, plural } from '../format.js';
import type { CellInput, TableColumn } from '../table.js';
import { viewWarnings, type Section } from '../view.js';
import type { Renderer } from './renderer.js';

export const describeSplit: Renderer<SplitSummaryResult> = (result) => {
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
};
