/**
 * Jupyter messaging protocol 5.3: the message types as literal unions, the content of each,
 * and the typed table from a request type to its reply type, so that a reply can only ever be
 * built with the type and content its request calls for. Nothing here touches ZeroMQ.
 */

export const PROTOCOL_VERSION = '5.3';

/** The header of every message. `msg_id` is unique per message; `session` per client/kernel. */
export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  /** ISO 8601 with a time zone. */
  date: string;
  msg_type: string;
  version: string;
}

/** Requests the kernel answers, on shell or control. */
export const REQUEST_TYPES = [
  'execute_request',
  'complete_request',
  'inspect_request',
  'is_complete_request',
  'kernel_info_request',
  'comm_info_request',
  'history_request',
  'shutdown_request',
  'interrupt_request',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

/** Comm messages arrive on shell too but are not requests: they get no reply. */
export const COMM_TYPES = ['comm_open', 'comm_msg', 'comm_close'] as const;
export type CommType = (typeof COMM_TYPES)[number];

/** The reply type of each request type: the only place a reply's `msg_type` comes from. */
export const REPLY_TYPE = {
  execute_request: 'execute_reply',
  complete_request: 'complete_reply',
  inspect_request: 'inspect_reply',
  is_complete_request: 'is_complete_reply',
  kernel_info_request: 'kernel_info_reply',
  comm_info_request: 'comm_info_reply',
  history_request: 'history_reply',
  shutdown_request: 'shutdown_reply',
  interrupt_request: 'interrupt_reply',
} as const satisfies Record<RequestType, `${string}_reply`>;
export type ReplyType = (typeof REPLY_TYPE)[RequestType];

export type IOPubType =
  | 'status'
  | 'execute_input'
  | 'execute_result'
  | 'display_data'
  | 'update_display_data'
  | 'stream'
  | 'error'
  | 'comm_close';

export type OutgoingType = ReplyType | IOPubType;

export function isRequestType(type: string): type is RequestType {
  return (REQUEST_TYPES as readonly string[]).includes(type);
}

export function isCommType(type: string): type is CommType {
  return (COMM_TYPES as readonly string[]).includes(type);
}

// ---------------------------------------------------------------------------------------
// Request contents (after defaults are applied to what the client sent)

export interface ExecuteRequestContent {
  code: string;
  silent: boolean;
  store_history: boolean;
  user_expressions: Record<string, string>;
  allow_stdin: boolean;
  stop_on_error: boolean;
}

export interface CodeCursorContent {
  code: string;
  /** In Unicode code points. */
  cursor_pos: number;
}

export interface InspectRequestContent extends CodeCursorContent {
  detail_level: 0 | 1;
}

export interface IsCompleteRequestContent {
  code: string;
}

export type HistoryRequestContent =
  | { hist_access_type: 'tail'; output: boolean; raw: boolean; n: number }
  | {
      hist_access_type: 'range';
      output: boolean;
      raw: boolean;
      session: number;
      start: number;
      stop: number | null;
    }
  | {
      hist_access_type: 'search';
      output: boolean;
      raw: boolean;
      pattern: string;
      n: number | null;
      unique: boolean;
    };

export interface ShutdownRequestContent {
  restart: boolean;
}

export interface CommInfoRequestContent {
  target_name: string | null;
}

export type EmptyContent = Record<string, never>;

export interface RequestContentMap {
  execute_request: ExecuteRequestContent;
  complete_request: CodeCursorContent;
  inspect_request: InspectRequestContent;
  is_complete_request: IsCompleteRequestContent;
  kernel_info_request: EmptyContent;
  comm_info_request: CommInfoRequestContent;
  history_request: HistoryRequestContent;
  shutdown_request: ShutdownRequestContent;
  interrupt_request: EmptyContent;
}

// ---------------------------------------------------------------------------------------
// Reply contents

/** Any request may be answered with an error instead of its own reply content. */
export interface ErrorReplyContent {
  status: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}

export type ExecuteReplyContent =
  | {
      status: 'ok';
      execution_count: number;
      user_expressions: Record<string, unknown>;
      payload: unknown[];
    }
  | (ErrorReplyContent & { execution_count: number })
  | { status: 'aborted'; execution_count: number };

export interface CompleteReplyContent {
  status: 'ok';
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  metadata: Record<string, unknown>;
}

export interface InspectReplyContent {
  status: 'ok';
  found: boolean;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface IsCompleteReplyContent {
  status: 'complete' | 'incomplete' | 'invalid' | 'unknown';
  indent?: string;
}

export interface HelpLink {
  text: string;
  url: string;
}

export interface LanguageInfo {
  name: string;
  version: string;
  mimetype: string;
  file_extension: string;
  pygments_lexer: string;
  codemirror_mode: string | Record<string, unknown>;
  nbconvert_exporter?: string;
}

export interface KernelInfoReplyContent {
  status: 'ok';
  protocol_version: string;
  implementation: string;
  implementation_version: string;
  language_info: LanguageInfo;
  banner: string;
  help_links: HelpLink[];
  debugger: boolean;
}

export interface CommInfoReplyContent {
  status: 'ok';
  comms: Record<string, { target_name: string }>;
}

/** `[session, line, input]`, or `[session, line, [input, output]]` when output was asked. */
export type HistoryTuple = [number, number, string] | [number, number, [string, string | null]];

export interface HistoryReplyContent {
  status: 'ok';
  history: HistoryTuple[];
}

export interface ShutdownReplyContent {
  status: 'ok';
  restart: boolean;
}

export interface InterruptReplyContent {
  status: 'ok';
}

export interface ReplyContentMap {
  execute_request: ExecuteReplyContent;
  complete_request: CompleteReplyContent;
  inspect_request: InspectReplyContent;
  is_complete_request: IsCompleteReplyContent;
  kernel_info_request: KernelInfoReplyContent;
  comm_info_request: CommInfoReplyContent;
  history_request: HistoryReplyContent;
  shutdown_request: ShutdownReplyContent;
  interrupt_request: InterruptReplyContent;
}

// ---------------------------------------------------------------------------------------
// IOPub contents

export interface IOPubContentMap {
  status: { execution_state: 'busy' | 'idle' | 'starting' };
  execute_input: { code: string; execution_count: number };
  execute_result: {
    execution_count: number;
    data: Record<string, unknown>;
    metadata: Record<string, unknown>;
  };
  display_data: {
    data: Record<string, unknown>;
    metadata: Record<string, unknown>;
    transient: { display_id?: string };
  };
  update_display_data: {
    data: Record<string, unknown>;
    metadata: Record<string, unknown>;
    transient: { display_id: string };
  };
  stream: { name: 'stdout' | 'stderr'; text: string };
  error: { ename: string; evalue: string; traceback: string[] };
  comm_close: { comm_id: string; data: Record<string, unknown> };
}

// ---------------------------------------------------------------------------------------
// Reading request contents: the client's JSON is untrusted, so each field is narrowed and
// given the protocol's default when absent.

export class BadRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadRequest';
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function stringField(content: Record<string, unknown>, key: string): string {
  const value = content[key];
  if (typeof value !== 'string') throw new BadRequestError(`'${key}' must be a string`);
  return value;
}

function boolField(content: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = content[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new BadRequestError(`'${key}' must be a boolean`);
  return value;
}

function intField(content: Record<string, unknown>, key: string, fallback: number): number;
function intField(content: Record<string, unknown>, key: string, fallback: null): number | null;
function intField(
  content: Record<string, unknown>,
  key: string,
  fallback: number | null,
): number | null {
  const value = content[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new BadRequestError(`'${key}' must be an integer`);
  }
  return value;
}

function readExecute(raw: Record<string, unknown>): ExecuteRequestContent {
  const silent = boolField(raw, 'silent', false);
  const expressions = asRecord(raw.user_expressions);
  const userExpressions: Record<string, string> = {};
  for (const [name, expr] of Object.entries(expressions)) {
    if (typeof expr === 'string') userExpressions[name] = expr;
  }
  return {
    code: stringField(raw, 'code'),
    silent,
    // The protocol: silent forces store_history off.
    store_history: silent ? false : boolField(raw, 'store_history', true),
    user_expressions: userExpressions,
    allow_stdin: boolField(raw, 'allow_stdin', true),
    stop_on_error: boolField(raw, 'stop_on_error', true),
  };
}

function readCodeCursor(raw: Record<string, unknown>): CodeCursorContent {
  const code = stringField(raw, 'code');
  const cursor = intField(raw, 'cursor_pos', null);
  // A missing cursor means "at the end" (jupyter_client sends len(code) by default).
  const end = [...code].length;
  return { code, cursor_pos: cursor === null ? end : Math.max(0, Math.min(cursor, end)) };
}

function readHistory(raw: Record<string, unknown>): HistoryRequestContent {
  const output = boolField(raw, 'output', false);
  const rawInput = boolField(raw, 'raw', true);
  const access = raw.hist_access_type;
  switch (access) {
    case 'tail':
      return { hist_access_type: 'tail', output, raw: rawInput, n: intField(raw, 'n', 10) };
    case 'range':
      return {
        hist_access_type: 'range',
        output,
        raw: rawInput,
        session: intField(raw, 'session', 0),
        start: intField(raw, 'start', 0),
        stop: intField(raw, 'stop', null),
      };
    case 'search':
      return {
        hist_access_type: 'search',
        output,
        raw: rawInput,
        pattern: typeof raw.pattern === 'string' ? raw.pattern : '*',
        n: intField(raw, 'n', null),
        unique: boolField(raw, 'unique', false),
      };
    default:
      throw new BadRequestError(`unknown hist_access_type ${JSON.stringify(access)}`);
  }
}

type ContentReaders = {
  [T in RequestType]: (raw: Record<string, unknown>) => RequestContentMap[T];
};

const CONTENT_READERS: ContentReaders = {
  execute_request: readExecute,
  complete_request: readCodeCursor,
  inspect_request: (raw) => ({
    ...readCodeCursor(raw),
    detail_level: intField(raw, 'detail_level', 0) >= 1 ? 1 : 0,
  }),
  is_complete_request: (raw) => ({ code: stringField(raw, 'code') }),
  kernel_info_request: () => ({}),
  comm_info_request: (raw) => ({
    target_name: typeof raw.target_name === 'string' ? raw.target_name : null,
  }),
  history_request: readHistory,
  shutdown_request: (raw) => ({ restart: boolField(raw, 'restart', false) }),
  interrupt_request: () => ({}),
};

/** Narrows a request's JSON content; throws BadRequestError when a field has the wrong type. */
export function readRequestContent<T extends RequestType>(
  type: T,
  content: unknown,
): RequestContentMap[T] {
  return CONTENT_READERS[type](asRecord(content));
}
