import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { EngineError } from '../../engine/errors.js';
import {
  formatFromPath,
  loadTable,
  type LoadProgress,
  parseDecimalText,
  parseTable,
  requireNumberColumn,
} from '../../engine/load/index.js';
import { cellValue, type Column, findColumn, type Label, type Table } from '../../engine/table.js';
import { readCsv } from '../helpers/csv.js';
import { goldenCases, goldenPath, goldenRoot, repoRoot } from '../helpers/golden.js';

const tmp = join(repoRoot, 'test', '.tmp', `load-${process.pid}`);
before(() => mkdirSync(tmp, { recursive: true }));
after(() => rmSync(tmp, { recursive: true, force: true }));

function writeTmp(name: string, content: string | Uint8Array): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

/** A table as plain data: names, kinds and rows of cell values (null = missing). */
function plain(table: Table): { names: string[]; kinds: string[]; rows: (Label | null)[][] } {
  return {
    names: table.columns.map((c) => c.name),
    kinds: table.columns.map((c) => c.kind),
    rows: Array.from({ length: table.nRows }, (_, r) => table.columns.map((c) => cellValue(c, r))),
  };
}

function col(table: Table, name: string): Column {
  const c = findColumn(table, name);
  assert.ok(c, `no column ${name}`);
  return c;
}

function numbers(table: Table, name: string): number[] {
  const c = col(table, name);
  assert.equal(c.kind, 'number', `${name} should be numeric`);
  return Array.from(c.kind === 'number' ? c.values : []);
}

function texts(table: Table, name: string): (string | null)[] {
  const c = col(table, name);
  assert.equal(c.kind, 'string', `${name} should be text`);
  return Array.from({ length: table.nRows }, (_, r) => cellValue(c, r) as string | null);
}

async function csv(text: string | Uint8Array, name = 'data.csv'): Promise<Table> {
  return loadTable(writeTmp(name, text));
}

/** Runs `load` and checks it rejects with an EngineError of this code and exact message. */
async function assertLoadError(
  load: Promise<unknown>,
  code: EngineError['code'],
  message: string,
): Promise<EngineError> {
  let caught: unknown;
  try {
    await load;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof EngineError, `expected an EngineError, got ${String(caught)}`);
  assert.equal(caught.message, message);
  assert.equal(caught.code, code);
  return caught;
}

describe('golden fixtures', () => {
  const files = goldenCases().flatMap((name) =>
    readdirSync(join(goldenRoot, name))
      .filter((f) => f.endsWith('.csv'))
      .map((f) => join(goldenRoot, name, f)),
  );

  test('there are fixture files to load', () => assert.equal(files.length, 21));

  for (const path of files) {
    test(`${path.slice(goldenRoot.length + 1)} loads like an independent reader reads it`, async () => {
      const loaded = await loadTable(path);
      const reference = readCsv(path);
      const lines = readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      assert.equal(loaded.nRows, lines.length - 1);
      assert.deepEqual(plain(loaded), plain(reference));
      assert.equal(loaded.source.format, 'csv');
      assert.equal(loaded.source.path, path);
      assert.equal(
        loaded.source.sha256,
        createHash('sha256').update(readFileSync(path)).digest('hex'),
      );
    });
  }

  test('column types of the spam/ham case', async () => {
    const t = await loadTable(goldenPath('binary_spam_ham'));
    assert.deepEqual(
      t.columns.map((c) => `${c.name}:${c.kind}`),
      [
        'id:number',
        'text:string',
        'label:string',
        'base_pred:string',
        'ft_pred:string',
        'base_score:number',
        'ft_score:number',
      ],
    );
    assert.equal(t.nRows, 240);
    assert.deepEqual(texts(t, 'label').slice(0, 2), ['ham', 'ham']);
    assert.deepEqual(numbers(t, 'ft_score').slice(0, 2), [0.302, 0.048]);
  });

  test('exact cells: loss log, leakage quotes, multiclass probabilities', async () => {
    const loss = await loadTable(goldenPath('loss_log_early_stopping'));
    assert.deepEqual(
      numbers(loss, 'epoch'),
      Array.from({ length: 15 }, (_, i) => i + 1),
    );
    assert.equal(numbers(loss, 'val_loss')[5], 0.5176);
    assert.equal(numbers(loss, 'train_loss')[8], 0.298);

    const test = await loadTable(goldenPath('leakage_duplicates', 'test.csv'));
    assert.equal(test.nRows, 60);
    assert.deepEqual(texts(test, 'id').slice(0, 2), ['te-0001', 'te-0002']);
    assert.equal(texts(test, 'text')[1], 'Prize, draft you deal offer.');
    assert.deepEqual(numbers(test, 'label').slice(0, 4), [1, 0, 1, 0]);

    const intents = await loadTable(goldenPath('multiclass_intent_4'));
    assert.deepEqual(texts(intents, 'label').slice(0, 2), ['support', 'support']);
    assert.deepEqual(numbers(intents, 'base_prob_billing').slice(0, 2), [0.0735, 0.4597]);

    const one = await loadTable(goldenPath('single_row'));
    assert.deepEqual(plain(one).rows, [[1, 'Only one example in this test set.', 1, 1, 0]]);
  });
});

