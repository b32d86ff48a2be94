/**
 * `evalbook install`: writes the kernelspec directory (kernel.json and the two logos) where
 * Jupyter looks for kernels: the user's data directory, a prefix, or Python's sys.prefix.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from './atomic-write.js';
import { LANGUAGE_NAME, packageRoot, packageVersion } from './kernel-info.js';
import { LOGO_SIZES, logoFileName } from './png.js';

export type InstallScope =
  { kind: 'user' } | { kind: 'prefix'; prefix: string } | { kind: 'sys-prefix' };

/** kernel.json as Jupyter reads it. `argv` holds `{connection_file}` for Jupyter to fill in. */
export interface KernelSpecJson {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: 'signal' | 'message';
  metadata: Record<string, unknown>;
  env?: Record<string, string>;
}

export const DEFAULT_KERNEL_NAME = 'evalbook';
export const DISPLAY_NAME = 'Evalbook';
const ASSETS = join(packageRoot, 'kernel', 'assets');

/** The command Jupyter runs: this node, and the absolute path of dist/bin/evalbook.js. */
export function defaultKernelArgv(): string[] {
  const evalbookJs = fileURLToPath(new URL('../bin/evalbook.js', import.meta.url));
  return [process.execPath, evalbookJs, 'kernel', '--connection-file', '{connection_file}'];
}

export function kernelSpecJson(argv: string[], displayName = DISPLAY_NAME): KernelSpecJson {
  return {
    argv,
    display_name: displayName,
    language: LANGUAGE_NAME,
    // Front ends send interrupt_request, which reaches even a cell blocked in a loop.
    interrupt_mode: 'message',
    metadata: { evalbook_version: packageVersion(), debugger: false },
  };
}

/** Jupyter's per-user data directory, as jupyter_core computes it. */
export function jupyterUserDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.JUPYTER_DATA_DIR) return resolve(env.JUPYTER_DATA_DIR);
  if (platform === 'darwin') return join(home, 'Library', 'Jupyter');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'jupyter');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'jupyter');
}

/** The first executable called `command` on PATH. */
export function findOnPath(
  command: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * The Python whose sys.prefix Jupyter uses: the interpreter of the `jupyter` script when its
 * first line names one, otherwise python3 on PATH.
 */
export function jupyterPython(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const jupyter = findOnPath('jupyter', env);
  if (jupyter) {
    try {
      const firstLine = readFileSync(jupyter, 'utf8').split('\n', 1)[0];
      const match = /^#!\s*(\S+python[0-9.]*)\s*$/.exec(firstLine);
      if (match) return match[1];
    } catch {
      // unreadable script: fall back to PATH
    }
  }
  return findOnPath('python3', env);
}

export class InstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstallError';
  }
}

export function pythonSysPrefix(env: NodeJS.ProcessEnv = process.env): string {
  const python = jupyterPython(env);
  if (!python) throw new InstallError('--sys-prefix needs python3 (or jupyter) on PATH');
  return execFileSync(python, ['-c', 'import sys; print(sys.prefix)'], {
    encoding: 'utf8',
    env,
  }).trim();
}

/** The `kernels` directory a scope installs into. */
export function kernelsDir(scope: InstallScope, env: NodeJS.ProcessEnv = process.env): string {
  switch (scope.kind) {
    case 'user':
      return join(jupyterUserDataDir(env), 'kernels');
    case 'prefix':
      return join(resolve(scope.prefix), 'share', 'jupyter', 'kernels');
    case 'sys-prefix':
      return join(pythonSysPrefix(env), 'share', 'jupyter', 'kernels');
  }
}

const KERNEL_NAME = /^[A-Za-z0-9._-]+$/;

export function isValidKernelName(name: string): boolean {
  return KERNEL_NAME.test(name);
}

/**
 * Writes `<kernelsDir>/<name>/` afresh: kernel.json and the logos. Returns the directory.
 * Each file replaces the old one atomically, so a failed install leaves the previous
 * kernelspec working; other files of the directory are removed once the new ones are in place.
 */
export function writeKernelSpec(dir: string, spec: KernelSpecJson): string {
  const logos = LOGO_SIZES.map(logoFileName);
  for (const logo of logos) writeFileAtomic(join(dir, logo), readFileSync(join(ASSETS, logo)));
  writeFileAtomic(join(dir, 'kernel.json'), JSON.stringify(spec, null, 2) + '\n');
  const kept = new Set(['kernel.json', ...logos]);
  for (const entry of readdirSync(dir)) {
    if (!kept.has(entry)) rmSync(join(dir, entry), { recursive: true, force: true });
  }
  return dir;
}

