# split T into train 80%, val 10%, test 10% [seed N] [stratify by COL]
# split T by COL [as NAME]

@lexer lexer

splitInto -> "split" table "into" splitParts splitIntoClause:*
  {% (d) => node('SplitInto', d, { table: d[1], parts: d[3], clauses: d[4] }) %}

splitParts -> splitPart ("," splitPart):* {% ([first, rest]) => listOf(first, rest) %}

splitPart -> binding splitSize {% (d) => node('SplitPart', d, { name: d[0], size: d[1] }) %}

splitSize -> unsignedNumber {% id %} | percent {% id %} | paramRef {% id %}

splitIntoClause ->
    "seed" countValue {% (d) => node('Seed', d, { seed: d[1] }) %}
  | "stratify" "by" column {% (d) => node('Stratify', d, { column: d[2] }) %}

splitBy -> "split" table "by" column splitByClause:*
  {% (d) => node('SplitBy', d, { table: d[1], column: d[3], clauses: d[4] }) %}

splitByClause -> asClause {% id %}
