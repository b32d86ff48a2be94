/**
 * Tokenizers of sacrebleu's BLEU: `13a` (mteval-v13a, the WMT standard) and `none`. Whitespace
 * is Python's, from tokens.ts, so every metric splits text exactly where `str.split()` does.
 */
import { isPythonSpace, splitPythonWhitespace } from './tokens.js';

export type BleuTokenizerName = '13a' | 'none';

/**
 * sacrebleu's `13a` tokenizer: drops `<skipped>`, joins hyphenated line breaks, turns line
 * breaks into spaces, unescapes `&quot; &amp; &lt; &gt;`, then applies mteval-v13a's rules and
 * collapses whitespace. Returns the tokens joined by single spaces, as sacrebleu does.
 */
export function tokenize13a(line: string): string {
  return tokens13a(line).join(' ');
}

const SPACE = 0x20;
const INSERTED = -1;

/** mteval's symbol class `[{-~[-` -&(-+:-@/]` (the space left out: padding it changes nothing). */
function isSymbol(c: number): boolean {
  return (
    (c >= 0x7b && c <= 0x7e) || // { | } ~
    (c >= 0x5b && c <= 0x60) || // [ \ ] ^ _ `
    (c >= 0x21 && c <= 0x26) || // ! " # $ % &
    (c >= 0x28 && c <= 0x2b) || // ( ) * +
    (c >= 0x3a && c <= 0x40) || // : ; < = > ? @
    c === 0x2f // /
  );
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isPeriodOrComma(c: number): boolean {
  return c === 0x2e || c === 0x2c;
}

/**
 * The text under rewriting, as UTF-16 units with, for each, its index in the source text
 * (INSERTED for the spaces the rules add). The rules only ever insert spaces, so every final
 * token is a slice of the source.
 */
interface Units {
  ch: Uint16Array;
  at: Int32Array;
  length: number;
}

// Two buffers reused by every call (tokenizing is synchronous), grown as lines require.
let bufferA: Units = { ch: new Uint16Array(1024), at: new Int32Array(1024), length: 0 };
let bufferB: Units = { ch: new Uint16Array(1024), at: new Int32Array(1024), length: 0 };

function reserve(u: Units, capacity: number): Units {
  if (u.ch.length >= capacity) {
    u.length = 0;
    return u;
  }
  return { ch: new Uint16Array(capacity), at: new Int32Array(capacity), length: 0 };
}

function push(u: Units, c: number, at: number): void {
  u.ch[u.length] = c;
  u.at[u.length] = at;
  u.length++;
}

/**
 * The tokens of `tokenize13a`. mteval-v13a's four regular-expression rewrites are run as
 * scans with the same left-to-right, non-overlapping matching: (1) a space around each symbol;
 * (2) `([^0-9])([.,])` → `$1 $2 `; (3) `([.,])([^0-9])` → ` $1 $2`; (4) `([0-9])(-)` → `$1 $2 `.
 */
export function tokens13a(line: string): string[] {
  let s = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (s.includes('&')) {
    s = s
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>');
  }
  // The spaces around the line let a leading or trailing `.` or `,` match rules 2 and 3.
  const text = ` ${s} `;
  const n = text.length;
  // Rule 1 at most triples the length, each later rule at most doubles it.
  const capacity = 24 * n + 8;
  bufferA = reserve(bufferA, capacity);
  bufferB = reserve(bufferB, capacity);
  let cur = bufferA;
  let next = bufferB;
  let hasPeriodOrComma = false;
  let hasDash = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (isSymbol(c)) {
      push(cur, SPACE, INSERTED);
      push(cur, c, i);
      push(cur, SPACE, INSERTED);
    } else {
      push(cur, c, i);
      if (isPeriodOrComma(c)) hasPeriodOrComma = true;
      else if (c === 0x2d) hasDash = true;
    }
  }
  const swap = (): void => {
    const t = cur;
    cur = next;
    next = t;
    next.length = 0;
  };
  if (hasPeriodOrComma) {
    for (let i = 0; i < cur.length;) {
      if (i + 1 < cur.length && !isDigit(cur.ch[i]) && isPeriodOrComma(cur.ch[i + 1])) {
        push(next, cur.ch[i], cur.at[i]);
        push(next, SPACE, INSERTED);
        push(next, cur.ch[i + 1], cur.at[i + 1]);
        push(next, SPACE, INSERTED);
        i += 2;
      } else {
        push(next, cur.ch[i], cur.at[i]);
        i++;
      }
    }
    swap();
    for (let i = 0; i < cur.length;) {
      if (i + 1 < cur.length && isPeriodOrComma(cur.ch[i]) && !isDigit(cur.ch[i + 1])) {
        push(next, SPACE, INSERTED);
        push(next, cur.ch[i], cur.at[i]);
        push(next, SPACE, INSERTED);
        push(next, cur.ch[i + 1], cur.at[i + 1]);
        i += 2;
      } else {
        push(next, cur.ch[i], cur.at[i]);
        i++;
      }
    }
    swap();
  }
  if (hasDash) {
    for (let i = 0; i < cur.length;) {
      if (i + 1 < cur.length && isDigit(cur.ch[i]) && cur.ch[i + 1] === 0x2d) {
        push(next, cur.ch[i], cur.at[i]);
        push(next, SPACE, INSERTED);
        push(next, 0x2d, cur.at[i + 1]);
        push(next, SPACE, INSERTED);
        i += 2;
      } else {
        push(next, cur.ch[i], cur.at[i]);
        i++;
      }
    }
    swap();
  }
  const tokens: string[] = [];
  let start = -1;
  for (let i = 0; i <= cur.length; i++) {
    const gap = i === cur.length || isPythonSpace(cur.ch[i]);
    if (gap) {
      if (start >= 0) tokens.push(text.slice(cur.at[start], cur.at[i - 1] + 1));
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  return tokens;
}

/** The tokens BLEU counts with a tokenizer: the tokenized text split on whitespace. */
export function bleuTokenizerTokens(name: BleuTokenizerName): (line: string) => string[] {
  return name === '13a' ? tokens13a : splitPythonWhitespace;
}
