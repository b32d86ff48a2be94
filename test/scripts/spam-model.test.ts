import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Rng } from '../../engine/random.js';
import {
  buildSpamData,
  cleanSubject,
  csvText,
  DEFAULT_CONFIG,
  loadCorpus,
  LOSS_COLUMNS,
  normalizeText,
  predictionOf,
  senderSlices,
  TEST_COLUMNS,
  TRAIN_COLUMNS,
  type SpamDataConfig,
} from '../../scripts/spam-data.js';
import {
  LogisticRegression,
  marginLogLoss,
  meanLogLoss,
  sigmoid,
  trainSgd,
  type SgdSchedule,
} from '../../scripts/spam-model.js';
import { renderReadme } from '../../scripts/spam-readme.js';
import {
  addressDomain,
  decodeEncodedWords,
  fnv1a32,
  hashFeatures,
  messageTokens,
  parseMessage,
  registrableDomain,
  stripHtml,
  tokenize,
  type CorpusMessage,
  type SparseVector,
} from '../../scripts/spam-text.js';
import { parseCsvRows, type CsvRows } from '../helpers/csv.js';
import { repoRoot } from '../helpers/golden.js';

const dataDir = join(repoRoot, 'notebooks', 'data');

// ---------------------------------------------------------------------------------------------
// Text: tokenizer, hashing, MIME
// ---------------------------------------------------------------------------------------------

test('tokenize lowercases ASCII, keeps $ and digits, drops 1-letter and over-long runs', () => {
  assert.deepEqual(tokenize('Hello, WORLD! Get $100 now-ish a I x'), [
    'hello',
    'world',
    'get',
    '$100',
    'now',
    'ish',
  ]);
  assert.deepEqual(tokenize(`ok ${'z'.repeat(30)} ${'y'.repeat(31)} end`), [
    'ok',
    'z'.repeat(30),
    'end',
  ]);
  // Non-ASCII letters separate tokens; they are never lowercased through Unicode tables.
  assert.deepEqual(tokenize('CAFÉ straßen'), ['caf', 'stra', 'en']);
  assert.deepEqual(tokenize(''), []);
});

test('fnv1a32 matches the published FNV-1a test vectors', () => {
  assert.equal(fnv1a32(''), 0x811c9dc5);
  assert.equal(fnv1a32('a'), 0xe40c292c);
  assert.equal(fnv1a32('foobar'), 0xbf9cf968);
  // Hashes UTF-8 bytes: "é" is C3 A9.
  let h = 0x811c9dc5;
  for (const byte of [0xc3, 0xa9]) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  assert.equal(fnv1a32('é'), h);
});

test('hashFeatures: distinct buckets, sorted, binary', () => {
  // fnv1a32('a') = 0xe40c292c and fnv1a32('foobar') = 0xbf9cf968: low 8 bits 0x2c and 0x68.
  const x = hashFeatures(['foobar', 'a', 'a'], 8);
  assert.deepEqual([...x.indices], [0x2c, 0x68]);
  assert.deepEqual([...x.values], [1, 1]);
  const wide = hashFeatures(['a'], 18);
  assert.deepEqual([...wide.indices], [0xe40c292c & 0x3ffff]);
  assert.equal(hashFeatures([], 18).indices.length, 0);
  assert.throws(() => hashFeatures(['a'], 0), RangeError);
});

test('decodeEncodedWords decodes Q and B words and joins adjacent ones', () => {
  assert.equal(decodeEncodedWords('=?iso-8859-1?Q?Caf=E9_au_lait?='), 'Café au lait');
  assert.equal(decodeEncodedWords('=?utf-8?B?w4lsw6h2ZQ==?= notes'), 'Élève notes');
  assert.equal(decodeEncodedWords('=?us-ascii?Q?a?= =?us-ascii?Q?b?=  c'), 'ab c');
  // An unknown charset is left as it is.
  assert.equal(decodeEncodedWords('=?x-nonsense?Q?hi?='), '=?x-nonsense?Q?hi?=');
});

