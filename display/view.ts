/**
 * A result's view: what a renderer decided to show, before it is printed in a format.
 *
 * Every renderer turns an analysis result into one `ResultView` — a title, sections
 * (sentences, key figures, tables, notes), warnings, formula explanations and charts — and
 * the functions here print a view as plain text, HTML and markdown, and cut it into display
 * bundles. The report uses the same views, so a report shows exactly what the cells showed.
 */
import type { AnalysisWarning, ModelExplanation } from '../engine/analysis/types.js';
import type { DisplayBundle } from './bundle.js';
import type { DisplayContext } from './context.js';
import { formatCount, formatMetric, formatNumber } from './format.js';
import {
  cls,
  element,
  escapeHtml,
  heading,
  joinHtml,
  keyFigures,
  notesBlock,
  paragraph,
  rawHtml,
  subheading,
  textElement,
  warningsBlock,
  wrapHtml,
  type Html,
  type Tone,
} from './html.js';
import { chartBundle, type Chart } from './plotly.js';
import { escapeMarkdown, htmlTable, markdownTable, textTable, type TableSpec } from './table.js';

interface KeyFigure {
  readonly label: string;
  readonly value: string;
  readonly tone?: Tone;
}

/** One block of a view, printed in order. */
export type Section =
  /** Sentences that say the result in words (a headline, a delta statement). */
  | { readonly type: 'sentences'; readonly lines: readonly string[] }
  | { readonly type: 'figures'; readonly figures: readonly KeyFigure[] }
  | { readonly type: 'table'; readonly table: TableSpec }
  /** A smaller heading that groups the sections after it. */
  | { readonly type: 'heading'; readonly text: string }
  /** Neutral remarks: how a number was computed, what was left out. */
  | { readonly type: 'notes'; readonly lines: readonly string[] };

/** A warning as displays show it: its severity and its complete message. */
interface ViewWarning {
  readonly severity: 'warning' | 'note';
  readonly message: string;
}

/**
 * Everything one result shows. `anchor` is a short stable name for links inside a report
 * (derived from the result, never random).
 */
export interface ResultView {
  readonly title: string;
  readonly sections: readonly Section[];
  readonly warnings: readonly ViewWarning[];
  readonly explanations: readonly ModelExplanation[];
  readonly charts: readonly Chart[];
}

export function viewWarnings(warnings: readonly AnalysisWarning[]): ViewWarning[] {
  return warnings.map((w) => ({ severity: w.severity, message: w.message }));
}

// ---------------------------------------------------------------------------------------------
// Explanations: formulas with the numbers put in.

function explanationHeader(e: ModelExplanation): string {
  const parts = [e.model];
  if (e.threshold !== null) parts.push(`at threshold ${formatNumber(e.threshold)}`);
  let header = parts.join(' ');
  if (e.counts !== null) {
    const c = e.counts;
    header += ` — TP ${formatCount(c.tp)}, FP ${formatCount(c.fp)}, FN ${formatCount(c.fn)}, TN ${formatCount(c.tn)}`;
  }
  return header;
}

/** "precision = TP / (TP + FP) = 85 / (85 + 10) = 0.8947". */
function formulaLine(m: ModelExplanation['metrics'][number]): string {
  return `${m.metric} = ${m.formula} = ${m.substituted} = ${formatMetric(m.value)}`;
}

function explanationText(explanations: readonly ModelExplanation[]): string {
  if (explanations.length === 0) return '';
  const lines = ['How the numbers are computed:'];
  for (const e of explanations) {
    lines.push(`  ${explanationHeader(e)}`);
    for (const m of e.metrics) {
      lines.push(`    ${formulaLine(m)}`);
      if (m.note !== null) lines.push(`      (${m.note})`);
    }
  }
  return lines.join('\n');
}

function explanationHtml(explanations: readonly ModelExplanation[]): Html {
  if (explanations.length === 0) return rawHtml('');
  const blocks = explanations.map((e) =>
    joinHtml([
      subheading(explanationHeader(e)),
      joinHtml(
        e.metrics.map((m) =>
          element(
            'div',
            { class: cls('formula') },
            joinHtml([
              textElement('span', { class: cls('formula-name') }, m.metric),
              escapeHtml(` = ${m.formula} = ${m.substituted} = `),
              textElement('span', { class: cls('strong') }, formatMetric(m.value)),
              m.note === null
                ? rawHtml('')
                : textElement('span', { class: cls('muted') }, `  (${m.note})`),
            ]),
          ),
        ),
      ),
    ]),
  );
  return element(
    'details',
    { class: cls('explain') },
    joinHtml([textElement('summary', {}, 'How the numbers are computed'), ...blocks]),
  );
}

function explanationMarkdown(explanations: readonly ModelExplanation[]): string {
  if (explanations.length === 0) return '';
  const parts = ['**How the numbers are computed**'];
  for (const e of explanations) {
    parts.push('', `*${escapeMarkdown(explanationHeader(e))}*`, '');
    for (const m of e.metrics) {
      const note = m.note === null ? '' : ` (${escapeMarkdown(m.note)})`;
      parts.push(`- \`${formulaLine(m).replace(/`/gu, "'")}\`${note}`);
    }
  }
  return parts.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Printing a view.

