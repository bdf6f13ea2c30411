// Go to definition, find references, rename and hover for node ids and lane ids.
// Input: an Analysis and a position. Output: ranges, edits or markdown; empty when nothing is there.
import { comparePositions, type JsonValue, type Position, type Range, type TextEdit } from '../core/index.js';
import { attributeValue, isAslKey } from '../model/query.js';
import type { DiagramNode, Edge } from '../model/types.js';
import { clampPosition, contains, occurrenceAt, occurrencesOf, type Analysis } from './document.js';
import { EDGE_KEY_DOCS, FIELD_DOCS, IDENTIFIER, NODE_KEY_DOCS, RESERVED, SHAPE_DOCS, STATE_TYPE_DOCS } from './vocabulary.js';

/** The declaration of the id under the position. */
export function definition(a: Analysis, pos: Position): Range | undefined {
  const p = clampPosition(a, pos);
  if (!p) return undefined;
  const o = occurrenceAt(a, p);
  if (!o) return undefined;
  if (o.kind === 'node') return a.index.node(o.id)?.idRange;
  return a.index.lane(o.id)?.idRange;
}

/** Every place the id under the position is written. */
export function references(a: Analysis, pos: Position, includeDeclaration: boolean): Range[] {
  const p = clampPosition(a, pos);
  if (!p) return [];
  const o = occurrenceAt(a, p);
  if (!o) return [];
  return occurrencesOf(a, o.kind, o.id)
    .filter((x) => includeDeclaration || !x.declaration)
    .map((x) => x.range);
}

export function prepareRename(a: Analysis, pos: Position): { range: Range; placeholder: string } | undefined {
  const p = clampPosition(a, pos);
  if (!p) return undefined;
  const o = occurrenceAt(a, p);
  if (!o) return undefined;
  // Only ids that are declared can be renamed: renaming a typo would hide the undefined-node error.
  const declared = o.kind === 'node' ? a.index.node(o.id) : a.index.lane(o.id);
  if (!declared) return undefined;
  return { range: o.range, placeholder: o.id };
}

export type RenameResult = { edits: TextEdit[] } | { error: string };

export function rename(a: Analysis, pos: Position, newName: string): RenameResult | undefined {
  const prep = prepareRename(a, pos);
  if (!prep) return undefined;
  const o = occurrenceAt(a, clampPosition(a, pos)!)!;
  if (!IDENTIFIER.test(newName) || RESERVED.has(newName)) return { error: `\`${newName}\` is not a valid id: use letters, digits, \`_\` and inner \`-\`, not a keyword.` };
  if (newName === o.id) return { edits: [] };
  const taken = o.kind === 'node' ? a.index.node(newName) : a.index.lane(newName);
  if (taken) return { error: `A ${o.kind} with id \`${newName}\` already exists.` };
  return { edits: occurrencesOf(a, o.kind, o.id).map((x) => ({ range: x.range, newText: newName })) };
}

export interface Hover {
  markdown: string;
  range: Range;
}

export function hover(a: Analysis, pos: Position): Hover | undefined {
  const p = clampPosition(a, pos);
  if (!p) return undefined;
  const o = occurrenceAt(a, p);
  if (o?.kind === 'node') {
    const node = a.index.node(o.id);
    if (node) return { markdown: nodeHover(a, node), range: o.range };
  }
  if (o?.kind === 'lane') {
    const lane = a.index.lane(o.id);
    if (lane) {
      const lines = [`**lane \`${lane.id}\`**${lane.label ? ` — ${lane.label}` : ''}`, '', `${lane.nodes.length} node(s)`];
      if (lane.parent) lines.push(`nested in \`${lane.parent}\``);
      return { markdown: lines.join('\n'), range: o.range };
    }
  }
  // A key, a shape or a state type under the cursor: its documentation.
  const word = wordAt(a, p);
  if (word) {
    const doc = wordDoc(word.text, word.followedBy, word.precededBy);
    if (doc) return { markdown: doc, range: word.range };
  }
  // Not on an id: an edge statement under the cursor.
  for (const edge of a.diagram.edges) {
    const r = edgeRange(a, edge);
    if (contains(r, p)) return { markdown: edgeHover(edge), range: r };
  }
  return undefined;
}