test('sender domains: the address, then its registrable part', () => {
  assert.equal(addressDomain('"Joe" <joe@Mail.Yahoo.CO.UK>'), 'mail.yahoo.co.uk');
  assert.equal(addressDomain('no address here'), '');
  assert.equal(registrableDomain('mail.yahoo.co.uk'), 'yahoo.co.uk');
  assert.equal(registrableDomain('lists.sourceforge.net'), 'sourceforge.net');
  assert.equal(registrableDomain('example.de'), 'example.de');
  assert.equal(registrableDomain(''), 'unknown');
});

test('stripHtml drops tags, scripts, styles and comments and decodes entities', () => {
  const text = stripHtml(
    '<html><style>p{x:1}</style><script>var a="<b>";</script><!-- hidden --><p>Win&nbsp;&amp;&#36;5&#x21;</p></html>',
  );
  assert.equal(text.replace(/\s+/g, ' ').trim(), 'Win &$5!');
});

const RAW_MESSAGE = [
  'From: "Deals" <offers@news.example.co.uk>',
  'Subject: =?iso-8859-1?Q?Big_Savings?=',
  '  for you',
  'Subject: a second subject header is ignored',
  'Content-Type: multipart/alternative; boundary="XYZ"',
  '',
  'preamble',
  '--XYZ',
  'Content-Type: text/plain; charset=us-ascii',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Cheap mort=',
  'gage =3D now',
  '--XYZ',
  'Content-Type: text/html',
  '',
  '<b>CLICK</b> here',
  '--XYZ',
  'Content-Type: image/gif',
  'Content-Transfer-Encoding: base64',
  '',
  'R0lGODlh',
  '--XYZ--',
  'epilogue',
].join('\r\n');

test('parseMessage reads headers, folds, multipart, quoted-printable and HTML', () => {
  const parsed = parseMessage(RAW_MESSAGE);
  assert.equal(parsed.subject, 'Big Savings for you');
  assert.equal(parsed.senderDomain, 'example.co.uk');
  assert.deepEqual(tokenize(parsed.body), ['cheap', 'mortgage', 'now', 'click', 'here']);
  assert.deepEqual(parsed.headerTokens, [
    'ctype:multipart/alternative',
    'ctype:text/plain',
    'ctype:text/html',
    'has:html',
    'ctype:image/gif',
    'has:attachment',
  ]);
  assert.deepEqual(messageTokens(parsed), [
    'big',
    'savings',
    'for',
    'you',
    'subject:big',
    'subject:savings',
    'subject:for',
    'subject:you',
    'cheap',
    'mortgage',
    'now',
    'click',
    'here',
    'from:example.co.uk',
    'ctype:multipart/alternative',
    'ctype:text/plain',
    'ctype:text/html',
    'has:html',
    'ctype:image/gif',
    'has:attachment',
  ]);
});

test('parseMessage decodes a base64 UTF-8 body and survives a message with no body', () => {
  const body = Buffer.from('Grüße, free offer', 'utf8').toString('base64');
  const parsed = parseMessage(
    `Subject: hi\nContent-Type: text/plain; charset="UTF-8"\nContent-Transfer-Encoding: base64\n\n${body}\n`,
  );
  assert.equal(parsed.body.trim(), 'Grüße, free offer');
  const empty = parseMessage('Subject: only headers');
  assert.equal(empty.subject, 'only headers');
  assert.equal(empty.senderDomain, 'unknown');
  assert.equal(empty.body, '');
});

test('cleanSubject: one line, debris removed, cut with an ellipsis', () => {
  assert.equal(cleanSubject('  Re:\tHello\u0007  world\ufffd ', 100), 'Re: Hello world');
  assert.equal(cleanSubject('', 100), '(no subject)');
  assert.equal(cleanSubject('\u{1F600}', 100), '(no subject)');
  assert.equal(cleanSubject('abcdefghij', 10), 'abcdefghij');
  assert.equal(cleanSubject('abcd efghijk', 10), 'abcd efgh…');
  assert.equal(cleanSubject('abcd     efghijk', 6), 'abcd…');
});

test('normalizeText lowercases and collapses whitespace', () => {
  assert.equal(normalizeText('  Re:  [ILUG]\tHello '), 're: [ilug] hello');
});

