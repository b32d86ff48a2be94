/**
 * Inspection for notebook front ends (Shift+Tab): what the word at the cursor means.
 *
 * In order: a bound name (a table: its size, source and columns with their types; a result:
 * what it is, its headline numbers and the keys a `check` can use), a path into a result
 * (`R.finetuned` lists its keys and numbers), a parameter, a column of the table the
 * statement works on, a metric, a statement keyword (its synopsis and what it does, as in
 * docs/language.md) and the other keywords. Quick and free of side effects.
 */
import { IDENTIFIER, tokenize } from '../grammar/lexer.js';
import { statementsOf } from './earley.js';
import { MAX_PROGRAM_LENGTH } from './limits.js';
import type { BindableResult } from './values.js';
import { isStatementKeyword, STATEMENT_USAGE, type StatementKeyword } from './messages.js';
import type { Binding, Session } from './session.js';
import { formatCheckNumber, resultKeys, tableKeys, type KeyNode } from './values.js';

/** What the front end shows: markdown, and the same as plain text. */
export interface Inspection {
  readonly found: boolean;
  readonly markdown: string;
  readonly plain: string;
}

const NOTHING: Inspection = { found: false, markdown: '', plain: '' };

/** What each statement does, in a sentence or two (docs/language.md says it at length). */
const STATEMENT_HELP: Readonly<Record<StatementKeyword, string>> = {
  load: 'Reads a table from a CSV, TSV, JSON, JSONL or Parquet file and binds it to a name. Shows the rows, the columns and their types, a preview and the file’s SHA-256.',
  split:
    '`split ... into` partitions a table into seeded, reproducible parts, each bound to its own name (`stratify by` keeps class proportions). `split ... by` slices a table by a column’s values.',
  compare:
    'Computes the metrics of two or more models on the same rows, side by side, with the differences against the first model (McNemar’s exact test, bootstrap intervals), confusion matrices, per-class and per-slice tables, the rows fine-tuning fixed and broke, and warnings about the classic traps.',
  threshold:
    'Sweeps the decision threshold over score columns: ROC and PR curves with the chosen point, metrics against the threshold with a slider, the confusion matrix at the chosen threshold. Rules: `pick max f1` (default), `max fbeta B`, `recall >= X`, `precision >= X`, `min cost fp A fn B`, `at T`.',
  calibration:
    'How well scores behave as probabilities: a reliability diagram, the expected and maximum calibration error and the Brier score, over `bins` equal-width bins (10 by default).',
  curve:
    'Training and validation loss by epoch: the best epoch, where overfitting starts, and where early stopping with the given patience (3 by default) would have stopped.',
  report:
    'Without a file, a summary of the session in the cell. With a `.html` or `.md` file, a standalone report of every result, the program, the input files’ SHA-256, the seeds and the versions; the same program gives the same bytes.',
  check:
    'An assertion about results, such as `check R.finetuned.f1 > R.base.f1 + 0.02`; a failing check stops the cell and makes `evalbook run` exit with status 1. `check leakage TRAIN, TEST on COL` fails when test rows share a value with training rows.',
  leakage:
    'Shows the rows of the test table whose column value also occurs in the training table, like `check leakage` but without failing the cell; `as NAME` binds the finding for `check` (`NAME.leaked_test_rows`, `NAME.leaked_test_fraction`, `NAME.duplicate_texts`) and reports list it.',
  show: 'Shows a bound table (with `limit N`, its first N rows), or a bound result again.',
  set: 'Session defaults: `set positive V` is the positive label of statements that give none; `set seed N` the seed of `split` and `bootstrap`.',
  param:
    'A notebook parameter with its default; `evalbook run --set NAME=VALUE` overrides it. Its name may stand wherever a literal is expected.',
};

