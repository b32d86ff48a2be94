# report ["file.html" | "file.md"] [title "..."]

@lexer lexer

report -> "report" textValue:? reportClause:*
  {% (d) => node('Report', d, { file: d[1], clauses: d[2] }) %}

reportClause -> "title" textValue {% (d) => node('Title', d, { title: d[1] }) %}