test('csvText quotes fields as RFC 4180 says', () => {
  assert.equal(
    csvText(
      ['a', 'b'],
      [
        ['plain', 'with, comma'],
        ['say "hi"', ''],
      ],
    ),
    'a,b\nplain,"with, comma"\n"say ""hi""",\n',
  );
});

test('senderSlices keeps the most frequent domains, ties by name, the rest "other"', () => {
  const slices = senderSlices(['b', 'a', 'c', 'c', 'd', 'a', 'e'], 3);
  assert.deepEqual(Object.fromEntries(slices), {
    a: 'a',
    c: 'c',
    b: 'other',
    d: 'other',
    e: 'other',
  });
  const few = senderSlices(['x', 'y'], 3);
  assert.deepEqual(Object.fromEntries(few), { x: 'x', y: 'y' });
});

test('predictionOf is spam exactly from 0.5 up', () => {
  assert.equal(predictionOf('0.500000'), 'spam');
  assert.equal(predictionOf('0.499999'), 'ham');
});

// ---------------------------------------------------------------------------------------------
// Model: logistic regression by SGD
// ---------------------------------------------------------------------------------------------

test('sigmoid and the margin log loss are stable at large margins', () => {
  assert.equal(sigmoid(0), 0.5);
  assert.equal(sigmoid(800), 1);
  assert.equal(sigmoid(-800), 0);
  assert.equal(marginLogLoss(0, true), Math.LN2);
  assert.equal(marginLogLoss(-800, true), 800);
  assert.equal(marginLogLoss(800, true), 0);
  assert.ok(Math.abs(marginLogLoss(2, false) - Math.log(1 + Math.exp(2))) < 1e-15);
});

function sparse(indices: number[]): SparseVector {
  return { indices: Int32Array.from(indices), values: new Float64Array(indices.length).fill(1) };
}

/** A small separable set: feature 0 or 1 marks the class, features 2..9 are shared noise. */
function tinyDataset(): { x: SparseVector[]; y: boolean[] } {
  const rng = new Rng(5);
  const x: SparseVector[] = [];
  const y: boolean[] = [];
  for (let i = 0; i < 40; i++) {
    const positive = i % 2 === 0;
    const noise = new Set([2 + rng.nextInt(8), 2 + rng.nextInt(8)]);
    x.push(sparse([positive ? 0 : 1, ...[...noise].sort((a, b) => a - b)]));
    y.push(positive);
  }
  return { x, y };
}

test('SGD fits a tiny separable dataset to a low loss', () => {
  const { x, y } = tinyDataset();
  const model = new LogisticRegression(10);
  assert.ok(Math.abs(meanLogLoss(model, x, y) - Math.LN2) < 1e-15);
  const losses: number[] = [];
  trainSgd(model, x, y, { epochs: 40, learningRate: 0.5, decay: 0, l2: 0, seed: 1 }, (_, m) =>
    losses.push(meanLogLoss(m, x, y)),
  );
  assert.equal(losses.length, 40);
  assert.ok(losses[39] < 0.05, `final loss ${losses[39]}`);
  assert.ok(losses[39] < losses[0]);
  x.forEach((xi, i) => assert.equal(model.probability(xi) >= 0.5, y[i]));
  assert.ok(model.weight(0) > 1 && model.weight(1) < -1);
});

/** The same SGD written out densely: w ← (1 − rate·l2)·w − rate·(p − y)·x at every step. */
function denseSgd(
  x: SparseVector[],
  y: boolean[],
  schedule: SgdSchedule,
): { w: Float64Array; bias: number } {
  const w = new Float64Array(10);
  let bias = 0;
  const rng = new Rng(schedule.seed);
  for (let epoch = 1; epoch <= schedule.epochs; epoch++) {
    const order = rng.shuffle(Int32Array.from(x.keys()));
    const rate = schedule.learningRate / (1 + schedule.decay * (epoch - 1));
    for (const i of order) {
      let z = bias;
      x[i].indices.forEach((j) => (z += w[j]));
      const g = sigmoid(z) - (y[i] ? 1 : 0);
      for (let j = 0; j < 10; j++) w[j] *= 1 - rate * schedule.l2;
      x[i].indices.forEach((j) => (w[j] -= rate * g));
      bias -= rate * g;
    }
  }
  return { w, bias };
}

