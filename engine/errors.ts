/**
 * Errors raised by the engine. They carry where the problem is in the input data (file, row,
 * column) so that the language layer can show it next to the statement's own source span.
 */
export type EngineErrorCode =
  | 'file-not-found'
  | 'file-unreadable'
  | 'file-empty'
  | 'bad-encoding'
  | 'ragged-row'
  | 'bad-quote'
  | 'not-numeric'
  | 'missing-value'
  | 'unknown-column'
  | 'unknown-label'
  | 'length-mismatch'
  | 'score-out-of-range'
  | 'bad-format'
  | 'bad-argument'
  | 'interrupted';

export interface DataLocation {
  readonly file?: string;
  /** 1-based data row (the header is row 0 in delimited files). */
  readonly row?: number;
  readonly column?: string;
}

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly location: DataLocation;

  constructor(code: EngineErrorCode, message: string, location: DataLocation = {}) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.location = location;
  }
}

/** Cooperative cancellation for long loops: engine kernels poll it between chunks. */
export interface CancelToken {
  readonly cancelled: boolean;
}

export function throwIfCancelled(token: CancelToken | undefined): void {
  if (token?.cancelled) throw new EngineError('interrupted', 'interrupted');
}
