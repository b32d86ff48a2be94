/**
 * Rewrites expected.out and expected.err of the hostile cases whose names contain one of the
 * arguments (`node dist/test/hostile/update.js files/03 notebooks/`), from a fresh run. Only
 * for outputs a person has read: it prints each case's exit status, crash signs and file
 * problems so that they are reviewed too; the exit status in case.json is never rewritten.
 */
import { crashSigns, loadCases, runCase, writeExpected } from './cases.js';

const filters = process.argv.slice(2);
if (filters.length === 0) {
  console.error('usage: node dist/test/hostile/update.js NAME-PART... (e.g. files/03)');
  process.exit(2);
}
const chosen = loadCases().filter((c) => filters.some((f) => c.name.includes(f)));
if (chosen.length === 0) {
  console.error(`no case matches ${filters.join(', ')}`);
  process.exit(1);
}
for (const hostile of chosen) {
  if (hostile.spec.pending !== undefined) {
    console.log(`${hostile.name}: pending (${hostile.spec.pending}), not rewritten`);
    continue;
  }
  const run = await runCase(hostile);
  const notes = [
    run.timedOut
      ? 'TIMED OUT'
      : `exit ${run.exit}${run.exit === hostile.spec.exit ? '' : ` (case.json says ${hostile.spec.exit})`}`,
    ...crashSigns(run, hostile.spec).map((sign) => `CRASH SIGN ${JSON.stringify(sign)}`),
    ...run.fileProblems,
  ];
  if (!run.timedOut) writeExpected(hostile, run);
  console.log(`${hostile.name}: ${notes.join('; ')}`);
}
