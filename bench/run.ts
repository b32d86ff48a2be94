/**
 * The benchmark harness: `npm run bench` (build, then `node --expose-gc dist/bench/run.js`).
 *
 * One run measures, on this machine: Evalbook's steps (bench/steps.ts), the same steps with
 * pandas, scikit-learn and numpy (bench/reference.py, run by /usr/bin/python3 or
 * $EVALBOOK_BENCH_PYTHON), then the kernels (bench/kernel.ts). It prints ONE JSON object on
 * stdout — per step both sides, the speedup, the target and whether it is met, and
 * whether both sides computed the same numbers; the peak memory over the 10M-row steps; the
 * kernel table — and, on stderr after progress lines, a short human-readable table.
 *
 * Method: the parent generates missing datasets (bench/generate.ts), then runs every step in a
 * child process of its own (`run.js --step NAME`, or `reference.py --step NAME`). The child
 * does the step's untimed setup, collects garbage, times `run`, computes its figures untimed,
 * and reports its own peak RSS (process.resourceUsage().maxRSS, getrusage's ru_maxrss): a fresh
 * process starts from its runtime's baseline (reported as rss_baseline_mb, taken before setup),
 * and for steps whose setup loads data the peak includes that data — what the step needs.
 *
 * Wall time is what a user waits; cpu_seconds (user + system time of the timed part, helper
 * threads included) shows the work itself when other processes share the machine.
 *
 * Options: --only a,b (step names), --repeat N (each step N times, each in a fresh process;
 * seconds is the fastest, seconds_all lists every run, peak RSS is the largest),
 * --no-reference, --no-kernel, --no-scaling.
 *
 * Scaling steps (bench/scaling.ts) run the same work at sizes 10× apart, each size in a child
 * process of its own (`run.js --scaling NAME --size N`): seconds and peak RSS per size, and how
 * much each grows from one size to the next (about 10× for work that is linear in its input).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { arch, cpus, loadavg, platform } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compareStep,
  kernelTable,
  peakMemory,
  summarizeTargets,
  summaryText,
  type KernelTable,
  type StepComparison,
  type StepMeasurement,
  type StepOutcome,
} from './compare.js';
import {
  BENCH_DATASETS,
  type BenchDatasetKey,
  benchRoot,
  datasetPath,
  ensureDataset,
} from './generate.js';
import type { KernelFigures } from './kernel.js';
import { SCALING_STEPS, type ScalingStep } from './scaling.js';
import { BENCH_STEPS, type BenchStep, type StepFigures } from './steps.js';

const MB = 1024 * 1024;
/** A step that takes longer than this is stopped and reported as failed. */
const STEP_TIMEOUT_MS = 10 * 60 * 1000;
const KERNEL_TIMEOUT_MS = 10 * 60 * 1000;
const REFERENCE_SCRIPT = join(benchRoot, 'reference.py');
const REFERENCE_PYTHON = process.env.EVALBOOK_BENCH_PYTHON ?? '/usr/bin/python3';
const INSTALL_HINT = 'apt-get install python3-sklearn python3-pandas';

/** What one child process reports for one run of one step. */
interface ChildReport {
  readonly seconds: number;
  readonly cpu_seconds: number;
  /**
   * The fastest of the runs after the first in the same process (see WARM_RUNS_MAX), with its
   * CPU seconds; null with --no-warm.
   */
  readonly warm_seconds: number | null;
  readonly warm_cpu_seconds: number | null;
  readonly warm_runs: number;
  readonly setup_seconds: number;
  /** Peak RSS up to the end of the first run (the second one is left out). */
  readonly peak_rss_mb: number;
  readonly rss_baseline_mb: number;
  readonly figures: StepFigures;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

interface Timing {
  readonly seconds: number;
  readonly cpu: number;
}

function faster(a: Timing, b: Timing): Timing {
  return b.seconds < a.seconds ? b : a;
}

/** Wall and CPU seconds of one call. */
async function timed(work: () => Promise<void>): Promise<Timing> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return { seconds: round(seconds, 4), cpu: round((cpu.user + cpu.system) / 1e6, 4) };
}

/**
 * After the first run, the step runs again in the same process until WARM_BUDGET_SECONDS of
 * such runs have passed or WARM_RUNS_MAX are done (at least one): a JIT needs a few runs to
 * compile everything a step calls, and a slow step needs no more than one.
 */