test('the lazily scaled L2 step equals the plain dense SGD update', () => {
  const { x, y } = tinyDataset();
  const schedules: SgdSchedule[] = [
    { epochs: 5, learningRate: 0.3, decay: 0.5, l2: 0.05, seed: 9 },
    // Shrinks the scale by 4 each step, so it is folded back into the weights many times.
    { epochs: 2, learningRate: 0.5, decay: 0, l2: 1.5, seed: 2 },
  ];
  for (const schedule of schedules) {
    const model = new LogisticRegression(10);
    trainSgd(model, x, y, schedule);
    const dense = denseSgd(x, y, schedule);
    for (let j = 0; j < 10; j++) {
      const tolerance = 1e-12 * Math.max(1, Math.abs(dense.w[j]));
      assert.ok(Math.abs(model.weight(j) - dense.w[j]) <= tolerance, `weight ${j}`);
    }
    assert.ok(Math.abs(model.bias - dense.bias) < 1e-12);
  }
});

test('training is deterministic: same seed, same weights; another seed, other weights', () => {
  const { x, y } = tinyDataset();
  const train = (seed: number): number[] => {
    const model = new LogisticRegression(10);
    trainSgd(model, x, y, { epochs: 3, learningRate: 0.5, decay: 0, l2: 0.01, seed });
    return [...Array(10).keys()].map((j) => model.weight(j)).concat(model.bias);
  };
  assert.deepEqual(train(3), train(3));
  assert.notDeepEqual(train(3), train(4));
});

test('a clone is independent of its original', () => {
  const { x, y } = tinyDataset();
  const model = new LogisticRegression(10);
  const copy = model.clone();
  trainSgd(model, x, y, { epochs: 1, learningRate: 0.5, decay: 0, l2: 0, seed: 1 });
  assert.equal(copy.weight(0), 0);
  assert.equal(copy.bias, 0);
  assert.notEqual(model.weight(0), 0);
});

test('trainSgd rejects mismatched labels and a step that would flip the weights', () => {
  const { x, y } = tinyDataset();
  const schedule: SgdSchedule = { epochs: 1, learningRate: 0.5, decay: 0, l2: 0, seed: 1 };
  assert.throws(() => trainSgd(new LogisticRegression(10), x, y.slice(1), schedule), RangeError);
  assert.throws(
    () => trainSgd(new LogisticRegression(10), x, y, { ...schedule, learningRate: 2, l2: 1 }),
    RangeError,
  );
});

// ---------------------------------------------------------------------------------------------
// The generated files
// ---------------------------------------------------------------------------------------------

/** Reads a CSV file written here, which must end with a line break. */
function readCsv(name: string): CsvRows {
  const text = readFileSync(join(dataDir, name), 'utf8');
  assert.ok(text.endsWith('\n'), `${name} ends with a newline`);
  return parseCsvRows(text, name);
}

/** Rows per part of each new-domain group, as the split computes them. */
const NEW_GROUP_SIZES = { 'easy-ham-2': 1400, 'hard-ham-1': 250, 'spam-2': 1396 };
const expectedTestRows = Object.values(NEW_GROUP_SIZES).reduce(
  (n, size) => n + Math.round(size * DEFAULT_CONFIG.testFraction),
  0,
);
const expectedTrainRows = Object.values(NEW_GROUP_SIZES).reduce(
  (n, size) =>
    n +
    size -
    Math.round(size * DEFAULT_CONFIG.testFraction) -
    Math.round(size * DEFAULT_CONFIG.validationFraction),
  0,
);

test('the data files exist, are small and have the documented columns', () => {
  let total = 0;
  for (const name of [
    'spam_test.csv',
    'spam_rare_test.csv',
    'finetune_train.csv',
    'finetune_loss.csv',
    'README.md',
  ]) {
    const path = join(dataDir, name);
    assert.ok(existsSync(path), `${name} exists`);
    total += readFileSync(path).length;
  }
  assert.ok(total < 2_000_000, `${total} bytes`);
  assert.deepEqual(readCsv('spam_test.csv').header, [...TEST_COLUMNS]);
  assert.deepEqual(readCsv('spam_rare_test.csv').header, [...TEST_COLUMNS]);
  assert.deepEqual(readCsv('finetune_train.csv').header, [...TRAIN_COLUMNS]);
  assert.deepEqual(readCsv('finetune_loss.csv').header, [...LOSS_COLUMNS]);
});

