/**
 * The corpus of hostile inputs (test/hostile/README.md): every case folder runs the `evalbook`
 * command in a fresh copy of itself and must give exactly its expected exit status, stdout and
 * stderr, leave its `unchanged` files as they were, show no sign of a crash, and finish within
 * its timeout (a hang is a failure; the child and what it started are killed).
 *
 * Rewrite the expected outputs of reviewed cases with `node dist/test/hostile/update.js NAME`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  crashSigns,
  DEFAULT_TIMEOUT_S,
  expectedOutputs,
  internalFrames,
  loadCases,
  runCase,
} from './cases.js';

const cases = loadCases();
const areas = ['files', 'programs', 'notebooks', 'reports', 'command'];

test('the corpus holds at least 80 cases, in its five areas', () => {
  assert.ok(cases.length >= 80, `${cases.length} cases`);
  for (const hostile of cases) {
    assert.ok(areas.includes(hostile.name.split('/')[0]), `${hostile.name}: unknown area`);
    assert.match(hostile.name.split('/')[1], /^\d\d-[a-z0-9-]+$/u, hostile.name);
  }
});

test("with user_stack, a cell's own frames are allowed and Evalbook's or Node's are crash signs", () => {
  const user =
    'Error: boom\n    at ts-cell-1.js:4:7\n    at f (ts-cell-2.js:1:3)\n    at new Promise (<anonymous>)\n';
  assert.deepEqual(crashSigns({ stdout: user, stderr: '' }, { user_stack: true }), []);
  assert.deepEqual(crashSigns({ stdout: user, stderr: '' }), ['    at ']);
  const internal = [
    '    at runCell (/work/main/dist/dsl/run.js:10:5)',
    '    at file:///srv/evalbook/dist/kernel/ts-cells.js:3:1',
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  ];
  assert.deepEqual(
    internalFrames(`${user}${internal.join('\n')}\n`),
    internal.map((line) => `internal frame ${JSON.stringify(line.trim())}`),
  );
  assert.deepEqual(
    crashSigns({ stdout: user, stderr: `TypeError: x\n${internal[0]}` }, { user_stack: true }),
    ['TypeError', `internal frame ${JSON.stringify(internal[0].trim())}`],
  );
});

// Two at a time: each case is a process (a notebook's, two), and the machine is shared.
describe('each hostile input is refused clearly or handled safely', { concurrency: 2 }, () => {
  for (const hostile of cases) {
    const { spec } = hostile;
    const timeoutS = spec.timeout_s ?? DEFAULT_TIMEOUT_S;
    test(
      hostile.name,
      // The runner kills the child at timeout_s; the test's own limit is a little later.
      { skip: spec.pending, timeout: (timeoutS + 15) * 1000 },
      async () => {
        const run = await runCase(hostile);
        assert.ok(!run.timedOut, `still running after ${timeoutS} s: killed`);
        assert.deepEqual(
          crashSigns(run, spec),
          [],
          `signs of a crash in:\n${run.stdout}${run.stderr}`,
        );
        const expected = expectedOutputs(hostile);
        assert.equal(run.stdout, expected.stdout, 'stdout');
        assert.equal(run.stderr, expected.stderr, 'stderr');
        assert.equal(run.exit, spec.exit, `exit status (signal ${run.signal})`);
        assert.deepEqual(run.fileProblems, [], 'files after the run');
      },
    );
  }
});
