/** `check leakage`: values shared by a training and a test table, and the rows holding them. */
import type {
  Label,
  LeakageAnalysisResult,
  LeakageMatchSummary,
} from '../../engine/analysis/types.js';
import { formatCount, formatPercent, labelText, plural } from '../format.js';
import type { CellInput, TableSpec } from '../table.js';
import { viewWarnings, type Section } from '../view.js';
import type { Renderer } from './renderer.js';

/** Ids listed per cell before "… and N more". */
const IDS_PER_CELL = 8;
/** How long a shared value may be in a cell before it is cut (full value in a tooltip). */
const VALUE_TEXT_MAX = 120;

function idList(ids: readonly Label[]): string {
  const shown = ids.slice(0, IDS_PER_CELL).map((id) => labelText(id));
  const more = ids.length - shown.length;
  return more > 0 ? `${shown.join(', ')} … and ${formatCount(more)} more` : shown.join(', ');
}

function valueCell(text: string): CellInput {
  if (text.length <= VALUE_TEXT_MAX) return text;
  return { text: `${text.slice(0, VALUE_TEXT_MAX - 1)}…`, title: text };
}

function matchesTable(
  result: LeakageAnalysisResult,
  matches: LeakageMatchSummary,
  caption: string,
): TableSpec {
  const idName = result.idColumn ?? 'row';
  return {
    caption,
    columns: [
      { header: result.column, wrap: true },
      { header: `${result.train ?? 'train'} ${idName}s` },
      { header: `${result.test ?? 'test'} ${idName}s` },
    ],
    rows: matches.duplicates.map((d) => [valueCell(d.text), idList(d.trainIds), idList(d.testIds)]),
    footnote: matches.truncated
      ? `Only the first ${formatCount(matches.duplicates.length)} of ${formatCount(matches.duplicateTextCount)} shared values are listed; the counts are complete.`
      : undefined,
  };
}

function sentence(
  result: LeakageAnalysisResult,
  matches: LeakageMatchSummary,
  how: string,
): string {
  const test = result.test ?? 'the test table';
  const train = result.train ?? 'the training table';
  if (matches.duplicateTextCount === 0)
    return `No ${result.column} value of ${test} occurs in ${train} (${how}).`;
  return (
    `${plural(matches.leakedTestRows, 'row')} of ${test} (${formatPercent(matches.leakedTestFraction)}) ` +
    `share their ${result.column} with ${train} (${how}): ${plural(matches.duplicateTextCount, 'distinct value')}.`
  );
}

export const describeLeakage: Renderer<LeakageAnalysisResult> = (result) => {
  const sections: Section[] = [
    {
      type: 'sentences',
      lines: [
        `${result.train ?? 'train'}: ${plural(result.trainRows, 'row')}; ${result.test ?? 'test'}: ${plural(result.testRows, 'row')}.`,
        sentence(result, result, 'exact match'),
      ],
    },
  ];
  if (result.duplicates.length > 0) {
    sections.push({
      type: 'table',
      table: matchesTable(result, result, 'Shared values (exact match)'),
    });
  }
  if (result.normalized !== null) {
    sections.push({
      type: 'sentences',
      lines: [sentence(result, result.normalized, 'after lowercasing and collapsing white space')],
    });
    if (result.normalized.duplicates.length > 0) {
      sections.push({
        type: 'table',
        table: matchesTable(result, result.normalized, 'Shared values (normalised)'),
      });
    }
  }
  return {
    title: `check leakage ${result.train ?? 'train'}, ${result.test ?? 'test'} on ${result.column}`,
    sections,
    warnings: viewWarnings(result.warnings),
    explanations: [],
    charts: [],
  };
};
