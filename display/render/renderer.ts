/**
 * The one signature of the display's renderers: a result of one kind → its view. Each module
 * of `display/render/` exports one, and `index.ts` keys them by result kind.
 */
import type { ResultView } from '../view.js';

export type Renderer<R> = (result: R) => ResultView;