/** The other keywords, by what they introduce. */
const KEYWORD_HELP: Readonly<Record<string, string>> = {
  as: '`as NAME` binds the statement’s table or result to a name.',
  format: '`format csv|tsv|json|jsonl|parquet` overrides the format guessed from the file name.',
  into: '`split TABLE into NAME SIZE, ...`: the parts, as shares (`80%`, `0.8`) or row counts.',
  seed: '`seed N`: the seed of a split or a bootstrap; the same seed gives the same rows everywhere.',
  stratify: '`stratify by COLUMN` keeps each label’s proportion the same in every part.',
  by: '`by COLUMN`: per-slice metrics (compare), or slices of a table (split).',
  on: '`on TABLE`: the table the statement works on.',
  against: '`against LABEL`: the column of true labels.',
  score:
    '`PREDICTIONS score SCORES` attaches the score of the positive label to a model, for ROC AUC, average precision, log loss and Brier score.',
  positive:
    '`positive VALUE`: the label that counts as positive (default: `set positive`, else 1 for 0/1 labels).',
  metrics: '`metrics m, ...`: which metrics to show; a default set per task when absent.',
  beta: '`beta B`: the β of the `fbeta` metric.',
  average:
    '`average binary|macro|micro|weighted`: how precision, recall and F-scores are summarised over labels, as in scikit-learn.',
  significance:
    '`significance mcnemar` (McNemar’s exact test, on by default) or `significance bootstrap N [seed S]` (paired bootstrap intervals from N resamples).',
  bootstrap:
    '`significance bootstrap N [seed S]`: paired bootstrap intervals of every delta from N resamples.',
  mcnemar:
    '`significance mcnemar`: McNemar’s exact test on the rows where the two models disagree.',
  explain: '`explain`: each metric’s formula with the actual counts put in.',
  pick: '`pick RULE`: how `threshold` chooses its operating point.',
  bins: '`bins N`: the number of equal-width bins of the reliability diagram.',
  epoch: '`epoch COLUMN`: the epoch column of a training log (`epoch` by default).',
  train: '`train COLUMN`: the training-loss column (`train_loss` by default).',
  val: '`val COLUMN`: the validation-loss column (`val_loss` by default).',
  patience: '`patience N`: epochs without improvement before early stopping would stop.',
  title: '`title "TEXT"`: the report’s title.',
  leakage:
    '`check leakage TRAIN, TEST on COLUMN [normalized]`: test rows whose value also occurs in the training table.',
  normalized: '`normalized`: values also match after lowercasing and collapsing white space.',
  limit: '`limit N`: show the first N rows.',
};

/** One line per metric, as the reference defines them. */
const METRIC_HELP: Readonly<Record<string, string>> = {
  accuracy: 'share of rows predicted right: (TP + TN) / n',
  precision: 'of the rows predicted positive, the share that is positive: TP / (TP + FP)',
  recall: 'of the positive rows, the share predicted positive: TP / (TP + FN)',
  f1: 'harmonic mean of precision and recall: 2·P·R / (P + R)',
  f0_5: 'F-β with β = 0.5 (precision weighs more)',
  f2: 'F-β with β = 2 (recall weighs more)',
  fbeta: 'F-β with the β of the `beta` clause: (1 + β²)·P·R / (β²·P + R)',
  specificity: 'of the negative rows, the share predicted negative: TN / (TN + FP)',
  balanced_accuracy: 'mean recall over the labels present in the truth',
  mcc: 'Matthews correlation coefficient, from -1 to 1; 0 when undefined',
  cohen_kappa: 'agreement beyond chance between predictions and labels',
  roc_auc: 'area under the ROC curve (needs a score column)',
  average_precision: 'step-sum area under the precision-recall curve (needs a score column)',
  log_loss: 'mean negative log-likelihood of the scores (needs probabilities)',
  brier: 'mean squared difference between score and outcome (needs probabilities)',
  mse: 'mean squared error',
  rmse: 'square root of the mean squared error',
  mae: 'mean absolute error',
  r2: 'coefficient of determination: 1 − Σ(y − ŷ)² / Σ(y − ȳ)²',
  explained_variance: '1 − Var(y − ŷ) / Var(y)',
  mape: 'mean absolute percentage error, as a fraction',
  median_absolute_error: 'median of |y − ŷ|',
  max_error: 'largest |y − ŷ|',
};

/** The word (or backticked name) around `cursor`, and the dotted path it ends, if any. */
function wordAt(
  code: string,
  cursor: number,
): { word: string; path: string[]; start: number } | null {
  for (const token of tokenize(code)) {
    if (token.type !== 'word' && token.type !== 'backticked' && token.type !== 'operatorWord')
      continue;
    if (cursor < token.offset || cursor > token.offset + token.text.length) continue;
    const path = [token.value];
    let at = token.offset;
    // Walk back over `.segment` pieces: `R.finetuned.f1` with the cursor on `finetuned`.
    const before = tokenize(code.slice(0, at));
    let i = before.length - 1;
    while (
      i >= 1 &&
      before[i].text === '.' &&
      (before[i - 1].type === 'word' || before[i - 1].type === 'backticked')
    ) {
      path.unshift(before[i - 1].value);
      at = before[i - 1].offset;
      i -= 2;
    }
    return { word: token.value, path, start: at };
  }
  return null;
}

