# check EXPR
# check leakage TRAIN, TEST on COL [normalized]
# leakage TRAIN, TEST on COL [normalized] [as NAME]   (reports, never fails)
#
# Precedence, loosest first: or, and, not, comparisons (which do not chain), + -, * /,
# unary minus. The binary operators associate to the left.

@lexer lexer

check -> "check" expr {% (d) => node('Check', d, { expr: d[1] }) %}

checkLeakage -> "check" "leakage" table "," table "on" column leakageClause:*
  {% (d) => node('CheckLeakage', d, { train: d[2], test: d[4], column: d[6], clauses: d[7] }) %}

leakageClause -> "normalized" {% (d) => node('Normalized', d) %}

leakage -> "leakage" table "," table "on" column reportedLeakageClause:*
  {% (d) => node('Leakage', d, { train: d[1], test: d[3], column: d[5], clauses: d[6] }) %}

reportedLeakageClause ->
    leakageClause {% id %}
  | asClause {% id %}

@{%
function binary(d: readonly unknown[]): unknown {
  return node('Binary', d, { op: (d[1] as Token).text, left: d[0], right: d[2] });
}

function unary(d: readonly unknown[]): unknown {
  return node('Unary', d, { op: (d[0] as Token).text, operand: d[1] });
}
%}

expr -> disjunction {% id %}

disjunction ->
    disjunction "or" conjunction {% binary %}
  | conjunction {% id %}

conjunction ->
    conjunction "and" negation {% binary %}
  | negation {% id %}

negation ->
    "not" negation {% unary %}
  | comparison {% id %}

comparison ->
    sum comparisonOperator sum {% binary %}
  | sum {% id %}

comparisonOperator -> ("<" | "<=" | ">" | ">=" | "==" | "!=") {% ([[t]]) => t %}

sum ->
    sum "+" product {% binary %}
  | sum "-" product {% binary %}
  | product {% id %}

product ->
    product "*" factor {% binary %}
  | product "/" factor {% binary %}
  | factor {% id %}

factor ->
    "-" factor {% unary %}
  | atom {% id %}

atom ->
    unsignedNumber {% id %}
  | percent {% id %}
  | string {% id %}
  | ref {% id %}
  # The parentheses become part of the inner node's span.
  | "(" expr ")" {% (d) => ({ ...d[1], span: spanOf(d) }) %}

ref -> refSegment ("." refSegment):* {% (d) => node('Ref', d, { path: listOf(d[0], d[1]) }) %}

refSegment -> name {% id %}
