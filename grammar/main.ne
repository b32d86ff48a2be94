# The Evalbook grammar: one statement (a logical line) at a time. The parse entry
# (dsl/parse.ts) splits a cell into statements, lexes it with ./lexer.ts, drops the trivia and
# feeds the tokens of each statement to this grammar.
#
# Keywords are written as literals ("compare"), matched against a token's text, so they are
# contextual: any word the grammar does not expect at a position may be a name there.
# Postprocessors build the nodes of dsl/ast.ts; optional clauses come out as a `clauses` list
# that the parse entry folds into named fields (it also reports a clause given twice).

@preprocessor typescript

@{%
import { lexer } from '../lexer.js';
%}

@lexer lexer

statement ->
    load {% id %}
  | splitInto {% id %}
  | splitBy {% id %}
  | compare {% id %}
  | threshold {% id %}
  | calibration {% id %}
  | curve {% id %}
  | report {% id %}
  | check {% id %}
  | checkLeakage {% id %}
  | leakage {% id %}
  | show {% id %}
  | setPositive {% id %}
  | setSeed {% id %}
  | param {% id %}

@include "common.ne"
@include "load.ne"
@include "split.ne"
@include "compare.ne"
@include "threshold.ne"
@include "calibration.ne"
@include "curve.ne"
@include "report.ne"
@include "check.ne"
@include "session.ne"