describe('CSV syntax', () => {
  test('quoted commas, doubled quotes, embedded newlines', async () => {
    const t = await csv(
      'id,text\n1,"a, b"\n2,"say ""hi"""\n3,"two\nlines"\n4,"""quoted"""\n5,plain\n',
    );
    assert.deepEqual(texts(t, 'text'), ['a, b', 'say "hi"', 'two\nlines', '"quoted"', 'plain']);
    assert.deepEqual(numbers(t, 'id'), [1, 2, 3, 4, 5]);
  });

  test('CRLF line ends, inside and outside quotes', async () => {
    const t = await csv('a,b\r\n1,"x\r\ny"\r\n2,z\r\n');
    assert.deepEqual(numbers(t, 'a'), [1, 2]);
    assert.deepEqual(texts(t, 'b'), ['x\r\ny', 'z']);
  });

  test('a UTF-8 byte-order mark is not part of the first name', async () => {
    const t = await csv(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,x\n1,é\n')]),
    );
    assert.deepEqual(plain(t), {
      names: ['id', 'x'],
      kinds: ['number', 'string'],
      rows: [[1, 'é']],
    });
  });

  test('the last line may lack its line break', async () => {
    const withBreak = await csv('a,b\n1,2\n3,4\n');
    const without = await csv('a,b\n1,2\n3,4');
    assert.deepEqual(plain(without), plain(withBreak));
    assert.deepEqual(plain(without).rows, [
      [1, 2],
      [3, 4],
    ]);
  });

  test('empty fields are missing, including the last field of a line and of the file', async () => {
    const t = await csv('a,b,c\n1,,x\n,2,\n3,4,');
    assert.deepEqual(plain(t), {
      names: ['a', 'b', 'c'],
      kinds: ['number', 'number', 'string'],
      rows: [
        [1, null, 'x'],
        [null, 2, null],
        [3, 4, null],
      ],
    });
    const c = col(t, 'c');
    assert.ok(c.kind === 'string');
    assert.deepEqual(Array.from(c.codes), [0, -1, -1]);
    assert.deepEqual(c.categories, ['x']);
  });

  test('a quoted empty field is missing too; blank lines are skipped', async () => {
    const t = await csv('a,b\n\n"",1\n\r\n2,""\n\n');
    assert.deepEqual(plain(t).rows, [
      [null, 1],
      [2, null],
    ]);
  });

  test('numbers: integers, decimals, signs, exponents, long digit strings', async () => {
    const values = [
      '0',
      '-0.5',
      '+3',
      '.25',
      '7.',
      '1e3',
      '-2.5E-3',
      '12345678901234567890',
      '0.1234567890123456789',
    ];
    const t = await csv(`x\n${values.join('\n')}\n`);
    const read = numbers(t, 'x');
    values.forEach((v, i) => assert.ok(Object.is(read[i], Number(v)), `${v}: ${read[i]}`));
  });

  test('a column with one non-number is text, keeping every value as written', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `${i},${i === 4321 ? 'n/a' : `0${i}.50`}`);
    const t = await csv(`id,score\n${lines.join('\n')}\n`);
    const scores = texts(t, 'score');
    assert.equal(scores[0], '00.50');
    assert.equal(scores[4321], 'n/a');
    assert.equal(scores[4999], '04999.50');
    assert.deepEqual(numbers(t, 'id').slice(4998), [4998, 4999]);
  });

  test('things that Number() accepts but a data file should not call numbers stay text', async () => {
    for (const v of ['0x1A', 'Infinity', 'NaN', ' 1', '1 ', '1_000', '1e', '-', '.']) {
      const t = await csv(`x\n${v}\n`);
      assert.deepEqual(texts(t, 'x'), [v], v);
    }
  });

  test('text cells are dictionary-encoded in order of first appearance', async () => {
    const t = await csv('s\nb\na\nb\n"a"\nc\n');
    const c = col(t, 's');
    assert.ok(c.kind === 'string');
    assert.deepEqual(c.categories, ['b', 'a', 'c']);
    assert.deepEqual(Array.from(c.codes), [0, 1, 0, 1, 2]);
  });

  test('tables far larger than the first rows suggest keep every row', async () => {
    const long = 'x'.repeat(200);
    const rows = [
      ...Array.from({ length: 400 }, (_, i) => `${i},${long}`),
      ...Array.from({ length: 100000 }, (_, i) => `${400 + i},s`),
    ];
    const t = await csv(`id,s\n${rows.join('\n')}\n`);
    assert.equal(t.nRows, 100400);
    const ids = numbers(t, 'id');
    assert.equal(ids[100399], 100399);
    const c = col(t, 's');
    assert.ok(c.kind === 'string' && c.codes.length === 100400);
  });

  test('more rows than the samples suggest: the columns grow and keep every row', async () => {
    const long = (i: number) => `${i},${'y'.repeat(200)}`;
    const rows = [
      ...Array.from({ length: 500 }, (_, i) => long(i)),
      ...Array.from({ length: 200000 }, (_, i) => `${500 + i},s`),
      ...Array.from({ length: 500 }, (_, i) => long(200500 + i)),
    ];
    const t = await csv(`id,s\n${rows.join('\n')}\n`);
    assert.equal(t.nRows, 201000);
    const ids = numbers(t, 'id');
    assert.ok(ids.every((v, i) => v === i));
    assert.deepEqual(texts(t, 's').slice(499, 501), ['y'.repeat(200), 's']);
  });

  test('bytes beyond the given view are never read', async () => {
    // The parser wants a LF after the data: reused when the next byte is one, else a copy.
    for (const whole of ['x\n1\n5\n', 'x\n1234', 'x\n1,2', 'x\n"1"\n']) {
      const bytes = Buffer.from(whole).subarray(0, whole.startsWith('x\n"') ? 5 : 3);
      const t = await parseTable(bytes, 'csv', 'view.csv');
      assert.deepEqual(plain(t).rows, [[1]], whole);
    }
  });

  test('lone CR line ends', async () => {
    const t = await csv('a,b\r1,x\r2,y\r');
    assert.deepEqual(plain(t).rows, [
      [1, 'x'],
      [2, 'y'],
    ]);
  });

  test('TSV: tabs separate, commas are text', async () => {
    const t = await loadTable(writeTmp('data.tsv', 'a\tb\n1,5\t"x\ty"\n'));
    assert.deepEqual(plain(t).rows, [['1,5', 'x\ty']]);
    assert.equal(t.source.format, 'tsv');
  });
});

