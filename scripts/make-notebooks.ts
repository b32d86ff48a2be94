/**
 * Writes the example notebooks in notebooks/ (quickstart, precision-recall-tradeoffs,
 * finetune-writeup) from the cells below, unexecuted, with stable cell ids, so that they stay
 * tidy and reviewable as code. The numbers quoted in the markdown cells come from the data in
 * notebooks/data/ (see its README.md) and from the outputs of the cells; the notebook tests
 * check the outputs against the same numbers.
 *
 *   npx tsc -p . && node dist/scripts/make-notebooks.js
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serializeNotebook, type Notebook, type NotebookCell } from '../bin/notebook.js';
import { DISPLAY_NAME } from '../kernel/install.js';
import { FILE_EXTENSION, LANGUAGE_MIMETYPE, LANGUAGE_NAME } from '../kernel/kernel-info.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface CellSpec {
  readonly id: string;
  readonly tags?: readonly string[];
}

function markdown(id: string, ...lines: string[]): NotebookCell {
  return { cell_type: 'markdown', id, source: lines.join('\n'), metadata: {} };
}

function code(spec: CellSpec | string, ...lines: string[]): NotebookCell {
  const { id, tags } = typeof spec === 'string' ? { id: spec, tags: undefined } : spec;
  return {
    cell_type: 'code',
    id,
    source: lines.join('\n'),
    metadata: tags === undefined ? {} : { tags: [...tags] },
    execution_count: null,
    outputs: [],
  };
}

function notebook(cells: NotebookCell[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { display_name: DISPLAY_NAME, language: LANGUAGE_NAME, name: LANGUAGE_NAME },
      language_info: {
        name: LANGUAGE_NAME,
        mimetype: LANGUAGE_MIMETYPE,
        file_extension: FILE_EXTENSION,
        codemirror_mode: 'python',
        pygments_lexer: 'python',
      },
    },
    cells,
  };
}

const COMPARE_WITH_SCORES = [
  'compare base = base_pred score base_score, finetuned = ft_pred score ft_score',
  '    on test against label positive "spam"',
];

export const QUICKSTART = notebook([
  markdown(
    'title',
    '# Quickstart: did fine-tuning help the spam filter?',
    '',
    'A spam filter trained on older mail (the **base** model) was **fine-tuned** on a labelled part of',
    'later mail, which includes *hard ham*: newsletters, shop mailings and notifications that look like',
    'spam. Both models scored the same held-out test set: 914 real messages from the SpamAssassin',
    'public corpus ([how the data was made](data/README.md)).',
    '',
    'Five cells: load the test set, compare the models, pick a threshold, check the gain, write a',
    'report. Run them from the top (*Cell → Run All*), or headless with',
    '`evalbook run quickstart.ipynb`.',
  ),
  markdown(
    'load-md',
    '## 1. Load the test set',
    '',
    'The file is a **parameter** (this cell is tagged `parameters`), so',
    '`evalbook run quickstart.ipynb --set data=data/spam_rare_test.csv` runs the same notebook on',
    'another file. Look at the row count (914 rows), the columns — the truth in `label`, each',
    "model's prediction (`base_pred`, `ft_pred`) and score (`base_score`, `ft_score`) — and the",
    "file's SHA-256, which the report records so that anyone can check they evaluated the same data.",
  ),
  code(
    { id: 'load', tags: ['parameters'] },
    'param data = "data/spam_test.csv"',
    'load data as test',
  ),
  markdown(
    'compare-md',
    '## 2. Compare the models on the same rows',
    '',
    'Metrics side by side, with the difference and a 95% bootstrap interval for each. What to look',
    'at:',
    '',
    '- **accuracy** goes from 0.9059 to 0.9737 and **F1** from 0.9002 to 0.9717;',
    '- the **paired** table: on how many rows fine-tuning *fixed* the base model (67) and on how',
    "  many it *broke* it (5). McNemar's exact test asks whether 67 against 5 could be chance;",
    '- the `score` columns add ROC AUC, average precision, log loss and the Brier score;',
    '- below the tables: the rows fixed and broken, and the confusion matrices side by side.',
  ),
  code('compare', ...COMPARE_WITH_SCORES, '    significance bootstrap 1000 seed 7', '    as R'),
  markdown(
    'threshold-md',
    '## 3. Pick a threshold',
    '',
    'Both models call a message spam when its score is at least 0.5. Is 0.5 the best cut? The',
    'sweep below tries every threshold and marks the one with the best F1 on the precision-recall',
    'and ROC curves. **Drag the slider** under the last chart: the operating point moves along the',
    'curves and the confusion matrix changes with it. Read the warning too: a threshold picked on',
    'the test rows flatters the test metrics.',
  ),
  code(
    'threshold',
    'threshold base = base_score, finetuned = ft_score on test against label positive "spam"',
    '    pick max f1',
    '    as T',
  ),
  markdown(
    'check-md',
    '## 4. Check the gain',
    '',
    'A `check` is an assertion on the results. When one does not hold, the cell fails — and',
    '`evalbook run` exits with status 1, so this notebook can gate a CI job. Each line shows the',
    'numbers it compared.',
  ),
  code(
    'check',
    'check R.finetuned.f1 > R.base.f1 + 0.02',
    'check R.interval.f1.lower > 0 and R.p_value < 0.05',
  ),
  markdown(
    'report-md',
    '## 5. Write the report',
    '',
    'One standalone HTML file with every result above, the source of each cell, the SHA-256 of the',
    'input file, the seeds and the versions. It works offline: plotly.js is inside it. Run with',
    '`evalbook run`, it lands in the output directory next to the executed notebook.',
  ),
  code(
    'report',
    'report "quickstart-report.html" title "Quickstart: does fine-tuning help the spam filter?"',
  ),
  markdown(
    'next',
    '## Where next',
    '',
    '- [precision-recall-tradeoffs.ipynb](precision-recall-tradeoffs.ipynb): the worked examples,',
    '  the accuracy paradox, thresholds, costs;',
    '- [finetune-writeup.ipynb](finetune-writeup.ipynb): the full write-up of this experiment;',
    '- the language reference, `docs/language.md`.',
  ),
]);

export const PRECISION_RECALL = notebook([
  markdown(
    'title',
    '# Precision, recall and the threshold: a teaching notebook',
    '',
    'Accuracy, precision, recall and F1 from first principles, on two classic worked examples; then',
    'on real spam: why accuracy misleads when positives are rare, how the decision threshold trades',
    'precision against recall, and how to choose it from the cost of each kind of mistake. Every',
    'metric follows scikit-learn exactly.',
  ),
  markdown(
    'worked-md',
    '## The worked example: 85 / 15 / 10 / 90',
    '',
    '200 messages, 100 of them spam (label `1`). The base model finds 85 of the 100 (**TP 85**,',
    '**FN 15**) and wrongly flags 10 of the 100 others (**FP 10**, **TN 90**):',
    '',
    '| | predicted spam | predicted ham |',
    '|---|---:|---:|',
    '| **is spam** | TP 85 | FN 15 |',
    '| **is ham** | FP 10 | TN 90 |',
    '',
    '- *precision* = TP / (TP + FP) = 85 / 95 = 0.8947: of what it flags, how much is spam;',
    '- *recall* = TP / (TP + FN) = 85 / 100 = 0.85: of the spam, how much it finds;',
    '- *F1*, their harmonic mean, = 2·85 / (2·85 + 10 + 15) = 0.8718.',
    '',
    '`explain` prints each formula with the counts filled in. Open **How the numbers are computed**',
    'under the tables.',
  ),
  code(
    'worked',
    'load "data/worked_85_15_10_90.csv" as doc',
    'compare base = base_pred, finetuned = ft_pred on doc against label positive 1',
    '    metrics accuracy, precision, recall, f1, specificity',
    '    explain',
    '    as W',
    'check W.base.tp == 85 and W.base.fn == 15 and W.base.fp == 10 and W.base.tn == 90',
    'check W.base.precision == 85 / 95 and W.base.recall == 0.85',
  ),
  markdown(
    'ten-md',
    '## The ten-row example',
    '',
    'Ten rows, five positive. The base model gets 8 right: TP 4, FN 1, FP 1, TN 4, so its accuracy,',
    'precision, recall and F1 are all 0.8. The fine-tuned model is right on all ten rows, so all its',
    'metrics are exactly 1.0. (A document this example comes from claims 90% accuracy and 94.7% F1',
    'for it: impossible with these ten rows. Computing from the rows settles such claims.)',
    '',
    "Note the warnings: two rows separate the models, and McNemar's p = 0.500. Ten rows prove",
    'nothing.',
  ),
  code(
    'ten',
    'load "data/worked_ten_rows.csv" as ten',
    'compare base = base_pred, finetuned = ft_pred on ten against label positive 1 explain as X',
    'check X.finetuned.f1 == 1 and X.base.accuracy == 0.8 and X.base.recall == 0.8',
  ),
  markdown(
    'paradox-md',
    '## The accuracy paradox',
    '',
    'In `spam_rare_test.csv` spam is rare: 10 of 505 messages (2%). A "model" that always answers',
    '*ham* scores **98.02%** accuracy there and catches no spam at all. Both real models catch all 10',
    'spam messages (recall 1.0), yet their accuracy is *lower*: 0.8911 for the base model and 0.9663',
    'for the fine-tuned one. Ranked by accuracy, the useless model wins; precision (0.1538 and',
    '0.3704), F1 and MCC tell the real story: the base model raises 55 false alarms for 10 spam.',
  ),
  code(
    'paradox',
    'load "data/spam_rare_test.csv" as rare',
    'compare base = base_pred, finetuned = ft_pred on rare against label positive "spam" as P',
    'check P.base.recall == 1 and P.base.accuracy < 0.9802',
  ),
  markdown(
    'paradox-warning-md',
    'The mirror image is the dangerous one: high accuracy *because* the rare class is missed.',
    'Evalbook warns when a model is barely above the majority-class baseline while finding few',
    "positives. In this example (from the project's reference cases) 25 of 1,250 rows are",
    'positive: the base model scores 98.08% accuracy — always answering `0` scores 98.0% — while',
    'finding only 3 of the 25 positives (recall 0.12). Look for the **accuracy paradox** warning.',
  ),
  code(
    'paradox-warning',
    'load "data/worked_paradox_2pct.csv" as skewed',
    'compare base = base_pred, finetuned = ft_pred on skewed against label positive 1',
  ),
  markdown(
    'slider-md',
    '## The threshold slider',
    '',
    'A model outputs a score; the threshold turns it into a decision. Lower the threshold and more',
    'messages are called spam: recall rises, precision falls. Under the *metrics against threshold*',
    'chart, **drag the slider** (or click a step): the marker moves along the curves and the',
    'confusion matrix beside it changes. The table shows the point with the best F1 for each model:',
    'for the base model that is 0.193, far from the usual 0.5.',
  ),
  code(
    'slider',
    'load "data/spam_test.csv" as test',
    'threshold base = base_score, finetuned = ft_score on test against label positive "spam"',
    '    pick max f1',
    '    explain',
  ),
  markdown(
    'costs-md',
    '## Costs',
    '',
    'F1 weighs both mistakes alike. They rarely cost the same: a lost invoice may cost a customer,',
    'a spam that gets through costs a reader a few seconds. Give each mistake its price and pick the',
    'threshold of least total cost. With a false positive ten times as costly as a false negative the',
    'threshold goes up (cautious: flag only what is surely spam); the other way round, it goes down.',
  ),
  code(
    'costs',
    'threshold ft_score on test against label positive "spam" pick min cost fp 10 fn 1 as Cautious',
    'threshold ft_score on test against label positive "spam" pick min cost fp 1 fn 10 as Eager',
    'check Cautious.threshold > Eager.threshold and Cautious.fp < Eager.fp',
  ),
  markdown(
    'targets-md',
    '## Targets: "precision at least 99%", "recall at least 99%"',
    '',
    'Requirements often come as a floor on one metric. `pick precision >= X` takes the threshold',
    'with the most recall among those with precision at least X; `pick recall >= X` the highest',
    'threshold that keeps recall at least X. Compare the two models at the same floor: at 99%',
    'precision the base model finds only about a quarter of the spam, the fine-tuned model over 90%.',
  ),
  code(
    'targets',
    'threshold base = base_score, finetuned = ft_score on test against label positive "spam"',
    '    pick precision >= 99%',
    '    as P99',
    'threshold base = base_score, finetuned = ft_score on test against label positive "spam"',
    '    pick recall >= 99%',
    '    as R99',
    'check P99.finetuned.recall > P99.base.recall and R99.finetuned.precision > R99.base.precision',
  ),
  markdown(
    'takeaways',
    '## What to take away',
    '',
    '1. Precision and recall answer different questions; F1 is one way to weigh them, costs another.',
    '2. On rare positives, compare accuracy with the majority baseline, or do not use it at all.',
    '3. The threshold is a decision, not part of the model: choose it on validation data, for the',
    '   mistakes that matter, and then evaluate that fixed threshold on the test set.',
  ),
]);

export const FINETUNE_WRITEUP = notebook([
  markdown(
    'title',
    '# Fine-tuning a spam filter on hard ham: an experiment write-up',
    '',
    '**Question.** A logistic-regression spam filter trained on older mail (the *base* model) is',
    'fine-tuned on later mail, which includes *hard ham*: legitimate newsletters and shop mailings',
    'that look like spam. Does fine-tuning help, on what, at what price, and can we trust the test?',
    '',
    '**Data.** The SpamAssassin public corpus, 2002 ([how the files were made](data/README.md)):',
    'a fine-tuning training part of 1,675 messages and a held-out test part of 914 (easy ham 420,',
    'hard ham 75, spam 419), both models scoring every test message.',
    '',
    '**Short answer.** Fine-tuning lifts F1 from 0.9002 to 0.9717 and hard-ham accuracy from 32.0%',
    'to 85.3%; the gain is far beyond chance and breaks only 5 messages. But 30% of the test',
    'messages share their subject with a training message, so the test numbers are optimistic',
    '(section 7).',
    '',
    'Reproduce: `evalbook run finetune-writeup.ipynb --out out` re-executes every cell and writes',
    'the report; the seeds are fixed below.',
  ),
  code(
    { id: 'parameters', tags: ['parameters'] },
    '# Bootstrap resamples for the intervals, and the seed of every random step.',
    'param resamples = 1000',
    'set seed 2002',
  ),
  markdown(
    'loss-md',
    '## 1. Training: the loss curves and the best epoch',
    '',
    'Fine-tuning ran 30 epochs with a constant learning rate and no regularisation, logging the',
    'training and validation loss after each. The validation loss is lowest at **epoch 3** (0.0400)',
    'and rises afterwards while the training loss keeps falling to 0.0003: the model memorises its',
    'training part. The checkpoint of epoch 3 is the fine-tuned model evaluated below.',
  ),
  code('loss', 'load "data/finetune_loss.csv" as log', 'curve log as L', 'check L.best_epoch == 3'),
  markdown(
    'significance-md',
    '## 2. Is the improvement real?',
    '',
    'Both models on the same 914 rows. Fine-tuning fixes 67 rows the base model got wrong and',
    "breaks 5 it got right; McNemar's exact test on those 72 discordant rows gives p far below",
    '0.001. The paired bootstrap (resampling rows, both models together) puts the F1 gain at',
    '+0.0715 with a 95% interval of about [+0.054, +0.091]: well clear of zero.',
  ),
  code(
    'significance',
    'load "data/spam_test.csv" as test',
    ...COMPARE_WITH_SCORES,
    '    significance bootstrap resamples',
    '    as R',
  ),
  markdown(
    'broken-md',
    '## 3. What fine-tuning broke',
    '',
    'The table *Broken by finetuned* above lists the 5 messages the base model had right and the',
    'fine-tuned model gets wrong: four legitimate messages now flagged as spam (a cron report,',
    '"New Medications.", "The Freedom Rides", a newsletter sign-up) and one spam now let through.',
    'Against 67 fixed rows that is a good trade, but the four are ordinary ham: fine-tuning on hard',
    'ham moved the boundary for everyone. The release gate below caps breakage at 10 rows.',
  ),
  code('broken', 'check R.fixed == 67 and R.broken == 5'),
  markdown(
    'calibration-md',
    '## 4. Calibration before and after',
    '',
    'Can the scores be read as probabilities? The reliability diagram bins the scores and compares',
    "each bin's mean score with its share of spam. The expected calibration error falls from",
    '0.0366 to 0.0159 and the Brier score from 0.0699 to 0.0206. The fine-tuned model is',
    'confident — 277 of its 914 scores are written as exactly 0 or 1 — and mostly rightly so.',
  ),
  code(
    'calibration',
    'calibration base = base_score, finetuned = ft_score on test against label positive "spam"',
    '    bins 10',
    '    as C',
  ),
  markdown(
    'slices-md',
    '## 5. Per slice: where the gain comes from',
    '',
    'The test part mixes three sources. On **hard ham** accuracy jumps from 32.0% to 85.3%; on',
    '**spam** from 92.6% to 98.3%; on **easy ham** it slips from 99.0% to 98.6% (the 2 broken',
    'rows there). Hard ham is scarce — 75 test rows, so one row moves its accuracy by 1.3 points —',
    'but the jump is far larger than that.',
  ),
  code(
    'slices',
    'split test by source as S',
    'compare base = base_pred, finetuned = ft_pred on test against label positive "spam"',
    '    metrics accuracy, precision, recall, f1',
    '    by source',
    '    as BySource',
  ),
  markdown(
    'gates-md',
    '## 6. Release gates',
    '',
    'The checks a CI job would run before shipping the fine-tuned model. Each holds on this data;',
    'if a retrained model breaks one, `evalbook run` exits with status 1.',
  ),
  code(
    'gates',
    '# Better, and not by chance',
    'check R.finetuned.f1 > R.base.f1 + 0.02',
    'check R.interval.f1.lower > 0 and R.p_value < 0.05',
    '# Fixes the problem it was trained for',
    'check BySource.by.hard_ham.finetuned.accuracy > BySource.by.hard_ham.base.accuracy + 0.2',
    '# Does not trade away what worked',
    'check R.broken <= 10 and BySource.by.easy_ham.finetuned.accuracy >= 0.98',
    '# Scores still usable as probabilities; no overfit checkpoint',
    'check C.finetuned.ece < C.base.ece and L.best_epoch < L.epochs',
  ),
  markdown(
    'leakage-findings-md',
    '## 7. Leakage: is the test honest?',
    '',
    'The corpus holds many messages with the same subject — replies in one mailing-list thread,',
    'digests, the same spam sent twice — and the split was by message, not by thread. The cell',
    'below compares the test part with the fine-tuning training part on `text` (the subject),',
    'and shows what it finds without stopping the notebook:',
    '',
    '- **274 of 914 test rows (30.0%)** have exactly the subject of a training row (159 distinct',
    '  subjects);',
    '- **294 rows (32.2%)** do once case and spacing are ignored.',
    '',
    'The fine-tuned model has seen those subjects (subject words are features), so its test',
    'numbers above are optimistic; the base model never saw this mail. The improvement is too',
    'large and too consistent across slices to be only leakage, but its size is uncertain. Next',
    'time: deduplicate by subject or thread *before* splitting, or report the metrics on the',
    'unmatched rows as well.',
    '',
    'The findings are bound (`Leak`, `LeakNormalized`), so the report below lists them, and the',
    'check is a ceiling: the leak must not grow past a third of the test set unnoticed.',
  ),
  code(
    'leakage-findings',
    'load "data/finetune_train.csv" as train',
    'leakage train, test on text as Leak',
    'leakage train, test on text normalized as LeakNormalized',
    'check Leak.leaked_test_fraction < 1/3 and LeakNormalized.normalized.leaked_test_fraction < 1/3',
  ),
  markdown(
    'report-md',
    '## 8. The report',
    '',
    'A standalone HTML report of the whole session: every result, the source of every cell, the',
    "input files' SHA-256, the seeds and the versions. Run headless, it is written to the output",
    'directory; running it again gives the same file, byte for byte.',
  ),
  code(
    'report',
    'report "finetune-writeup-report.html" title "Fine-tuning a spam filter on hard ham"',
  ),
  markdown(
    'leakage-md',
    '## 9. Leakage: the gate this test set does not pass',
    '',
    'As a release gate, `check leakage` **fails** on this data, as it should: any test row that',
    'shares its subject with a training row is a leak. The cell is tagged `raises-exception`, so',
    '`evalbook run` (like nbclient and papermill) records the error and goes on; it is the',
    "notebook's last cell, so *Run All* in Jupyter reaches it after everything else. A failed",
    'statement adds nothing to the session, so the report above does not include it — the',
    'findings of section 7 are there instead.',
  ),
  code(
    { id: 'leakage', tags: ['raises-exception'] },
    'check leakage train, test on text normalized',
  ),
]);

/** The notebooks by file name. */
export const NOTEBOOKS: Readonly<Record<string, Notebook>> = {
  'quickstart.ipynb': QUICKSTART,
  'precision-recall-tradeoffs.ipynb': PRECISION_RECALL,
  'finetune-writeup.ipynb': FINETUNE_WRITEUP,
};

function main(): void {
  for (const [name, nb] of Object.entries(NOTEBOOKS)) {
    const path = join(root, 'notebooks', name);
    writeFileSync(path, serializeNotebook(nb));
    console.log(`wrote ${path}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