const WARM_RUNS_MAX = 5;
const WARM_BUDGET_SECONDS = 1;

/** Child side: one step, then unless --no-warm its warm runs; one JSON line on stdout. */
async function runStepInThisProcess(step: BenchStep, warm: boolean): Promise<void> {
  const baseline = process.memoryUsage().rss;
  const setupStart = performance.now();
  const input = await step.setup();
  const setupSeconds = (performance.now() - setupStart) / 1000;
  collectGarbage();
  let output: unknown;
  const cold = await timed(async () => {
    output = await step.run(input);
  });
  const peakRssMb = round((process.resourceUsage().maxRSS * 1024) / MB, 1);
  const figures = step.figures(output);
  // The first run's output must not stay alive into the warm runs.
  output = undefined;
  const warmRuns: Timing[] = [];
  let warmTotal = 0;
  while (warm && warmRuns.length < WARM_RUNS_MAX && warmTotal < WARM_BUDGET_SECONDS) {
    collectGarbage();
    const run = await timed(async () => {
      await step.run(input);
    });
    warmRuns.push(run);
    warmTotal += run.seconds;
  }
  const fastestWarm = warmRuns.length === 0 ? null : warmRuns.reduce(faster);
  const report: ChildReport = {
    seconds: cold.seconds,
    cpu_seconds: cold.cpu,
    warm_seconds: fastestWarm?.seconds ?? null,
    warm_cpu_seconds: fastestWarm?.cpu ?? null,
    warm_runs: warmRuns.length,
    setup_seconds: round(setupSeconds, 3),
    peak_rss_mb: peakRssMb,
    rss_baseline_mb: round(baseline / MB, 1),
    figures,
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}

/** What a scaling child reports for one size. */
interface ScalingReport {
  readonly size: number;
  readonly seconds: number;
  readonly cpu_seconds: number;
  readonly setup_seconds: number;
  readonly peak_rss_mb: number;
  readonly rss_baseline_mb: number;
  readonly figures: StepFigures;
}

/** One scaling step at every size, and the growth from each size to the next. */
interface ScalingOutcome {
  readonly description: string;
  readonly unit: string;
  readonly sizes: readonly (ScalingReport | { readonly size: number; readonly error: string })[];
  /** Per pair of consecutive sizes: size, time and peak-RSS ratios (null when one failed). */
  readonly growth: readonly {
    readonly size: number;
    readonly time: number | null;
    readonly peak_rss: number | null;
  }[];
}

/** Child side of a scaling step: one size, one JSON line on stdout. */
async function runScalingInThisProcess(step: ScalingStep, size: number): Promise<void> {
  const baseline = process.memoryUsage().rss;
  const setupStart = performance.now();
  const input = step.setup(size);
  const setupSeconds = (performance.now() - setupStart) / 1000;
  collectGarbage();
  let figures: StepFigures = {};
  const timing = await timed(async () => {
    figures = await step.run(input);
  });
  const report: ScalingReport = {
    size,
    seconds: timing.seconds,
    cpu_seconds: timing.cpu,
    setup_seconds: round(setupSeconds, 3),
    peak_rss_mb: round((process.resourceUsage().maxRSS * 1024) / MB, 1),
    rss_baseline_mb: round(baseline / MB, 1),
    figures,
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}

function measureScaling(step: ScalingStep): ScalingOutcome {
  const sizes = step.sizes.map((size) => {
    log(`scaling ${step.name}: ${size} ${step.unit}`);
    try {
      const out = execFileSync(
        process.execPath,
        [
          '--expose-gc',
          fileURLToPath(import.meta.url),
          '--scaling',
          step.name,
          '--size',
          String(size),
        ],
        { encoding: 'utf8', timeout: STEP_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      return lastLineJson<ScalingReport>(out);
    } catch (error) {
      return { size, error: error instanceof Error ? error.message : String(error) };
    }
  });
  const growth = sizes.slice(1).map((next, k) => {
    const previous = sizes[k];
    const both = 'seconds' in previous && 'seconds' in next;
    return {
      size: round(next.size / previous.size, 2),
      time: both ? round(next.seconds / Math.max(previous.seconds, 1e-4), 2) : null,
      peak_rss: both ? round(next.peak_rss_mb / previous.peak_rss_mb, 2) : null,
    };
  });
  return { description: step.description, unit: step.unit, sizes, growth };
}

/** The scaling steps as a table for stderr. */
function scalingText(outcomes: Readonly<Record<string, ScalingOutcome>>): string {
  const rows: string[][] = [['scaling', 'size', 'seconds', 'peak RSS', 'time ×', 'RSS ×']];
  for (const [name, outcome] of Object.entries(outcomes)) {
    outcome.sizes.forEach((size, k) => {
      const growth = k === 0 ? null : outcome.growth[k - 1];
      const ratio = (x: number | null | undefined): string =>
        x === null || x === undefined ? (k === 0 ? '' : '—') : `${x}×`;
      rows.push([
        k === 0 ? name : '',
        `${size.size.toLocaleString('en-US')} ${outcome.unit}`,
        'seconds' in size ? `${size.seconds} s` : `failed: ${size.error.split('\n')[0]}`,
        'seconds' in size ? `${size.peak_rss_mb} MiB` : '',
        ratio(growth?.time),
        ratio(growth?.peak_rss),
      ]);
    });
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The last line of a child's stdout, which is its JSON report. */
function lastLineJson<T>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

function evalbookChild(step: BenchStep, warm: boolean): ChildReport {
  const out = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      fileURLToPath(import.meta.url),
      '--step',
      step.name,
      ...(warm ? [] : ['--no-warm']),
    ],
    { encoding: 'utf8', timeout: STEP_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return lastLineJson<ChildReport>(out);
}

function referenceChild(step: BenchStep, warm: boolean): ChildReport {
  const out = execFileSync(
    REFERENCE_PYTHON,
    [
      REFERENCE_SCRIPT,
      '--step',
      step.name,
      '--data-1m',
      datasetPath('1m'),
      '--data-10m',
      datasetPath('10m'),
      ...(warm ? [] : ['--no-warm']),
    ],
    { encoding: 'utf8', timeout: STEP_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return lastLineJson<ChildReport>(out);
}

/** Runs one side of a step `repeat` times: the fastest time, every time, the largest peak. */
function measure(
  label: string,
  repeat: number,
  runOnce: () => ChildReport,
): StepMeasurement | { error: string } {
  const runs: ChildReport[] = [];
  try {
    for (let i = 0; i < repeat; i++) {
      log(`${label} (${i + 1}/${repeat})`);
      runs.push(runOnce());
    }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  const fastest = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const warmRuns = runs.filter((r) => r.warm_seconds !== null);
  const fastestWarm =
    warmRuns.length === 0
      ? null
      : warmRuns.reduce((a, b) => ((b.warm_seconds ?? 0) < (a.warm_seconds ?? 0) ? b : a));
  return {
    seconds: fastest.seconds,
    seconds_all: runs.map((r) => r.seconds),
    cpu_seconds: fastest.cpu_seconds,
    warm_seconds: fastestWarm?.warm_seconds ?? null,
    warm_cpu_seconds: fastestWarm?.warm_cpu_seconds ?? null,
    warm_runs: runs.map((r) => r.warm_runs),
    setup_seconds: fastest.setup_seconds,
    peak_rss_mb: Math.max(...runs.map((r) => r.peak_rss_mb)),
    rss_baseline_mb: fastest.rss_baseline_mb,
    figures: fastest.figures,
  };
}

/** The reference tools' versions, or why they cannot run and how to install them. */
function referenceTools(): Record<string, string> | { unavailable: string } {
  const probe = spawnSync(REFERENCE_PYTHON, ['-c', 'import numpy, pandas, sklearn'], {
    encoding: 'utf8',
  });
  if (probe.error !== undefined || probe.status !== 0) {
    return {
      unavailable:
        `${REFERENCE_PYTHON} cannot import numpy, pandas and scikit-learn; install them with ` +
        `\`${INSTALL_HINT}\` (or point EVALBOOK_BENCH_PYTHON at a Python that has them)`,
    };
  }
  const versions = execFileSync(REFERENCE_PYTHON, [REFERENCE_SCRIPT, '--versions'], {
    encoding: 'utf8',
  });
  return lastLineJson<Record<string, string>>(versions);
}

/** bench/kernel.ts in a child process (its kernels and clients stay out of this one). */
function kernelFigures(repeat: number): KernelFigures | { error: string } {
  log('kernels: cold start, trivial-cell round trips, peak RSS');
  const script = join(dirnameOfThisFile(), 'kernel.js');
  const run = spawnSync(process.execPath, [script, '--repeat', String(repeat)], {
    encoding: 'utf8',
    timeout: KERNEL_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) {
    return { error: `bench/kernel.ts exited with ${run.status ?? run.signal}` };
  }
  return JSON.parse(run.stdout) as KernelFigures;
}

function dirnameOfThisFile(): string {
  return join(fileURLToPath(import.meta.url), '..');
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const stepName = option('--step');
  if (stepName !== undefined) {
    const step = BENCH_STEPS.find((s) => s.name === stepName);
    if (step === undefined) throw new Error(`unknown step ${stepName}`);
    await runStepInThisProcess(step, !process.argv.includes('--no-warm'));
    return;
  }
  const scalingName = option('--scaling');
  if (scalingName !== undefined) {
    const step = SCALING_STEPS.find((s) => s.name === scalingName);
    if (step === undefined) throw new Error(`unknown scaling step ${scalingName}`);
    await runScalingInThisProcess(step, Number(option('--size')));
    return;
  }
  const only = option('--only')?.split(',');
  const repeat = Number(option('--repeat') ?? '1');
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat takes a whole number ≥ 1');
  const known = [...BENCH_STEPS, ...SCALING_STEPS].map((s) => s.name);
  const unknown = only?.filter((name) => !known.includes(name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown steps: ${unknown.join(', ')}`);
  const steps = BENCH_STEPS.filter((s) => only === undefined || only.includes(s.name));
  const scalingSteps = process.argv.includes('--no-scaling')
    ? []
    : SCALING_STEPS.filter((s) => only === undefined || only.includes(s.name));
  const withReference = !process.argv.includes('--no-reference');
  const withKernel = !process.argv.includes('--no-kernel');
  const warm = !process.argv.includes('--no-warm');

  const machine = {
    node: process.version,
    platform: `${platform()} ${arch()}`,
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    load_average_at_start: loadavg().map((x) => round(x, 2)),
  };
  const needed = [...new Set(steps.flatMap((s) => s.datasets))];
  const datasets: Record<string, { path: string; rows: number; bytes: number }> = {};
  for (const key of needed) {
    const path = ensureDataset(key as BenchDatasetKey, log);
    datasets[key] = { path, rows: BENCH_DATASETS[key].rows, bytes: statSync(path).size };
  }

  const evalbook = new Map<string, StepOutcome>();
  for (const step of steps) {
    evalbook.set(
      step.name,
      measure(`evalbook ${step.name}`, repeat, () => evalbookChild(step, warm)),
    );
  }

  const scaling: Record<string, ScalingOutcome> = {};
  for (const step of scalingSteps) scaling[step.name] = measureScaling(step);

  const tools = withReference ? referenceTools() : { unavailable: 'skipped (--no-reference)' };
  const reference = new Map<string, StepOutcome>();
  for (const step of steps) {
    reference.set(
      step.name,
      'unavailable' in tools
        ? { unavailable: String(tools.unavailable) }
        : measure(`reference ${step.name}`, repeat, () => referenceChild(step, warm)),
    );
  }

  const comparisons: Record<string, StepComparison> = {};
  for (const step of steps) {
    comparisons[step.name] = compareStep(
      step.name,
      step.description,
      evalbook.get(step.name) as StepOutcome,
      reference.get(step.name) as StepOutcome,
    );
  }
  const tenMillion = steps.filter((s) => s.datasets.includes('10m')).map((s) => s.name);
  const memory = peakMemory(comparisons, tenMillion);

  const kernelRaw = withKernel ? kernelFigures(repeat) : { error: 'skipped (--no-kernel)' };
  const table: KernelTable | null = 'error' in kernelRaw ? null : kernelTable(kernelRaw);
  const targets = summarizeTargets(comparisons, memory, table);

  const report = {
    machine,
    repeat,
    datasets,
    reference_tools: tools,
    steps: comparisons,
    peak_memory_10m: memory,
    scaling,
    kernel: table === null ? kernelRaw : { table, measured: kernelRaw },
    targets,
  };
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  process.stderr.write('\n' + summaryText(comparisons, memory, table, targets));
  if (scalingSteps.length > 0) process.stderr.write('\n' + scalingText(scaling) + '\n');
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
