# curve LOG epoch COL train COL val COL [as R]

@lexer lexer

curve -> "curve" table "epoch" column "train" column "val" column curveClause:*
  {% (d) => node('Curve', d, { table: d[1], epoch: d[3], train: d[5], val: d[7], clauses: d[8] }) %}

curveClause -> asClause {% id %}