interface PrintOptions {
  /** Include the formulas in plain text (HTML always has them, folded). */
  readonly explain?: boolean;
}

function warningLines(warnings: readonly ViewWarning[]): string[] {
  return warnings.map((w) => `${w.severity}: ${w.message}`);
}

/** The view as plain text: title, sections, then `warning:` / `note:` lines. */
function viewText(view: ResultView, options: PrintOptions = {}): string {
  // A heading is followed by its block directly; other blocks are separated by a blank line.
  const blocks: { text: string; heading: boolean }[] = [{ text: view.title, heading: false }];
  const add = (text: string, isHeading = false): void => {
    blocks.push({ text, heading: isHeading });
  };
  for (const section of view.sections) {
    switch (section.type) {
      case 'sentences':
        add(section.lines.join('\n'));
        break;
      case 'figures':
        add(section.figures.map((f) => `${f.label}: ${f.value}`).join('   '));
        break;
      case 'table':
        add(textTable(section.table));
        break;
      case 'heading':
        add(`${section.text}:`, true);
        break;
      case 'notes':
        add(section.lines.map((l) => `(${l})`).join('\n'));
        break;
    }
  }
  if (options.explain === true && view.explanations.length > 0) {
    add(explanationText(view.explanations));
  }
  if (view.warnings.length > 0) add(warningLines(view.warnings).join('\n'));
  return blocks
    .map((b, i) => (i === 0 ? '' : blocks[i - 1].heading ? '\n' : '\n\n') + b.text)
    .join('');
}

/** The sections as HTML (no title, no stylesheet): the body of a bundle or report section. */
export function sectionsHtml(view: ResultView): Html {
  const parts: Html[] = [];
  for (const section of view.sections) {
    switch (section.type) {
      case 'sentences':
        parts.push(joinHtml(section.lines.map((l) => paragraph(l))));
        break;
      case 'figures':
        parts.push(keyFigures(section.figures));
        break;
      case 'table':
        parts.push(htmlTable(section.table));
        break;
      case 'heading':
        parts.push(subheading(section.text));
        break;
      case 'notes':
        parts.push(notesBlock(section.lines));
        break;
    }
  }
  const warnings = view.warnings.filter((w) => w.severity === 'warning').map((w) => w.message);
  const notes = view.warnings.filter((w) => w.severity === 'note').map((w) => w.message);
  parts.push(warningsBlock(warnings));
  parts.push(notesBlock(notes, notes.length === 1 ? 'Note' : `Notes (${notes.length})`));
  parts.push(explanationHtml(view.explanations));
  return joinHtml(parts);
}

/** The view's HTML: title and sections (charts are separate bundles or report figures). */
function viewHtml(view: ResultView, options: { readonly bare?: boolean } = {}): Html {
  return wrapHtml(joinHtml([heading(view.title), sectionsHtml(view)]), options);
}

/** The sections as markdown (headings from `level`), warnings as a quote block. */
export function viewMarkdown(
  view: ResultView,
  options: { readonly level?: number; readonly explain?: boolean } = {},
): string {
  const level = options.level ?? 3;
  const blocks: string[] = [`${'#'.repeat(level)} ${escapeMarkdown(view.title)}`];
  for (const section of view.sections) {
    switch (section.type) {
      case 'sentences':
        blocks.push(section.lines.map(escapeMarkdown).join('  \n'));
        break;
      case 'figures':
        blocks.push(
          section.figures
            .map((f) => `**${escapeMarkdown(f.label)}** ${escapeMarkdown(f.value)}`)
            .join(' · '),
        );
        break;
      case 'table':
        blocks.push(markdownTable(section.table));
        break;
      case 'heading':
        blocks.push(`${'#'.repeat(Math.min(6, level + 1))} ${escapeMarkdown(section.text)}`);
        break;
      case 'notes':
        blocks.push(section.lines.map((l) => `*${escapeMarkdown(l)}*`).join('  \n'));
        break;
    }
  }
  if (view.warnings.length > 0) {
    blocks.push(
      view.warnings
        .map(
          (w) =>
            `> **${w.severity === 'warning' ? 'Warning' : 'Note'}:** ${escapeMarkdown(w.message)}`,
        )
        .join('\n>\n'),
    );
  }
  if (options.explain !== false && view.explanations.length > 0) {
    blocks.push(explanationMarkdown(view.explanations));
  }
  return blocks.join('\n\n');
}

/**
 * The bundles of a view, in display order: the tables bundle (plain text, HTML, markdown),
 * then one bundle per chart. Charts are left out when `charts` is false.
 */
export function viewBundles(
  view: ResultView,
  context: DisplayContext,
  options: PrintOptions & { readonly charts?: boolean } = {},
): DisplayBundle[] {
  const main: DisplayBundle = {
    data: {
      'text/plain': viewText(view, options),
      'text/html': viewHtml(view),
      'text/markdown': viewMarkdown(view, { explain: options.explain }),
    },
    metadata: {},
  };
  if (options.charts === false) return [main];
  return [main, ...view.charts.map((chart) => chartBundle(chart, context))];
}
