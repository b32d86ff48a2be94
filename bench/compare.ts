/**
 * Evalbook's figures next to the reference tools': speedups against the targets of issue 2,
 * the kernel's figures against those of issue 4, whether both sides computed the same numbers,
 * and the short table `bench/run.ts` prints on stderr. Pure functions of the measurements, so
 * the judging is tested apart from any timing.
 */
import type { KernelFigures, KernelMeasurement } from './kernel.js';
import type { StepFigures } from './steps.js';

const MIB = 1024 * 1024;

/**
 * One side's result for one step over its repeats, each in a fresh process. `seconds` is the
 * fastest wall time of `seconds_all` (the first run in each process: code not yet compiled by
 * a JIT, what a user waits the first time); `cpu_seconds` and `setup_seconds` come from that
 * run. `warm_seconds` is the fastest of the later runs in the same processes (null when not
 * measured), with its `warm_cpu_seconds`; `warm_runs` counts them per process. `peak_rss_mb`
 * (MiB) is the largest over the repeats, up to the end of each first run.
 */
export interface StepMeasurement {
  readonly seconds: number;
  readonly seconds_all: readonly number[];
  readonly cpu_seconds: number;
  readonly warm_seconds: number | null;
  readonly warm_cpu_seconds: number | null;
  readonly warm_runs: readonly number[];
  readonly setup_seconds: number;
  readonly peak_rss_mb: number;
  readonly rss_baseline_mb: number;
  readonly figures: StepFigures;
}

/** A measurement, or why there is none: the step failed, or the tools are not there. */
export type StepOutcome =
  StepMeasurement | { readonly error: string } | { readonly unavailable: string };

export function isMeasurement(outcome: StepOutcome | undefined): outcome is StepMeasurement {
  return outcome !== undefined && 'seconds' in outcome;
}

/** A speed target: Evalbook at least `minSpeedup` times as fast as the reference. */
export interface StepTarget {
  readonly text: string;
  readonly minSpeedup: number;
}

/** Issue 2's speed targets, by step; a step not listed has none. */
export const STEP_TARGETS: Readonly<Record<string, StepTarget>> = {
  'load-1m-csv': { text: 'no slower than pandas.read_csv', minSpeedup: 1 },
  'classification-10m': { text: '≥ 50× faster than scikit-learn', minSpeedup: 50 },
  'curves-10m': { text: '≥ 10× faster than scikit-learn', minSpeedup: 10 },
  'bootstrap-100k': { text: '≥ 100× faster than numpy', minSpeedup: 100 },
};

/** What bench/reference.py does in each step. */
export const REFERENCE_TOOLS: Readonly<Record<string, string>> = {
  'load-1m-csv': 'pandas.read_csv',
  'load-10m-csv': 'pandas.read_csv',
  'classification-10m':
    'sklearn accuracy_score, precision_score, recall_score, f1_score, confusion_matrix per model',
  'curves-10m': 'sklearn roc_curve, precision_recall_curve, roc_auc_score, average_precision_score',
  'bootstrap-100k': 'numpy: default_rng(0).integers row draws, bincount of label triples',
};

/**
 * How far two figures may differ and still agree: |evalbook − reference| ≤ abs + rel·|reference|.
 * `why` says where a tolerance wider than rounding comes from.
 */
export interface Tolerance {
  readonly abs: number;
  readonly rel?: number;
  readonly why?: string;
}

const EXACT: Tolerance = { abs: 0 };
/** Metric values: the golden fixtures' tolerance. */
const METRIC: Tolerance = { abs: 1e-9 };
/** The parsed text of one number: both parsers should give the same double. */
const PARSED: Tolerance = { abs: 1e-12 };
/** Sums over a million points, added in a different order (numpy sums pairwise). */
const SUM: Tolerance = { abs: 0, rel: 1e-9 };
/**
 * Both draw 1000 resamples of the same bootstrap distribution with different generators, so
 * interval ends differ by Monte Carlo error: here about 0.0003 (sd of a 2.5% quantile of 1000
 * draws ≈ 0.085 × sd of the differences, ≈ 0.0024), and 0.0015 is about five of those.
 */
const BOOTSTRAP_END: Tolerance = {
  abs: 0.0015,
  why: 'same bootstrap distribution, different random streams',
};

