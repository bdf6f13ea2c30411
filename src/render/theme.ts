// Colours and the stylesheet of a rendered diagram. Every colour is a CSS variable scoped to the
// diagram's root id, and elements only carry classes, so users can restyle a diagram with CSS.
// Input: theme name, diagram id. Output: the text of the <style> element.
// `resolved` writes plain colours instead of var(): resvg (PNG) understands classes but not custom
// properties or media queries.

export type ThemeName = 'light' | 'dark' | 'auto';

type Palette = Record<string, string>;

/** The dash and the gap of a Catch edge's line (svg.ts aligns each line's dashes at its end). */
export const CATCH_DASH = [6, 4] as const;

export const LIGHT: Palette = {
  bg: '#ffffff',
  text: '#1e293b',
  muted: '#64748b',
  'lane-fill': '#f8fafc',
  'lane-fill-alt': '#f1f5f9',
  'lane-stroke': '#cbd5e1',
  'header-fill': '#e2e8f0',
  'header-text': '#0f172a',
  'node-fill': '#ffffff',
  'node-stroke': '#475569',
  'decision-fill': '#fffbeb',
  'decision-stroke': '#b45309',
  'start-fill': '#ecfdf5',
  'start-stroke': '#059669',
  'end-fill': '#f1f5f9',
  'end-stroke': '#334155',
  'succeed-fill': '#dcfce7',
  'succeed-stroke': '#15803d',
  'fail-fill': '#fee2e2',
  'fail-stroke': '#b91c1c',
  'container-fill': '#eef2ff',
  'container-stroke': '#6366f1',
  'container-header': '#e0e7ff',
  edge: '#475569',
  catch: '#dc2626',
  default: '#7c3aed',
  'label-fill': '#ffffff',
  'label-stroke': '#e2e8f0',
  loop: '#d97706',
  'loop-fill': '#fff7ed',
  badge: '#0369a1',
  'badge-text': '#ffffff',
};

export const DARK: Palette = {
  bg: '#0f172a',
  text: '#e2e8f0',
  muted: '#94a3b8',
  'lane-fill': '#111c31',
  'lane-fill-alt': '#15213a',
  'lane-stroke': '#334155',
  'header-fill': '#1e293b',
  'header-text': '#f1f5f9',
  'node-fill': '#1e293b',
  'node-stroke': '#94a3b8',
  'decision-fill': '#2a2112',
  'decision-stroke': '#f59e0b',
  'start-fill': '#06281f',
  'start-stroke': '#34d399',
  'end-fill': '#1e293b',
  'end-stroke': '#cbd5e1',
  'succeed-fill': '#052e16',
  'succeed-stroke': '#4ade80',
  'fail-fill': '#3b0d0d',
  'fail-stroke': '#f87171',
  'container-fill': '#1b1f3b',
  'container-stroke': '#818cf8',
  'container-header': '#272c56',
  edge: '#94a3b8',
  catch: '#f87171',
  default: '#a78bfa',
  'label-fill': '#0f172a',
  'label-stroke': '#334155',
  loop: '#fbbf24',
  'loop-fill': '#1f1a10',
  badge: '#38bdf8',
  'badge-text': '#0f172a',
};

function vars(p: Palette): string {
  return Object.entries(p)
    .map(([k, v]) => `--fz-${k}:${v};`)
    .join('');
}

/** Stylesheets made before, by all their inputs but the font faces (which come first, as given). */
const sheets = new Map<string, string>();

/** The stylesheet. `root` is a CSS id selector for the diagram (`#fz`). */
export function stylesheet(root: string, theme: ThemeName, fontFamily: string, fontFaces: string, resolved: boolean): string {
  const key = `${root}|${theme}|${fontFamily}|${resolved}`;
  let rules = sheets.get(key);
  if (rules === undefined) {
    // Bounded: ids differ per diagram, and a long-lived process renders many.
    if (sheets.size >= 256) sheets.clear();
    rules = rulesFor(root, theme, fontFamily, resolved);
    sheets.set(key, rules);
  }
  return fontFaces ? `${fontFaces}\n${rules}` : rules;
}

