/**
 * The output formats of the commands that report root causes. Adding one: a file beside these
 * (a `Renderer`) and a line in this list; `-T` takes it at once (options.ts reads the list).
 */
import { htmlRenderer } from './html.js';
import { jsonRenderer } from './json.js';
import { markdownRenderer } from './markdown.js';
import { textRenderer } from './text.js';
import type { Renderer } from './types.js';

export type { DiagnosisModel, RenderOptions, Renderer } from './types.js';

export const renderers: readonly Renderer[] = [textRenderer, jsonRenderer, markdownRenderer, htmlRenderer];

/** The renderer of a `-T` value (options.ts only admits listed ones). */
export function rendererFor(format: string): Renderer {
  const r = renderers.find((x) => x.format === format);
  if (r === undefined) throw new Error(`no renderer for format ${format}`);
  return r;
}
