# calibration [NAME =] SCORES, ... on T against LABEL [positive V] [bins N] [as R]

@lexer lexer

calibration -> "calibration" scoreSpecs "on" table "against" column calibrationClause:*
  {% (d) => node('Calibration', d, { scores: d[1], table: d[3], label: d[5], clauses: d[6] }) %}

calibrationClause ->
    positiveClause {% id %}
  | "bins" countValue {% (d) => node('Bins', d, { bins: d[1] }) %}
  | asClause {% id %}
