/**
 * Scaling steps: the same work at sizes 10× apart, to show that nothing is quadratic — 10× the
 * input should cost about 10× the time and memory. `bench/run.ts` runs each size in a child
 * process of its own (`run.js --scaling NAME --size N`), which builds its input untimed,
 * collects garbage, times `run`, and reports the time and its own peak RSS; the parent prints
 * both per size and the growth from one size to the next.
 *
 * | step            | input                                      | timed                        |
 * |-----------------|--------------------------------------------|------------------------------|
 * | `wide-csv`      | a CSV of N columns (header and 2 rows)     | load, summary, text display  |
 * | `statements`    | a program of N short statements            | parse, check and run         |
 * | `markdown-cell` | a notebook with a markdown cell of N MiB   | HTML rendering and .ipynb    |
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDisplayContext } from '../display/context.js';
import { render } from '../display/render/index.js';
import { runCell, Session } from '../dsl/index.js';
import { summarizeTable } from '../engine/analysis/table-summary.js';
import { loadTable } from '../engine/load/index.js';
import { notebookHtml } from '../bin/notebook-html.js';
import { serializeNotebook, type Notebook } from '../bin/notebook.js';
import type { StepFigures } from './steps.js';

export interface ScalingStep {
  readonly name: string;
  readonly description: string;
  /** What a size counts ("columns", "statements", "MiB"). */
  readonly unit: string;
  /** The sizes of the default run, each 10× the one before. */
  readonly sizes: readonly number[];
  readonly setup: (size: number) => unknown;
  readonly run: (input: unknown) => Promise<StepFigures>;
}

function scratchDir(): string {
  const dir = join(tmpdir(), `evalbook-bench-scaling-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  // The child process of one size is the only user of its inputs.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const wideCsv: ScalingStep = {
  name: 'wide-csv',
  description: 'a CSV with N columns: loadTable, summarizeTable and the text display of `load`',
  unit: 'columns',
  sizes: [10_000, 100_000, 1_000_000],
  setup: (size) => {
    const header: string[] = [];
    const row: string[] = [];
    for (let j = 0; j < size; j++) {
      header.push(`column_${j}`);
      // One column in a hundred is text, the rest numbers.
      row.push(j % 100 === 99 ? `t${j % 7}` : String(j % 1000));
    }
    const path = join(scratchDir(), `wide-${size}.csv`);
    writeFileSync(path, `${header.join(',')}\n${row.join(',')}\n${row.join(',')}\n`);
    return path;
  },
  run: async (input) => {
    const table = await loadTable(String(input));
    const [bundle] = render(summarizeTable(table, 'wide'), {
      context: createDisplayContext(),
      charts: false,
    });
    const text = String(bundle.data['text/plain']);
    return { columns: table.columns.length, rows: table.nRows, display_chars: text.length };
  },
};

const statements: ScalingStep = {
  name: 'statements',
  description: 'a program of N short statements (set seed, param): parse, check and run',
  unit: 'statements',
  sizes: [10_000, 100_000],
  setup: (size) => {
    const lines: string[] = [];
    for (let i = 0; i < size; i++) lines.push(i % 2 === 0 ? `set seed ${i}` : `param p${i} = ${i}`);
    return `${lines.join('\n')}\n`;
  },
  run: async (input) => {
    const result = await runCell(String(input), new Session());
    if (result.stage !== 'run') throw new Error(`the program did not run: ${result.stage}`);
    return {
      statements: result.outcomes.length,
      ok: result.outcomes.filter((o) => o.status === 'ok').length,
    };
  },
};

/** Markdown prose with every construct the renderer knows, repeated to the size asked. */
const MARKDOWN_BLOCK = [
  '## A heading with `code`',
  '',
  'Some *emphasis*, **strong** text, `code`, a [link](https://example.com "title"), an',
  'autolink <https://example.com/a> and snake_case words \\*escaped\\* over two lines.',
  '',
  '- an item with `code`',
  '- another item',
  '  1. nested',
  '',
  '> a quote',
  '',
  '| a | b |',
  '|---|--:|',
  '| 1 | 2 |',
  '',
  '```',
  'code <block>',
  '```',
  '',
].join('\n');

const markdownCell: ScalingStep = {
  name: 'markdown-cell',
  description:
    "a notebook with one markdown cell of N MiB: the runner's HTML rendering and .ipynb text",
  unit: 'MiB',
  sizes: [2, 20],
  setup: (size): Notebook => {
    const repeats = Math.ceil((size * 1024 * 1024) / MARKDOWN_BLOCK.length);
    return {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        { cell_type: 'markdown', id: 'md', source: MARKDOWN_BLOCK.repeat(repeats), metadata: {} },
      ],
    };
  },
  run: async (input) => {
    const notebook = input as Notebook;
    const html = notebookHtml(notebook);
    const ipynb = serializeNotebook(notebook);
    return {
      source_chars: notebook.cells[0].source.length,
      html_chars: html.length,
      ipynb_chars: ipynb.length,
    };
  },
};

export const SCALING_STEPS: readonly ScalingStep[] = [wideCsv, statements, markdownCell];
