/**
 * Kernel benchmark: `node dist/bench/kernel.js [--repeat N]` prints one JSON object.
 *
 * - cold start: process spawn → first kernel_info_reply, median of 5·N starts, measured with
 *   the project's client and with jupyter_client (test/kernel/py/cold_start.py);
 * - round trip of a trivial cell: execute_request sent → its idle status received, p50 and p99
 *   over 200 cells (after 20 unmeasured ones) in each of N sessions, the lowest reported;
 * - the kernel's peak RSS after them (VmHWM of /proc/<pid>/status), the largest.
 *
 * Three kernels are measured the same way on the same machine: `evalbook` is the real
 * `evalbook kernel` (it loads the language after its first kernel_info_reply; the trivial cell
 * is `set seed 1`, parsed, checked and run), `evalbook_protocol_only` the test kernel whose
 * executor only echoes (the messaging alone), and `ipykernel` (cell `1`) when Debian's
 * python3-ipykernel is there. `bench/run.ts` runs this file as a child process and reads its
 * JSON, whose shape is `KernelFigures`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultKernelArgv, kernelSpecJson, writeKernelSpec } from '../kernel/install.js';
import {
  EVALBOOK_BIN,
  KernelClient,
  TEST_KERNEL,
  type StartOptions,
} from '../test/kernel/client.js';
import { findJupyterPython, jupyterEnv } from '../test/kernel/jupyter-env.js';
import { repoRoot } from '../test/helpers/golden.js';

const COLD_RUNS = 5;
const WARMUP_CELLS = 20;
const MEASURED_CELLS = 200;

/** A median with the runs it came from, in milliseconds. */
export interface ColdStartTiming {
  readonly median: number;
  readonly runs: readonly number[];
}

/** One kernel's figures; the round trip and RSS are absent when only its start is measured. */
export interface KernelMeasurement {
  readonly cold_start_ms: {
    readonly own_client: ColdStartTiming;
    /** A sentence saying why, when no Python with jupyter_client was found. */
    readonly jupyter_client: ColdStartTiming | string;
  };
  /**
   * execute_request sent → its idle status received, nearest-rank percentiles of `cells`
   * cells in one kernel session: the lowest over the sessions (one per repeat), each session's
   * in `p50_all` and `p99_all`.
   */
  readonly trivial_cell_round_trip_ms: {
    readonly p50: number;
    readonly p99: number;
    readonly cells: number;
    readonly p50_all: readonly number[];
    readonly p99_all: readonly number[];
  };
  /** VmHWM of the kernel process after the cells, the largest over the sessions. */
  readonly peak_rss_mib_after_cells: number | null;
}

/** What `node dist/bench/kernel.js` prints. */
export interface KernelFigures {
  readonly evalbook: KernelMeasurement;
  readonly evalbook_protocol_only: KernelMeasurement;
  /** A sentence saying why, when ipykernel is not installed. */
  readonly ipykernel: KernelMeasurement | string;
  readonly trivial_cells: Readonly<Record<string, string>>;
  readonly repeat: number;
  readonly machine: { readonly node: string; readonly cpus: number };
}

interface KernelUnderTest {
  name: string;
  start: StartOptions;
  trivialCell: string;
  /** The kernelspec name jupyter_client starts, and where its kernelspec is. */
  kernelspec: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

function peakRssMiB(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  return match ? round(Number(match[1]) / 1024, 1) : null;
}

async function coldStartOwnClient(kernel: KernelUnderTest): Promise<number[]> {
  const runs: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const client = await KernelClient.start(kernel.start);
    try {
      const first = client.received.find((m) => m.header.msg_type === 'kernel_info_reply');
      if (!first) throw new Error('no kernel_info_reply');
      runs.push(first.at - client.spawnedAt);
    } finally {
      await client.close();
    }
  }
  return runs;
}

function coldStartJupyterClient(
  python: string,
  kernelspec: string,
  env: NodeJS.ProcessEnv,
): number[] {
  const run = spawnSync(
    python,
    [join(repoRoot, 'test', 'kernel', 'py', 'cold_start.py'), kernelspec, String(COLD_RUNS)],
    { env, encoding: 'utf8', timeout: 300000 },
  );
  if (run.status !== 0) throw new Error(`cold_start.py failed: ${run.stderr}`);
  const { seconds } = JSON.parse(run.stdout) as { seconds: number[] };
  return seconds.map((s) => s * 1000);
}

function timing(runs: number[]): ColdStartTiming {
  return { median: round(median(runs), 1), runs: runs.map((t) => round(t, 1)) };
}

