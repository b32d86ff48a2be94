/**
 * Kernel benchmark: `node dist/bench/kernel.js` prints one JSON object.
 *
 * - cold start: process spawn → first kernel_info_reply, median of 5, measured with the
 *   project's client and with jupyter_client (test/kernel/py/cold_start.py);
 * - round trip of a trivial cell: execute_request sent → its idle status received, p50 and p99
 *   over 200 cells (after 20 unmeasured ones);
 * - the kernel's peak RSS after them (VmHWM of /proc/<pid>/status).
 *
 * Evalbook runs with the test executor (the language is not what is measured here); ipykernel
 * is measured the same way on the same machine, when Debian's python3-ipykernel is there.
 * The cold start of the real `evalbook kernel` (which loads the language after its first
 * kernel_info_reply) is measured too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

async function roundTrips(kernel: KernelUnderTest) {
  const client = await KernelClient.start(kernel.start);
  try {
    const times: number[] = [];
    for (let i = 0; i < WARMUP_CELLS + MEASURED_CELLS; i++) {
      const sent = performance.now();
      const header = await client.submit(kernel.trivialCell);
      const idle = await client.idle(header.msg_id, 10000);
      const reply = await client.reply(header.msg_id);
      if (reply.content.status !== 'ok') throw new Error(`${kernel.name}: a trivial cell failed`);
      if (i >= WARMUP_CELLS) times.push(idle.at - sent);
    }
    // Keep the client's memory of messages from growing into the measurement of the next run.
    client.received.length = 0;
    return {
      p50: round(percentile(times, 50), 3),
      p99: round(percentile(times, 99), 3),
      peak_rss_mib: peakRssMiB(client.child.pid),
    };
  } finally {
    await client.close();
  }
}

async function coldStarts(
  kernel: KernelUnderTest,
  python: string | undefined,
  env: NodeJS.ProcessEnv,
) {
  const own = await coldStartOwnClient(kernel);
  const jupyter = python ? coldStartJupyterClient(python, kernel.kernelspec, env) : null;
  return {
    own_client: { median: round(median(own), 1), runs: own.map((t) => round(t, 1)) },
    jupyter_client: jupyter
      ? { median: round(median(jupyter), 1), runs: jupyter.map((t) => round(t, 1)) }
      : 'python3 with jupyter_client not found',
  };
}

async function measure(
  kernel: KernelUnderTest,
  python: string | undefined,
  env: NodeJS.ProcessEnv,
) {
  const cold = await coldStarts(kernel, python, env);
  const trips = await roundTrips(kernel);
  return {
    cold_start_ms: cold,
    trivial_cell_round_trip_ms: { p50: trips.p50, p99: trips.p99, cells: MEASURED_CELLS },
    peak_rss_mib_after_cells: trips.peak_rss_mib,
  };
}

async function main(): Promise<void> {
  const python = findJupyterPython();
  const home = mkdtempSync(join(tmpdir(), 'evalbook-bench-'));
  const env = jupyterEnv(home);
  // ipykernel's own kernelspec comes from the system's data directory, so keep it on the path.
  env.JUPYTER_PATH = [home, '/usr/share/jupyter', '/usr/local/share/jupyter'].join(':');
  try {
    writeKernelSpec(
      join(home, 'kernels', 'evalbook-bench'),
      kernelSpecJson([process.execPath, TEST_KERNEL, '--connection-file', '{connection_file}']),
    );
    const evalbook: KernelUnderTest = {
      name: 'evalbook',
      start: {},
      trivialCell: 'result 1',
      kernelspec: 'evalbook-bench',
    };
    writeKernelSpec(
      join(home, 'kernels', 'evalbook-language'),
      kernelSpecJson(defaultKernelArgv()),
    );
    const language: KernelUnderTest = {
      name: 'evalbook kernel',
      start: { args: [EVALBOOK_BIN, 'kernel', '--connection-file', '{connection_file}'] },
      trivialCell: '', // cold start only: no cells are timed for it
      kernelspec: 'evalbook-language',
    };
    const results: Record<string, unknown> = {
      evalbook: await measure(evalbook, python, env),
      evalbook_with_language: { cold_start_ms: await coldStarts(language, python, env) },
    };
    const ipykernelThere =
      python !== undefined &&
      spawnSync(python, ['-c', 'import ipykernel'], { stdio: 'ignore' }).status === 0 &&
      existsSync('/usr/share/jupyter/kernels/python3');
    if (ipykernelThere) {
      const ipykernel: KernelUnderTest = {
        name: 'ipykernel',
        start: {
          command: python,
          args: ['-m', 'ipykernel_launcher', '-f', '{connection_file}'],
          env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
          readyTimeoutMs: 60000,
        },
        trivialCell: '1',
        kernelspec: 'python3',
      };
      results.ipykernel = await measure(ipykernel, python, env);
    } else {
      results.ipykernel = 'not measured: python3-ipykernel not installed';
    }
    results.targets = {
      cold_start_ms: 500,
      trivial_cell_round_trip_ms: { p50: 4, p99: 9 },
      peak_rss_mib_after_cells: 100,
    };
    results.machine = { node: process.version, cpus: (await import('node:os')).cpus().length };
    console.log(JSON.stringify(results, null, 2));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
