/** What the kernel says about itself: `kernel_info_reply`, and where its files are. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PROTOCOL_VERSION, type KernelInfoReplyContent } from './protocol.js';

/** The repository (or installed package) root: this file is dist/kernel/kernel-info.js. */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let cachedVersion: string | undefined;

/** The `version` of package.json. */
export function packageVersion(): string {
  if (cachedVersion === undefined) {
    const json: unknown = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
    const version = (json as { version?: unknown }).version;
    cachedVersion = typeof version === 'string' ? version : '0.0.0';
  }
  return cachedVersion;
}

export const LANGUAGE_NAME = 'evalbook';
export const LANGUAGE_MIMETYPE = 'text/x-evalbook';
export const FILE_EXTENSION = '.eval';

export function kernelInfoContent(): KernelInfoReplyContent {
  const version = packageVersion();
  return {
    status: 'ok',
    protocol_version: PROTOCOL_VERSION,
    implementation: 'evalbook',
    implementation_version: version,
    language_info: {
      name: LANGUAGE_NAME,
      version,
      mimetype: LANGUAGE_MIMETYPE,
      file_extension: FILE_EXTENSION,
      // No front end ships an Evalbook mode. Python's modes colour what the language shares
      // with it (`#` comments, double-quoted strings, numbers, `as`/`in`/`and` keywords)
      // and exist in CodeMirror, Pygments and nbconvert alike.
      codemirror_mode: 'python',
      pygments_lexer: 'python',
      nbconvert_exporter: 'script',
    },
    banner:
      `Evalbook ${version}: cells that evaluate models (load, split, compare, threshold, ` +
      `calibration, curve, check, report). Start a cell with %%ts for TypeScript.`,
    help_links: [
      {
        text: 'Evalbook language reference',
        url: pathToFileURL(join(packageRoot, 'docs', 'language.md')).href,
      },
      { text: 'TypeScript cells (tslab)', url: 'https://github.com/yunabe/tslab' },
      { text: 'danfo.js DataFrame API', url: 'https://danfo.jsdata.org/api-reference/dataframe' },
      {
        text: 'Jupyter messaging protocol',
        url: 'https://jupyter-client.readthedocs.io/en/stable/messaging.html',
      },
    ],
    debugger: false,
  };
}
