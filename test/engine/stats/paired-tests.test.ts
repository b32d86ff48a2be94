/**
 * The `paired` block of every golden-text case (and the paired_tests case): Wilcoxon in all
 * its variants, the sign test, the paired t-test, TOST and non-inferiority, on the case's
 * per-example scores.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairedScoreTests } from '../../../engine/stats/paired-scores.js';
import type { WilcoxonResult } from '../../../engine/stats/wilcoxon.js';
import { RougeScorer } from '../../../engine/text/rouge.js';
import { squadCorpus } from '../../../engine/text/squad.js';
import { assertGolden, type Json } from '../../helpers/golden.js';
import {
  asJsonNumber,
  goldenTextCases,
  readCsv,
  readJsonl,
  readTextExpected,
} from '../../helpers/golden-text-fixtures.js';

/** The per-example scores the case's `paired` block was computed on, base and ft. */
function pairedScores(caseName: string, expected: Json): { base: number[]; ft: number[] } {
  switch (expected.kind) {
    case 'paired_tests': {
      const rows = readCsv(caseName);
      return {
        base: rows.map((r) => Number(r.base_score)),
        ft: rows.map((r) => Number(r.ft_score)),
      };
    }
    case 'rouge': {
      // rougeL F without stemmer, computed here: the paired tests then check the whole chain.
      const rows = readJsonl(caseName);
      const scorer = new RougeScorer();
      const f = (m: string): number[] =>
        rows.map((r) => scorer.score(r.reference, r[m]).rougeL.fmeasure);
      return { base: f('base_output'), ft: f('ft_output') };
    }
    case 'squad': {
      const rows = readJsonl(caseName);
      const f = (m: string): number[] =>
        squadCorpus(
          rows.map((r) => r[m]),
          rows.map((r) => r.references),
        ).perExample.map((s) => s.f1);
      return { base: f('base_output'), ft: f('ft_output') };
    }
    default: {
      // mt cases: sentence chrF is another module's metric, so its reference values are used.
      assert.equal(expected.paired.score, 'sentence_chrf');
      const f = (m: string): number[] =>
        expected.models[m].per_example.map((e: Json) => e.sentence_chrf);
      return { base: f('base'), ft: f('ft') };
    }
  }
}

function wilcoxonJson(r: WilcoxonResult): Json {
  return {
    statistic: r.statistic,
    z: r.z,
    p_value: r.pValue,
    n_ranked: r.nRanked,
    r_plus: r.rPlus,
    r_minus: r.rMinus,
  };
}

/** Everything in the `paired` block, computed in one call, in the fixture's shape. */
function computePaired(base: number[], ft: number[], expected: Json): Json {
  const alpha = expected.tost_alpha;
  const r = pairedScoreTests(base, ft, {
    alpha,
    equivalenceMargins: expected.tost.results.map((e: Json) => e.margin),
    nonInferiorityMargins: expected.non_inferiority.results.map((e: Json) => e.margin),
  });
  const s = r.summary;
  const side = (x: { t: number; pValue: number; df: number }): Json => ({
    t: asJsonNumber(x.t),
    p_value: x.pValue,
    df: x.df,
  });
  return {
    n: s.n,
    n_positive: s.nPositive,
    n_negative: s.nNegative,
    n_zero: s.nZero,
    nonzero_abs_differences_have_ties: s.nonzeroAbsDifferencesHaveTies,
    mean_base: s.meanBase,
    mean_ft: s.meanFt,
    mean_difference: s.meanDifference,
    sd_difference: s.sdDifference,
    se_difference: s.seDifference,
    wilcoxon: {
      wilcox_approx: wilcoxonJson(r.wilcoxon.wilcox),
      wilcox_approx_continuity: wilcoxonJson(r.wilcoxon.wilcoxContinuity),
      pratt_approx: wilcoxonJson(r.wilcoxon.pratt),
      zsplit_approx: wilcoxonJson(r.wilcoxon.zsplit),
      wilcox_exact: wilcoxonJson(r.wilcoxon.exact),
    },
    sign_test: {
      n_nonzero: r.signTest.nNonzero,
      n_positive: r.signTest.nPositive,
      p_value: r.signTest.pValue,
    },
    t_test: {
      statistic: r.tTest.statistic,
      df: r.tTest.df,
      p_value: r.tTest.pValue,
      ci95_mean_difference: r.tTest.confidenceInterval,
    },
    ci90_mean_difference: r.tostInterval,
    equivalence_margin_at_alpha: r.equivalenceMargin,
    tost: {
      results: r.tost.map((t, i) => ({
        margin: expected.tost.results[i].margin,
        low: t.low,
        upp: t.upp,
        p_value: t.pValue,
        lower: side(t.lower),
        upper: side(t.upper),
        equivalent_at_alpha: t.equivalent,
      })),
    },
    non_inferiority: {
      results: r.nonInferiority.map((x) => ({
        margin: x.margin,
        t: asJsonNumber(x.t),
        p_value: x.pValue,
        df: x.df,
        non_inferior_at_alpha: x.nonInferior,
      })),
    },
  };
}

const DESCRIPTIVE_KEYS = new Set([
  'call',
  'score',
  'difference',
  'zero_method',
  'method',
  'alternative',
  'correction',
  'error',
  'not_computed',
  'note',
  'tost_alpha',
]);

/**
 * The fixture's values without its descriptions (calls, option names, notes). A TOST row whose
 * margin was chosen to put the p-value at alpha carries no decision (its `note` says so).
 */
function valuesOnly(x: Json): Json {
  if (Array.isArray(x)) return x.map(valuesOnly);
  if (x === null || typeof x !== 'object') return x;
  const out: Json = {};
  for (const [k, v] of Object.entries(x)) {
    if (DESCRIPTIVE_KEYS.has(k)) continue;
    if (k === 'equivalent_at_alpha' && 'note' in x) continue;
    out[k] = valuesOnly(v);
  }
  return out;
}

const cases = goldenTextCases((e) => e.paired !== undefined);

test('every case with a paired block is covered', () => {
  assert.deepEqual(cases, [
    'identical_outputs',
    'mt_multi_ref_variable',
    'mt_paired_significance',
    'mt_short_unicode_case',
    'mt_single_ref_basic',
    'paired_tests_ties_zeros',
    'rouge_newlines_stemming',
    'squad_normalisation',
  ]);
});

for (const caseName of cases) {
  test(`${caseName}: the paired tests on ${readTextExpected(caseName).paired.score}`, () => {
    const expected = readTextExpected(caseName);
    const { base, ft } = pairedScores(caseName, expected);
    assertGolden(computePaired(base, ft, expected.paired), valuesOnly(expected.paired), caseName);
  });
}