/** Which figures each step's two sides must agree on, and how closely. */
export const AGREEMENT_RULES: Readonly<Record<string, Readonly<Record<string, Tolerance>>>> = {
  'load-1m-csv': loadRules(),
  'load-10m-csv': loadRules(),
  'classification-10m': {
    rows: EXACT,
    ...modelRules('base'),
    ...modelRules('ft'),
  },
  'curves-10m': {
    rows: EXACT,
    ft_roc_auc: METRIC,
    ft_average_precision: METRIC,
    ft_roc_points: EXACT,
    ft_pr_points: EXACT,
    ft_roc_fpr_sum: SUM,
    ft_roc_tpr_sum: SUM,
    ft_pr_precision_sum: SUM,
    ft_pr_recall_sum: SUM,
  },
  'bootstrap-100k': {
    rows: EXACT,
    resamples: EXACT,
    base_f1: METRIC,
    ft_f1: METRIC,
    f1_difference: METRIC,
    lower: BOOTSTRAP_END,
    upper: BOOTSTRAP_END,
  },
};

function loadRules(): Record<string, Tolerance> {
  return { rows: EXACT, columns: EXACT, ft_score_row_1: PARSED, ft_score_sum: SUM };
}

function modelRules(model: string): Record<string, Tolerance> {
  const rules: Record<string, Tolerance> = {};
  for (const metric of ['accuracy', 'precision', 'recall', 'f1'])
    rules[`${model}_${metric}`] = METRIC;
  for (const count of ['tp', 'fp', 'fn', 'tn']) rules[`${model}_${count}`] = EXACT;
  return rules;
}

/** One figure on both sides. `difference` is evalbook − reference, null unless both are numbers. */
export interface FigureAgreement {
  readonly evalbook: number | string | null;
  readonly reference: number | string | null;
  readonly difference: number | null;
  readonly tolerance: Tolerance;
  readonly agrees: boolean;
}

/** Invariant: `agrees` is true exactly when every figure in `figures` agrees. */
export interface Agreement {
  readonly agrees: boolean;
  readonly figures: Readonly<Record<string, FigureAgreement>>;
}

/** Checks every ruled figure; one missing on either side, or not a number, disagrees. */
export function checkAgreement(
  rules: Readonly<Record<string, Tolerance>>,
  evalbook: StepFigures,
  reference: StepFigures,
): Agreement {
  const figures: Record<string, FigureAgreement> = {};
  for (const [name, tolerance] of Object.entries(rules)) {
    const ours = evalbook[name] ?? null;
    const theirs = reference[name] ?? null;
    const bothNumbers = typeof ours === 'number' && typeof theirs === 'number';
    const difference = bothNumbers ? ours - theirs : null;
    const allowed = bothNumbers ? tolerance.abs + (tolerance.rel ?? 0) * Math.abs(theirs) : 0;
    figures[name] = {
      evalbook: ours,
      reference: theirs,
      difference,
      tolerance,
      agrees: difference !== null && Math.abs(difference) <= allowed,
    };
  }
  return { agrees: Object.values(figures).every((f) => f.agrees), figures };
}

/** One step, both sides, judged. `speedup` is reference seconds / Evalbook seconds. */
export interface StepComparison {
  readonly description: string;
  readonly evalbook: StepOutcome;
  readonly reference: StepOutcome;
  readonly reference_tool: string | null;
  readonly speedup: number | null;
  /** The same ratio of CPU seconds (steadier when the machine is shared). */
  readonly cpu_speedup: number | null;
  /** The ratio of the second runs' seconds, once both sides' code is warm. */
  readonly warm_speedup: number | null;
  readonly target: string | null;
  /** Judged on `speedup` (first runs); null when the step has no target or a side is missing. */
  readonly met: boolean | null;
  /** Null when a side was not measured or the step has no rules. */
  readonly agreement: Agreement | null;
}

/** Three significant digits: enough for a ratio of two noisy times. */
function ratio(numerator: number, denominator: number): number | null {
  if (!(denominator > 0) || !Number.isFinite(numerator)) return null;
  return Number((numerator / denominator).toPrecision(3));
}

export function compareStep(
  name: string,
  description: string,
  evalbook: StepOutcome,
  reference: StepOutcome,
): StepComparison {
  const target = STEP_TARGETS[name] ?? null;
  const rules = AGREEMENT_RULES[name];
  const both = isMeasurement(evalbook) && isMeasurement(reference);
  const speedup = both ? ratio(reference.seconds, evalbook.seconds) : null;
  return {
    description,
    evalbook,
    reference,
    reference_tool: REFERENCE_TOOLS[name] ?? null,
    speedup,
    cpu_speedup: both ? ratio(reference.cpu_seconds, evalbook.cpu_seconds) : null,
    warm_speedup:
      both && reference.warm_seconds !== null && evalbook.warm_seconds !== null
        ? ratio(reference.warm_seconds, evalbook.warm_seconds)
        : null,
    target: target?.text ?? null,
    met: target === null || speedup === null ? null : speedup >= target.minSpeedup,
    agreement:
      both && rules !== undefined
        ? checkAgreement(rules, evalbook.figures, reference.figures)
        : null,
  };
}