async function roundTrips(kernel: KernelUnderTest) {
  const client = await KernelClient.start(kernel.start);
  try {
    const times: number[] = [];
    for (let i = 0; i < WARMUP_CELLS + MEASURED_CELLS; i++) {
      const sent = performance.now();
      const header = await client.submit(kernel.trivialCell);
      // The first cell of the real kernel waits for the language to load.
      const idle = await client.idle(header.msg_id, i === 0 ? 60000 : 10000);
      const reply = await client.reply(header.msg_id);
      if (reply.content.status !== 'ok') throw new Error(`${kernel.name}: a trivial cell failed`);
      if (i >= WARMUP_CELLS) times.push(idle.at - sent);
      // Keep the client's memory of messages from growing into the measurement.
      client.discardReceived();
    }
    return {
      p50: round(percentile(times, 50), 3),
      p99: round(percentile(times, 99), 3),
      peak_rss_mib: peakRssMiB(client.child.pid),
    };
  } finally {
    await client.close();
  }
}

/** `repeat` rounds of COLD_RUNS starts with each client and one session of cells. */
async function measure(
  kernel: KernelUnderTest,
  python: string | undefined,
  env: NodeJS.ProcessEnv,
  repeat: number,
): Promise<KernelMeasurement> {
  const own: number[] = [];
  const jupyter: number[] = [];
  const sessions: Awaited<ReturnType<typeof roundTrips>>[] = [];
  for (let session = 0; session < repeat; session++) {
    own.push(...(await coldStartOwnClient(kernel)));
    if (python) jupyter.push(...coldStartJupyterClient(python, kernel.kernelspec, env));
    sessions.push(await roundTrips(kernel));
  }
  const p50s = sessions.map((s) => s.p50);
  const p99s = sessions.map((s) => s.p99);
  const rss = sessions.flatMap((s) => (s.peak_rss_mib === null ? [] : [s.peak_rss_mib]));
  return {
    cold_start_ms: {
      own_client: timing(own),
      jupyter_client: python ? timing(jupyter) : 'python3 with jupyter_client not found',
    },
    trivial_cell_round_trip_ms: {
      p50: Math.min(...p50s),
      p99: Math.min(...p99s),
      cells: MEASURED_CELLS,
      p50_all: p50s,
      p99_all: p99s,
    },
    peak_rss_mib_after_cells: rss.length === 0 ? null : Math.max(...rss),
  };
}

/**
 * Measures the three kernels, `repeat` rounds each; needs the build in dist/ (the kernels run
 * from there).
 */
export async function measureKernels(repeat = 1): Promise<KernelFigures> {
  const python = findJupyterPython();
  const home = mkdtempSync(join(tmpdir(), 'evalbook-bench-'));
  const env = jupyterEnv(home);
  // ipykernel's own kernelspec comes from the system's data directory, so keep it on the path.
  env.JUPYTER_PATH = [home, '/usr/share/jupyter', '/usr/local/share/jupyter'].join(':');
  try {
    writeKernelSpec(
      join(home, 'kernels', 'evalbook-language'),
      kernelSpecJson(defaultKernelArgv()),
    );
    const evalbook: KernelUnderTest = {
      name: 'evalbook',
      start: { args: [EVALBOOK_BIN, 'kernel', '--connection-file', '{connection_file}'] },
      trivialCell: 'set seed 1',
      kernelspec: 'evalbook-language',
    };
    writeKernelSpec(
      join(home, 'kernels', 'evalbook-bench'),
      kernelSpecJson([process.execPath, TEST_KERNEL, '--connection-file', '{connection_file}']),
    );
    const protocolOnly: KernelUnderTest = {
      name: 'evalbook (test executor)',
      start: {},
      trivialCell: 'result 1',
      kernelspec: 'evalbook-bench',
    };
    const ipykernelThere =
      python !== undefined &&
      spawnSync(python, ['-c', 'import ipykernel'], { stdio: 'ignore' }).status === 0 &&
      existsSync('/usr/share/jupyter/kernels/python3');
    const ipykernel: KernelUnderTest | undefined = ipykernelThere
      ? {
          name: 'ipykernel',
          start: {
            command: python,
            args: ['-m', 'ipykernel_launcher', '-f', '{connection_file}'],
            env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
            readyTimeoutMs: 60000,
          },
          trivialCell: '1',
          kernelspec: 'python3',
        }
      : undefined;
    return {
      evalbook: await measure(evalbook, python, env, repeat),
      evalbook_protocol_only: await measure(protocolOnly, python, env, repeat),
      ipykernel: ipykernel
        ? await measure(ipykernel, python, env, repeat)
        : 'not measured: python3-ipykernel not installed (apt-get install python3-ipykernel)',
      trivial_cells: {
        evalbook: evalbook.trivialCell,
        evalbook_protocol_only: protocolOnly.trivialCell,
        ipykernel: '1',
      },
      repeat,
      machine: { node: process.version, cpus: cpus().length },
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--repeat');
  const repeat = i >= 0 ? Number(process.argv[i + 1]) : 1;
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat takes a whole number ≥ 1');
  measureKernels(repeat)
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
