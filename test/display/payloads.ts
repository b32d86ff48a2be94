/** Strings a user might put in a column name, label, title or file name, for escaping tests. */
import assert from 'node:assert/strict';
import { escapeHtml } from '../../display/html.js';

/** Strings a user controls, each trying to break out of where it is put. */
export const PAYLOADS = [
  '<script>alert(1)</script>',
  `&"'<>`,
  '</script><img src=x onerror=alert(1)>',
  '" onmouseover="alert(1)',
  '| pipe * star _under_ `tick` [link](x) # hash',
] as const;

/** No payload occurs unescaped; only escaped forms of < and > appear around it. */
export function assertEscaped(html: string, payload: string): void {
  assert.ok(!html.includes(payload) || !/[<>&"']/u.test(payload), `raw payload found: ${payload}`);
  assert.ok(html.includes(escapeHtml(payload)), `escaped payload missing: ${escapeHtml(payload)}`);
}
