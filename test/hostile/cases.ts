/**
 * The hostile-input corpus (test/hostile/README.md): reading a case folder, preparing a fresh
 * copy of it, running the `evalbook` command there, and comparing what happened with what the
 * case expects. Shared by hostile.test.ts (the tests) and update.ts (rewrites reviewed outputs).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../helpers/golden.js';

export const corpusRoot = join(repoRoot, 'test', 'hostile');
const evalbookJs = join(repoRoot, 'dist', 'bin', 'evalbook.js');

/** Files of a case folder that describe the case rather than being its input. */
const CASE_FILES = new Set(['case.json', 'expected.out', 'expected.err']);

/** The placeholder that stands for the case's temporary folder in expected outputs. */
export const CASE_PLACEHOLDER = '$CASE';

/** A file made at test time: the concatenation of its parts. */
export interface GeneratedFile {
  readonly path: string;
  readonly parts: readonly GeneratedPart[];
}

/**
 * `text` once or `repeat` times (with `numbered`, each `{i}` in it becomes 1, 2, ... in turn:
 * distinct column names), or raw bytes given in hex.
 */
export type GeneratedPart =
  | { readonly text: string; readonly repeat?: number; readonly numbered?: boolean }
  | { readonly hex: string; readonly repeat?: number };

/** Setup steps that git cannot store (all paths relative to the case's folder). */
export interface CaseSetup {
  /** Named pipes, with no writer: a reader that opens one waits forever. */
  readonly fifos?: readonly string[];
  /** link path → what it points to (may be itself, or a missing file). */
  readonly symlinks?: Readonly<Record<string, string>>;
  /** new path → an existing file it is a second name of. */
  readonly hardlinks?: Readonly<Record<string, string>>;
  /** Empty directories (named like files, as a rule). */
  readonly dirs?: readonly string[];
  readonly files?: readonly GeneratedFile[];
  /** Folders or files made read-only (mode 0555 / 0444) after the other steps. */
  readonly readonly?: readonly string[];
}

/** What a file must (not) contain once the command has run. */
export interface FileExpectation {
  readonly path: string;
  /** Must exist (the default) or must not. */
  readonly exists?: boolean;
  readonly includes?: readonly string[];
  readonly excludes?: readonly string[];
}

export interface CaseSpec {
  readonly args: readonly string[];
  readonly exit: number;
  readonly setup?: CaseSetup;
  /** Files that must be byte-identical (and of the same kind) after the run. */
  readonly unchanged?: readonly string[];
  readonly files?: readonly FileExpectation[];
  readonly stdin?: string;
  readonly timeout_s?: number;
  /** Why the expected output is not written yet; the case is skipped with this reason. */
  readonly pending?: string;
  /**
   * The output shows the stack of the user's own code (a `%%ts` cell's exception, as
   * ipykernel shows a Python traceback): stack frames are no crash sign then, but a frame of
   * Evalbook's own code or of Node's internals still is.
   */
  readonly user_stack?: boolean;
}

export interface HostileCase {
  /** `<area>/<NN-short-name>`. */
  readonly name: string;
  readonly dir: string;
  readonly spec: CaseSpec;
}

export interface CaseRun {
  readonly exit: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
  /** Problems found in the folder after the run (changed files, file expectations). */
  readonly fileProblems: readonly string[];
}

/** What no output may contain: the signs of a crash rather than a worded refusal. */
export const CRASH_SIGNS: readonly string[] = [
  '    at ',
  'RangeError',
  'TypeError',
  'Maximum call stack',
  'Cannot read properties',
];

export const DEFAULT_TIMEOUT_S = 60;

