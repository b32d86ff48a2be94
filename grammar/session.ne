# show NAME [limit N]
# set positive V
# set seed N
# param NAME = LITERAL

@lexer lexer

show -> "show" target showClause:*
  {% (d) => node('Show', d, { target: d[1], clauses: d[2] }) %}

target -> name {% id %}

showClause -> "limit" countValue {% (d) => node('Limit', d, { limit: d[1] }) %}

setPositive -> "set" "positive" labelValue {% (d) => node('SetPositive', d, { value: d[2] }) %}

setSeed -> "set" "seed" countValue {% (d) => node('SetSeed', d, { seed: d[2] }) %}

param -> "param" binding "=" literal {% (d) => node('Param', d, { name: d[1], value: d[3] }) %}
