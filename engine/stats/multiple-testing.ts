/**
 * Adjusting a family of p-values for multiple testing, as statsmodels' `multipletests`
 * computes them (adjusted values in input order, capped at 1):
 * - `bonferroni`: p · m; reject when p ≤ α / m;
 * - `holm` (step-down): sort ascending, p₍ᵢ₎ · (m − i + 1) for i = 1..m, running maximum;
 *   reject the hypotheses before the first sorted p₍ᵢ₎ > α / (m − i + 1);
 * - `fdr_bh` (Benjamini–Hochberg step-up): sort ascending, p₍ᵢ₎ / (i / m), running minimum from
 *   the largest down; reject every hypothesis up to the largest i with p₍ᵢ₎ ≤ α · i / m.
 * Tied p-values get equal adjusted values whatever their order. Invariants: adjusted ≥ raw,
 * Holm ≤ Bonferroni, BH ≤ Holm.
 */
import { EngineError } from '../errors.js';

export type MultipleTestingMethod = 'bonferroni' | 'holm' | 'fdr_bh';

export interface MultipleTestingResult {
  readonly method: MultipleTestingMethod;
  readonly alpha: number;
  /** In input order. */
  readonly pAdjusted: Float64Array;
  readonly reject: readonly boolean[];
}

/** Adjusts `pValues` (one family) by `method` and decides at level `alpha`. */
export function adjustPValues(
  pValues: ArrayLike<number>,
  method: MultipleTestingMethod,
  alpha = 0.05,
): MultipleTestingResult {
  const m = pValues.length;
  for (let i = 0; i < m; i++) {
    const p = pValues[i];
    if (!(p >= 0 && p <= 1)) {
      throw new EngineError('score-out-of-range', `a p-value must be between 0 and 1, got ${p}`, {
        row: i + 1,
      });
    }
  }
  if (!(alpha > 0 && alpha < 1))
    throw new EngineError('bad-argument', `alpha must be between 0 and 1, got ${alpha}`);
  const pAdjusted = new Float64Array(m);
  const reject: boolean[] = new Array<boolean>(m).fill(false);
  if (method === 'bonferroni') {
    for (let i = 0; i < m; i++) {
      pAdjusted[i] = Math.min(1, pValues[i] * m);
      reject[i] = pValues[i] <= alpha / m;
    }
    return { method, alpha, pAdjusted, reject };
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => pValues[a] - pValues[b]);
  if (method === 'holm') {
    let running = 0;
    let stillRejecting = true;
    for (let r = 0; r < m; r++) {
      const p = pValues[order[r]];
      running = Math.max(running, p * (m - r));
      pAdjusted[order[r]] = Math.min(1, running);
      if (p > alpha / (m - r)) stillRejecting = false;
      reject[order[r]] = stillRejecting;
    }
    return { method, alpha, pAdjusted, reject };
  }
  let lastRejected = -1;
  for (let r = 0; r < m; r++) if (pValues[order[r]] <= ((r + 1) / m) * alpha) lastRejected = r;
  let running = Infinity;
  for (let r = m - 1; r >= 0; r--) {
    running = Math.min(running, pValues[order[r]] / ((r + 1) / m));
    pAdjusted[order[r]] = Math.min(1, running);
    reject[order[r]] = r <= lastRejected;
  }
  return { method, alpha, pAdjusted, reject };
}