export interface InstallRequest {
  scope: InstallScope;
  name: string;
}

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

export function installUsage(env: NodeJS.ProcessEnv = process.env): string {
  const user = kernelsDir({ kind: 'user' }, env);
  return [
    'usage: evalbook install [--user | --prefix DIR | --sys-prefix] [--name NAME]',
    '',
    'Writes the Evalbook kernelspec (kernel.json, logo-32x32.png, logo-64x64.png) into a',
    `directory NAME (default "${DEFAULT_KERNEL_NAME}") where Jupyter looks for kernels:`,
    '',
    `  --user          ${join(user, '<NAME>')}  (the default; JUPYTER_DATA_DIR moves it)`,
    '  --prefix DIR    DIR/share/jupyter/kernels/<NAME>  (found when DIR is the sys.prefix',
    '                  of the Python running Jupyter, or DIR/share/jupyter is in JUPYTER_PATH)',
    "  --sys-prefix    <sys.prefix>/share/jupyter/kernels/<NAME>, sys.prefix of Jupyter's Python",
    '',
    'kernel.json runs this node with the absolute path of dist/bin/evalbook.js, so install',
    'again after moving the repository or changing node.',
    '',
    'Check with:      jupyter kernelspec list',
    'Remove it with:  jupyter kernelspec uninstall <NAME>',
    '  (where `jupyter kernelspec` is missing: python3 -m jupyter_client.kernelspecapp ...,',
    '   or delete the directory above)',
  ].join('\n');
}

/** Reads the flags of `evalbook install`; throws InstallError on a bad combination. */
export function parseInstallArgs(args: readonly string[]): InstallRequest | 'help' {
  let scope: InstallScope | undefined;
  let name = DEFAULT_KERNEL_NAME;
  const setScope = (next: InstallScope) => {
    if (scope) throw new InstallError('choose one of --user, --prefix DIR, --sys-prefix');
    scope = next;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      const next = inline ?? args[++i];
      if (next === undefined || next === '') throw new InstallError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--user':
        setScope({ kind: 'user' });
        break;
      case '--sys-prefix':
        setScope({ kind: 'sys-prefix' });
        break;
      case '--prefix':
        setScope({ kind: 'prefix', prefix: value() });
        break;
      case '--name':
        name = value();
        if (!isValidKernelName(name)) {
          throw new InstallError(
            `kernel name ${JSON.stringify(name)} may only use letters, digits, . _ -`,
          );
        }
        break;
      default:
        throw new InstallError(`unknown option ${JSON.stringify(arg)}`);
    }
  }
  return { scope: scope ?? { kind: 'user' }, name };
}

/** `evalbook install ...`; returns the exit code. */
export function runInstall(args: readonly string[], io: CommandIo): number {
  let request: InstallRequest | 'help';
  try {
    request = parseInstallArgs(args);
  } catch (error) {
    if (!(error instanceof InstallError)) throw error;
    io.err(`evalbook install: ${error.message}\n\n${installUsage(io.env)}\n`);
    return 2;
  }
  if (request === 'help') {
    io.out(installUsage(io.env) + '\n');
    return 0;
  }
  let dir: string;
  try {
    dir = join(kernelsDir(request.scope, io.env), request.name);
    writeKernelSpec(dir, kernelSpecJson(defaultKernelArgv()));
  } catch (error) {
    io.err(`evalbook install: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  io.out(`Installed the Evalbook kernelspec "${request.name}" in ${dir}\n`);
  io.out(`Remove it with: jupyter kernelspec uninstall ${request.name}\n`);
  if (request.scope.kind === 'prefix') {
    io.out(
      `Jupyter finds it when ${resolve(request.scope.prefix)} is its Python's sys.prefix, ` +
        `or with JUPYTER_PATH=${join(resolve(request.scope.prefix), 'share', 'jupyter')}\n`,
    );
  }
  if (!findOnPath('jupyter', io.env)) {
    io.out(
      'Jupyter is not installed (no `jupyter` on PATH). Get it with\n' +
        '  sudo apt-get install jupyter-notebook      (Debian, Ubuntu)\n' +
        '  pip install jupyterlab                     (anywhere with Python)\n' +
        'The kernelspec is in place and will be found once Jupyter is there.\n',
    );
  }
  return 0;
}
