/**
 * A very wide table: a CSV whose header has a million columns loads, is summarised and is
 * shown with a preview of its first columns and a note of how many were left out. Columns that
 * turn out to be text in the same row are all found at once, with the same types and values as
 * on a narrow file.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PREVIEW_COLUMNS, summarizeTable } from '../../engine/analysis/index.js';
import { loadTable } from '../../engine/load/index.js';
import { cellValue, type Table } from '../../engine/table.js';
import { createDisplayContext } from '../../display/context.js';
import { render } from '../../display/render/index.js';
import { repoRoot } from '../helpers/golden.js';

const tmp = join(repoRoot, 'test', '.tmp', `wide-${process.pid}`);
before(() => mkdirSync(tmp, { recursive: true }));
after(() => rmSync(tmp, { recursive: true, force: true }));

function writeTmp(name: string, content: string): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

/** Column j of the wide file: text (`t<j>`, `u<j>`) every 1000th column, else numbers. */
function wideCell(j: number, row: number): string {
  return j % 1000 === 999 ? `${row === 0 ? 't' : 'u'}${j}` : String(j * 2 + row);
}

function wideCsv(columns: number): string {
  const header: string[] = [];
  const first: string[] = [];
  const second: string[] = [];
  for (let j = 0; j < columns; j++) {
    header.push(`c${j}`);
    first.push(wideCell(j, 0));
    second.push(wideCell(j, 1));
  }
  return `${header.join(',')}\n${first.join(',')}\n${second.join(',')}\n`;
}

function textOf(table: Table, name: string): string {
  const [bundle] = render(summarizeTable(table, name), {
    context: createDisplayContext(),
    charts: false,
  });
  const text = bundle.data['text/plain'];
  assert.equal(typeof text, 'string');
  return text as string;
}

describe('a table with a million columns', () => {
  const columns = 1_000_000;
  let table: Table;

  before(async () => {
    table = await loadTable(writeTmp('wide.csv', wideCsv(columns)));
  });

  test('loads every column with its type and values', () => {
    assert.equal(table.nRows, 2);
    assert.equal(table.columns.length, columns);
    for (const j of [0, 1, 998, 999, 500_499, 999_998, 999_999]) {
      const column = table.columns[j];
      assert.equal(column.name, `c${j}`);
      assert.equal(column.kind, j % 1000 === 999 ? 'string' : 'number');
      const expected = (row: number): string | number =>
        j % 1000 === 999 ? wideCell(j, row) : Number(wideCell(j, row));
      assert.deepEqual([cellValue(column, 0), cellValue(column, 1)], [expected(0), expected(1)]);
    }
    assert.equal(table.columns.filter((c) => c.kind === 'string').length, 1000);
  });

  test('the summary counts every column, and previews the first ones', () => {
    const summary = summarizeTable(table, 'wide');
    assert.equal(summary.columns.length, columns);
    assert.deepEqual(summary.columns[999_999], {
      name: 'c999999',
      type: 'text',
      missing: 0,
      distinct: 2,
      top: [
        { value: 't999999', count: 1 },
        { value: 'u999999', count: 1 },
      ],
    });
    assert.equal(PREVIEW_COLUMNS, 50);
    assert.deepEqual(
      summary.preview.columns,
      Array.from({ length: 50 }, (_, j) => `c${j}`),
    );
    assert.deepEqual(summary.preview.rows[1].slice(0, 3), [1, 3, 5]);
    assert.equal(summary.preview.rows[0].length, 50);
    assert.equal(summary.preview.truncated, false);
  });

  test('its display lists the first columns and says how many were left out', () => {
    const text = textOf(table, 'wide');
    assert.match(text, /^wide: 2 rows × 1,000,000 columns$/mu);
    const lines = text.split('\n');
    // Once under the columns table, once under the preview.
    assert.deepEqual(
      lines.filter((l) => l.startsWith('…')),
      ['… 999,950 more columns', '… 999,950 more columns'],
    );
    assert.ok(lines.some((l) => l.startsWith('c49 ')));
    assert.ok(!lines.some((l) => l.startsWith('c50 ')));
    assert.ok(!text.includes('c50 '));
    // Bounded by the listed columns, not by the table's width.
    assert.ok(text.length < 20_000, `${text.length} characters`);
  });
});

describe('columns that turn to text', () => {
  test('several in the first row, one later, quoted numbers and missing cells', async () => {
    const path = writeTmp('mixed.csv', 'a,b,c,d,e\n1,x,"2",,y\n2,3,"",4,5\n3,4,5,z,6\n');
    const table = await loadTable(path);
    assert.deepEqual(
      table.columns.map((c) => c.kind),
      ['number', 'string', 'number', 'string', 'string'],
    );
    assert.deepEqual(
      Array.from({ length: 3 }, (_, r) => table.columns.map((c) => cellValue(c, r))),
      [
        [1, 'x', 2, null, 'y'],
        [2, '3', null, '4', '5'],
        [3, '4', 5, 'z', '6'],
      ],
    );
  });

  test('a narrow table shows all its columns, with no note', async () => {
    const table = await loadTable(writeTmp('narrow.csv', 'a,b\n1,x\n'));
    const text = textOf(table, 'narrow');
    assert.ok(!text.includes('more column'), text);
  });

  test('a ragged row after a text column is still reported where it is', async () => {
    const path = writeTmp('ragged.csv', 'a,b,c\n1,x\n');
    await assert.rejects(loadTable(path), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /row 1/u);
      return true;
    });
  });
});