/** Every case folder (one holding a case.json), sorted by name. */
export function loadCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const area of readdirSync(corpusRoot, { withFileTypes: true })) {
    if (!area.isDirectory()) continue;
    for (const entry of readdirSync(join(corpusRoot, area.name), { withFileTypes: true })) {
      const dir = join(corpusRoot, area.name, entry.name);
      if (!entry.isDirectory() || !existsSync(join(dir, 'case.json'))) continue;
      const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseSpec;
      cases.push({ name: `${area.name}/${entry.name}`, dir, spec });
    }
  }
  return cases.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function generatedBytes(file: GeneratedFile): Buffer {
  const chunks: Buffer[] = [];
  for (const part of file.parts) {
    if ('text' in part && part.numbered === true) {
      const texts: string[] = [];
      for (let i = 1; i <= (part.repeat ?? 1); i++) texts.push(part.text.replaceAll('{i}', `${i}`));
      chunks.push(Buffer.from(texts.join(''), 'utf8'));
      continue;
    }
    const once = 'hex' in part ? Buffer.from(part.hex, 'hex') : Buffer.from(part.text, 'utf8');
    chunks.push(part.repeat === undefined ? once : Buffer.alloc(once.length * part.repeat, once));
  }
  return Buffer.concat(chunks);
}

/** Copies the case's inputs into a fresh temporary folder and applies its setup. */
export function prepare(hostile: HostileCase): string {
  const work = realpathSync(mkdtempSync(join(tmpdir(), 'evalbook-hostile-')));
  for (const name of readdirSync(hostile.dir)) {
    if (!CASE_FILES.has(name))
      cpSync(join(hostile.dir, name), join(work, name), { recursive: true });
  }
  const setup = hostile.spec.setup ?? {};
  const at = (path: string): string => {
    const full = join(work, path);
    mkdirSync(dirname(full), { recursive: true });
    return full;
  };
  for (const path of setup.dirs ?? []) mkdirSync(at(path), { recursive: true });
  for (const file of setup.files ?? []) writeFileSync(at(file.path), generatedBytes(file));
  for (const [path, target] of Object.entries(setup.hardlinks ?? {}))
    linkSync(at(target), at(path));
  for (const [path, target] of Object.entries(setup.symlinks ?? {})) symlinkSync(target, at(path));
  for (const path of setup.fifos ?? []) {
    // node has no mkfifo: the system's own command makes it.
    const made = spawnSync('mkfifo', [at(path)], { encoding: 'utf8' });
    if (made.status !== 0) {
      throw new Error(`setup of ${hostile.name}: mkfifo ${path}: ${made.stderr || made.error}`);
    }
  }
  for (const path of setup.readonly ?? []) {
    chmodSync(at(path), lstatSync(at(path)).isDirectory() ? 0o555 : 0o444);
  }
  return work;
}

/** A fingerprint of a path for `unchanged`: its kind and, for a regular file, its bytes. */
function fingerprint(path: string): string {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return 'missing';
  }
  if (stat.isSymbolicLink()) return 'symlink';
  if (stat.isFIFO()) return 'fifo';
  if (stat.isDirectory()) return 'directory';
  return `file ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
}

/** Makes every folder of `dir` writable again so that it can be removed. */
function unlock(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      chmodSync(path, 0o755);
      unlock(path);
    }
  }
}

/**
 * Stdout/stderr as compared: the temporary folder replaced and durations masked. A duration
 * padded into a column keeps the column's width as if it were `0.00`, so that a slow cell
 * (`10.14 s`) does not shift the line.
 */
export function normalize(text: string, work: string): string {
  return text
    .split(work)
    .join(CASE_PLACEHOLDER)
    .replace(/( *)\b(\d+\.\d+) s\b/gu, (_match, pad: string, seconds: string) => {
      const width = pad.length === 0 ? 0 : Math.max(1, pad.length + seconds.length - 4);
      return `${' '.repeat(width)}#.## s`;
    });
}

