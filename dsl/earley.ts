/**
 * The grammar's nearley parser as the parse entry and completion both drive it: statements
 * grouped from a cell's tokens, a parser fed those tokens, and the parts of nearley's parser
 * state (the Earley table) that say what was expected where a statement stops.
 */
import nearley from 'nearley';
import compiledGrammar from '../grammar/generated/grammar.js';
import type { Token } from '../grammar/lexer.js';

/** The compiled grammar, built once. */
export const grammar = nearley.Grammar.fromCompiled({
  ParserStart: compiledGrammar.ParserStart,
  ParserRules: compiledGrammar.ParserRules,
});

/** Feeds already-lexed tokens to nearley, which would otherwise lex the text itself. */
class TokenStream implements nearley.Lexer {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  reset(): void {
    this.index = 0;
  }

  next(): Token | undefined {
    return this.tokens[this.index++];
  }

  save(): nearley.LexerState {
    return {};
  }

  formatError(_token: nearley.Token, message: string): string {
    return message;
  }
}

/**
 * A parser of the grammar over `tokens`, not yet run: `feed('')` parses them all, throwing a
 * syntax error that carries the token it could not take.
 */
export function parserOver(tokens: readonly Token[]): nearley.Parser {
  return new nearley.Parser(grammar, { lexer: new TokenStream(tokens) });
}

/**
 * Groups a cell's tokens into statements: a token that is the first on its line and not
 * indented starts a statement; an indented line continues the one above (or starts the
 * first). Trivia are dropped, so no statement is empty.
 */
export function statementsOf(tokens: readonly Token[]): Token[][] {
  const statements: Token[][] = [];
  let current: Token[] | undefined;
  let atLineStart = true;
  let indented = false;
  for (const token of tokens) {
    if (token.type === 'nl') {
      atLineStart = true;
      indented = false;
    } else if (token.type === 'ws') {
      if (atLineStart) indented = true;
    } else if (token.type !== 'comment') {
      if (current === undefined || (atLineStart && !indented)) {
        current = [];
        statements.push(current);
      }
      current.push(token);
      atLineStart = false;
    }
  }
  return statements;
}

/** A state of nearley's Earley table: the parts read here (they are not in its typings). */
export interface EarleyState {
  readonly rule: { readonly name: string; readonly symbols: readonly unknown[] };
  /** How many of the rule's symbols are matched; `symbols[dot]` is the one expected next. */
  readonly dot: number;
  /** The index of the token the rule started at. */
  readonly reference: number;
  readonly isComplete: boolean;
  /** The states whose rules asked for this one. */
  readonly wantedBy: readonly EarleyState[];
}

/** The states of the Earley table after some number of tokens. */
export interface EarleyColumn {
  readonly states: readonly EarleyState[];
}

/** The parser's column after `index` tokens (0 ≤ index ≤ the number of tokens it took). */
export function columnAt(parser: nearley.Parser, index: number): EarleyColumn {
  return (parser as unknown as { table: EarleyColumn[] }).table[index];
}

/** The parser's column after the last token it took. */
export function lastColumn(parser: nearley.Parser): EarleyColumn {
  const table = (parser as unknown as { table: EarleyColumn[] }).table;
  return table[table.length - 1];
}

/** The literal text a grammar symbol matches (`on`, `,`), if it is a literal. */
export function literalOf(symbol: unknown): string | undefined {
  if (typeof symbol === 'object' && symbol !== null && 'literal' in symbol) {
    const { literal } = symbol as { literal: unknown };
    return typeof literal === 'string' ? literal : undefined;
  }
  return undefined;
}

/** The token type a grammar symbol matches (`word`, `number`), if it matches by type. */
export function tokenTypeOf(symbol: unknown): string | undefined {
  if (typeof symbol === 'object' && symbol !== null && 'type' in symbol) {
    const { type } = symbol as { type: unknown };
    return typeof type === 'string' ? type : undefined;
  }
  return undefined;
}

/** The grammar rules whose whole purpose is one name of a kind: what a name is for. */
export const NAME_RULES = [
  'column',
  'table',
  'metric',
  'target',
  'paramRef',
  'binding',
  'refSegment',
] as const;

export type NameRule = (typeof NAME_RULES)[number];

export function isNameRule(name: string): name is NameRule {
  return (NAME_RULES as readonly string[]).includes(name);
}

/**
 * The name rules that asked for the name `state` expects, found by walking up the rules that
 * wanted it to the nearest name rules (at most eight rules up, which reaches past every list
 * and clause of the grammar).
 */
export function nameRulesAsking(state: EarleyState): Set<NameRule> {
  const found = new Set<NameRule>();
  const seen = new Set<EarleyState>();
  let frontier: readonly EarleyState[] = [state];
  for (let depth = 0; depth < 8 && frontier.length > 0; depth++) {
    const parents: EarleyState[] = [];
    for (const s of frontier) {
      if (seen.has(s)) continue;
      seen.add(s);
      if (isNameRule(s.rule.name)) found.add(s.rule.name);
      else for (const parent of s.wantedBy) parents.push(parent);
    }
    frontier = parents;
  }
  return found;
}
