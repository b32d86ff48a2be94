# curve LOG [epoch COL] [train COL] [val COL] [patience N] [as R]
# The columns default to epoch, train_loss and val_loss.

@lexer lexer

curve -> "curve" table curveClause:*
  {% (d) => node('Curve', d, { table: d[1], clauses: d[2] }) %}

curveClause ->
    "epoch" column {% (d) => node('Epoch', d, { column: d[1] }) %}
  | "train" column {% (d) => node('Train', d, { column: d[1] }) %}
  | "val" column {% (d) => node('Val', d, { column: d[1] }) %}
  | "patience" countValue {% (d) => node('Patience', d, { patience: d[1] }) %}
  | asClause {% id %}
