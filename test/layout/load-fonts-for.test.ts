// loadFontsFor loads the fallback faces when any text the layout may measure needs them: labels,
// ids, and attribute keys and values (a JSON value by its text), and not for a Latin diagram.
// Its own file: the fallbacks, once loaded, stay loaded for the module.
import { expect, test } from 'vitest';
import { parseDiagram } from '../../src/model/index.js';
import { loadFontsFor } from '../../src/layout/measure.js';
import { fallbackFonts } from '../../src/layout/fonts.js';

test('a Latin diagram loads no fallback; a CJK word inside an attribute\'s JSON value does', async () => {
  const latin = parseDiagram('a { # A\n  n1: rectangle label:"Start" Type:"Pass"\n  n2: circle label:"End"\n  n1.handle(right) -> n2.handle(left) [label="go"]\n}\n');
  expect(latin.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  await loadFontsFor(latin.value);
  expect(fallbackFonts()).toHaveLength(0);
  const cjk = parseDiagram('a { # A\n  n1: rectangle label:"Start" Type:"Pass" Result:{"note":"漢字"}\n}\n');
  expect(cjk.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(JSON.stringify(cjk.value.nodes[0]!.attributes.map((a) => a.value))).toContain('漢字');
  await loadFontsFor(cjk.value);
  expect(fallbackFonts().map((f) => f.family)).toContain('Noto Sans SC');
}, 60_000);
