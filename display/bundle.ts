/**
 * A display bundle: what one result looks like to a front end, keyed by MIME type
 * (`text/plain` always; `text/html`, `text/markdown`, `application/vnd.plotly.v1+json`
 * where they help). The kernel sends `data` and `metadata` as they are.
 */
export interface DisplayBundle {
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
