/**
 * Finds the Evalbook language's CellExecutor for `evalbook kernel`: a module exporting
 * `createCellExecutor(): CellExecutor | Promise<CellExecutor>` at LANGUAGE_EXECUTOR_MODULE
 * (relative to this file). It joins dsl/ (parse, check, run) and display/ (bundles), which only
 * a layer above both may do, hence kernel/evalbook-executor.ts. Until that module is built,
 * the kernel still starts: `%%ts` cells run, and language cells answer with an error that
 * says why.
 */
import type {
  CellExecutor,
  CompletenessResult,
  CompletionResult,
  ExecuteOutcome,
  InspectionResult,
} from './executor.js';

export const LANGUAGE_EXECUTOR_MODULE = './evalbook-executor.js';

function isCellExecutor(value: unknown): value is CellExecutor {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return ['execute', 'complete', 'inspect', 'isComplete', 'reset'].every(
    (method) => typeof candidate[method] === 'function',
  );
}

export async function loadLanguageExecutor(
  specifier: string = LANGUAGE_EXECUTOR_MODULE,
): Promise<CellExecutor> {
  const url = new URL(specifier, import.meta.url);
  let module: Record<string, unknown>;
  try {
    module = (await import(url.href)) as Record<string, unknown>;
  } catch (error) {
    const missing =
      (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' &&
      String((error as { message?: unknown }).message).includes(url.pathname);
    if (missing) return new LanguageUnavailable(url.pathname);
    throw error;
  }
  const create = module.createCellExecutor;
  if (typeof create !== 'function') {
    throw new TypeError(`${url.pathname} does not export a createCellExecutor function`);
  }
  const executor: unknown = await (create as () => unknown)();
  if (!isCellExecutor(executor)) {
    throw new TypeError(`createCellExecutor() of ${url.pathname} did not return a CellExecutor`);
  }
  return executor;
}

/**
 * The executor used when the language module is not built: every language cell fails with a
 * message naming the missing file (`%%ts` cells never reach an executor).
 */
export class LanguageUnavailable implements CellExecutor {
  readonly #missing: string;

  constructor(missingModule: string) {
    this.#missing = missingModule;
  }

  async execute(): Promise<ExecuteOutcome> {
    const evalue = `the Evalbook language is not built into this kernel (${this.#missing} is missing); only %%ts cells run`;
    return {
      status: 'error',
      ename: 'LanguageUnavailable',
      evalue,
      traceback: [`LanguageUnavailable: ${evalue}`],
    };
  }

  complete(_code: string, cursorPos: number): CompletionResult {
    return { matches: [], cursorStart: cursorPos, cursorEnd: cursorPos };
  }

  inspect(): InspectionResult {
    return { found: false, data: {} };
  }

  /** The language's one layout rule: a statement continues on indented lines. */
  isComplete(code: string): CompletenessResult {
    const lines = code.split('\n');
    const last = lines[lines.length - 1];
    const indent = /^[ \t]*/.exec(last)?.[0] ?? '';
    return indent !== '' && last.trim() !== ''
      ? { status: 'incomplete', indent }
      : { status: 'complete' };
  }

  reset(): void {}
}