describe('bad files', () => {
  test('missing file', async () => {
    const path = join(tmp, 'nope.csv');
    const e = await assertLoadError(loadTable(path), 'file-not-found', `${path}: no such file`);
    assert.deepEqual(e.location, { file: path });
  });

  test('a directory', async () => {
    const path = join(tmp, 'dir.csv');
    mkdirSync(path, { recursive: true });
    await assertLoadError(
      loadTable(path),
      'file-unreadable',
      `${path}: is a directory, not a file`,
    );
  });

  test('unknown extension without a format', async () => {
    const path = writeTmp('data.txt', 'a\n1\n');
    await assertLoadError(
      loadTable(path),
      'bad-format',
      `${path}: cannot tell the format from the file name; name it as csv, tsv, json, jsonl or parquet`,
    );
    const t = await loadTable(path, { format: 'csv' });
    assert.deepEqual(plain(t).rows, [[1]]);
  });

  test('empty file, blank file, header without rows', async () => {
    for (const [name, content] of [
      ['empty.csv', ''],
      ['blank.csv', '\n\r\n'],
      ['bom.csv', '\ufeff'],
    ]) {
      const path = writeTmp(name, content);
      await assertLoadError(
        loadTable(path),
        'file-empty',
        `${path}: the file is empty (no header row)`,
      );
    }
    const path = writeTmp('header.csv', 'a,b\n\n');
    await assertLoadError(loadTable(path), 'file-empty', `${path}: the file has no data rows`);
  });

  test('ragged rows: too few and too many fields', async () => {
    const few = writeTmp('few.csv', 'id,label,score\n1,a,0.5\n2,b\n3,c,0.1\n');
    const e = await assertLoadError(
      loadTable(few),
      'ragged-row',
      `${few}, row 2: expected 3 fields as in the header, found 2 (column score is missing)`,
    );
    assert.deepEqual(e.location, { file: few, row: 2, column: 'score' });
    const many = writeTmp('many.csv', 'id,label\n1,a\n2,b\n3,"c,d",e,f\n');
    await assertLoadError(
      loadTable(many),
      'ragged-row',
      `${many}, row 3: expected 2 fields as in the header, found 4`,
    );
  });

  test('a quote that is never closed names the row where it opens', async () => {
    const path = writeTmp('quote.csv', 'id,text\n1,ok\n2,"never closed\n3,x\n');
    const e = await assertLoadError(
      loadTable(path),
      'bad-quote',
      `${path}, column text, row 2: a quoted field is never closed (missing ")`,
    );
    assert.deepEqual(e.location, { file: path, row: 2, column: 'text' });
  });

  test('text after a closing quote', async () => {
    const path = writeTmp('after.csv', 'id,text\n1,"a"b\n');
    await assertLoadError(
      loadTable(path),
      'bad-quote',
      `${path}, column text, row 1: unexpected text after a closing quote (a quote inside a quoted field must be doubled: "")`,
    );
  });

  test('invalid UTF-8 in a cell, in a quoted cell, in the header', async () => {
    const cell = writeTmp(
      'bad1.csv',
      Buffer.concat([Buffer.from('id,text\n1,ok\n2,caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
    );
    const e = await assertLoadError(
      loadTable(cell),
      'bad-encoding',
      `${cell}, column text, row 2: the text is not valid UTF-8`,
    );
    assert.deepEqual(e.location, { file: cell, row: 2, column: 'text' });
    const quoted = writeTmp(
      'bad2.csv',
      Buffer.concat([Buffer.from('id,text\n1,"a'), Buffer.from([0xc3, 0x28]), Buffer.from('"\n')]),
    );
    await assertLoadError(
      loadTable(quoted),
      'bad-encoding',
      `${quoted}, column text, row 1: the text is not valid UTF-8`,
    );
    const header = writeTmp(
      'bad3.csv',
      Buffer.concat([Buffer.from('id,na'), Buffer.from([0xff]), Buffer.from('\n1,2\n')]),
    );
    await assertLoadError(
      loadTable(header),
      'bad-encoding',
      `${header}, header: the text is not valid UTF-8`,
    );
  });

  test('a bad byte in a column that turns to text later is still found', async () => {
    const path = writeTmp(
      'bad4.csv',
      Buffer.concat([Buffer.from('v\n1\n'), Buffer.from([0xe2, 0x82]), Buffer.from('\n3\n')]),
    );
    await assertLoadError(
      loadTable(path),
      'bad-encoding',
      `${path}, column v, row 2: the text is not valid UTF-8`,
    );
  });

  test('empty and duplicate header names', async () => {
    const empty = writeTmp('h1.csv', 'id,,score\n1,2,3\n');
    await assertLoadError(loadTable(empty), 'bad-format', `${empty}, header: column 2 has no name`);
    const twice = writeTmp('h2.csv', 'id,score,label,score\n1,2,3,4\n');
    const e = await assertLoadError(
      loadTable(twice),
      'bad-format',
      `${twice}, header: the column name "score" is used twice (columns 2 and 4)`,
    );
    assert.deepEqual(e.location, { file: twice, row: 0, column: 'score' });
  });

  test('JSON that is not an array of records', async () => {
    const object = writeTmp('o.json', '{"a": 1}');
    await assertLoadError(
      loadTable(object),
      'bad-format',
      `${object}: expected a JSON array of objects (records), found an object`,
    );
    const mixed = writeTmp('m.json', '[{"a": 1}, [1, 2]]');
    await assertLoadError(
      loadTable(mixed),
      'bad-format',
      `${mixed}, row 2: expected an object (a record), found an array`,
    );
    const broken = writeTmp('b.json', '[{"a": 1},');
    const e = await assertLoadError(
      loadTable(broken),
      'bad-format',
      `${broken}: not valid JSON (${jsonError('[{"a": 1},')})`,
    );
    assert.equal(e.location.row, undefined);
    const none = writeTmp('n.json', '[]');
    await assertLoadError(loadTable(none), 'file-empty', `${none}: the file has no data rows`);
  });

  test('JSON records with a nested value name the record and the key', async () => {
    const path = writeTmp('nested.json', '[{"id": 1, "meta": "x"}, {"id": 2, "meta": {"k": 1}}]');
    const e = await assertLoadError(
      loadTable(path),
      'bad-format',
      `${path}, column meta, row 2: object values are not supported; a cell must be a string, number, boolean or null`,
    );
    assert.deepEqual(e.location, { file: path, row: 2, column: 'meta' });
  });

  test('a JSON record with an empty key', async () => {
    const path = writeTmp('empty-key.jsonl', '{"a": 1}\n{"a": 2, "": 3}\n');
    await assertLoadError(
      loadTable(path),
      'bad-format',
      `${path}, row 2: a key is empty (""); every column needs a name`,
    );
  });

  test('JSONL errors name the line', async () => {
    const path = writeTmp('bad.jsonl', '{"a": 1}\n\n{"a": \n');
    await assertLoadError(
      loadTable(path),
      'bad-format',
      `${path}, row 3: not valid JSON (${jsonError('{"a":')})`,
    );
    const scalar = writeTmp('scalar.jsonl', '{"a": 1}\n7\n');
    await assertLoadError(
      loadTable(scalar),
      'bad-format',
      `${scalar}, row 2: expected an object (a record), found a number`,
    );
    const invalid = writeTmp(
      'utf.jsonl',
      Buffer.concat([Buffer.from('{"a": "x"}\n{"a": "'), Buffer.from([0xff]), Buffer.from('"}\n')]),
    );
    await assertLoadError(
      loadTable(invalid),
      'bad-encoding',
      `${invalid}, row 2: the text is not valid UTF-8`,
    );
  });

  test('a file that is not Parquet', async () => {
    const path = writeTmp('fake.parquet', 'id,label\n1,2\n');
    await assert.rejects(
      loadTable(path),
      (e: unknown) =>
        e instanceof EngineError &&
        e.code === 'bad-format' &&
        e.message.startsWith(`${path}: not a readable Parquet file (`),
    );
  });
});

/** The message JSON.parse gives for this text (it varies between Node versions). */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected invalid JSON');
}

describe('other formats give the same table as the CSV', () => {
  const header = ['id', 'label', 'score', 'slice', 'note'];
  const rows: (string | number | null)[][] = [
    [1, 'spam', 0.91, 'email', 'has, comma'],
    [2, 'ham', 0.1, 'sms', null],
    [3, 'ham', null, 'email', 'quote "q"'],
    [4, 'spam', 0.5, null, 'é ünïcode'],
  ];
  let reference: Table;

  before(async () => {
    const quote = (v: string | number | null): string =>
      v === null
        ? ''
        : typeof v === 'number'
          ? String(v)
          : /[",\n]/.test(v)
            ? `"${v.replace(/"/g, '""')}"`
            : v;
    reference = await loadTable(
      writeTmp('same.csv', [header, ...rows].map((r) => r.map(quote).join(',')).join('\n') + '\n'),
    );
    assert.deepEqual(
      reference.columns.map((c) => c.kind),
      ['number', 'string', 'number', 'string', 'string'],
    );
  });

  const records = (): Record<string, string | number | null>[] =>
    rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));

  test('TSV', async () => {
    const field = (v: string | number | null): string =>
      v === null
        ? ''
        : /["\t\n]/.test(String(v))
          ? `"${String(v).replace(/"/g, '""')}"`
          : String(v);
    const tsv = [header, ...rows].map((r) => r.map(field).join('\t')).join('\n');
    const t = await loadTable(writeTmp('same.tsv', tsv));
    assert.deepEqual(plain(t), plain(reference));
  });

  test('JSON', async () => {
    const t = await loadTable(writeTmp('same.json', JSON.stringify(records())));
    assert.deepEqual(plain(t), plain(reference));
    assert.equal(t.source.format, 'json');
  });

  test('JSONL (with CRLF and a blank line)', async () => {
    const text =
      records()
        .map((r) => JSON.stringify(r))
        .join('\r\n') + '\r\n\r\n';
    const t = await loadTable(writeTmp('same.jsonl', text));
    assert.deepEqual(plain(t), plain(reference));
  });

  test('Parquet', async () => {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: rows.map((r) => r[0]), type: 'INT32' },
        { name: 'label', data: rows.map((r) => r[1]), type: 'STRING' },
        { name: 'score', data: rows.map((r) => r[2]), type: 'DOUBLE' },
        { name: 'slice', data: rows.map((r) => r[3]), type: 'STRING' },
        { name: 'note', data: rows.map((r) => r[4]), type: 'STRING' },
      ],
    });
    const path = writeTmp('same.parquet', new Uint8Array(buffer));
    const progress: LoadProgress[] = [];
    const t = await loadTable(path, { onProgress: (p) => progress.push(p) });
    assert.deepEqual(plain(t), plain(reference));
    assert.equal(t.source.format, 'parquet');
    assert.equal(
      t.source.sha256,
      createHash('sha256').update(new Uint8Array(buffer)).digest('hex'),
    );
    assert.deepEqual(progress.at(-1), { phase: 'parse', done: 4, total: 4, unit: 'rows' });
  });

  test('typed formats keep their types: JSON strings stay text, booleans become text', async () => {
    const t = await loadTable(
      writeTmp('typed.json', '[{"id": "007", "ok": true}, {"id": "8", "ok": false, "extra": 1.5}]'),
    );
    assert.deepEqual(plain(t), {
      names: ['id', 'ok', 'extra'],
      kinds: ['string', 'string', 'number'],
      rows: [
        ['007', 'true', null],
        ['8', 'false', 1.5],
      ],
    });
  });
});