/** Issue 2's memory target for the 10M-row steps, in bytes. */
export const PEAK_MEMORY_TARGET_BYTES = 1.2e9;

/** The largest peak RSS over the 10M-row steps, on each side, against the target. */
export interface PeakMemory {
  readonly evalbook_mb: number | null;
  readonly evalbook_step: string | null;
  readonly reference_mb: number | null;
  readonly reference_step: string | null;
  readonly target: string;
  /** Null when no 10M step of Evalbook's was measured. */
  readonly met: boolean | null;
}

export function peakMemory(
  steps: Readonly<Record<string, StepComparison>>,
  stepNames: readonly string[],
): PeakMemory {
  const largest = (side: 'evalbook' | 'reference') => {
    let best: { mb: number; step: string } | null = null;
    for (const name of stepNames) {
      const outcome = steps[name]?.[side];
      if (isMeasurement(outcome) && (best === null || outcome.peak_rss_mb > best.mb)) {
        best = { mb: outcome.peak_rss_mb, step: name };
      }
    }
    return best;
  };
  const ours = largest('evalbook');
  const theirs = largest('reference');
  const limitMib = PEAK_MEMORY_TARGET_BYTES / MIB;
  return {
    evalbook_mb: ours?.mb ?? null,
    evalbook_step: ours?.step ?? null,
    reference_mb: theirs?.mb ?? null,
    reference_step: theirs?.step ?? null,
    target: `≤ 1.2 GB (${limitMib.toFixed(0)} MiB)`,
    met: ours === null ? null : ours.mb <= limitMib,
  };
}

/** One kernel figure: Evalbook's, the echo-only test kernel's, ipykernel's, and the target. */
export interface KernelRow {
  readonly unit: KernelUnit;
  readonly evalbook: number | null;
  readonly evalbook_protocol_only: number | null;
  readonly ipykernel: number | null;
  readonly target: string;
  /** Judged on `evalbook`, the real kernel with the language; null when it was not measured. */
  readonly met: boolean | null;
}

type KernelUnit = 's' | 'ms' | 'MiB';

/** Issue 4's targets, judged on the real `evalbook kernel`. */
export const KERNEL_TARGETS = {
  cold_start_s: { limit: 0.5, unit: 's' },
  round_trip_p50_ms: { limit: 4, unit: 'ms' },
  round_trip_p99_ms: { limit: 9, unit: 'ms' },
  peak_rss_mib: { limit: 100, unit: 'MiB' },
} as const satisfies Record<string, { limit: number; unit: KernelUnit }>;

export type KernelFigureName = keyof typeof KERNEL_TARGETS;
export type KernelTable = Readonly<Record<KernelFigureName, KernelRow>>;

function kernelTargetText(name: KernelFigureName): string {
  const { limit, unit } = KERNEL_TARGETS[name];
  return `≤ ${limit} ${unit}`;
}

/** Cold start as Jupyter's own client sees it when it was measured, else the project's client. */
function coldStartSeconds(m: KernelMeasurement): number {
  const jupyter = m.cold_start_ms.jupyter_client;
  const ms = typeof jupyter === 'string' ? m.cold_start_ms.own_client.median : jupyter.median;
  return Number((ms / 1000).toFixed(3));
}

const KERNEL_FIGURE: Readonly<Record<KernelFigureName, (m: KernelMeasurement) => number | null>> = {
  cold_start_s: coldStartSeconds,
  round_trip_p50_ms: (m) => m.trivial_cell_round_trip_ms.p50,
  round_trip_p99_ms: (m) => m.trivial_cell_round_trip_ms.p99,
  peak_rss_mib: (m) => m.peak_rss_mib_after_cells,
};

export function kernelTable(figures: KernelFigures): KernelTable {
  const ipykernel = typeof figures.ipykernel === 'string' ? null : figures.ipykernel;
  const row = (name: KernelFigureName): KernelRow => {
    const pick = KERNEL_FIGURE[name];
    const evalbook = pick(figures.evalbook);
    return {
      unit: KERNEL_TARGETS[name].unit,
      evalbook,
      evalbook_protocol_only: pick(figures.evalbook_protocol_only),
      ipykernel: ipykernel === null ? null : pick(ipykernel),
      target: kernelTargetText(name),
      met: evalbook === null ? null : evalbook <= KERNEL_TARGETS[name].limit,
    };
  };
  return {
    cold_start_s: row('cold_start_s'),
    round_trip_p50_ms: row('round_trip_p50_ms'),
    round_trip_p99_ms: row('round_trip_p99_ms'),
    peak_rss_mib: row('peak_rss_mib'),
  };
}

