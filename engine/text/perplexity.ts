/**
 * Perplexity and negative log-likelihood from per-token natural-log probabilities.
 *
 * Per example: mean log-probability = (Σ log p) / tokens, NLL = −mean, perplexity = exp(NLL);
 * undefined (NaN) for an example without tokens. Corpus, token-weighted: exp(−Σ over every token
 * of every example / total tokens), which differs from the mean of the per-example perplexities
 * (also given, examples without tokens left out) and from exp(mean per-example NLL). Every sum
 * runs left to right in input order, in float64.
 * Invariants: perplexity ≥ 1 when every log-probability ≤ 0; the corpus perplexity lies between
 * the smallest and the largest per-example perplexity.
 */
import { EngineError } from '../errors.js';

export interface PerplexityExample {
  readonly nTokens: number;
  readonly sumLogprob: number;
  /** NaN without tokens. */
  readonly meanLogprob: number;
  /** −meanLogprob. */
  readonly nll: number;
  readonly perplexity: number;
}

export interface PerplexityCorpus {
  readonly nTokens: number;
  readonly sumLogprob: number;
  readonly meanLogprob: number;
  /** Token-weighted mean negative log-likelihood, −sumLogprob / nTokens. */
  readonly nll: number;
  /** exp(nll). */
  readonly perplexity: number;
  readonly meanOfPerExamplePerplexity: number;
  readonly perplexityOfMeanPerExampleNll: number;
  readonly nExamplesWithTokens: number;
  readonly perExample: readonly PerplexityExample[];
}

function checkLogprobs(logprobs: ArrayLike<number>, row: number): void {
  for (let i = 0; i < logprobs.length; i++) {
    const v = logprobs[i];
    if (!(v <= 0)) {
      throw new EngineError(
        'score-out-of-range',
        `a log-probability must be a number ≤ 0, got ${v} (token ${i + 1})`,
        { row: row + 1 },
      );
    }
  }
}

/** Perplexity of one example's tokens. */
export function perplexityExample(logprobs: ArrayLike<number>): PerplexityExample {
  checkLogprobs(logprobs, 0);
  return checkedExample(logprobs);
}

function checkedExample(logprobs: ArrayLike<number>): PerplexityExample {
  let sum = 0;
  for (let i = 0; i < logprobs.length; i++) sum += logprobs[i];
  const n = logprobs.length;
  const mean = n === 0 ? NaN : sum / n;
  return {
    nTokens: n,
    sumLogprob: sum,
    meanLogprob: mean,
    nll: -mean,
    perplexity: Math.exp(-mean),
  };
}

/** Per-example and token-weighted corpus perplexity. */
export function perplexityCorpus(examples: readonly ArrayLike<number>[]): PerplexityCorpus {
  const perExample: PerplexityExample[] = [];
  let total = 0;
  let tokens = 0;
  let sumPerplexity = 0;
  let sumNll = 0;
  let withTokens = 0;
  for (let r = 0; r < examples.length; r++) {
    const logprobs = examples[r];
    checkLogprobs(logprobs, r);
    for (let i = 0; i < logprobs.length; i++) total += logprobs[i];
    tokens += logprobs.length;
    const e = checkedExample(logprobs);
    perExample.push(e);
    if (e.nTokens > 0) {
      withTokens++;
      sumPerplexity += e.perplexity;
      sumNll += e.nll;
    }
  }
  const mean = tokens === 0 ? NaN : total / tokens;
  return {
    nTokens: tokens,
    sumLogprob: total,
    meanLogprob: mean,
    nll: -mean,
    perplexity: Math.exp(-mean),
    meanOfPerExamplePerplexity: withTokens === 0 ? NaN : sumPerplexity / withTokens,
    perplexityOfMeanPerExampleNll: withTokens === 0 ? NaN : Math.exp(sumNll / withTokens),
    nExamplesWithTokens: withTokens,
    perExample,
  };
}
