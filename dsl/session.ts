/**
 * The session a notebook (or an `evalbook run`) accumulates: bound tables and results,
 * parameters, defaults, and the history of what ran, for reports.
 *
 * A statement changes the session in one step, `commit`, after it has computed everything it
 * needs: a statement that fails (or is interrupted) has committed nothing, so the session is
 * as it was before it. Tables and results share one namespace: binding a name replaces
 * whatever it named before.
 */
import type { Label, TableSummary } from '../engine/analysis/types.js';
import type { FileIdentity } from '../engine/load/index.js';
import type { Table } from '../engine/table.js';
import type { Span } from './ast.js';
import type { StatementKeyword } from './messages.js';
import type { BindableResult } from './values.js';

export type ParamValue = string | number;

/** Where a name was bound: the statement's cell, line and text. */
export interface BindingOrigin {
  /** Index of the cell in `Session.cells()`. */
  readonly cell: number;
  /** 1-based line within the cell. */
  readonly line: number;
  readonly span: Span;
  readonly statement: string;
}

/**
 * A table bound to a name. `identity` names the rows it holds: two bindings with the same
 * identity hold the same rows (a file's hash, a split part of it...), which is how the
 * language notices a threshold tuned on the rows it is later evaluated on.
 */
export interface BoundTable {
  readonly kind: 'table';
  readonly name: string;
  readonly table: Table;
  readonly summary: TableSummary;
  readonly identity: string;
  readonly origin: BindingOrigin;
}

/** A result bound with `as`; `tableIdentity` is the identity of the table it was computed on. */
export interface BoundResult {
  readonly kind: 'result';
  readonly name: string;
  readonly result: BindableResult;
  readonly tableIdentity: string | null;
  readonly origin: BindingOrigin;
}

export type Binding = BoundTable | BoundResult;

/** How a parameter's value was written: a percentage is a number that stays a share. */
export type ParamType = 'string' | 'number' | 'percent';

/**
 * A parameter: its default as written, and its value (an override given to the run wins).
 * `type` says how the value was written (`80%` is the number 0.8 written as a percentage, which
 * matters where a whole number would be a row count).
 */
export interface ParamBinding {
  readonly name: string;
  readonly value: ParamValue;
  readonly type: ParamType;
  readonly defaultValue: ParamValue;
  readonly overridden: boolean;
  readonly origin: BindingOrigin;
}

/** `set positive V`: the default positive label, and where it was set. */
export interface PositiveDefault {
  readonly value: Label;
  readonly origin: BindingOrigin;
}

/** An input file, for the report's provenance. `path` is as the program wrote it. */
export interface InputFile {
  readonly path: string;
  readonly sha256: string;
  readonly format: string;
  readonly rows: number;
  readonly name: string;
}

/** A seed that was used, and by what (`split data into train/val/test`). */
export interface SeedUse {
  readonly name: string;
  readonly value: number;
}

/** A `check`'s outcome, as the display's `check` renderer reads it. */
export interface CheckResult {
  readonly kind: 'check';
  /** The expression as written (on one line). */
  readonly expression: string;
  readonly passed: boolean;
  /** The expression with its values and verdict: `R.a.f1 (0.97) > 0.9 → true`. */
  readonly detail: string;
  /** Every path and parameter in the expression, with its value (null: undefined). */
  readonly values: readonly { readonly path: string; readonly value: number | string | null }[];
}

/** What a statement shows and a report lists. */
export type RecordedResult =
  | TableSummary
  | BindableResult
  | import('../engine/analysis/types.js').SplitSummaryResult
  | import('../engine/analysis/types.js').LeakageAnalysisResult
  | CheckResult;

/** One statement that ran to completion, in order. */
export interface HistoryEntry {
  readonly cell: number;
  readonly line: number;
  readonly keyword: StatementKeyword;
  /** The statement as written. */
  readonly statement: string;
  /** The name it bound (the first, for `split ... into`), or null. */
  readonly name: string | null;
  /** What it showed; null for `set`, `param`, `show` and `report`. */
  readonly result: RecordedResult | null;
  /** The identity of the table it was computed on (see BoundTable), or null. */
  readonly tableIdentity: string | null;
}

/** Everything a statement changes, applied at once by `Session.commit`. */
export interface SessionChange {
  readonly bindings?: readonly Binding[];
  readonly param?: ParamBinding;
  readonly positive?: PositiveDefault;
  readonly seed?: number;
  readonly input?: InputFile;
  /** The file a `load` read, which no report may replace. */
  readonly loadedFile?: LoadedInput;
  /** The file a `report` wrote, so that a second report to it can be warned about. */
  readonly reportWritten?: WrittenReport;
  readonly seeds?: readonly SeedUse[];
  readonly history: Omit<HistoryEntry, 'cell'>;
}

/** A file the session loaded, under the name the program gave it. */
export interface LoadedInput {
  readonly written: string;
  readonly identity: FileIdentity;
}

/** A report file the session wrote: its absolute path and the statement that wrote it. */
export interface WrittenReport {
  readonly path: string;
  /** The session's index of the cell, and the line in it. */
  readonly cell: number;
  readonly line: number;
  /** The statement's first line. */
  readonly statement: string;
}

/**
 * The cell a commit belongs to. The runner makes one per run; the session records its text
 * the first time a statement of it commits.
 */
export interface CellSource {
  readonly text: string;
}

/** A session's results, in order, with what a report needs around them. */
export interface SessionRecord {
  /** The text of every cell that committed a statement, in order, joined by blank lines. */
  readonly source: string;
  /** Results with their 1-based line in `source`. */
  readonly items: readonly {
    readonly line: number;
    readonly statement: string;
    readonly result: RecordedResult;
  }[];
  readonly inputs: readonly InputFile[];
  readonly seeds: readonly SeedUse[];
}