function rulesFor(root: string, theme: ThemeName, fontFamily: string, resolved: boolean): string {
  const palette = theme === 'dark' ? DARK : LIGHT;
  const c = (name: string): string => (resolved ? palette[name]! : `var(--fz-${name})`);
  const r = root;
  const rules: string[] = [];
  if (!resolved) {
    rules.push(`${r}{${vars(LIGHT)}}`);
    rules.push(`${r}.fz-theme-dark{${vars(DARK)}}`);
    rules.push(`@media (prefers-color-scheme: dark){${r}.fz-theme-auto{${vars(DARK)}}}`);
  }
  const font = `font-family:${fontFamily},sans-serif;font-kerning:none;font-variant-ligatures:none`;
  rules.push(
    `${r} text{${font};fill:${c('text')}}`,
    `${r} .fz-background{fill:${c('bg')}}`,
    `${r} .fz-lane-body{fill:${c('lane-fill')};stroke:${c('lane-stroke')};stroke-width:1}`,
    `${r} .fz-lane-alt .fz-lane-body{fill:${c('lane-fill-alt')}}`,
    `${r} .fz-lane-header{fill:${c('header-fill')};stroke:${c('lane-stroke')};stroke-width:1}`,
    `${r} .fz-lane-label{fill:${c('header-text')};font-weight:600}`,
    `${r} .fz-shape{fill:${c('node-fill')};stroke:${c('node-stroke')};stroke-width:1.5}`,
    `${r} .fz-shape-diamond{fill:${c('decision-fill')};stroke:${c('decision-stroke')}}`,
    `${r} .fz-shape-start{fill:${c('start-fill')};stroke:${c('start-stroke')};stroke-width:2}`,
    `${r} .fz-shape-end{fill:${c('end-fill')};stroke:${c('end-stroke')};stroke-width:3}`,
    `${r} .fz-shape-succeed{fill:${c('succeed-fill')};stroke:${c('succeed-stroke')};stroke-width:2}`,
    `${r} .fz-ring{fill:none;stroke:${c('succeed-stroke')};stroke-width:1.5}`,
    `${r} .fz-shape-fail{fill:${c('fail-fill')};stroke:${c('fail-stroke')};stroke-width:3.5}`,
    `${r} .fz-shape-container{fill:${c('container-fill')};stroke:${c('container-stroke')};stroke-width:1.5}`,
    `${r} .fz-container-header{fill:${c('container-header')};stroke:none}`,
    `${r} .fz-nested .fz-lane-body{fill:${c('bg')};stroke:${c('container-stroke')};stroke-opacity:.5}`,
    `${r} .fz-nested .fz-lane-header{fill:${c('container-header')};stroke:${c('container-stroke')};stroke-opacity:.5}`,
    `${r} .fz-label-title{font-weight:600}`,
    `${r} .fz-label-meta{fill:${c('muted')}}`,
    `${r} .fz-row-rule{stroke:${c('lane-stroke')};stroke-width:1}`,
    `${r} .fz-edge-path{fill:none;stroke:${c('edge')};stroke-width:1.5}`,
    `${r} .fz-edge-catch .fz-edge-path{stroke:${c('catch')};stroke-dasharray:${CATCH_DASH.join(' ')}}`,
    `${r} .fz-edge-default .fz-edge-path{stroke:${c('default')}}`,
    `${r} .fz-arrow{fill:${c('edge')}}`,
    `${r} .fz-arrow-catch{fill:${c('catch')}}`,
    `${r} .fz-arrow-default{fill:${c('default')}}`,
    `${r} .fz-default-mark{stroke:${c('default')};stroke-width:1.5}`,
    `${r} .fz-edge-label rect{fill:${c('label-fill')};stroke:${c('label-stroke')};stroke-width:1}`,
    `${r} .fz-edge-label text{fill:${c('text')}}`,
    `${r} .fz-edge-catch .fz-edge-label text{fill:${c('catch')}}`,
    `${r} .fz-edge-default .fz-edge-label text{fill:${c('default')}}`,
    `${r} .fz-loop-frame{fill:none;stroke:${c('loop')};stroke-width:1.5;stroke-dasharray:8 4}`,
    `${r} .fz-loop-tab{fill:${c('loop-fill')};stroke:${c('loop')};stroke-width:1.5}`,
    `${r} .fz-loop-label{fill:${c('loop')};font-weight:600}`,
    `${r} .fz-retry-badge rect{fill:${c('badge')}}`,
    `${r} .fz-retry-badge text{fill:${c('badge-text')};font-weight:600}`,
    `${r} .fz-retry-badge path{fill:none;stroke:${c('badge-text')};stroke-width:1.4}`,
  );
  return rules.join('\n');
}

