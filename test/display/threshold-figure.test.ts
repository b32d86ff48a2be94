/**
 * The threshold chart's figure, serialised, against stored files: every trace, the slider's
 * steps and the layout, byte for byte. The cases cover each way the chart is built — the
 * three base series only, F-beta and cost added (cost on its own axis), and a chosen
 * threshold that is no sweep point (above every score: the figure opens at the rule's own
 * numbers, with no F-beta value there).
 *
 * Regenerate with `EVALBOOK_UPDATE_GOLDEN=1 node --test dist/test/display/threshold-figure.test.js`,
 * then read the diff: a change here changes what every threshold chart shows.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyseThresholds } from '../../engine/analysis/index.js';
import type { ThresholdRule } from '../../engine/metrics/threshold.js';
import { thresholdChart } from '../../display/charts/threshold.js';
import { repoRoot } from '../helpers/golden.js';
import * as fixtures from './fixtures.js';

const update = process.env.EVALBOOK_UPDATE_GOLDEN === '1';
const figuresDir = join(repoRoot, 'test', 'display', 'figures');

interface FigureCase {
  readonly file: string;
  readonly pick: ThresholdRule;
  readonly beta?: number;
}

const CASES: readonly FigureCase[] = [
  { file: 'threshold-max-f1.json', pick: { kind: 'max-f1' } },
  {
    file: 'threshold-min-cost-fbeta.json',
    pick: { kind: 'min-cost', costs: { falsePositive: 1, falseNegative: 5 } },
    beta: 2,
  },
  { file: 'threshold-fixed-off-sweep.json', pick: { kind: 'fixed', threshold: 1.5 }, beta: 2 },
];

for (const c of CASES) {
  test(`threshold chart figure is unchanged: ${c.file}`, async () => {
    const table = await fixtures.golden('binary_spam_ham');
    const result = analyseThresholds(table, {
      label: 'label',
      positive: 'spam',
      models: [{ name: 'finetuned', scoreColumn: 'ft_score' }],
      pick: c.pick,
      beta: c.beta,
      maxPoints: 12,
    });
    const m = result.models[0];
    const chart = thresholdChart({
      model: m.name,
      positiveLabel: result.positiveLabel,
      n: result.n,
      sweep: m.sweep,
      chosen: m.chosen,
      rule: result.rule.description,
    });
    const actual = `${JSON.stringify({ text: chart.text, figure: chart.figure }, null, 1)}\n`;
    const path = join(figuresDir, c.file);
    if (update) writeFileSync(path, actual);
    assert.equal(actual, readFileSync(path, 'utf8'));
  });
}

test('the fixed-threshold case really chooses a threshold that is no sweep point', async () => {
  const table = await fixtures.golden('binary_spam_ham');
  const result = analyseThresholds(table, {
    label: 'label',
    positive: 'spam',
    models: [{ name: 'finetuned', scoreColumn: 'ft_score' }],
    pick: { kind: 'fixed', threshold: 1.5 },
    beta: 2,
    maxPoints: 12,
  });
  const m = result.models[0];
  assert.equal(m.chosen?.threshold, 1.5);
  assert.equal(m.sweep.chosenIndex, null);
  assert.ok(!m.sweep.threshold.includes(1.5));
});