/** Every target with its verdict, for the last lines of the report. */
export interface TargetSummary {
  readonly met: readonly string[];
  readonly missed: readonly string[];
  readonly not_measured: readonly string[];
  /** Whether every compared step's two sides agreed on their numbers (null: none compared). */
  readonly numbers_agree: boolean | null;
}

export function summarizeTargets(
  steps: Readonly<Record<string, StepComparison>>,
  memory: PeakMemory,
  kernel: KernelTable | null,
): TargetSummary {
  const met: string[] = [];
  const missed: string[] = [];
  const notMeasured: string[] = [];
  const file = (label: string, verdict: boolean | null) =>
    (verdict === null ? notMeasured : verdict ? met : missed).push(label);
  for (const [name, step] of Object.entries(steps)) {
    if (step.target !== null) file(`${name}: ${step.target}`, step.met);
  }
  file(`peak memory, 10M rows: ${memory.target}`, memory.met);
  for (const name of Object.keys(KERNEL_TARGETS) as KernelFigureName[]) {
    file(`kernel ${name}: ${kernelTargetText(name)}`, kernel?.[name].met ?? null);
  }
  const compared = Object.values(steps).filter((s) => s.agreement !== null);
  return {
    met,
    missed,
    not_measured: notMeasured,
    numbers_agree:
      compared.length === 0 ? null : compared.every((s) => s.agreement?.agrees === true),
  };
}

// The human-readable table ------------------------------------------------------------------

/** Three significant digits with a unit, or a dash for a missing value. */
function amount(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return '—';
  return `${Number(value.toPrecision(3))} ${unit}`;
}

function times(speedup: number | null): string {
  return speedup === null ? '—' : `${speedup}×`;
}

function verdict(met: boolean | null): string {
  return met === null ? '—' : met ? 'yes' : 'NO';
}

/** Why a side has no figures, in a few words. */
function absence(outcome: StepOutcome): string {
  return 'error' in outcome ? 'failed' : 'unavailable' in outcome ? 'not run' : '';
}

/** Left-aligned columns, two spaces apart. */
function columns(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...r[c]].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell + ' '.repeat(widths[c] - [...cell].length))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The short table printed on stderr after the JSON: every figure next to its target. */
export function summaryText(
  steps: Readonly<Record<string, StepComparison>>,
  memory: PeakMemory,
  kernel: KernelTable | null,
  targets: TargetSummary,
): string {
  const stepRows: string[][] = [
    ['step', 'evalbook', 'reference', 'speedup', 'warm', 'target', 'met'],
  ];
  for (const [name, step] of Object.entries(steps)) {
    const side = (o: StepOutcome) => (isMeasurement(o) ? amount(o.seconds, 's') : absence(o));
    stepRows.push([
      name,
      side(step.evalbook),
      side(step.reference),
      times(step.speedup),
      times(step.warm_speedup),
      step.target ?? '—',
      verdict(step.met),
    ]);
  }
  stepRows.push([
    'peak RSS, 10M rows',
    amount(memory.evalbook_mb, 'MiB'),
    amount(memory.reference_mb, 'MiB'),
    '',
    '',
    memory.target,
    verdict(memory.met),
  ]);
  const lines = [columns(stepRows), ''];
  if (kernel !== null) {
    const kernelRows: string[][] = [['kernel', 'evalbook', 'ipykernel', 'target', 'met']];
    for (const [name, row] of Object.entries(kernel)) {
      kernelRows.push([
        name,
        amount(row.evalbook, row.unit),
        amount(row.ipykernel, row.unit),
        row.target,
        verdict(row.met),
      ]);
    }
    lines.push(columns(kernelRows), '');
  }
  const checked = Object.entries(steps).flatMap(([step, s]) =>
    s.agreement === null
      ? []
      : Object.entries(s.agreement.figures).map(([figure, f]) => ({
          name: `${step} ${figure}`,
          f,
        })),
  );
  const disagreeing = checked.filter(({ f }) => !f.agrees).map(({ name }) => name);
  lines.push(
    targets.numbers_agree === null
      ? 'numbers: not compared (no reference run)'
      : disagreeing.length === 0
        ? `numbers: Evalbook and the reference agree on all ${checked.length} figures checked`
        : `numbers: ${disagreeing.length} of ${checked.length} figures DISAGREE: ${disagreeing.join(', ')}`,
    `targets: ${targets.met.length} met, ${targets.missed.length} missed` +
      (targets.missed.length > 0 ? ` (${targets.missed.join('; ')})` : '') +
      `, ${targets.not_measured.length} not measured`,
  );
  return lines.join('\n') + '\n';
}
