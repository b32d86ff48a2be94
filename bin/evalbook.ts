#!/usr/bin/env node
/**
 * The `evalbook` command. Each subcommand is one entry of SUBCOMMANDS, loaded only when run,
 * so `evalbook kernel` starts without paying for what the other subcommands import.
 */
import { packageVersion } from '../kernel/kernel-info.js';
import { suggest } from '../dsl/suggest.js';
import type { CommandIo } from '../kernel/install.js';
import * as messages from './messages.js';
import {
  CLOSED_PIPE_STATUS,
  endQuietlyOnClosedPipe,
  isOutputClosed,
  terminalSafe,
} from './terminal.js';

interface Subcommand {
  /** One line for `evalbook --help`. */
  summary: string;
  usage: string;
  /** Runs with the arguments after the subcommand's name; resolves to the exit code, or
   *  to 'serving' when the process must stay up (the kernel). */
  run(args: string[], io: CommandIo): Promise<number | 'serving'>;
}

const KERNEL_USAGE = [
  'usage: evalbook kernel --connection-file FILE',
  '       evalbook kernel FILE',
  '',
  'Runs the Evalbook Jupyter kernel on the sockets FILE names. Jupyter starts it from the',
  'kernelspec that `evalbook install` writes; there is rarely a reason to run it by hand.',
].join('\n');

function connectionFileOf(args: readonly string[]): string | undefined {
  if (args.length === 1 && !args[0].startsWith('-')) return args[0];
  if (args.length === 2 && args[0] === '--connection-file') return args[1];
  if (args.length === 1 && args[0].startsWith('--connection-file=')) {
    return args[0].slice('--connection-file='.length);
  }
  return undefined;
}

/** The file given to `evalbook run`: its first argument that is not an option or its value. */
function runFile(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (['--set', '--out', '--timeout', '--cell-timeout'].includes(args[i])) i++;
    else if (!args[i].startsWith('-')) return args[i];
  }
  return undefined;
}

/**
 * The usage error for the first option of `args` that is not in `known` (with the nearest
 * known one), or null. Options in `withValue` take the next argument as their value.
 */
function unknownOption(
  command: string,
  args: readonly string[],
  known: readonly string[],
  withValue: readonly string[],
): string | null {
  for (let i = 0; i < args.length; i++) {
    const flag = args[i].split('=')[0];
    if (withValue.includes(args[i])) i++;
    else if (flag.startsWith('-') && !known.includes(flag)) {
      return messages.unknownSubcommandOption(command, flag, suggest(flag, known));
    }
  }
  return null;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  run: {
    summary:
      'run a program (FILE.eval) or a notebook (FILE.ipynb) headless; a failing check exits 1',
    usage:
      'usage: evalbook run FILE.eval [--json] [--set NAME=VALUE ...] [--out DIR]\n' +
      '       evalbook run NOTEBOOK.ipynb [--out DIR] [--json] [--set NAME=VALUE ...] ' +
      '[--cell-timeout S] [--allow-errors]',
    async run(args, io) {
      // Notebooks run on the kernel over ZeroMQ (bin/run-notebook.ts), programs in-process.
      if (/\.ipynb$/iu.test(runFile(args) ?? '')) {
        const { runNotebookCommand } = await import('./run-notebook.js');
        return runNotebookCommand(args, io);
      }
      if (args.includes('--help') || args.includes('-h')) {
        const [{ RUN_USAGE }, { NOTEBOOK_RUN_USAGE }] = await Promise.all([
          import('./run-eval.js'),
          import('./run-notebook.js'),
        ]);
        io.out(`${RUN_USAGE}\n\n${NOTEBOOK_RUN_USAGE}\n`);
        return 0;
      }
      const { runCommand } = await import('./run-eval.js');
      return runCommand(args, io);
    },
  },
  kernel: {
    summary: 'run the Jupyter kernel (started by Jupyter from the kernelspec)',
    usage: KERNEL_USAGE,
    async run(args, io) {
      if (args.includes('--help') || args.includes('-h')) {
        io.out(KERNEL_USAGE + '\n');
        return 0;
      }
      const refused = unknownOption('kernel', args, ['--connection-file'], ['--connection-file']);
      if (refused !== null) {
        io.err(`${refused}\n\n${messages.usageHint('kernel', KERNEL_USAGE)}\n`);
        return 2;
      }
      const connectionFile = connectionFileOf(args);
      if (connectionFile === undefined) {
        io.err(`${messages.expectedConnectionFile()}\n\n${KERNEL_USAGE}\n`);
        return 2;
      }
      const [{ runKernel }, { loadLanguageExecutor }] = await Promise.all([
        import('../kernel/main.js'),
        import('../kernel/language.js'),
      ]);
      // The language loads once the kernel has answered: cold start stays short.
      await runKernel(connectionFile, () => loadLanguageExecutor());
      return 'serving';
    },
  },
  install: {
    summary: 'write the kernelspec so that Jupyter offers Evalbook',
    usage: 'usage: evalbook install [--user | --prefix DIR | --sys-prefix] [--name NAME]',
    async run(args, io) {
      const known = ['--user', '--prefix', '--sys-prefix', '--name', '--help', '-h'];
      const refused = unknownOption('install', args, known, ['--prefix', '--name']);
      if (refused !== null) {
        io.err(`${refused}\n\n${messages.usageHint('install', this.usage)}\n`);
        return 2;
      }
      const { runInstall } = await import('../kernel/install.js');
      return runInstall(args, io);
    },
  },
};

function mainUsage(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((name) => name.length));
  return [
    'usage: evalbook <command> [options]',
    '',
    'commands:',
    ...Object.entries(SUBCOMMANDS).map(
      ([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`,
    ),
    '',
    'evalbook <command> --help   options of one command',
    'evalbook --version          the version',
  ].join('\n');
}

async function main(argv: string[]): Promise<number | 'serving'> {
  // Everything printed may quote data: no control character reaches the terminal raw.
  const io: CommandIo = {
    out: (text) => {
      if (!isOutputClosed()) process.stdout.write(terminalSafe(text));
    },
    err: (text) => {
      if (!isOutputClosed()) process.stderr.write(terminalSafe(text));
    },
    env: process.env,
  };
  const [name, ...rest] = argv;
  // The kernel's streams are Jupyter's to manage; every other command is a pipeline's tool.
  if (name !== 'kernel') endQuietlyOnClosedPipe([process.stdout, process.stderr]);
  if (name === undefined) {
    io.err(mainUsage() + '\n');
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(mainUsage() + '\n');
    return 0;
  }
  if (name === '--version' || name === '-V') {
    io.out(`evalbook ${packageVersion()}\n`);
    return 0;
  }
  const command = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!command) {
    const near = suggest(name, Object.keys(SUBCOMMANDS));
    io.err(`${messages.unknownCommand(name, near)}\n\n${mainUsage()}\n`);
    return 2;
  }
  return command.run(rest, io);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (isOutputClosed()) process.exitCode = CLOSED_PIPE_STATUS;
    else if (code !== 'serving') process.exitCode = code;
  },
  (error: unknown) => {
    if (isOutputClosed()) {
      process.exitCode = CLOSED_PIPE_STATUS;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(terminalSafe(`evalbook: ${message}\n`));
    process.exitCode = 1;
  },
);
