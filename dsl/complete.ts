/**
 * Completion for notebook front ends: what may be typed at the cursor.
 *
 * The statement around the cursor is fed, up to the word being typed, to the grammar's own
 * parser; the parser's expectations at that point say what fits: keywords (`on`, `against`,
 * `pick`...), or a name of some role, found from the grammar rule that asks for it: a table,
 * a column (of the table after `on`, or the one the statement starts from), a metric, a
 * parameter, or a key of a bound result in a `check` path. Inside a string, the files of the
 * directory it names are offered. Quick and free of side effects: it reads the session and,
 * for file names, one directory.
 */
import { readdirSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { COMPARISON_METRICS } from '../engine/analysis/index.js';
import { IDENTIFIER, tokenize, type Token } from '../grammar/lexer.js';
import { MAX_PROGRAM_LENGTH, MAX_STATEMENT_TOKENS } from './limits.js';
import {
  lastColumn,
  literalOf,
  nameRulesAsking,
  parserOver,
  statementsOf,
  tokenTypeOf,
  type NameRule,
} from './earley.js';
import { STATEMENT_KEYWORDS } from './messages.js';
import { parse } from './parse.js';
import type { Session } from './session.js';
import { resultKeys, tableKeys, type KeyNode } from './values.js';

export interface CompleteOptions {
  /** Where relative file names in strings are listed from; the working directory by default. */
  readonly baseDir?: string;
}

/** What replaces `[start, end)` of the code: one of `matches`. */
export interface Completion {
  readonly matches: readonly string[];
  readonly start: number;
  readonly end: number;
}

/** Keywords and name rules the grammar expects after `tokens`; null when they do not parse. */
function expectations(
  tokens: readonly Token[],
): { keywords: Set<string>; roles: Set<NameRule> } | null {
  const parser = parserOver(tokens);
  try {
    parser.feed('');
  } catch {
    return null;
  }
  const keywords = new Set<string>();
  const roles = new Set<NameRule>();
  for (const state of lastColumn(parser).states) {
    const symbol = state.rule.symbols[state.dot];
    const literal = literalOf(symbol);
    const type = tokenTypeOf(symbol);
    if (literal !== undefined) {
      if (IDENTIFIER.test(literal)) keywords.add(literal);
    } else if (type === 'word' || type === 'backticked') {
      for (const role of nameRulesAsking(state)) roles.add(role);
    }
  }
  return { keywords, roles };
}

const TRIVIA = new Set(['ws', 'nl', 'comment']);

/** A name as it must be written: in backticks unless it is an identifier. */
function written(name: string): string {
  return IDENTIFIER.test(name) ? name : `\`${name}\``;
}

/** Completes the code at `cursor` (a string index); see the module comment. */
export function complete(
  code: string,
  cursor: number,
  session: Session,
  options: CompleteOptions = {},
): Completion {
  const at = Math.max(0, Math.min(cursor, code.length));
  // A cell beyond the language's bounds gets no completion rather than an unbounded parse.
  if (code.length > MAX_PROGRAM_LENGTH) return { matches: [], start: at, end: at };
  const before = tokenize(code.slice(0, at));
  const last = before[before.length - 1] as Token | undefined;
  if (last !== undefined && last.type === 'unterminatedString' && !last.text.includes('\n')) {
    return completeFile(last, at, options.baseDir ?? process.cwd());
  }
  let start = at;
  while (start > 0 && /[A-Za-z0-9_]/u.test(code[start - 1])) start--;
  let backtick = false;
  if (last?.type === 'unclosedBacktick') {
    start = last.offset;
    backtick = true;
  }
  const prefix = code.slice(backtick ? start + 1 : start, at);
  const matches = candidates(code, start, session).filter((m) => {
    const bare = m.startsWith('`') ? m.slice(1, -1) : m;
    return backtick ? bare.startsWith(prefix) : m.startsWith(prefix) && m !== prefix;
  });
  return {
    matches: [...new Set(matches)].map((m) => (backtick && !m.startsWith('`') ? `\`${m}\`` : m)),
    start,
    end: at,
  };
}

/** Everything that fits at `start`, before filtering by what has been typed. */
function candidates(code: string, start: number, session: Session): string[] {
  const all = tokenize(code);
  const statements = statementsOf(all);
  const lineStart = code.lastIndexOf('\n', start - 1) + 1;
  const indented = /^[ \t]/u.test(code.slice(lineStart, start + 1)) && start > lineStart;
  const atStatementStart = code.slice(lineStart, start).trim() === '' && !indented;
  if (atStatementStart) return [...STATEMENT_KEYWORDS];
  const statement = statements.filter((s) => s[0].offset < start).pop();
  if (statement === undefined) return [...STATEMENT_KEYWORDS];
  const typed = statement.filter((t) => t.offset + t.text.length <= start && !TRIVIA.has(t.type));
  const expected = typed.length > MAX_STATEMENT_TOKENS ? null : expectations(typed);
  if (expected === null) return [];
  const out = [...expected.keywords].sort();
  // Appended by a loop, not `push(...list)`: a table of a million columns is more arguments
  // than a call can take.
  const add = (names: Iterable<string>): void => {
    for (const name of names) out.push(name);
  };
  const boundNames = namesBound(code, statement[0].offset, session);
  if (expected.roles.has('table')) add(boundNames.tables.map(written));
  if (expected.roles.has('target')) add([...boundNames.tables, ...boundNames.results].map(written));
  if (expected.roles.has('column')) add(columnsInScope(statement, session).map(written));
  if (expected.roles.has('metric')) add(COMPARISON_METRICS);
  if (expected.roles.has('paramRef')) add(session.params().map((p) => written(p.name)));
  if (expected.roles.has('refSegment')) add(pathCandidates(code, start, session, boundNames));
  return out;
}

interface Names {
  readonly tables: string[];
  readonly results: string[];
}

/** Names bound in the session and by the statements above `statementStart` in this cell. */
function namesBound(code: string, statementStart: number, session: Session): Names {
  const tables = new Set<string>();
  const results = new Set<string>();
  for (const b of session.bindings()) (b.kind === 'table' ? tables : results).add(b.name);
  const above = parse(code.slice(0, statementStart));
  if (above.ok) {
    for (const s of above.program.statements) {
      if (s.kind === 'Load') tables.add(s.as.name.text);
      else if (s.kind === 'SplitInto') for (const p of s.parts) tables.add(p.name.text);
      else if ('as' in s && s.as !== undefined) results.add(s.as.name.text);
    }
  }
  return { tables: [...tables], results: [...results] };
}

/**
 * The columns of the table a statement works on: the name after `on` (compare, threshold,
 * calibration; it may come after the cursor), else the statement's first name (split, curve,
 * check leakage, leakage), when that table is bound in the session.
 */
function columnsInScope(statement: readonly Token[], session: Session): string[] {
  const names: string[] = [];
  const on = statement.findIndex((t) => t.text === 'on');
  const keyword = statement[0].text;
  if (on >= 0 && statement[on + 1] !== undefined) names.push(statement[on + 1].value);
  if (keyword === 'split' || keyword === 'curve') names.push(statement[1]?.value ?? '');
  if (keyword === 'check' && statement[1]?.text === 'leakage')
    names.push(statement[2]?.value ?? '', statement[4]?.value ?? '');
  if (keyword === 'leakage') names.push(statement[1]?.value ?? '', statement[3]?.value ?? '');
  const columns: string[] = [];
  for (const name of names) {
    const b = session.binding(name);
    if (b?.kind === 'table') for (const c of b.table.columns) columns.push(c.name);
  }
  return columns;
}

/** In a `check` path: bound names and parameters, or the keys after `R.finetuned.`. */
function pathCandidates(code: string, start: number, session: Session, names: Names): string[] {
  const segments: string[] = [];
  let end = start;
  while (end > 0 && code[end - 1] === '.') {
    let s = end - 1;
    if (code[s - 1] === '`') {
      const open = code.lastIndexOf('`', s - 2);
      if (open < 0) break;
      segments.unshift(code.slice(open + 1, s - 1));
      end = open;
    } else {
      while (s > 0 && /[A-Za-z0-9_]/u.test(code[s - 1])) s--;
      if (s === end - 1) break;
      segments.unshift(code.slice(s, end - 1));
      end = s;
    }
  }
  if (segments.length === 0) {
    return [...names.results, ...names.tables, ...session.params().map((p) => p.name)].map(written);
  }
  const b = session.binding(segments[0]);
  if (b === undefined) return [];
  let node: KeyNode | undefined = b.kind === 'table' ? tableKeys(b.table) : resultKeys(b.result);
  for (const key of segments.slice(1)) {
    if (node?.kind !== 'keys') return [];
    node = node.keys.get(key) ?? node.any?.node;
  }
  return node?.kind === 'keys' ? [...node.keys.keys()].map(written) : [];
}

/** The entries of the directory a string names, as paths to replace the string's text with. */
function completeFile(token: Token, cursor: number, baseDir: string): Completion {
  const typed = token.text.slice(1);
  const slash = typed.lastIndexOf('/');
  const directoryPart = slash < 0 ? '' : typed.slice(0, slash + 1);
  const base = typed.slice(slash + 1);
  const directory = isAbsolute(directoryPart)
    ? directoryPart
    : resolve(baseDir, directoryPart === '' ? '.' : directoryPart);
  let entries: { name: string; directory: boolean }[] = [];
  try {
    entries = readdirSync(directory, { withFileTypes: true }).map((e) => ({
      name: e.name,
      directory: e.isDirectory(),
    }));
  } catch {
    entries = [];
  }
  const matches = entries
    .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, 200)
    .map((e) => `${directoryPart}${e.name}${e.directory ? '/' : ''}`);
  return { matches, start: token.offset + 1, end: cursor };
}
