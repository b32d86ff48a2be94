/**
 * Debian's Jupyter against the kernel: jupyter_client driving an installed kernelspec
 * (py/drive_kernel.py), and `nbconvert --execute` running a notebook of cells. The kernelspec
 * points at the test kernel and is installed into a temporary JUPYTER_PATH.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { kernelSpecJson, writeKernelSpec } from '../../kernel/install.js';
import { repoRoot, type Json } from '../helpers/golden.js';
import { TEST_KERNEL } from './client.js';
import { findJupyterPython, jupyterEnv } from './jupyter-env.js';

const KERNEL_NAME = 'evalbook-test';
const python = findJupyterPython();

describe(
  'Jupyter’s own clients',
  { skip: python ? false : 'no python3 with jupyter_client' },
  () => {
    let home: string;
    let env: NodeJS.ProcessEnv;

    before(() => {
      home = mkdtempSync(join(tmpdir(), 'evalbook-jupyter-'));
      writeKernelSpec(
        join(home, 'kernels', KERNEL_NAME),
        kernelSpecJson(
          [process.execPath, TEST_KERNEL, '--connection-file', '{connection_file}'],
          'Evalbook (test)',
        ),
      );
      env = jupyterEnv(home);
    });

    after(() => rmSync(home, { recursive: true, force: true }));

    test('the kernelspec is listed by jupyter_client', () => {
      const listed = execFileSync(
        python as string,
        ['-m', 'jupyter_client.kernelspecapp', 'list', '--json'],
        { env, encoding: 'utf8' },
      );
      const specs = (JSON.parse(listed) as Json).kernelspecs;
      assert.equal(specs[KERNEL_NAME].resource_dir, join(home, 'kernels', KERNEL_NAME));
      assert.equal(specs[KERNEL_NAME].spec.display_name, 'Evalbook (test)');
      assert.equal(specs[KERNEL_NAME].spec.language, 'evalbook');
      assert.equal(specs[KERNEL_NAME].spec.interrupt_mode, 'message');
    });

    test('jupyter_client: info, execute, errors, completion, interrupt, restart, shutdown', () => {
      const run = spawnSync(
        python as string,
        [join(repoRoot, 'test', 'kernel', 'py', 'drive_kernel.py'), KERNEL_NAME],
        { env, encoding: 'utf8', timeout: 120000 },
      );
      assert.equal(run.status, 0, `drive_kernel.py failed:\n${run.stderr}`);
      const report = JSON.parse(run.stdout) as Json;
      assert.deepEqual(report.kernel_info, {
        status: 'ok',
        protocol_version: '5.3',
        implementation: 'evalbook',
        language: 'evalbook',
        file_extension: '.eval',
        mimetype: 'text/x-evalbook',
      });
      assert.deepEqual(report.execute, {
        status: 'ok',
        execution_count: 1,
        msg_types: [
          'status',
          'execute_input',
          'stream',
          'display_data',
          'execute_result',
          'status',
        ],
        result: ['42'],
        statuses: ['busy', 'idle'],
      });
      assert.deepEqual(report.error, {
        status: 'error',
        ename: 'TestError',
        evalue: 'not better',
        traceback: ['line 1: not better', '  fail not better', '  ^'],
      });
      assert.deepEqual(report.complete, {
        status: 'ok',
        matches: ['print', 'progress'],
        cursor_start: 0,
        cursor_end: 2,
        metadata: {},
      });
      assert.deepEqual(report.is_complete, { status: 'incomplete', indent: '  ' });
      assert.equal(report.inspect.found, true);
      assert.deepEqual(report.comm_info, { status: 'ok', comms: {} });
      assert.deepEqual(report.history.history, [
        [1, 1, 'print hello\ndisplay shown\nresult 42'],
        [1, 2, 'fail not better'],
      ]);
      assert.deepEqual(report.ts, { status: 'ok', result: ['42'] });
      assert.equal(report.interrupt.status, 'error');
      assert.equal(report.interrupt.ename, 'Interrupted');
      assert.ok(report.interrupt.seconds < 1, `interrupt took ${report.interrupt.seconds} s`);
      assert.deepEqual(report.after_interrupt, ['yes'], 'the session survived the interrupt');
      assert.equal(report.after_restart_count, 1);
      assert.equal(report.alive_after_restart, true);
      assert.equal(report.alive_after_shutdown, false);
      assert.ok(report.shutdown_seconds < 2, `shutdown took ${report.shutdown_seconds} s`);
    });

    test('nbconvert --execute runs a notebook of cells; outputs and MIME types as expected', () => {
      const dir = join(home, 'nb');
      mkdirSync(dir, { recursive: true });
      const cell = (source: string) => ({
        cell_type: 'code',
        execution_count: null,
        metadata: {},
        outputs: [],
        source,
      });
      const notebook = {
        cells: [
          cell('print hello\nresult 42'),
          cell('display shown'),
          cell('progress 3'),
          cell('%%ts\nconst x: number = 40 + 2;\nconsole.log("from ts");\nx'),
        ],
        metadata: {
          kernelspec: { name: KERNEL_NAME, display_name: 'Evalbook (test)', language: 'evalbook' },
          language_info: { name: 'evalbook' },
        },
        nbformat: 4,
        nbformat_minor: 5,
      };
      writeFileSync(join(dir, 'cells.ipynb'), JSON.stringify(notebook));
      const run = spawnSync(
        python as string,
        [
          '-m',
          'nbconvert',
          '--to',
          'notebook',
          '--execute',
          '--output',
          'executed.ipynb',
          join(dir, 'cells.ipynb'),
        ],
        { env, encoding: 'utf8', timeout: 120000, cwd: dir },
      );
      assert.equal(run.status, 0, `nbconvert failed:\n${run.stderr}`);
      const executed = JSON.parse(readFileSync(join(dir, 'executed.ipynb'), 'utf8')) as Json;
      // nbformat may store text as a list of lines: join them back.
      const joined = (value: Json): Json =>
        Array.isArray(value)
          ? value.join('')
          : typeof value === 'object' && value !== null
            ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, joined(v)]))
            : value;
      const outputs = executed.cells.map((c: Json) => c.outputs.map(joined));
      assert.deepEqual(outputs[0], [
        { name: 'stdout', output_type: 'stream', text: 'hello\n' },
        {
          data: { 'text/plain': '42' },
          execution_count: 1,
          metadata: {},
          output_type: 'execute_result',
        },
      ]);
      assert.equal(outputs[1][0].output_type, 'display_data');
      assert.deepEqual(Object.keys(outputs[1][0].data).sort(), ['text/html', 'text/plain']);
      // The progress display was updated in place: one output, showing the last step.
      assert.equal(outputs[2].length, 1);
      assert.equal(outputs[2][0].data['text/plain'], '3/3');
      assert.deepEqual(outputs[3], [
        { name: 'stdout', output_type: 'stream', text: 'from ts\n' },
        {
          data: { 'text/plain': '42' },
          execution_count: 4,
          metadata: {},
          output_type: 'execute_result',
        },
      ]);
      assert.equal(executed.metadata.language_info.name, 'evalbook');
      assert.equal(executed.metadata.language_info.file_extension, '.eval');
    });
  },
);
