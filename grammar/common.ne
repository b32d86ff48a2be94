# Shared pieces: node construction, names, values and the clauses several statements accept.

# nearleyc compiles an included file on its own, so each one names the lexer again.
@lexer lexer

@{%
import { decodeString, numberValue, percentValue, type Token } from '../lexer.js';

/** The span of dsl/ast.ts, restated: grammar/ sits below dsl/ and cannot import it. */
interface SourceSpan {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly col: number;
}

function isToken(part: unknown): part is Token {
  return typeof part === 'object' && part !== null && 'offset' in part && 'text' in part;
}

function hasSpan(part: unknown): part is { readonly span: SourceSpan } {
  return typeof part === 'object' && part !== null && 'span' in part;
}

function tokenSpan(token: Token): SourceSpan {
  return { start: token.offset, end: token.offset + token.text.length, line: token.line, col: token.col };
}

/**
 * The span from the first to the last token or node among a rule's matched parts. Parts are
 * in source order; lists from EBNF operators are searched, nodes are not (their span already
 * covers them), absent optionals (null) are skipped. Every rule that builds a node matches at
 * least one token, so there is always a first and a last.
 */
function spanOf(parts: readonly unknown[]): SourceSpan {
  const spans: SourceSpan[] = [];
  const collect = (part: unknown): void => {
    if (Array.isArray(part)) part.forEach(collect);
    else if (isToken(part)) spans.push(tokenSpan(part));
    else if (hasSpan(part)) spans.push(part.span);
  };
  parts.forEach(collect);
  const first = spans[0];
  const last = spans[spans.length - 1];
  return { start: first.start, end: last.end, line: first.line, col: first.col };
}

/** A node of `kind` spanning `parts`; fields that are undefined (absent optionals) are left out. */
function node(kind: string, parts: readonly unknown[], fields: Record<string, unknown> = {}): unknown {
  const present = Object.entries(fields).filter(([, value]) => value !== undefined && value !== null);
  return { kind, ...Object.fromEntries(present), span: spanOf(parts) };
}

/** The items of `first (separator item):*` as one array. */
function listOf(first: unknown, rest: readonly (readonly unknown[])[]): unknown[] {
  return [first, ...rest.map((pair) => pair[1])];
}

function nameNode(token: Token): unknown {
  return { kind: 'Name', text: token.value, span: tokenSpan(token) };
}

function stringNode(token: Token): unknown {
  const decoded = decodeString(token.text);
  // Strings with unknown escapes are reported before parsing, so this holds here.
  return { kind: 'String', value: decoded.ok ? decoded.value : token.text, span: tokenSpan(token) };
}

function numberNode(parts: readonly Token[]): unknown {
  const text = parts.map((token) => token.text).join('');
  return { kind: 'Number', value: numberValue(text), text, span: spanOf(parts) };
}

function percentNode(token: Token): unknown {
  return { kind: 'Percent', value: percentValue(token.text), text: token.text, span: tokenSpan(token) };
}
%}

# Names. The rules that only rename `name` say what the name is for: the parse entry uses
# them to say "expected a column name" rather than "expected a name".
name ->
    %word {% ([t]) => nameNode(t) %}
  | %backticked {% ([t]) => nameNode(t) %}
table -> name {% id %}
column -> name {% id %}
binding -> name {% id %}
metric -> name {% id %}

# Literals, and the values that may stand where a literal is expected.
string -> %string {% ([t]) => stringNode(t) %}
number ->
    %number {% (d) => numberNode(d) %}
  | "-" %number {% (d) => numberNode(d) %}
unsignedNumber -> %number {% (d) => numberNode(d) %}
percent -> %percent {% ([t]) => percentNode(t) %}
paramRef ->
    %word {% (d) => node('ParamRef', d, { name: d[0].value }) %}
  | %backticked {% (d) => node('ParamRef', d, { name: d[0].value }) %}

literal -> string {% id %} | number {% id %} | percent {% id %}
# File names and titles.
textValue -> string {% id %} | paramRef {% id %}
# Seeds, counts of bins, rows, resamples.
countValue -> unsignedNumber {% id %} | paramRef {% id %}
# Thresholds, rates, costs: signed numbers and percentages.
numberValue -> number {% id %} | percent {% id %} | paramRef {% id %}
# Label values: strings or numbers.
labelValue -> string {% id %} | number {% id %} | paramRef {% id %}

# Score columns of `threshold` and `calibration`: `[name =] column`.
scoreSpecs -> scoreSpec ("," scoreSpec):* {% ([first, rest]) => listOf(first, rest) %}
scoreSpec -> (binding "="):? column
  {% (d) => node('Score', d, { name: d[0]?.[0], scores: d[1] }) %}

# Clauses shared by several statements.
asClause -> "as" binding {% (d) => node('As', d, { name: d[1] }) %}
positiveClause -> "positive" labelValue {% (d) => node('Positive', d, { value: d[1] }) %}
explainClause -> "explain" {% (d) => node('Explain', d) %}
