/**
 * `check`: an assertion's outcome. The language evaluates checks; the display only needs
 * what it says, so the input is this small structural type rather than a language type
 * (display/ does not import dsl/).
 */
import type { Renderer } from './renderer.js';

/** One evaluated assertion. `detail` gives the numbers it compared, in words, or null. */
export interface CheckOutcome {
  readonly kind: 'check';
  /** The assertion as written (`R.finetuned.f1 > R.base.f1 + 0.02`). */
  readonly expression: string;
  readonly passed: boolean;
  readonly detail: string | null;
}

export const describeCheck: Renderer<CheckOutcome> = (check) => {
  const verdict = check.passed ? 'passed' : 'FAILED';
  return {
    title: `check ${check.expression}: ${verdict}`,
    sections: check.detail === null ? [] : [{ type: 'sentences', lines: [check.detail] }],
    warnings: check.passed
      ? []
      : [{ severity: 'warning', message: `check failed: ${check.expression}` }],
    explanations: [],
    charts: [],
  };
};
