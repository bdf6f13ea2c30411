// The browser's stand-in for src/render/png.ts (resvg is a native Node module): the browser API
// rasterises with a canvas instead (browser/index.ts, renderPng), so this is never reached from it.
export interface PngOptions {
  /** Pixels per SVG unit; default 1. */
  scale?: number;
}

export function renderPng(_svg: string, _options: PngOptions = {}): Uint8Array {
  throw new Error('flowlane/browser: PNG is made with a canvas (renderPng), not with resvg');
}
