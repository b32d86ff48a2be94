# compare [NAME =] PREDICTIONS [score SCORES], ... on T against LABEL
#   [positive V] [metrics m, ...] [beta B] [average binary|macro|micro|weighted] [by COL]
#   [significance mcnemar | significance bootstrap N [seed S]] [explain] [as R]

@lexer lexer

compare -> "compare" models "on" table "against" column compareClause:*
  {% (d) => node('Compare', d, { models: d[1], table: d[3], label: d[5], clauses: d[6] }) %}

models -> model ("," model):* {% ([first, rest]) => listOf(first, rest) %}

model -> (binding "="):? column ("score" column):?
  {% (d) => node('Model', d, { name: d[0]?.[0], predictions: d[1], scores: d[2]?.[1] }) %}

compareClause ->
    positiveClause {% id %}
  | metricsClause {% id %}
  | "beta" numberValue {% (d) => node('Beta', d, { beta: d[1] }) %}
  | averageClause {% id %}
  | byClause {% id %}
  | significanceClause {% id %}
  | explainClause {% id %}
  | asClause {% id %}

metricsClause -> "metrics" metricList {% (d) => node('Metrics', d, { metrics: d[1] }) %}

metricList -> metric ("," metric):* {% ([first, rest]) => listOf(first, rest) %}

averageClause -> "average" averageMode {% (d) => node('Average', d, { average: d[1].value }) %}

averageMode ->
    "binary" {% id %}
  | "macro" {% id %}
  | "micro" {% id %}
  | "weighted" {% id %}

byClause -> "by" column {% (d) => node('By', d, { column: d[1] }) %}

significanceClause ->
    "significance" "mcnemar" {% (d) => node('McNemar', d) %}
  | "significance" "bootstrap" countValue ("seed" countValue):?
    {% (d) => node('Bootstrap', d, { resamples: d[2], seed: d[3]?.[1] }) %}