describe('format, progress, cancellation', () => {
  test('formats come from extensions', () => {
    assert.equal(formatFromPath('a/b.CSV'), 'csv');
    assert.equal(formatFromPath('x.tab'), 'tsv');
    assert.equal(formatFromPath('x.ndjson'), 'jsonl');
    assert.equal(formatFromPath('x.pq'), 'parquet');
    assert.equal(formatFromPath('x.csv.gz'), undefined);
  });

  test('progress reports reading and parsing up to the total', async () => {
    const body = Array.from({ length: 700000 }, (_, i) => `${i},${i % 7}`).join('\n');
    const path = writeTmp('progress.csv', `a,b\n${body}\n`);
    const size = readFileSync(path).length;
    const seen: LoadProgress[] = [];
    const t = await loadTable(path, { onProgress: (p) => seen.push(p) });
    assert.equal(t.nRows, 700000);
    const parse = seen.filter((p) => p.phase === 'parse');
    assert.ok(parse.length >= 2, `parse reports: ${parse.length}`);
    assert.deepEqual(seen.at(-1), { phase: 'parse', done: size, total: size, unit: 'bytes' });
    assert.deepEqual(
      seen.find((p) => p.phase === 'read'),
      { phase: 'read', done: size, total: size, unit: 'bytes' },
    );
    for (let i = 1; i < parse.length; i++) assert.ok(parse[i].done >= parse[i - 1].done);
  });

  test('a cancelled token stops the load between chunks', async () => {
    const body = Array.from({ length: 600000 }, (_, i) => `${i},x${i % 5}`).join('\n');
    const path = writeTmp('cancel.csv', `a,b\n${body}\n`);
    const token = { cancelled: false };
    const load = loadTable(path, {
      cancel: token,
      onProgress: (p) => {
        if (p.phase === 'parse') token.cancelled = true;
      },
    });
    await assertLoadError(load, 'interrupted', 'interrupted');
    await assertLoadError(
      loadTable(path, { cancel: { cancelled: true } }),
      'interrupted',
      'interrupted',
    );
  });
});

