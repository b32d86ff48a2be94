/**
 * Writes the data behind the example notebooks: the SpamAssassin fine-tuning story of
 * scripts/spam-data.ts, as notebooks/data/{spam_test,spam_rare_test,finetune_train,
 * finetune_loss}.csv and notebooks/data/README.md, and prints a summary.
 *
 *   npx tsc -p . && node dist/scripts/make-spam-data.js
 *
 * The output is the same byte for byte on every run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSpamData, DEFAULT_CONFIG, loadCorpus } from './spam-data.js';
import { renderReadme, summaryLines } from './spam-readme.js';

/** notebooks/data of the repository (this file runs as dist/scripts/make-spam-data.js). */
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'notebooks', 'data');

const started = Date.now();
const data = buildSpamData(loadCorpus(), DEFAULT_CONFIG);
mkdirSync(outDir, { recursive: true });
for (const [name, content] of data.files) writeFileSync(join(outDir, name), content);
writeFileSync(join(outDir, 'README.md'), renderReadme(data, DEFAULT_CONFIG));
for (const line of summaryLines(data)) console.log(line);
console.log(`written to ${outDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
