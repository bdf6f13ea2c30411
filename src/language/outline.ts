// Document symbols (lanes containing their nodes, nested lanes under their owner node) and folding
// ranges (lanes, node blocks, multi-line values, runs of comments).
// Input: an Analysis. Output: symbol trees and line ranges.
import { coverRanges, type Range } from '../core/index.js';
import { attributeValue } from '../model/query.js';
import type { DiagramNode, Lane } from '../model/types.js';
import type { Analysis } from './document.js';

export type SymbolKind = 'lane' | 'state' | 'node' | 'marker';

export interface DocumentSymbol {
  name: string;
  detail: string;
  kind: SymbolKind;
  range: Range;
  selectionRange: Range;
  children: DocumentSymbol[];
}

export function documentSymbols(a: Analysis): DocumentSymbol[] {
  const { index } = a;
  const laneSymbol = (lane: Lane, seen: Set<string>): DocumentSymbol => ({
    name: lane.id,
    detail: lane.label ?? '',
    kind: 'lane',
    range: lane.range,
    selectionRange: lane.idRange,
    children: lane.nodes
      .map((id) => index.node(id))
      .filter((n): n is DiagramNode => n !== undefined && n.lane === lane.id)
      .map((n) => nodeSymbol(n, seen)),
  });
  const nodeSymbol = (node: DiagramNode, seen: Set<string>): DocumentSymbol => {
    const type = attributeValue(node.attributes, 'Type');
    const nested = seen.has(node.id) ? [] : index.nestedLanes(node.id);
    seen.add(node.id);
    const children = nested.map((l) => laneSymbol(l, seen));
    return {
      name: `${node.id}${node.label !== undefined ? ` ${node.label}` : ''}`,
      detail: typeof type === 'string' ? `${type} (${node.shape})` : node.shape,
      kind: typeof type === 'string' ? 'state' : node.shape === 'circle' ? 'marker' : 'node',
      // The symbol's range must contain its children's: the node statement plus its block.
      range: node.block ? coverRanges(node.range, node.block.range) : node.range,
      selectionRange: node.idRange,
      children,
    };
  };
  const seen = new Set<string>();
  return index.topLanes().map((l) => laneSymbol(l, seen));
}

export interface FoldingRange {
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'region';
}

export function foldingRanges(a: Analysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  const add = (r: Range, kind?: FoldingRange['kind']): void => {
    // VS Code shows the first line and hides up to endLine; keep the closing brace visible.
    const end = kind === 'comment' ? r.end.line : r.end.line - 1;
    if (end > r.start.line) out.push(kind ? { startLine: r.start.line, endLine: end, kind } : { startLine: r.start.line, endLine: end });
  };
  for (const lane of a.diagram.lanes) add(lane.range);
  for (const node of a.diagram.nodes) {
    if (node.block) {
      // A block's range may be empty when the model was not read from text: span its lanes instead.
      const lanes = node.block.lanes.map((id) => a.index.lane(id)).filter((l): l is Lane => l !== undefined);
      const r = node.block.range;
      if (r.end.line > r.start.line) add(r);
      else if (lanes.length > 0) add({ start: node.range.start, end: { line: lanes[lanes.length - 1]!.range.end.line + 1, character: 0 } });
    }
    for (const attr of node.attributes) if (attr.valueRange.end.line > attr.valueRange.start.line) add(attr.valueRange);
  }
  // Runs of two or more `//` lines.
  const lines = a.text.split(/\r\n|\r|\n/);
  let runStart = -1;
  for (let i = 0; i <= lines.length; i++) {
    const isComment = i < lines.length && /^\s*\/\//.test(lines[i]!);
    if (isComment && runStart < 0) runStart = i;
    if (!isComment && runStart >= 0) {
      if (i - 1 > runStart) out.push({ startLine: runStart, endLine: i - 1, kind: 'comment' });
      runStart = -1;
    }
  }
  out.sort((x, y) => x.startLine - y.startLine || y.endLine - x.endLine);
  return out.filter((f, i) => i === 0 || f.startLine !== out[i - 1]!.startLine || f.endLine !== out[i - 1]!.endLine);
}
