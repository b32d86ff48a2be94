/**
 * `%%ts` cells: TypeScript type-checked and transpiled by tslab's converter, then run here
 * with node:vm so that SIGINT breaks a synchronous loop (`breakOnSigint`). The session's
 * values (tables as danfojs DataFrames, results as plain objects) are visible as global names
 * with declared types; variables a cell declares stay visible to later `%%ts` cells.
 *
 * tslab and TypeScript take over a second to load, so nothing of them is loaded until the
 * first `%%ts` cell (or completion inside one).
 */
import { Console } from 'node:console';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import vm from 'node:vm';
import type * as TypeScript from '@tslab/typescript-for-tslab';
import type * as TslabConverter from 'tslab/dist/converter.js';
import type * as TslabInspect from 'tslab/dist/inspect.js';
import type { DisplayBundle } from '../display/bundle.js';
import type { CancelToken } from '../engine/errors.js';
import { afterPoll } from './event-loop.js';
import { refusal, tsCellTooLarge, tsNestedTooDeep } from './messages.js';
import type {
  CompletenessResult,
  CompletionResult,
  ExecuteOutcome,
  ExecutionContext,
  InspectionResult,
} from './executor.js';

export const TS_MAGIC = '%%ts';

/** True when the cell's first line is `%%ts` (trailing blanks allowed). */
export function isTypeScriptCell(code: string): boolean {
  const newline = code.indexOf('\n');
  return (newline < 0 ? code : code.slice(0, newline)).trimEnd() === TS_MAGIC;
}

/** The TypeScript source of a `%%ts` cell, and the string index where it starts. */
function sourceOf(code: string): { source: string; offset: number } {
  const newline = code.indexOf('\n');
  return newline < 0
    ? { source: '', offset: code.length }
    : { source: code.slice(newline + 1), offset: newline + 1 };
}

interface TypeScriptTools {
  ts: typeof TypeScript;
  /** Replaced when it breaks (see `#withConverter`). */
  converter: TslabConverter.Converter;
  createConverter: typeof TslabConverter.createConverter;
  isCompleteCode: typeof TslabConverter.isCompleteCode;
  printQuickInfo: typeof TslabInspect.printQuickInfo;
}

const requireHere = createRequire(import.meta.url);

function loadTools(): TypeScriptTools {
  const converterModule = requireHere('tslab/dist/converter.js') as typeof TslabConverter;
  const inspectModule = requireHere('tslab/dist/inspect.js') as typeof TslabInspect;
  const ts = requireHere('@tslab/typescript-for-tslab') as typeof TypeScript;
  return {
    ts,
    converter: converterModule.createConverter(),
    createConverter: converterModule.createConverter,
    isCompleteCode: converterModule.isCompleteCode,
    printQuickInfo: inspectModule.printQuickInfo,
  };
}

/**
 * The largest `%%ts` cell the kernel type-checks. Type-checking holds the main thread and no
 * interrupt reaches it (a 10 MB cell ran for over ten minutes); this much checks in seconds.
 */
export const TS_CELL_MAX_CHARS = 256 * 1024;
/**
 * The deepest nesting of brackets the kernel gives tslab: TypeScript's recursive descent
 * overflows the stack at about a thousand, and tslab's converter is broken after that.
 */
export const TS_MAX_NESTING = 256;

/**
 * Where brackets first nest deeper than `limit` in TypeScript source, or -1. Strings,
 * template literals and comments are skipped; a regular expression is read as code, so its
 * brackets count (which can only err towards refusing a cell nested nearly `limit` deep).
 */
export function nestingBeyond(source: string, limit: number): number {
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '(' || ch === '[' || ch === '{') {
      if (++depth > limit) return i;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      depth = Math.max(0, depth - 1);
    } else if (ch === '"' || ch === "'" || ch === '`') {
      for (i++; i < source.length && source[i] !== ch && !(ch !== '`' && source[i] === '\n'); i++) {
        if (source[i] === '\\') i++;
      }
    } else if (ch === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (ch === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      i = close < 0 ? source.length : close + 1;
    }
  }
  return -1;
}

