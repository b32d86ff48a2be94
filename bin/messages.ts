/**
 * Every user-facing message of the `evalbook` command itself (not of the language, whose
 * catalogue is dsl/messages.ts, nor of the kernel, kernel/messages.ts): usage errors, files it
 * cannot read or write, and the words of its summaries. Change wording here, not at the call
 * sites; the hostile corpus (test/hostile/command, programs) holds the exact texts.
 */

/** ` (did you mean --json?)`, or nothing without a near word. */
function didYouMean(near: readonly string[]): string {
  return near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : '';
}

// ---------------------------------------------------------------------------------------------
// Usage errors (exit status 2)

/** A command or option `evalbook` does not know, before any subcommand. */
export function unknownCommand(name: string, near: readonly string[]): string {
  const what = name.startsWith('-') ? 'option' : 'command';
  return `evalbook: unknown ${what} ${JSON.stringify(name)}${didYouMean(near)}`;
}

/** An option a subcommand (`kernel`, `install`) does not know. */
export function unknownSubcommandOption(
  command: string,
  flag: string,
  near: readonly string[],
): string {
  return `evalbook ${command}: unknown option ${JSON.stringify(flag)}${didYouMean(near)}`;
}

/** A subcommand's usage line and where to read the rest, under a usage error. */
export function usageHint(command: string, usage: string): string {
  return `${usage.split('\n')[0]}\n\`evalbook ${command} --help\` lists the options`;
}

export function expectedConnectionFile(): string {
  return 'evalbook kernel: expected a connection file';
}

/** What `evalbook run` says under a usage error, before the usage lines. */
export function runUsageError(reason: string): string {
  return `evalbook run: ${reason}`;
}

export const RUN_HELP_POINTER = '`evalbook run --help` lists the options';

export function unknownRunOption(flag: string, near: readonly string[]): string {
  return `unknown option ${flag}${didYouMean(near)}`;
}

export function notebookOnlyOption(flag: string): string {
  return `${flag} is an option of notebook runs (FILE.ipynb) only`;
}

export function optionNeedsValue(flag: string): string {
  return `${flag} needs a value`;
}

export function setExpectsAssignment(assignment: string): string {
  return `--set expects NAME=VALUE, got ${JSON.stringify(assignment)}`;
}

export function oneFileAtATime(first: string, second: string): string {
  return `one file at a time, got ${JSON.stringify(first)} and ${JSON.stringify(second)}`;
}

export function expectedFileToRun(): string {
  return 'expected a file to run';
}

export function unsupportedExtension(file: string, extension: string): string {
  return `cannot run ${JSON.stringify(file)}: files ending in ${extension} are not supported`;
}

export function isADirectory(file: string): string {
  return `${file} is a directory`;
}

/** A file the command cannot read, and why (the system's reason in words). */
export function cannotRead(file: string, why: string): string {
  return `cannot read ${file}: ${why}`;
}

// ---------------------------------------------------------------------------------------------
// Failures while running (exit status 1)

/** A file of a notebook run that could not be written; `what` names it and says why. */
export function cannotWrite(what: string): string {
  return `evalbook run: cannot write ${what}`;
}

/** The last line of a program that did not parse or check. */
export function nothingWasRun(problems: number): string {
  return `\n✗ ${problems} problem${problems === 1 ? '' : 's'}; nothing was run`;
}
