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
import { crashSigns, DEFAULT_TIMEOUT_S, expectedOutputs, loadCases, runCase } from './cases.js';

const cases = loadCases();
const areas = ['files', 'programs', 'notebooks', 'reports', 'command'];

test('the corpus holds at least 80 cases, in its five areas', () => {
  assert.ok(cases.length >= 80, `${cases.length} cases`);
  for (const hostile of cases) {
    assert.ok(areas.includes(hostile.name.split('/')[0]), `${hostile.name}: unknown area`);
    assert.match(hostile.name.split('/')[1], /^\d\d-[a-z0-9-]+$/u, hostile.name);
  }
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
        assert.deepEqual(crashSigns(run), [], `signs of a crash in:\n${run.stdout}${run.stderr}`);
        const expected = expectedOutputs(hostile);
        assert.equal(run.stdout, expected.stdout, 'stdout');
        assert.equal(run.stderr, expected.stderr, 'stderr');
        assert.equal(run.exit, spec.exit, `exit status (signal ${run.signal})`);
        assert.deepEqual(run.fileProblems, [], 'files after the run');
      },
    );
  }
});