/** Inspects the word at `cursor` (a string index); see the module comment. */
export function inspect(code: string, cursor: number, session: Session): Inspection {
  // A cell beyond the language's bounds is not lexed for inspection either.
  if (code.length > MAX_PROGRAM_LENGTH) return NOTHING;
  const at = wordAt(code, Math.max(0, Math.min(cursor, code.length)));
  if (at === null) return NOTHING;
  const { word, path } = at;
  const binding = session.binding(path[0]);
  if (binding !== undefined && path.length > 1) return inspectPath(binding, path);
  if (binding !== undefined) return inspectBinding(binding);
  const param = session.param(word);
  if (param !== undefined) {
    const value =
      typeof param.value === 'string' ? JSON.stringify(param.value) : String(param.value);
    const note = param.overridden
      ? ` (the run’s value; the default is ${JSON.stringify(param.defaultValue)})`
      : '';
    const text = `parameter ${word} = ${value}${note}`;
    return {
      found: true,
      markdown: `**parameter** \`${word}\` = \`${value}\`${note}`,
      plain: text,
    };
  }
  const column = columnInfo(code, at.start, word, session);
  if (column !== null) return column;
  const lineStart = code.lastIndexOf('\n', at.start - 1) + 1;
  const firstOnLine =
    code.slice(lineStart, at.start).trim() === '' && !/^[ \t]/u.test(code.slice(lineStart));
  if (firstOnLine && isStatementKeyword(word)) {
    const usage = STATEMENT_USAGE[word];
    return {
      found: true,
      markdown: `**${word}**\n\n\`\`\`\n${usage}\n\`\`\`\n\n${STATEMENT_HELP[word]}`,
      plain: `${usage}\n\n${STATEMENT_HELP[word].replace(/`/gu, '')}`,
    };
  }
  if (Object.hasOwn(METRIC_HELP, word)) {
    return {
      found: true,
      markdown: `**metric** \`${word}\`: ${METRIC_HELP[word]}`,
      plain: `metric ${word}: ${METRIC_HELP[word]}`,
    };
  }
  if (Object.hasOwn(KEYWORD_HELP, word)) {
    return {
      found: true,
      markdown: KEYWORD_HELP[word],
      plain: KEYWORD_HELP[word].replace(/`/gu, ''),
    };
  }
  if (isStatementKeyword(word)) {
    return {
      found: true,
      markdown: STATEMENT_HELP[word],
      plain: STATEMENT_HELP[word].replace(/`/gu, ''),
    };
  }
  return NOTHING;
}

function nameText(name: string): string {
  return IDENTIFIER.test(name) ? name : `\`${name}\``;
}

function inspectBinding(binding: Binding): Inspection {
  if (binding.kind === 'table') {
    const s = binding.summary;
    const source =
      s.source.path !== null
        ? `file ${s.source.path}${s.source.sha256 === null ? '' : ` (SHA-256 ${s.source.sha256})`}`
        : (s.source.derivedFrom ?? 'derived table');
    const rows = s.columns.map((c) =>
      c.type === 'number'
        ? [
            c.name,
            `number${c.categorical ? ' (class labels)' : ''}`,
            `min ${c.min ?? 'n/a'}, max ${c.max ?? 'n/a'}`,
            String(c.missing),
          ]
        : [c.name, 'text', `${c.distinct} distinct`, String(c.missing)],
    );
    const heading = `table ${binding.name}: ${s.rows} rows × ${s.columns.length} columns`;
    const cell = (text: string): string => text.replace(/\|/gu, '\\|');
    return {
      found: true,
      markdown: [
        `**${heading}**`,
        '',
        source,
        '',
        '| column | type | values | missing |',
        '|---|---|---|---|',
        ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
        '',
        `In checks: \`${nameText(binding.name)}.rows\`, \`${nameText(binding.name)}.columns\`.`,
      ].join('\n'),
      plain: [
        heading,
        source,
        ...rows.map((r) => `  ${r[0]}: ${r[1]}, ${r[2]}, ${r[3]} missing`),
      ].join('\n'),
    };
  }
  const keys = resultKeys(binding.result);
  const headline = headlineOf(binding.result);
  const keyList = keys.kind === 'keys' ? [...keys.keys.keys()] : [];
  const title = `result ${binding.name}: ${binding.result.kind} (bound at line ${binding.origin.line})`;
  return {
    found: true,
    markdown: [
      `**${title}**`,
      '',
      ...headline.map((h) => `- ${h}`),
      '',
      `Keys for \`check\`: ${keyList.map((k) => `\`${nameText(binding.name)}.${nameText(k)}\``).join(', ')}`,
    ].join('\n'),
    plain: [title, ...headline.map((h) => `  ${h}`), `keys: ${keyList.join(', ')}`].join('\n'),
  };
}

function inspectPath(binding: Binding, path: readonly string[]): Inspection {
  let node: KeyNode | undefined =
    binding.kind === 'table' ? tableKeys(binding.table) : resultKeys(binding.result);
  for (const key of path.slice(1)) {
    if (node?.kind !== 'keys') return NOTHING;
    node = node.keys.get(key) ?? node.any?.node;
  }
  if (node === undefined) return NOTHING;
  const shown = path.map(nameText).join('.');
  if (node.kind === 'value') {
    const value =
      node.value === null
        ? `n/a${node.why === undefined ? '' : ` (${node.why})`}`
        : formatCheckNumber(node.value);
    return { found: true, markdown: `\`${shown}\` = ${value}`, plain: `${shown} = ${value}` };
  }
  if (node.kind === 'later') return NOTHING;
  const lines = [...node.keys.entries()].map(([key, child]) => {
    const v =
      child.kind === 'value'
        ? child.value === null
          ? 'n/a'
          : formatCheckNumber(child.value)
        : '…';
    return `${shown}.${nameText(key)} = ${v}`;
  });
  return {
    found: true,
    markdown: lines.map((l) => `- \`${l.split(' = ')[0]}\` = ${l.split(' = ')[1]}`).join('\n'),
    plain: lines.join('\n'),
  };
}

