/**
 * The benchmark harness: `npm run bench` (build, then `node --expose-gc dist/bench/run.js`).
 *
 * Prints ONE JSON object on stdout: the machine, the datasets, and per step its time in
 * seconds and its peak resident memory. Progress goes to stderr.
 *
 * Method: the parent generates missing datasets (bench/generate.ts), then runs every step in a
 * child process of its own (`run.js --step NAME`). The child does the step's untimed setup,
 * collects garbage, times `run` with performance.now(), and reports process.resourceUsage()
 * .maxRSS — the peak RSS of that process alone, since a fresh process starts from Node's
 * baseline (also reported, as rss_baseline_mb, taken before setup). For steps whose setup
 * loads data, the peak includes that data: it is what the step needs in memory.
 *
 * Wall time is what a user waits; cpu_seconds (user + system time of the timed part, which
 * includes any helper threads) shows the work itself when other processes share the machine.
 *
 * Options: --only a,b (step names), --repeat N (runs each step N times, each in a fresh
 * process; seconds is the fastest, seconds_all lists every run, peak RSS is the largest).
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, platform, arch } from 'node:os';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BENCH_DATASETS, type BenchDatasetKey, datasetPath, ensureDataset } from './generate.js';
import { BENCH_STEPS, type BenchStep, type StepFigures } from './steps.js';

const MB = 1024 * 1024;
/** A step that takes longer than this is stopped and reported as failed. */
const STEP_TIMEOUT_MS = 10 * 60 * 1000;

interface ChildReport {
  readonly seconds: number;
  /** User + system CPU time of the timed part (less affected by other load on the machine). */
  readonly cpu_seconds: number;
  readonly setup_seconds: number;
  readonly peak_rss_mb: number;
  readonly rss_baseline_mb: number;
  readonly figures: StepFigures;
}

interface StepSummary {
  readonly description: string;
  readonly seconds?: number;
  readonly seconds_all?: number[];
  readonly cpu_seconds?: number;
  readonly setup_seconds?: number;
  readonly peak_rss_mb?: number;
  readonly rss_baseline_mb?: number;
  readonly figures?: StepFigures;
  readonly error?: string;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Child side: one step, one JSON line on stdout. */
async function runStepInThisProcess(step: BenchStep): Promise<void> {
  const baseline = process.memoryUsage().rss;
  const setupStart = performance.now();
  const input = await step.setup();
  const setupSeconds = (performance.now() - setupStart) / 1000;
  collectGarbage();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const figures = await step.run(input);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const report: ChildReport = {
    seconds: round(seconds, 4),
    cpu_seconds: round((cpu.user + cpu.system) / 1e6, 4),
    setup_seconds: round(setupSeconds, 3),
    peak_rss_mb: round((process.resourceUsage().maxRSS * 1024) / MB, 1),
    rss_baseline_mb: round(baseline / MB, 1),
    figures,
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}

function runStepInChild(step: BenchStep): ChildReport {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', fileURLToPath(import.meta.url), '--step', step.name],
    { encoding: 'utf8', timeout: STEP_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as ChildReport;
}

function summarize(step: BenchStep, repeat: number): StepSummary {
  const runs: ChildReport[] = [];
  try {
    for (let i = 0; i < repeat; i++) {
      process.stderr.write(`bench: ${step.name} (${i + 1}/${repeat})\n`);
      runs.push(runStepInChild(step));
    }
  } catch (error) {
    return {
      description: step.description,
      error: error instanceof Error ? error.message : String(error),
    };
  }
  const fastest = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return {
    description: step.description,
    seconds: fastest.seconds,
    seconds_all: runs.map((r) => r.seconds),
    cpu_seconds: fastest.cpu_seconds,
    setup_seconds: fastest.setup_seconds,
    peak_rss_mb: Math.max(...runs.map((r) => r.peak_rss_mb)),
    rss_baseline_mb: fastest.rss_baseline_mb,
    figures: fastest.figures,
  };
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
    await runStepInThisProcess(step);
    return;
  }
  const only = option('--only')?.split(',');
  const repeat = Number(option('--repeat') ?? '1');
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat takes a whole number ≥ 1');
  const steps = BENCH_STEPS.filter((s) => only === undefined || only.includes(s.name));
  const unknown = only?.filter((name) => !BENCH_STEPS.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown steps: ${unknown.join(', ')}`);

  const needed = [...new Set(steps.flatMap((s) => s.datasets))];
  const datasets: Record<string, { path: string; rows: number; bytes: number }> = {};
  for (const key of needed) {
    const path = ensureDataset(key as BenchDatasetKey, (line) =>
      process.stderr.write(`bench: ${line}\n`),
    );
    datasets[key] = {
      path,
      rows: BENCH_DATASETS[key].rows,
      bytes: statSync(datasetPath(key)).size,
    };
  }
  const machine = {
    node: process.version,
    platform: `${platform()} ${arch()}`,
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    load_average_at_start: loadavg().map((x) => round(x, 2)),
  };
  const results: Record<string, StepSummary> = {};
  for (const step of steps) results[step.name] = summarize(step, repeat);
  process.stdout.write(
    JSON.stringify({ machine, repeat, datasets, steps: results }, null, 2) + '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
