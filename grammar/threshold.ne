# threshold [NAME =] SCORES, ... on T against LABEL [positive V]
#   [pick max f1 | max fbeta B | recall >= x | precision >= x | min cost fp A fn B | at t]
#   [explain] [as R]

@lexer lexer

threshold -> "threshold" scoreSpecs "on" table "against" column thresholdClause:*
  {% (d) => node('Threshold', d, { scores: d[1], table: d[3], label: d[5], clauses: d[6] }) %}

thresholdClause ->
    positiveClause {% id %}
  | pickClause {% id %}
  | explainClause {% id %}
  | asClause {% id %}

pickClause ->
    "pick" "max" "f1" {% (d) => node('PickMaxF1', d) %}
  | "pick" "max" "fbeta" numberValue {% (d) => node('PickMaxFbeta', d, { beta: d[3] }) %}
  | "pick" "recall" ">=" numberValue {% (d) => node('PickRecallAtLeast', d, { recall: d[3] }) %}
  | "pick" "precision" ">=" numberValue
    {% (d) => node('PickPrecisionAtLeast', d, { precision: d[3] }) %}
  | "pick" "min" "cost" "fp" numberValue "fn" numberValue
    {% (d) => node('PickMinCost', d, { falsePositiveCost: d[4], falseNegativeCost: d[6] }) %}
  | "pick" "at" numberValue {% (d) => node('PickAt', d, { threshold: d[2] }) %}