/** Runs the case in a fresh copy of its folder; the child is killed when it overruns. */
export async function runCase(hostile: HostileCase): Promise<CaseRun> {
  const { spec } = hostile;
  const work = prepare(hostile);
  const before = new Map((spec.unchanged ?? []).map((p) => [p, fingerprint(join(work, p))]));
  const timeoutMs = (spec.timeout_s ?? DEFAULT_TIMEOUT_S) * 1000;
  try {
    const outcome = await new Promise<Omit<CaseRun, 'fileProblems'>>((resolvePromise) => {
      // Its own process group, so that a kernel it started dies with it on a timeout.
      const child = spawn(process.execPath, [evalbookJs, ...spec.args], {
        cwd: work,
        detached: true,
        stdio: [spec.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        env: { ...cleanEnv(), TZ: 'UTC', HOME: work },
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
      if (spec.stdin !== undefined && child.stdin !== null) {
        child.stdin.on('error', () => undefined);
        child.stdin.end(spec.stdin);
      }
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child.pid);
      }, timeoutMs);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        // Whatever it left behind (a kernel) goes too.
        killGroup(child.pid);
        resolvePromise({
          exit: code,
          signal,
          timedOut,
          stdout: normalize(Buffer.concat(out).toString('utf8'), work),
          stderr: normalize(Buffer.concat(err).toString('utf8'), work),
        });
      });
    });
    const fileProblems: string[] = [];
    for (const [path, print] of before) {
      const now = fingerprint(join(work, path));
      if (now !== print) fileProblems.push(`${path} changed (${print} → ${now})`);
    }
    for (const expectation of spec.files ?? []) fileProblems.push(...checkFile(work, expectation));
    return { ...outcome, fileProblems };
  } finally {
    unlock(work);
    rmSync(work, { recursive: true, force: true });
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** The environment minus what would change the command's output (colours, a tty's width, Jupyter's folders). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['FORCE_COLOR', 'NO_COLOR', 'COLUMNS', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT']) {
    delete env[name];
  }
  // Where Jupyter keeps kernelspecs and runtime files: the case's HOME decides instead.
  for (const name of Object.keys(env)) if (name.startsWith('JUPYTER_')) delete env[name];
  return env;
}

function checkFile(work: string, expectation: FileExpectation): string[] {
  const path = join(work, expectation.path);
  const exists = existsSync(path);
  if (expectation.exists === false) {
    return exists ? [`${expectation.path} exists but must not`] : [];
  }
  if (!exists) return [`${expectation.path} was not written`];
  const text = readFileSync(path, 'utf8');
  const problems: string[] = [];
  for (const needle of expectation.includes ?? []) {
    if (!text.includes(needle))
      problems.push(`${expectation.path} lacks ${JSON.stringify(needle)}`);
  }
  for (const needle of expectation.excludes ?? []) {
    if (text.includes(needle)) problems.push(`${expectation.path} holds ${JSON.stringify(needle)}`);
  }
  return problems;
}

/** The expected outputs of a case, as stored. */
export function expectedOutputs(hostile: HostileCase): { stdout: string; stderr: string } {
  const read = (name: string): string => {
    const path = join(hostile.dir, name);
    return existsSync(path) ? readFileSync(path, 'utf8') : '';
  };
  return { stdout: read('expected.out'), stderr: read('expected.err') };
}

/** Writes a run's outputs as the case's expected ones (after a person has read them). */
export function writeExpected(hostile: HostileCase, run: CaseRun): void {
  writeFileSync(join(hostile.dir, 'expected.out'), run.stdout);
  writeFileSync(join(hostile.dir, 'expected.err'), run.stderr);
}

/** The crash signs found in a run's outputs. */
export function crashSigns(
  run: Pick<CaseRun, 'stdout' | 'stderr'>,
  spec: Pick<CaseSpec, 'user_stack'> = {},
): string[] {
  const signs = CRASH_SIGNS.filter(
    (sign) =>
      !(spec.user_stack === true && sign === '    at ') &&
      (run.stdout.includes(sign) || run.stderr.includes(sign)),
  );
  if (spec.user_stack === true) signs.push(...internalFrames(`${run.stdout}${run.stderr}`));
  return signs;
}

/**
 * Stack frames that are not the user's code: a cell's own code is a file named like
 * `ts-cell-1.js`; a frame naming an absolute path, a `file://` URL or a `node:` module is
 * Evalbook's own code (its dist/ folders, its dependencies) or Node's.
 */
export function internalFrames(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => /^\s*at (?:.*[\s(])?(?:\/|file:\/\/|node:)/u.test(line))
    .map((line) => `internal frame ${JSON.stringify(line.trim())}`);
}