function wordAt(a: Analysis, p: Position): { text: string; range: Range; followedBy: string; precededBy: string } | undefined {
  const start = a.lines.lineStarts[p.line];
  if (start === undefined) return undefined;
  const end = a.lines.lineStarts[p.line + 1] ?? a.text.length;
  const line = a.text.slice(start, end);
  const re = /[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m.index <= p.character && p.character <= m.index + m[0].length) {
      // Inside a string only a state type is documented (`Type:"Task"`).
      const before = line.slice(0, m.index);
      const quotes = (before.match(/(?<!\\)"/g) ?? []).length;
      const precededBy = quotes % 2 === 1 ? before.replace(/"$/, '').trimEnd().slice(-6) : before.trimEnd().slice(-1);
      return {
        text: m[0],
        range: { start: { line: p.line, character: m.index }, end: { line: p.line, character: m.index + m[0].length } },
        followedBy: quotes % 2 === 1 ? '"' : line.slice(m.index + m[0].length).trimStart().charAt(0),
        precededBy,
      };
    }
  }
  return undefined;
}

function wordDoc(word: string, followedBy: string, precededBy: string): string | undefined {
  if (followedBy === '"') return precededBy.endsWith('Type:') && STATE_TYPE_DOCS[word] ? `**${word}** state — ${STATE_TYPE_DOCS[word]}` : undefined;
  if (followedBy === ':' || followedBy === '=') {
    const doc = FIELD_DOCS[word] ?? NODE_KEY_DOCS[word] ?? EDGE_KEY_DOCS[word];
    return doc ? `**${word}**${isAslKey(word) ? ' (ASL field)' : ''} — ${doc}` : undefined;
  }
  if (precededBy === ':' && SHAPE_DOCS[word]) return `**${word}** — ${SHAPE_DOCS[word]}`;
  return undefined;
}

/** An edge's range; an empty one (not read from text) falls back to its line from the source node on. */
function edgeRange(a: Analysis, edge: Edge): Range {
  if (comparePositions(edge.range.start, edge.range.end) !== 0) return edge.range;
  const start = edge.from.nodeRange.start;
  const lineEnd = a.lines.positionAt((a.lines.lineStarts[start.line + 1] ?? a.text.length + 1) - 1);
  return { start, end: lineEnd.line === start.line ? lineEnd : start };
}

function short(v: JsonValue): string {
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

function nodeHover(a: Analysis, node: DiagramNode): string {
  const type = attributeValue(node.attributes, 'Type');
  const title = `**${node.label ?? node.id}**`;
  const lines = [title, '', `\`${node.id}\` · shape \`${node.shape}\` · lane \`${node.lane}\``];
  if (typeof type === 'string') {
    lines.push('', `ASL state **${type}**${STATE_TYPE_DOCS[type] ? ` — ${STATE_TYPE_DOCS[type]}` : ''}`);
  } else if (node.shape === 'circle' && a.index.in(node.id).length === 0) {
    lines.push('', 'Start marker (not a state)');
  } else if (node.shape === 'circle' && a.index.out(node.id).length === 0) {
    lines.push('', 'End marker (not a state)');
  } else if (SHAPE_DOCS[node.shape]) {
    lines.push('', SHAPE_DOCS[node.shape]!);
  }
  const fields = node.attributes.filter((x) => isAslKey(x.key) && x.key !== 'Type');
  if (fields.length > 0) {
    lines.push('');
    for (const f of fields.slice(0, 12)) lines.push(`- \`${f.key}\`: \`${short(f.value)}\``);
    if (fields.length > 12) lines.push(`- … ${fields.length - 12} more`);
  }
  for (const key of ['owner', 'description', 'system']) {
    const v = attributeValue(node.attributes, key);
    if (typeof v === 'string') lines.push('', `${key}: ${v}`);
  }
  const outs = a.index.out(node.id).length;
  const ins = a.index.in(node.id).length;
  lines.push('', `${ins} incoming, ${outs} outgoing edge(s)`);
  return lines.join('\n');
}

function edgeHover(edge: Edge): string {
  const lines = [`**edge** \`${edge.from.node}\` → \`${edge.to.node}\``];
  if (edge.label !== undefined) lines.push('', `label: ${edge.label}`);
  const choice = attributeValue(edge.attributes, 'Choice');
  const dflt = attributeValue(edge.attributes, 'Default');
  const katch = attributeValue(edge.attributes, 'Catch');
  if (choice !== undefined) lines.push('', `Choice rule: \`${short(choice)}\``);
  if (dflt === true) lines.push('', 'Default branch of its Choice state');
  if (katch !== undefined) {
    const errors = katch && typeof katch === 'object' && !Array.isArray(katch) ? katch['ErrorEquals'] : undefined;
    lines.push('', `Catch: ${Array.isArray(errors) ? errors.map((e) => `\`${String(e)}\``).join(', ') : `\`${short(katch)}\``}`);
  }
  if (choice === undefined && dflt === undefined && katch === undefined) lines.push('', 'Transition (`Next`)');
  return lines.join('\n');
}