describe('requireNumberColumn', () => {
  test('names the first non-number', async () => {
    const path = writeTmp(
      'scores.csv',
      `id,ft_score\n${Array.from({ length: 20 }, (_, i) => `${i + 1},${i === 16 ? 'high' : '0.5'}`).join('\n')}\n`,
    );
    const t = await loadTable(path);
    assert.throws(
      () => requireNumberColumn(t, 'ft_score'),
      (e: unknown) =>
        e instanceof EngineError &&
        e.code === 'not-numeric' &&
        e.message === `${path}, column ft_score, row 17: "high" is not a number` &&
        e.location.row === 17,
    );
    assert.equal(requireNumberColumn(t, 'id').values[19], 20);
  });

  test('converts text columns of decimals, rejects missing values unless allowed, knows the columns', async () => {
    const t = await parseTable(
      Buffer.from('[{"s": "0.25"}, {"s": null}, {"s": "1e-3"}]'),
      'json',
      'mem.json',
    );
    assert.throws(() => requireNumberColumn(t, 's'), {
      code: 'missing-value',
      message: 'column s, row 2: the value is missing',
    });
    assert.deepEqual(Array.from(requireNumberColumn(t, 's', { allowMissing: true }).values), [
      0.25,
      NaN,
      0.001,
    ]);
    assert.throws(() => requireNumberColumn(t, 'score'), {
      code: 'unknown-column',
      message: 'no column "score" (columns: s)',
    });
  });
});