/** Why the kernel refuses to give a `%%ts` cell to tslab, if it does. */
function refuseTypeScript(code: string): ExecuteOutcome | undefined {
  if (code.length > TS_CELL_MAX_CHARS)
    return refusal(tsCellTooLarge(code, TS_CELL_MAX_CHARS), code);
  const deep = nestingBeyond(code, TS_MAX_NESTING);
  if (deep >= 0) return refusal(tsNestedTooDeep(code, deep, TS_MAX_NESTING), code);
  return undefined;
}

export const INTERRUPTED: ExecuteOutcome = {
  status: 'error',
  ename: 'Interrupted',
  evalue: 'the cell was interrupted',
  traceback: ['Interrupted: the cell was interrupted'],
};

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends ' +
    'false finally for function if import in instanceof new null return super switch this throw ' +
    'true try typeof var void while with implements interface let package private protected ' +
    'public static yield await any boolean number string symbol undefined require exports console'
  ).split(' '),
);

/** Whether a session name can be a global of a `%%ts` cell. */
export function isDeclarableName(name: string): boolean {
  return IDENTIFIER.test(name) && !RESERVED.has(name);
}

/**
 * A TypeScript type for a value, so that a cell is type-checked against the session's real
 * shapes: primitives, arrays and plain objects structurally (a few levels deep), anything else
 * (DataFrames, class instances, functions) as `any`.
 */
export function typeOfValue(value: unknown, depth = 0): string {
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return typeof value;
    case 'object':
      break;
    default:
      return 'any';
  }
  if (value === null) return 'null';
  if (depth >= 4) return 'any';
  if (Array.isArray(value)) {
    const elementTypes = [
      ...new Set(value.slice(0, 20).map((item) => typeOfValue(item, depth + 1))),
    ];
    if (elementTypes.length === 0) return 'unknown[]';
    if (elementTypes.length > 3 || elementTypes.includes('any')) return 'any[]';
    return elementTypes.length === 1 ? `${elementTypes[0]}[]` : `(${elementTypes.join(' | ')})[]`;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return value.constructor.name;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return 'any';
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 200) return 'Record<string, any>';
  const members = entries.map(
    ([key, item]) => `${JSON.stringify(key)}: ${typeOfValue(item, depth + 1)}`,
  );
  return `{ ${members.join('; ')} }`;
}

/** A session value's declared type, without calling a getter (a table's lazy DataFrame). */
function declaredTypeOf(values: Record<string, unknown>, name: string): string {
  const descriptor = Object.getOwnPropertyDescriptor(values, name);
  return descriptor?.get ? 'any' : typeOfValue(descriptor?.value);
}

/**
 * Makes a session value visible to a cell's code as it is: a getter stays a getter, so that
 * a DataFrame is built only if the cell reads it; assigning replaces it with the value.
 */
