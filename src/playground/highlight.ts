// Syntax colours from the language server's semantic tokens (the same tokens VS Code colours), as
// CodeMirror mark decorations. Input: the server's `data` (LSP's relative encoding: delta line,
// delta start, length, type, modifiers) and its legend. Output: a decoration set for the editor.
import { StateEffect, StateField, type Text } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';

/** New decorations for the document they were computed for. */
export const setTokens = StateEffect.define<DecorationSet>();

export const semanticHighlight = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(tokens, tr) {
    for (const e of tr.effects) if (e.is(setTokens)) return e.value;
    // Until the server's new tokens arrive, the old ones move with the edit.
    return tokens.map(tr.changes);
  },
  provide: (field) => EditorView.decorations.from(field),
});

const marks = new Map<string, Decoration>();
function mark(type: string, modifiers: string[]): Decoration {
  const cls = [`fz-tok-${type}`, ...modifiers.map((m) => `fz-tok-${m}`)].join(' ');
  let d = marks.get(cls);
  if (!d) marks.set(cls, (d = Decoration.mark({ class: cls })));
  return d;
}

export function decodeTokens(doc: Text, data: number[], types: readonly string[], modifierNames: readonly string[]): DecorationSet {
  const ranges = [];
  let line = 0;
  let start = 0;
  for (let i = 0; i + 4 < data.length; i += 5) {
    const dLine = data[i]!;
    line += dLine;
    start = dLine === 0 ? start + data[i + 1]! : data[i + 1]!;
    if (line >= doc.lines) break;
    const l = doc.line(line + 1);
    const from = l.from + Math.min(start, l.length);
    const to = l.from + Math.min(start + data[i + 2]!, l.length);
    const type = types[data[i + 3]!];
    if (!type || to <= from) continue;
    const bits = data[i + 4]!;
    ranges.push(mark(type, modifierNames.filter((_, b) => bits & (1 << b))).range(from, to));
  }
  return Decoration.set(ranges, true);
}
