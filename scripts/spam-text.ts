/**
 * Mail text for the spam example data: a small MIME reader (headers, multipart, quoted-printable,
 * base64, HTML stripping), the tokenizer, and the hashed bag-of-words features.
 *
 * Everything here is a pure function of its input. Tokens are ASCII only (letters are lowercased
 * by hand, not with the Unicode tables), so the features do not depend on the Node version's
 * Unicode data.
 */

/** One message of the SpamAssassin corpus as the npm package ships it. */
export interface CorpusMessage {
  /** Message number within its group, e.g. "00042". */
  readonly id: string;
  /** One of CORPUS_GROUPS. */
  readonly group: CorpusGroup;
  /** The whole raw message, headers included. */
  readonly text: string;
}

export const CORPUS_GROUPS = [
  'easy-ham-1',
  'easy-ham-2',
  'hard-ham-1',
  'spam-1',
  'spam-2',
] as const;
export type CorpusGroup = (typeof CORPUS_GROUPS)[number];

export function isCorpusGroup(value: unknown): value is CorpusGroup {
  return typeof value === 'string' && (CORPUS_GROUPS as readonly string[]).includes(value);
}

/** What the features and the CSV files need from one raw message. */
export interface ParsedMessage {
  /** The Subject header, encoded words decoded, on one line (may be empty). */
  readonly subject: string;
  /** The registrable domain of the From address, lowercased; "unknown" when there is none. */
  readonly senderDomain: string;
  /** Readable text of the body's text parts (HTML tags removed), not yet lowercased. */
  readonly body: string;
  /** Structural facts about the message as tokens: content types, attachments, HTML. */
  readonly headerTokens: readonly string[];
}

/** Bodies longer than this are cut: the first 20 000 characters say all a bag of words needs. */
const MAX_BODY_CHARS = 20000;
const MAX_MIME_DEPTH = 6;

export function parseMessage(raw: string): ParsedMessage {
  const text = raw.replace(/\r\n?/g, '\n');
  const part = splitPart(text);
  const subject = decodeEncodedWords(part.headers.get('subject') ?? '');
  const senderDomain = registrableDomain(addressDomain(part.headers.get('from') ?? ''));
  const bodies: string[] = [];
  const headerTokens: string[] = [];
  collectText(part, 0, bodies, headerTokens);
  let body = bodies.join('\n');
  if (body.length > MAX_BODY_CHARS) body = body.slice(0, MAX_BODY_CHARS);
  return { subject, senderDomain, body, headerTokens };
}

interface MimePart {
  /** Lowercased header names to unfolded values (the first occurrence of each name). */
  readonly headers: Map<string, string>;
  readonly body: string;
}