export interface SessionOptions {
  /**
   * Parameter values that override the programs' defaults (`--set name=value`). The name
   * `seed` also overrides every `set seed`. Text that looks like a number or a percentage is
   * converted by the checker when the parameter's default is a number.
   */
  readonly params?: Readonly<Record<string, ParamValue>>;
}

export class Session {
  readonly #bindings = new Map<string, Binding>();
  readonly #params = new Map<string, ParamBinding>();
  readonly #overrides: ReadonlyMap<string, ParamValue>;
  #positive: PositiveDefault | null = null;
  #seed: number | null = null;
  readonly #history: HistoryEntry[] = [];
  /**
   * Input files by path and hash, in the order they were last read: a file read again moves to
   * the end (delete and set, where a search and `splice` per load was quadratic).
   */
  readonly #inputs = new Map<string, InputFile>();
  readonly #seeds: SeedUse[] = [];
  readonly #cells: CellSource[] = [];
  readonly #loadedFiles: LoadedInput[] = [];
  readonly #reportsWritten = new Map<string, WrittenReport>();
  /** Each committed cell's index in #cells: a commit looks it up per statement. */
  readonly #cellIndexes = new Map<CellSource, number>();

  constructor(options: SessionOptions = {}) {
    this.#overrides = new Map(Object.entries(options.params ?? {}));
  }

  /** The table or result bound to `name`, if any. */
  binding(name: string): Binding | undefined {
    return this.#bindings.get(name);
  }

  /** Every binding, in the order the names were first bound. */
  bindings(): readonly Binding[] {
    return [...this.#bindings.values()];
  }

  param(name: string): ParamBinding | undefined {
    return this.#params.get(name);
  }

  params(): readonly ParamBinding[] {
    return [...this.#params.values()];
  }

  /** The overrides the session was created with. */
  paramOverrides(): ReadonlyMap<string, ParamValue> {
    return this.#overrides;
  }

  positiveDefault(): PositiveDefault | null {
    return this.#positive;
  }

  /** The seed of `set seed`, else the `seed` override, else null (the runner's default). */
  seedDefault(): number | null {
    return this.#seed ?? seedOverride(this.#overrides);
  }

  history(): readonly HistoryEntry[] {
    return this.#history;
  }

  cells(): readonly string[] {
    return this.#cells.map((c) => c.text);
  }

  inputs(): readonly InputFile[] {
    return [...this.#inputs.values()];
  }

  seeds(): readonly SeedUse[] {
    return this.#seeds;
  }

  /** Every file a `load` read, in order (also those whose table has since been rebound). */
  loadedFiles(): readonly LoadedInput[] {
    return this.#loadedFiles;
  }

  /** The first report written to an absolute path, if any was. */
  reportWrittenTo(path: string): WrittenReport | undefined {
    return this.#reportsWritten.get(path);
  }

  /** The index `cell` has (or will have once it commits). */
  cellIndex(cell: CellSource): number {
    return this.#cellIndexes.get(cell) ?? this.#cells.length;
  }

  /** Applies one statement's changes, all at once. */
  commit(cell: CellSource, change: SessionChange): void {
    let index = this.#cellIndexes.get(cell);
    if (index === undefined) {
      index = this.#cells.length;
      this.#cells.push(cell);
      this.#cellIndexes.set(cell, index);
    }
    for (const binding of change.bindings ?? []) {
      // Re-binding moves the name to the end, so bindings() lists names by their last binding.
      this.#bindings.delete(binding.name);
      this.#bindings.set(binding.name, binding);
    }
    if (change.param !== undefined) this.#params.set(change.param.name, change.param);
    if (change.positive !== undefined) this.#positive = change.positive;
    if (change.seed !== undefined) this.#seed = change.seed;
    if (change.input !== undefined) {
      const key = JSON.stringify([change.input.path, change.input.sha256]);
      this.#inputs.delete(key);
      this.#inputs.set(key, change.input);
    }
    this.#seeds.push(...(change.seeds ?? []));
    if (change.loadedFile !== undefined) this.#loadedFiles.push(change.loadedFile);
    for (const report of change.reportWritten === undefined ? [] : [change.reportWritten]) {
      if (!this.#reportsWritten.has(report.path)) this.#reportsWritten.set(report.path, report);
    }
    this.#history.push({ ...change.history, cell: index });
  }

  /**
   * The session's results for a report. A cell is part of it once one of its statements has
   * committed, so a `report` statement sees the statements above it in its own cell.
   */
  record(): SessionRecord {
    const offsets: number[] = [];
    let line = 0;
    for (const cell of this.#cells) {
      offsets.push(line);
      line += cell.text.replace(/\n$/u, '').split('\n').length + 1;
    }
    return {
      source: this.#cells.map((c) => c.text.replace(/\n$/u, '')).join('\n\n') + '\n',
      items: this.#history
        .filter((h): h is HistoryEntry & { result: RecordedResult } => h.result !== null)
        .map((h) => ({ line: offsets[h.cell] + h.line, statement: h.statement, result: h.result })),
      inputs: this.inputs(),
      seeds: [...this.#seeds],
    };
  }
}

/** The `seed` override as a whole number, if one was given and is one. */
export function seedOverride(overrides: ReadonlyMap<string, ParamValue>): number | null {
  const raw = overrides.get('seed');
  if (raw === undefined) return null;
  const n = typeof raw === 'number' ? raw : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : null;
}
