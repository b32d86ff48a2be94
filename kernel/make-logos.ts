/**
 * Writes kernel/assets/logo-32x32.png and logo-64x64.png from png.ts's drawing:
 * `node dist/kernel/make-logos.js`. The files are committed; a test checks they match.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './kernel-info.js';
import { LOGO_SIZES, logoFileName, logoPng } from './png.js';

const assets = join(packageRoot, 'kernel', 'assets');
mkdirSync(assets, { recursive: true });
for (const size of LOGO_SIZES) {
  const path = join(assets, logoFileName(size));
  writeFileSync(path, logoPng(size));
  console.log(`wrote ${path}`);
}