/** The numbers a result is about, in a few lines. */
function headlineOf(result: BindableResult): string[] {
  const n = (x: number | null): string => (x === null ? 'n/a' : formatCheckNumber(x));
  switch (result.kind) {
    case 'comparison':
      return [
        `${result.task} comparison of ${result.models.map((m) => m.name).join(', ')} on ${result.n} rows`,
        ...result.metricTable.metrics.map(
          (metric, m) =>
            `${metric}: ${result.metricTable.models.map((model, j) => `${model} ${n(result.metricTable.values[m][j])}`).join(', ')}`,
        ),
        ...result.deltas.map((d) => d.headline),
      ];
    case 'threshold':
      return result.models.map((m) =>
        m.chosen === null
          ? `${m.name}: no threshold (${m.notFound ?? 'not found'})`
          : `${m.name}: threshold ${n(m.chosen.threshold)} (${result.rule.description}), precision ${n(m.chosen.precision)}, recall ${n(m.chosen.recall)}, F1 ${n(m.chosen.f1)}`,
      );
    case 'calibration':
      return result.models.map(
        (m) => `${m.name}: ECE ${n(m.ece)}, MCE ${n(m.mce)}, Brier ${n(m.brier)}`,
      );
    case 'loss-curve':
      return [
        `best epoch ${result.bestEpoch} (validation loss ${n(result.bestValLoss)}) of ${result.epochs}`,
        result.overfittingStartEpoch === null
          ? 'no overfitting found'
          : `overfitting from epoch ${result.overfittingStartEpoch}`,
      ];
    case 'slices':
      return [`${result.sliceCount} slices of ${result.rows} rows by ${result.column}`];
    case 'leakage':
      return [
        `${result.leakedTestRows} of ${result.testRows} rows of ${result.test ?? 'the test table'} have a ${result.column} that is also in ${result.train ?? 'the training table'} (${result.duplicateTextCount} shared values)`,
        ...(result.normalized === null
          ? []
          : [
              `normalized: ${result.normalized.leakedTestRows} rows (${result.normalized.duplicateTextCount} shared values)`,
            ]),
      ];
  }
}

/** A column of the table the statement works on (the name after `on`, or its first name). */
function columnInfo(
  code: string,
  wordStart: number,
  word: string,
  session: Session,
): Inspection | null {
  const statement = statementsOf(tokenize(code))
    .filter((s) => s[0].offset <= wordStart)
    .pop();
  if (statement === undefined) return null;
  const names = statement.filter((t) => t.type === 'word' || t.type === 'backticked');
  const on = names.findIndex((t) => t.text === 'on');
  const candidates = [on >= 0 ? names[on + 1]?.value : undefined, names[1]?.value].filter(
    (n): n is string => n !== undefined,
  );
  for (const name of candidates) {
    const b = session.binding(name);
    if (b?.kind !== 'table') continue;
    const column = b.summary.columns.find((c) => c.name === word);
    if (column === undefined) continue;
    const detail =
      column.type === 'number'
        ? `numbers${column.categorical ? ' (class labels)' : ''}, min ${column.min ?? 'n/a'}, max ${column.max ?? 'n/a'}, mean ${column.mean === null ? 'n/a' : formatCheckNumber(column.mean)}, ${column.missing} missing`
        : `text, ${column.distinct} distinct values (most frequent: ${column.top.map((t) => `${JSON.stringify(t.value)} ${t.count}`).join(', ')}), ${column.missing} missing`;
    return {
      found: true,
      markdown: `**column** \`${word}\` of table \`${name}\`: ${detail}`,
      plain: `column ${word} of table ${name}: ${detail}`,
    };
  }
  return null;
}