const SCORE = /^(0\.\d{6}|1\.000000)$/;

function checkScoredRows(name: string, rows: CsvRows['rows']): void {
  const ids = new Set<string>();
  for (const [id, text, label, source, domain, basePred, ftPred, baseScore, ftScore] of rows) {
    assert.match(id, /^m-\d{4}$/);
    ids.add(id);
    assert.ok(text.length > 0 && text.length <= DEFAULT_CONFIG.maxTextLength, `${name} ${id} text`);
    assert.ok(!/[\r\n\t]/.test(text));
    assert.ok(label === 'spam' || label === 'ham');
    assert.equal(source === 'spam', label === 'spam', `${name} ${id} source ${source}`);
    assert.ok(['easy_ham', 'hard_ham', 'spam'].includes(source));
    assert.ok(domain.length > 0);
    for (const [pred, score] of [
      [basePred, baseScore],
      [ftPred, ftScore],
    ]) {
      assert.match(score, SCORE, `${name} ${id} score ${score}`);
      assert.equal(
        pred,
        Number(score) >= 0.5 ? 'spam' : 'ham',
        `${name} ${id}: ${pred} at ${score}`,
      );
    }
  }
  assert.equal(ids.size, rows.length, `${name} ids are unique`);
}

test('spam_test.csv: one row per test message, predictions are score >= 0.5', () => {
  const { rows } = readCsv('spam_test.csv');
  assert.equal(rows.length, expectedTestRows);
  checkScoredRows('spam_test.csv', rows);
  const bySource = new Map<string, number>();
  for (const row of rows) bySource.set(row[3], (bySource.get(row[3]) ?? 0) + 1);
  assert.equal(bySource.get('hard_ham'), Math.round(250 * DEFAULT_CONFIG.testFraction));
  const domains = new Set(rows.map((row) => row[4]));
  assert.ok(domains.size <= DEFAULT_CONFIG.maxSenderSlices && domains.has('other'));
  // The story the notebooks tell: fine-tuning helps on hard ham, and breaks some rows.
  const right = (row: readonly string[], col: number): boolean => row[col] === row[2];
  const hardHam = rows.filter((row) => row[3] === 'hard_ham');
  const baseRight = hardHam.filter((row) => right(row, 5)).length;
  const ftRight = hardHam.filter((row) => right(row, 6)).length;
  assert.ok(ftRight > baseRight, `hard ham right: base ${baseRight}, fine-tuned ${ftRight}`);
  assert.ok(
    rows.some((row) => right(row, 5) && !right(row, 6)),
    'some rows are broken',
  );
});

test('spam_rare_test.csv: every test ham, spam at 2% (±1 row), rows as in spam_test.csv', () => {
  const test = readCsv('spam_test.csv').rows;
  const { rows } = readCsv('spam_rare_test.csv');
  checkScoredRows('spam_rare_test.csv', rows);
  const testById = new Map(test.map((row) => [row[0], row]));
  for (const row of rows) assert.deepEqual(row, testById.get(row[0]));
  const ham = rows.filter((row) => row[2] === 'ham').length;
  assert.equal(ham, test.filter((row) => row[2] === 'ham').length);
  const spam = rows.length - ham;
  assert.ok(spam > 0);
  assert.ok(
    Math.abs(spam - DEFAULT_CONFIG.rareSpamShare * rows.length) <= 1,
    `${spam} of ${rows.length}`,
  );
});

