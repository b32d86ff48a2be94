/**
 * Cursor positions: the protocol (5.2 and later) counts Unicode code points, JavaScript strings
 * count UTF-16 code units. These convert between the two; positions past the end clamp to it.
 */

/** The string index of the `codePoints`-th code point of `text`. */
export function codePointsToIndex(text: string, codePoints: number): number {
  let index = 0;
  for (let seen = 0; seen < codePoints && index < text.length; seen++) {
    const unit = text.charCodeAt(index);
    const isPairStart =
      unit >= 0xd800 &&
      unit <= 0xdbff &&
      index + 1 < text.length &&
      isLowSurrogate(text, index + 1);
    index += isPairStart ? 2 : 1;
  }
  return index;
}

/** How many code points lie before string index `index` of `text`. */
export function indexToCodePoints(text: string, index: number): number {
  const end = Math.max(0, Math.min(index, text.length));
  let codePoints = 0;
  for (let at = 0; at < end; codePoints++) {
    const unit = text.charCodeAt(at);
    const isPairStart =
      unit >= 0xd800 && unit <= 0xdbff && at + 1 < text.length && isLowSurrogate(text, at + 1);
    at += isPairStart ? 2 : 1;
  }
  return codePoints;
}

function isLowSurrogate(text: string, index: number): boolean {
  const unit = text.charCodeAt(index);
  return unit >= 0xdc00 && unit <= 0xdfff;
}