describe('round trips and the number fast path', () => {
  const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

  test('random tables written as CSV read back identically', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.constantFrom('a,b', 'say "x"', 'line\nbreak', 'cr\r\nlf', ' ', '""', '1.5', '-', 'é'),
    );
    const number = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: -1e6, max: 1e6 }),
      fc.integer({ min: 0, max: 999999 }).map((k) => k / 1000),
    );
    const columnSpec = fc.oneof(
      fc.record({
        kind: fc.constant('number' as const),
        values: fc.array(fc.option(number, { freq: 5 }), { minLength: 1, maxLength: 25 }),
      }),
      fc.record({
        kind: fc.constant('text' as const),
        values: fc.array(fc.option(text, { freq: 5 }), { minLength: 1, maxLength: 25 }),
      }),
    );
    const tableSpec = fc.record({
      columns: fc.array(columnSpec, { minLength: 1, maxLength: 5 }),
      crlf: fc.boolean(),
      finalBreak: fc.boolean(),
      bom: fc.boolean(),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(tableSpec, async ({ columns, crlf, finalBreak, bom }) => {
        const n = Math.min(...columns.map((c) => c.values.length));
        const cells = columns.map((c) =>
          c.values
            .slice(0, n)
            .map((v) => (v === null || v === '' ? null : typeof v === 'number' ? String(v) : v)),
        );
        const eol = crlf ? '\r\n' : '\n';
        const field = (v: string | null): string =>
          v === null ? '' : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
        const lines = [columns.map((_, j) => `c${j}`).join(',')];
        for (let r = 0; r < n; r++) {
          const line = cells.map((c) => field(c[r])).join(',');
          lines.push(line === '' ? '""' : line); // a blank line would be skipped
        }
        const body = lines.join(eol) + (finalBreak ? eol : '');
        const t = await parseTable(
          Buffer.from((bom ? '\ufeff' : '') + body),
          'csv',
          `case-${run++}.csv`,
        );
        assert.equal(t.nRows, n);
        cells.forEach((values, j) => {
          const present = values.filter((v): v is string => v !== null);
          const numeric = present.every((v) => DECIMAL.test(v));
          const c = t.columns[j];
          assert.equal(c.kind, numeric ? 'number' : 'string');
          values.forEach((v, r) => {
            const expected = v === null ? null : numeric ? Number(v) : v;
            const actual = cellValue(c, r);
            assert.ok(
              Object.is(actual, expected) || (actual === 0 && expected === 0),
              `c${j} row ${r}: ${String(actual)} vs ${String(expected)}`,
            );
          });
        });
      }),
      { numRuns: 300, seed: 20240601 },
    );
  });

  test('the fast path agrees with Number() on random decimal strings', () => {
    const digits = (max: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: max });
    const decimal = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        digits(20),
        fc.boolean(),
        digits(20),
        fc.option(fc.tuple(fc.constantFrom('e', 'E-', 'e+'), digits(3))),
      )
      .map(
        ([sign, whole, dot, fraction, exponent]) =>
          `${sign}${whole}${dot ? '.' : ''}${dot ? fraction : ''}${exponent ? exponent[0] + exponent[1] : ''}`,
      );
    fc.assert(
      fc.property(decimal, (s) => {
        const expected = DECIMAL.test(s) ? Number(s) : NaN;
        assert.ok(
          Object.is(parseDecimalText(s), expected),
          `${s}: ${parseDecimalText(s)} vs ${expected}`,
        );
      }),
      { numRuns: 30000, seed: 7 },
    );
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: 0, max: 15 }),
        (x, places) => {
          for (const s of [String(x), x.toFixed(places), x.toPrecision(places + 1)]) {
            if (!DECIMAL.test(s)) continue;
            assert.ok(Object.is(parseDecimalText(s), Number(s)), s);
          }
        },
      ),
      { numRuns: 30000, seed: 11 },
    );
  });

  test('numbers inside CSV take the same path as the text parser', async () => {
    const values = Array.from({ length: 2000 }, (_, i) => ((i * 7919) % 1000003) / 997);
    const t = await csv(`x\n${values.map((v) => v.toFixed(6)).join('\n')}\n`);
    const read = numbers(t, 'x');
    values.forEach((v, i) => assert.ok(Object.is(read[i], Number(v.toFixed(6)))));
  });
});
