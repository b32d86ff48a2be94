/**
 * Which console errors of the classic Notebook page are the notebook server's own missing
 * optional extensions (excused) and which are not (they fail the browser test).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMissingServerExtension, type FailedResponse } from './page.js';

const origin = 'http://127.0.0.1:8888';
const widgets = `${origin}/nbextensions/widgets/notebook/js/extension.js`;
const notFound: FailedResponse[] = [{ url: `${widgets}?v=20261208`, status: 404 }];
const loadFailed = 'Failed to load resource: the server responded with a status of 404 (Not Found)';
const refused = (url: string): string =>
  `Refused to execute script from '${url}' because its MIME type ('text/html') is not executable, and strict MIME type checking is enabled.`;

test('the two errors of a missing ipywidgets extension that the server answered 404 are excused', () => {
  assert.equal(
    isMissingServerExtension({ text: loadFailed, url: widgets }, origin, notFound),
    true,
  );
  const url = `${widgets}?v=20261208`;
  assert.equal(isMissingServerExtension({ text: refused(url), url }, origin, notFound), true);
});

test('an nbextensions error is not excused unless the server itself answered 404 for it', () => {
  assert.equal(isMissingServerExtension({ text: loadFailed, url: widgets }, origin, []), false);
  const other: FailedResponse[] = [{ url: `${origin}/nbextensions/other.js`, status: 404 }];
  assert.equal(isMissingServerExtension({ text: loadFailed, url: widgets }, origin, other), false);
  const serverError: FailedResponse[] = [{ url: widgets, status: 500 }];
  assert.equal(
    isMissingServerExtension({ text: loadFailed, url: widgets }, origin, serverError),
    false,
  );
});

test("errors of Evalbook's own files and outputs are never excused", () => {
  const plotly = `${origin}/kernelspecs/evalbook/plotly.min.js`;
  const failed: FailedResponse[] = [{ url: plotly, status: 404 }, ...notFound];
  assert.equal(isMissingServerExtension({ text: loadFailed, url: plotly }, origin, failed), false);
  // An uncaught exception in an output's script has no resource URL.
  const thrown = { text: "Cannot read properties of undefined (reading 'newPlot')", url: '' };
  assert.equal(isMissingServerExtension(thrown, origin, failed), false);
  // A script error raised from a file under nbextensions is not a missing file.
  const typeError = { text: 'TypeError: x is not a function', url: widgets };
  assert.equal(isMissingServerExtension(typeError, origin, failed), false);
  // Another origin's nbextensions folder is not this server's.
  const elsewhere = 'http://127.0.0.1:9999/nbextensions/widgets/notebook/js/extension.js';
  assert.equal(
    isMissingServerExtension({ text: loadFailed, url: elsewhere }, origin, [
      { url: elsewhere, status: 404 },
    ]),
    false,
  );
});