/**
 * The rules for nodes marked invalid (`render --allow-invalid`), added to the stylesheet only for a
 * drawing that has such nodes.
 */
export function invalidRules(root: string, theme: ThemeName, resolved: boolean): string {
  const palette = theme === 'dark' ? DARK : LIGHT;
  const c = (name: string): string => (resolved ? palette[name]! : `var(--fz-${name})`);
  return [
    `${root} .fz-invalid>.fz-shape{stroke:${c('fail-stroke')};stroke-width:3;stroke-dasharray:6 3}`,
    `${root} .fz-invalid-mark circle{fill:${c('fail-stroke')}}`,
    `${root} .fz-invalid-mark text{fill:${c('bg')};font-weight:700}`,
  ].join('\n');
}

/** The rules for branch markers (small dots), added to the stylesheet only for a drawing that has them. */
export function markerRules(root: string, theme: ThemeName, resolved: boolean): string {
  const palette = theme === 'dark' ? DARK : LIGHT;
  const c = (name: string): string => (resolved ? palette[name]! : `var(--fz-${name})`);
  return [
    `${root} .fz-marker-start{fill:${c('start-stroke')};stroke:none}`,
    `${root} .fz-marker-end{fill:${c('bg')};stroke:${c('end-stroke')};stroke-width:2}`,
    `${root} .fz-marker-core{fill:${c('end-stroke')};stroke:none}`,
  ].join('\n');
}

/**
 * The path overlay's colours (`run --svg`, `render --trace`). Kept out of LIGHT/DARK so that a
 * drawing without a trace keeps its stylesheet byte for byte.
 */
export const TRACE_LIGHT: Palette = {
  path: '#2563eb',
  'path-fill': '#eff6ff',
  'path-text': '#ffffff',
  'failed-mark': '#b91c1c',
  'failed-text': '#ffffff',
};

export const TRACE_DARK: Palette = {
  path: '#60a5fa',
  'path-fill': '#172554',
  'path-text': '#0f172a',
  'failed-mark': '#f87171',
  'failed-text': '#0f172a',
};

/** The rules of the path overlay, added to the stylesheet only for a drawing with a trace. */
export function traceRules(root: string, theme: ThemeName, resolved: boolean): string {
  const palette = theme === 'dark' ? TRACE_DARK : TRACE_LIGHT;
  const base = theme === 'dark' ? DARK : LIGHT;
  const c = (name: string): string => (resolved ? (palette[name] ?? base[name])! : `var(--fz-${name})`);
  const r = root;
  const rules: string[] = [];
  if (!resolved) {
    rules.push(`${r}{${vars(TRACE_LIGHT)}}`, `${r}.fz-theme-dark{${vars(TRACE_DARK)}}`, `@media (prefers-color-scheme: dark){${r}.fz-theme-auto{${vars(TRACE_DARK)}}}`);
  }
  rules.push(
    // Dimmed: what the execution did not go through. Opacity on the group keeps each part's colours.
    `${r} .fz-node.fz-untaken,${r} .fz-edge.fz-untaken{opacity:.28}`,
    `${r} .fz-visited>.fz-shape{stroke:${c('path')};stroke-width:3}`,
    `${r} .fz-visited>.fz-shape-plain,${r} .fz-visited>.fz-shape-state{fill:${c('path-fill')}}`,
    `${r} .fz-failed>.fz-shape{stroke:${c('failed-mark')};stroke-width:4}`,
    `${r} .fz-taken .fz-edge-path{stroke:${c('path')};stroke-width:3}`,
    `${r} .fz-arrow-taken{fill:${c('path')}}`,
    `${r} .fz-taken .fz-edge-label rect{stroke:${c('path')};stroke-width:1.5}`,
    `${r} .fz-visit-badge rect{fill:${c('path')}}`,
    `${r} .fz-visit-badge text{fill:${c('path-text')};font-weight:600}`,
    `${r} .fz-failed-mark rect{fill:${c('failed-mark')}}`,
    `${r} .fz-failed-mark text{fill:${c('failed-text')};font-weight:600}`,
  );
  return rules.join('\n');
}