function splitPart(text: string): MimePart {
  const blank = text.indexOf('\n\n');
  const head = blank < 0 ? text : text.slice(0, blank);
  const body = blank < 0 ? '' : text.slice(blank + 2);
  const headers = new Map<string, string>();
  // The header that folded continuation lines extend; null while skipping a repeated header,
  // since only the first occurrence of a name counts.
  let current: string | null = null;
  for (const line of head.split('\n')) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current !== null) headers.set(current, `${headers.get(current) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    if (name === '' || headers.has(name)) {
      current = null;
      continue;
    }
    headers.set(name, line.slice(colon + 1).trim());
    current = name;
  }
  return { headers, body };
}

interface ContentType {
  readonly type: string;
  readonly params: Map<string, string>;
}

function parseContentType(value: string | undefined): ContentType {
  const params = new Map<string, string>();
  if (value === undefined || value.trim() === '') return { type: 'text/plain', params };
  const pieces = value.split(';');
  const type = pieces[0].trim().toLowerCase() || 'text/plain';
  for (const piece of pieces.slice(1)) {
    const eq = piece.indexOf('=');
    if (eq < 0) continue;
    const key = piece.slice(0, eq).trim().toLowerCase();
    const raw = piece.slice(eq + 1).trim();
    // A quoted value runs to its closing quote (or to the end, when that is missing).
    const close = raw.indexOf('"', 1);
    params.set(key, raw.startsWith('"') ? raw.slice(1, close > 0 ? close : undefined) : raw);
  }
  return { type, params };
}

function collectText(part: MimePart, depth: number, out: string[], tokens: string[]): void {
  const contentType = parseContentType(part.headers.get('content-type'));
  const type = contentType.type;
  tokens.push(`ctype:${asciiToken(type)}`);
  const boundary = contentType.params.get('boundary');
  if (type.startsWith('multipart/') && boundary !== undefined && depth < MAX_MIME_DEPTH) {
    for (const child of splitMultipart(part.body, boundary)) {
      collectText(splitPart(child), depth + 1, out, tokens);
    }
    return;
  }
  if (type === 'message/rfc822' && depth < MAX_MIME_DEPTH) {
    collectText(splitPart(part.body), depth + 1, out, tokens);
    return;
  }
  if (!type.startsWith('text/') && !type.startsWith('multipart/')) {
    tokens.push('has:attachment');
    return;
  }
  const encoding = (part.headers.get('content-transfer-encoding') ?? '').trim().toLowerCase();
  const charset = (contentType.params.get('charset') ?? '').toLowerCase();
  let body = decodeTransfer(part.body, encoding, charset);
  if (type === 'text/html' || /<html|<body|<table|<font/i.test(body.slice(0, 5000))) {
    tokens.push('has:html');
    body = stripHtml(body);
  }
  out.push(body);
}

function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of body.split('\n')) {
    if (line.startsWith(delimiter)) {
      if (current !== null) parts.push(current.join('\n'));
      // The closing delimiter ends the parts; an epilogue after it is not a part.
      current = line.startsWith(`${delimiter}--`) ? null : [];
      continue;
    }
    if (current !== null) current.push(line);
  }
  if (current !== null) parts.push(current.join('\n'));
  return parts;
}

function decodeTransfer(body: string, encoding: string, charset: string): string {
  if (encoding === 'quoted-printable') return bytesToText(quotedPrintableBytes(body), charset);
  if (encoding === 'base64') {
    return bytesToText(Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'), charset);
  }
  return body;
}

/** Decodes quoted-printable (RFC 2045): soft line breaks and =XX escapes. */
export function quotedPrintableBytes(body: string): Buffer {
  const text = body.replace(/=[ \t]*\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d && isHex(text[i + 1]) && isHex(text[i + 2])) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      // Characters the corpus already holds as text (not bytes): keep them as UTF-8.
      for (const b of Buffer.from(text[i], 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes);
}

function isHex(ch: string | undefined): boolean {
  return ch !== undefined && /^[0-9A-Fa-f]$/.test(ch);
}

function bytesToText(bytes: Buffer, charset: string): string {
  if (charset === 'utf-8' || charset === 'utf8') return bytes.toString('utf8');
  // Read byte by byte: the ASCII text, which is all the tokenizer keeps, comes through as is.
  return bytes.toString('latin1');
}

const HTML_ENTITIES: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  copy: '(c)',
  reg: '(r)',
};

/** Removes scripts, styles, comments and tags, and decodes the common entities. */
export function stripHtml(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
      const lower = name.toLowerCase();
      if (lower.startsWith('#x')) return codePointText(parseInt(lower.slice(2), 16));
      if (lower.startsWith('#')) return codePointText(parseInt(lower.slice(1), 10));
      return HTML_ENTITIES[lower] ?? whole;
    });
}

function codePointText(cp: number): string {
  return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : ' ';
}

/**
 * Decodes RFC 2047 encoded words (`=?charset?Q|B?...?=`) in a header value and puts it on one
 * line. Charsets the runtime's TextDecoder does not know are left encoded.
 */
export function decodeEncodedWords(value: string): string {
  // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
  const joined = value.replace(/(\?=)\s+(=\?)/g, '$1$2');
  const decoded = joined.replace(
    /=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=/g,
    (whole, charset: string, kind: string, data: string) => {
      const bytes =
        kind.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64')
          : quotedPrintableBytes(data.replace(/_/g, ' '));
      const label = charset.toLowerCase().replace(/\*.*$/, '');
      try {
        return new TextDecoder(label).decode(bytes);
      } catch {
        return whole;
      }
    },
  );
  return decoded.replace(/\s+/g, ' ').trim();
}

/** The domain of the first e-mail address in a From header, lowercased ("" if none). */
export function addressDomain(from: string): string {
  const match = /[A-Za-z0-9._%+&'=-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/.exec(from);
  return match === null ? '' : match[1].toLowerCase();
}

/** Second-level labels under which registrations happen, as in "co.uk" or "com.au". */
const SECOND_LEVEL_SUFFIXES = new Set(['co', 'com', 'net', 'org', 'ac', 'gov', 'edu', 'ne', 'or']);

/**
 * The registrable part of a host name: its last two labels, or three when the second-to-last
 * is a generic second level under a country code ("mail.yahoo.co.uk" → "yahoo.co.uk").
 * An empty input gives "unknown".
 */
export function registrableDomain(host: string): string {
  const labels = host
    .toLowerCase()
    .split('.')
    .filter((label) => label !== '');
  if (labels.length === 0) return 'unknown';
  const last = labels[labels.length - 1];
  const second = labels[labels.length - 2];
  const take =
    labels.length >= 3 &&
    last.length === 2 &&
    second !== undefined &&
    SECOND_LEVEL_SUFFIXES.has(second)
      ? 3
      : 2;
  return labels.slice(-take).join('.');
}

/**
 * Lowercases ASCII letters and splits into tokens of ASCII letters, digits and `$`, two to
 * thirty characters long; everything else separates tokens. Runs longer than thirty characters
 * (base64 blobs, long URLs) are dropped.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let start = -1;
  const flush = (end: number): void => {
    const length = end - start;
    if (start >= 0 && length >= 2 && length <= 30) tokens.push(asciiLower(text.slice(start, end)));
    start = -1;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const isWordChar =
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      c === 0x24;
    if (isWordChar) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      flush(i);
    }
  }
  flush(text.length);
  return tokens;
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 32));
}

function asciiToken(s: string): string {
  return asciiLower(s).replace(/[^a-z0-9/._+-]/g, '');
}

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A sparse feature vector. Invariants: `indices` strictly increasing, same length as `values`,
 * every index in [0, 2^bits).
 */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/**
 * Binary hashed bag of words: each distinct token sets bucket `fnv1a32(token) mod 2^bits` to 1
 * (tokens colliding in a bucket share it). The vector is not scaled by the message's length, so
 * a long message moves a model trained by SGD further per step than a short one.
 */
export function hashFeatures(tokens: Iterable<string>, bits: number): SparseVector {
  if (!(Number.isInteger(bits) && bits >= 1 && bits <= 30)) {
    throw new RangeError(`hash bits must be an integer in [1, 30], got ${bits}`);
  }
  const mask = (1 << bits) - 1;
  const buckets = new Set<number>();
  for (const token of tokens) buckets.add(fnv1a32(token) & mask);
  const indices = Int32Array.from([...buckets].sort((a, b) => a - b));
  return { indices, values: new Float64Array(indices.length).fill(1) };
}

/**
 * The tokens a message is classified on: subject words (also marked `subject:` so a word in the
 * subject counts apart from the same word in the body), body words, the sender's domain and the
 * structural header tokens.
 */
export function messageTokens(message: ParsedMessage): string[] {
  const subjectWords = tokenize(message.subject);
  return [
    ...subjectWords,
    ...subjectWords.map((word) => `subject:${word}`),
    ...tokenize(message.body),
    `from:${message.senderDomain}`,
    ...message.headerTokens,
  ];
}