function defineLocal(
  locals: Record<string, unknown>,
  values: Record<string, unknown>,
  name: string,
) {
  const descriptor = Object.getOwnPropertyDescriptor(values, name);
  if (!descriptor?.get) {
    Object.defineProperty(locals, name, {
      value: descriptor?.value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    return;
  }
  Object.defineProperty(locals, name, {
    get: descriptor.get,
    set(value: unknown) {
      Object.defineProperty(locals, name, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    },
    enumerable: true,
    configurable: true,
  });
}

function caretLine(column: number): string {
  return `${' '.repeat(Math.max(0, column))}^`;
}

/** Writes what a cell's console prints as the cell's stream output. */
function streamWriter(ctx: ExecutionContext, name: 'stdout' | 'stderr'): Writable {
  return new Writable({
    decodeStrings: false,
    write(chunk: unknown, _encoding, callback) {
      ctx.stream(name, typeof chunk === 'string' ? chunk : String(chunk));
      callback();
    },
  });
}

/** What the script of a cell receives (through a global, since the script calls itself). */
interface CellScope {
  cancel: CancelToken;
  exports: Record<string, unknown>;
  require: NodeJS.Require;
  console: Console;
}

const SCOPE_GLOBAL = '__evalbook_ts_scope__';
/** The file name a cell's script runs as: `ts-cell-<execution_count>.js`. */
const CELL_FILE_PREFIX = 'ts-cell-';

/** A value shown as a cell's result: DataFrames print as tables, everything else inspected. */
export function resultBundle(value: unknown): DisplayBundle {
  if (typeof value === 'object' && value !== null) {
    const name = value.constructor?.name;
    if ((name === 'DataFrame' || name === 'Series') && typeof value.toString === 'function') {
      return { data: { 'text/plain': String(value) }, metadata: {} };
    }
  }
  return {
    data: { 'text/plain': inspect(value, { depth: 4, colors: false, maxArrayLength: 100 }) },
    metadata: {},
  };
}

/** Resolves modules from the notebook's directory first, then from the kernel's own packages. */
function cellRequire(): NodeJS.Require {
  const fromNotebook = createRequire(join(process.cwd(), '__evalbook_cell__.js'));
  const fallback = (id: string): unknown => {
    try {
      return fromNotebook(id);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND') return requireHere(id);
      throw error;
    }
  };
  return Object.assign(fallback, {
    resolve: fromNotebook.resolve,
    cache: fromNotebook.cache,
    main: fromNotebook.main,
    extensions: fromNotebook.extensions,
  }) as NodeJS.Require;
}

export class TypeScriptCells {
  #tools: TypeScriptTools | undefined;
  /** Declarations of what earlier cells defined (tslab's `prevDecl`, without the globals). */
  #userDecl = '';
  /** Values of what earlier cells defined: the `exports` the transpiled code reads. */
  #locals: Record<string, unknown> = {};
  #localsProxy = this.#makeLocalsProxy();
  #lastGlobals: Record<string, unknown> = {};
  readonly #onScriptInterrupted: () => void;

  /** `onScriptInterrupted` is told when SIGINT stopped a script (vm swallows that signal). */
  constructor(onScriptInterrupted: () => void) {
    this.#onScriptInterrupted = onScriptInterrupted;
  }

  #load(): TypeScriptTools {
    this.#tools ??= loadTools();
    return this.#tools;
  }

  /** Closes tslab's converter (its file watching keeps a process alive). */
  close(): void {
    this.#tools?.converter.close();
    this.#tools = undefined;
  }

  /**
   * Calls tslab's converter; if it throws, the converter is replaced by a new one, since
   * tslab leaves it broken ("Unexpected pending rebuildTimer" from every later call).
   */
  #withConverter<T>(use: (converter: TslabConverter.Converter) => T): T {
    const tools = this.#load();
    try {
      return use(tools.converter);
    } catch (error) {
      try {
        tools.converter.close();
      } catch {
        // A broken converter may fail to close too; it is dropped either way.
      }
      tools.converter = tools.createConverter();
      throw error;
    }
  }

  #makeLocalsProxy(): Record<string, unknown> {
    // The transpiled code marks `exports` as an ES module and defines named imports with
    // getters; keep plain, rewritable values instead.
    return new Proxy(this.#locals, {
      defineProperty: (target, property, attributes) => {
        if (property === '__esModule') return true;
        const value: unknown = attributes.get ? attributes.get() : attributes.value;
        Reflect.set(target, property, value);
        return true;
      },
    });
  }

  /** Names the user's own earlier cells declared at top level (they shadow session names). */
  #userNames(tools: TypeScriptTools): Set<string> {
    const { ts } = tools;
    const names = new Set<string>();
    const file = ts.createSourceFile('prev.d.ts', this.#userDecl, ts.ScriptTarget.Latest);
    for (const statement of file.statements) {
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
        }
      } else if (
        (ts.isFunctionDeclaration(statement) ||
          ts.isClassDeclaration(statement) ||
          ts.isEnumDeclaration(statement)) &&
        statement.name
      ) {
        names.add(statement.name.text);
      }
    }
    return names;
  }

  /** The session values a cell sees, with their declarations. */
  #globals(tools: TypeScriptTools, values: Record<string, unknown>) {
    const shadowed = this.#userNames(tools);
    const names = Object.keys(values).filter((n) => isDeclarableName(n) && !shadowed.has(n));
    const declarations = names
      .map((name) => `export declare const ${name}: ${declaredTypeOf(values, name)};\n`)
      .join('');
    return { names: new Set(names), declarations };
  }

  /** Drops the session-global declarations tslab carries over into a cell's `declOutput`. */
  #withoutGlobals(tools: TypeScriptTools, decl: string, globals: Set<string>): string {
    const { ts } = tools;
    const file = ts.createSourceFile('decl.d.ts', decl, ts.ScriptTarget.Latest, true);
    const kept = file.statements.filter((statement) => {
      if (!ts.isVariableStatement(statement)) return true;
      const exported = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      const all = statement.declarationList.declarations.every(
        (d) => ts.isIdentifier(d.name) && globals.has(d.name.text),
      );
      return !(exported && all);
    });
    return (
      kept.map((statement) => decl.slice(statement.getFullStart(), statement.end)).join('') + '\n'
    );
  }

  async execute(
    code: string,
    ctx: ExecutionContext,
    sessionValues: Record<string, unknown>,
  ): Promise<ExecuteOutcome> {
    if (ctx.cancel.cancelled) return INTERRUPTED;
    const refused = refuseTypeScript(code);
    if (refused) return refused;
    const tools = this.#load();
    if (ctx.cancel.cancelled) return INTERRUPTED;
    this.#lastGlobals = sessionValues;
    const { source } = sourceOf(code);
    const globals = this.#globals(tools, sessionValues);
    let converted: TslabConverter.ConvertResult;
    try {
      converted = this.#withConverter((converter) =>
        converter.convert(globals.declarations + this.#userDecl, source),
      );
    } catch (error) {
      return typeCheckFailure(error);
    }
    if (converted.diagnostics.length > 0) return this.#compileError(code, converted.diagnostics);

    // Type-checking held the main thread: let a SIGINT that came meanwhile be handled now,
    // since one that arrives before the script starts never reaches vm's watchdog.
    await afterPoll();
    if (ctx.cancel.cancelled) return INTERRUPTED;
    for (const name of globals.names) defineLocal(this.#locals, sessionValues, name);
    const scope: CellScope = {
      cancel: ctx.cancel,
      exports: this.#localsProxy,
      require: cellRequire(),
      console: new Console({
        stdout: streamWriter(ctx, 'stdout'),
        stderr: streamWriter(ctx, 'stderr'),
      }),
    };
    const wrapper = converted.hasToplevelAwait ? 'async function' : 'function';
    // The script checks the token first: an interrupt_request that lands between the check
    // above and the start of the script has bumped the token before its SIGINT was sent.
    const script =
      `if (${SCOPE_GLOBAL}.cancel.cancelled) throw ${SCOPE_GLOBAL};\n` +
      `(${wrapper} (exports, require, console) {\n${converted.output ?? ''}\n})` +
      `(${SCOPE_GLOBAL}.exports, ${SCOPE_GLOBAL}.require, ${SCOPE_GLOBAL}.console)`;
    const handoff = globalThis as Record<string, unknown>;
    let returned: unknown;
    handoff[SCOPE_GLOBAL] = scope;
    try {
      returned = vm.runInThisContext(script, {
        filename: `${CELL_FILE_PREFIX}${ctx.executionCount}.js`,
        breakOnSigint: true,
      });
    } catch (error) {
      if (error === scope) return INTERRUPTED;
      if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') {
        this.#onScriptInterrupted();
        return INTERRUPTED;
      }
      return runtimeError(error);
    } finally {
      delete handoff[SCOPE_GLOBAL];
    }
    if (converted.hasToplevelAwait) {
      try {
        await returned;
      } catch (error) {
        return runtimeError(error);
      }
    }
    this.#userDecl = this.#withoutGlobals(tools, converted.declOutput ?? '', globals.names);
    const lastName = converted.lastExpressionVar;
    if (lastName === undefined) return { status: 'ok' };
    const value = this.#locals[lastName];
    delete this.#locals[lastName];
    return value === undefined ? { status: 'ok' } : { status: 'ok', result: resultBundle(value) };
  }

  #compileError(code: string, diagnostics: readonly TslabConverter.Diagnostic[]): ExecuteOutcome {
    const lines = code.split('\n');
    const traceback: string[] = [];
    for (const diagnostic of diagnostics) {
      if (diagnostic.fileName) {
        traceback.push(`${diagnostic.fileName}: ${diagnostic.messageText}`);
        continue;
      }
      // Line 1 of the cell is `%%ts`, so source line 0 is cell line 2.
      const line = diagnostic.start.line + 2;
      const column = diagnostic.start.character + 1;
      traceback.push(`line ${line}, col ${column}: ${diagnostic.messageText}`);
      traceback.push(`  ${lines[line - 1] ?? ''}`);
      traceback.push(`  ${caretLine(column - 1)}`);
    }
    const first = diagnostics[0];
    const where = first.fileName
      ? first.fileName
      : `line ${first.start.line + 2}, col ${first.start.character + 1}`;
    return {
      status: 'error',
      ename: 'TypeScriptError',
      evalue: `${where}: ${first.messageText}`,
      traceback,
    };
  }

  complete(code: string, cursorPos: number): CompletionResult {
    const { source, offset } = sourceOf(code);
    const nothing = { matches: [], cursorStart: cursorPos, cursorEnd: cursorPos };
    if (cursorPos < offset || refuseTypeScript(code)) return nothing;
    const tools = this.#load();
    const globals = this.#globals(tools, this.#lastGlobals);
    const info = this.#withConverter((converter) =>
      converter.complete(globals.declarations + this.#userDecl, source, cursorPos - offset),
    );
    return {
      matches: info.candidates,
      cursorStart: info.start + offset,
      cursorEnd: info.end + offset,
    };
  }

  inspect(code: string, cursorPos: number): InspectionResult {
    const { source, offset } = sourceOf(code);
    if (cursorPos < offset || refuseTypeScript(code)) return { found: false, data: {} };
    const tools = this.#load();
    const globals = this.#globals(tools, this.#lastGlobals);
    const info = this.#withConverter((converter) =>
      converter.inspect(globals.declarations + this.#userDecl, source, cursorPos - offset),
    );
    if (!info) return { found: false, data: {} };
    return { found: true, data: { 'text/plain': tools.printQuickInfo(info) } };
  }

  isComplete(code: string): CompletenessResult {
    const { source } = sourceOf(code);
    if (source.trim() === '') return { status: 'incomplete', indent: '' };
    if (refuseTypeScript(code)) return { status: 'invalid' };
    const result = this.#load().isCompleteCode(source);
    return result.completed
      ? { status: 'complete' }
      : { status: 'incomplete', indent: result.indent ?? '' };
  }
}

/** tslab's type-checker threw (a bug of its own, or a stack overflow on a pathological cell). */
function typeCheckFailure(error: unknown): ExecuteOutcome {
  const message = error instanceof Error ? error.message : String(error);
  return {
    status: 'error',
    ename: 'TypeScriptError',
    evalue: `the TypeScript checker failed on this cell: ${message}`,
    traceback: [`TypeScriptError: the TypeScript checker failed on this cell: ${message}`],
  };
}

/**
 * An exception thrown by a cell: its name and message, then the stack frames inside the cell's
 * script (the kernel's own frames below them say nothing to the user).
 */
function runtimeError(error: unknown): ExecuteOutcome {
  if (error instanceof Error) {
    const frames = (error.stack ?? '')
      .split('\n')
      .filter((line) => /^\s+at /.test(line) && line.includes(CELL_FILE_PREFIX));
    return {
      status: 'error',
      ename: error.name,
      evalue: error.message,
      traceback: [`${error.name}: ${error.message}`, ...frames],
    };
  }
  const text = inspect(error);
  return { status: 'error', ename: 'Error', evalue: text, traceback: [`Uncaught ${text}`] };
}
