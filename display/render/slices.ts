/** `split by`: the slices of a column, their sizes and shares. */
import type { SliceSummaryResult } from '../../engine/analysis/types.js';
import { formatCount, formatPercent, labelText, plural } from '../format.js';
import type { Renderer } from './renderer.js';

export const describeSlices: Renderer<SliceSummaryResult> = (result) => {
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
};
