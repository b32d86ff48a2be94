# load "file" as NAME [format csv|tsv|json|jsonl|parquet]

@lexer lexer

load -> "load" textValue asClause loadClause:*
  {% (d) => node('Load', d, { file: d[1], as: d[2], clauses: d[3] }) %}

loadClause -> "format" fileFormat {% (d) => node('Format', d, { format: d[1].value }) %}

fileFormat ->
    "csv" {% id %}
  | "tsv" {% id %}
  | "json" {% id %}
  | "jsonl" {% id %}
  | "parquet" {% id %}