test('finetune_train.csv: the training part, with unique ids and labels', () => {
  const { rows } = readCsv('finetune_train.csv');
  assert.equal(rows.length, expectedTrainRows);
  assert.equal(new Set(rows.map((row) => row[0])).size, rows.length);
  for (const [id, text, label] of rows) {
    assert.match(id, /^t-\d{4}$/);
    assert.ok(text.length > 0 && text.length <= DEFAULT_CONFIG.maxTextLength);
    assert.ok(label === 'spam' || label === 'ham');
  }
  // The corpus really repeats subjects across the parts; the leakage lesson depends on it.
  const trainTexts = new Set(rows.map((row) => row[1]));
  assert.ok(readCsv('spam_test.csv').rows.some((row) => trainTexts.has(row[1])));
});

test('finetune_loss.csv: one row per epoch; validation loss bottoms out, then rises', () => {
  const { rows } = readCsv('finetune_loss.csv');
  assert.equal(rows.length, DEFAULT_CONFIG.fineTune.epochs);
  rows.forEach((row, i) => {
    assert.equal(row[0], String(i + 1));
    assert.match(row[1], /^\d+\.\d{6}$/);
    assert.match(row[2], /^\d+\.\d{6}$/);
  });
  const train = rows.map((row) => Number(row[1]));
  const val = rows.map((row) => Number(row[2]));
  const best = val.indexOf(Math.min(...val));
  assert.ok(best > 0 && best < val.length - 5, `best epoch ${best + 1}`);
  assert.ok(val[val.length - 1] > val[best] * 1.1, 'validation loss rises after its minimum');
  assert.ok(train[train.length - 1] < train[best], 'training loss keeps falling');
});

// ---------------------------------------------------------------------------------------------
// Determinism of the generator
// ---------------------------------------------------------------------------------------------

let corpusCache: CorpusMessage[] | undefined;
function corpus(): CorpusMessage[] {
  corpusCache ??= loadCorpus();
  return corpusCache;
}

/** The first `n` messages of every group, in corpus order. */
function subset(n: number): CorpusMessage[] {
  const taken = new Map<string, number>();
  return corpus().filter((m) => {
    const count = taken.get(m.group) ?? 0;
    taken.set(m.group, count + 1);
    return count < n;
  });
}

const SMALL_CONFIG: SpamDataConfig = {
  ...DEFAULT_CONFIG,
  hashBits: 12,
  base: { ...DEFAULT_CONFIG.base, epochs: 3 },
  fineTune: { ...DEFAULT_CONFIG.fineTune, epochs: 4 },
};

test('the corpus loads with its five groups', () => {
  const counts = new Map<string, number>();
  for (const m of corpus()) counts.set(m.group, (counts.get(m.group) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(counts), {
    'easy-ham-1': 2500,
    'easy-ham-2': 1400,
    'hard-ham-1': 250,
    'spam-1': 500,
    'spam-2': 1396,
  });
});

test('the generator is deterministic on a subset: same seed, same files; other seed, other split', () => {
  const messages = subset(60);
  const first = buildSpamData(messages, SMALL_CONFIG);
  const second = buildSpamData(messages, SMALL_CONFIG);
  assert.deepEqual([...first.files], [...second.files]);
  assert.deepEqual(first.summary, second.summary);
  assert.equal(first.files.get('finetune_loss.csv')?.split('\n').length, 4 + 2);
  // 60 per new group, 30% of each in the test part.
  assert.equal(first.summary.parts.test.hard_ham, 18);
  const reseeded = buildSpamData(messages, {
    ...SMALL_CONFIG,
    splitSeed: SMALL_CONFIG.splitSeed + 1,
  });
  assert.notEqual(reseeded.files.get('spam_test.csv'), first.files.get('spam_test.csv'));
});

test('rerunning the generator on the whole corpus reproduces the committed files byte for byte', () => {
  const data = buildSpamData(corpus(), DEFAULT_CONFIG);
  for (const [name, content] of data.files) {
    assert.equal(
      readFileSync(join(dataDir, name), 'utf8'),
      content,
      `${name} is stale: rerun the generator`,
    );
  }
  assert.equal(
    readFileSync(join(dataDir, 'README.md'), 'utf8'),
    renderReadme(data, DEFAULT_CONFIG),
  );
  assert.equal(
    data.summary.parts.test.hard_ham + data.summary.parts.test.easy_ham,
    data.summary.rare.rows - data.summary.rare.spam,
  );
});
