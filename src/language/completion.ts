// Completion. The context comes from the text of the current line before the cursor, read lexically,
// so completion works in a file that does not parse; the ids come from the last analysis of the
// document plus a quick scan of the current text for declarations the parser could not reach.
// Input: text, position, an Analysis (possibly of an older version). Output: CompletionItem[].
import type { Position, Range } from '../core/index.js';
import { JSONATA_ONLY, JSONPATH_ONLY } from '../asl/fields.js';
import { attributeValue } from '../model/query.js';
import { contains, type Analysis } from './document.js';
import { statementSnippets } from './snippets.js';
import {
  DIRECTIONS,
  EDGE_KEY_DOCS,
  FIELD_DOCS,
  MARKER_FIELDS,
  NODE_KEY_DOCS,
  QUERY_LANGUAGES,
  RESOURCE_ARNS,
  SHAPE_DOCS,
  SHAPES,
  STATE_FIELDS,
  STATE_TYPE_DOCS,
  STATE_TYPES,
} from './vocabulary.js';

export type CompletionKind = 'shape' | 'key' | 'field' | 'value' | 'node' | 'lane' | 'direction' | 'snippet' | 'keyword';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** The text that replaces `range`; an LSP snippet when `snippet` is true. */
  insertText: string;
  snippet?: boolean;
  range: Range;
  sortText?: string;
  filterText?: string;
  /** Ask the editor to complete again after inserting (a lane prefix, then its nodes). */
  retrigger?: boolean;
}

export interface CompletionOptions {
  /** Offer statement snippets (off for clients that have their own, such as the VS Code extension). */
  snippets?: boolean;
}

interface KnownNode {
  id: string;
  lane?: string;
  shape?: string;
  type?: string;
  label?: string;
}

const ID = '[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*';
const DECL_RE = new RegExp(`^\\s*(${ID})\\s*:\\s*(${ID})`);
const LANE_RE = new RegExp(`^\\s*(${ID})\\s*\\{`);

/** Declarations found by a line scan, for the parts of a half-typed file the model does not have. */
interface Scan {
  text: string;
  nodes: KnownNode[];
  lanes: string[];
}
let lastScan: Scan | undefined;

function scan(text: string): Scan {
  if (lastScan?.text === text) return lastScan;
  const nodes: KnownNode[] = [];
  const lanes: string[] = [];
  const stack: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    const lane = LANE_RE.exec(line);
    if (lane) {
      lanes.push(lane[1]!);
      stack.push(lane[1]!);
      continue;
    }
    const decl = DECL_RE.exec(line);
    if (decl && (SHAPES as readonly string[]).includes(decl[2]!)) {
      const type = /\bType\s*:\s*"([A-Za-z]+)"/.exec(line)?.[1];
      const label = /\blabel\s*[:=]\s*"((?:[^"\\]|\\.)*)"/.exec(line)?.[1];
      const n: KnownNode = { id: decl[1]!, shape: decl[2]! };
      if (stack.length > 0) n.lane = stack[stack.length - 1]!;
      if (type) n.type = type;
      if (label !== undefined) n.label = label;
      nodes.push(n);
      // A node's block opens lanes, not a lane of its own: push a marker that its `}` pops.
      if (/\{\s*(\/\/.*)?$/.test(line)) stack.push(stack[stack.length - 1] ?? '');
      continue;
    }
    const stripped = line.replace(/"(?:[^"\\]|\\.)*"?/g, '""').replace(/\/\/.*$/, '');
    let depth = 0;
    for (const ch of stripped) {
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
    }
    // JSON values open and close on their own lines; only a lone `}` closes a lane.
    if (depth < 0 && /^\s*\}/.test(stripped)) for (let i = 0; i < -depth; i++) stack.pop();
  }
  lastScan = { text, nodes, lanes };
  return lastScan;
}

function knownNodes(text: string, a: Analysis | undefined): Map<string, KnownNode> {
  const out = new Map<string, KnownNode>();
  if (a) {
    for (const n of a.diagram.nodes) {
      if (out.has(n.id)) continue;
      const type = attributeValue(n.attributes, 'Type');
      const k: KnownNode = { id: n.id, lane: n.lane, shape: n.shape };
      if (typeof type === 'string') k.type = type;
      if (n.label !== undefined) k.label = n.label;
      out.set(n.id, k);
    }
  }
  // The scan costs a pass over the text; skip it when the last analysis parsed cleanly (a newer text
  // differs from it by the few lines typed since, whose ids the model will have on the next analysis).
  if (!a || a.diagnostics.some((d) => d.severity === 'error')) {
    for (const n of scan(text).nodes) if (!out.has(n.id)) out.set(n.id, n);
  }
  return out;
}

function knownLanes(text: string, a: Analysis | undefined): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  if (a) for (const l of a.diagram.lanes) if (!out.has(l.id)) out.set(l.id, l.label);
  if (!a || a.diagnostics.some((d) => d.severity === 'error')) for (const l of scan(text).lanes) if (!out.has(l)) out.set(l, undefined);
  return out;
}

/** The text of a line, split at the cursor. */
let lastLines: { text: string; lines: string[] } | undefined;

function lineAt(text: string, pos: Position): { before: string; after: string; lineText: string; lines: string[] } | undefined {
  // Several requests usually come for one text (trigger characters, re-filtering): split it once.
  if (lastLines?.text !== text) lastLines = { text, lines: text.split(/\r\n|\r|\n/) };
  const lines = lastLines.lines;
  if (pos.line < 0 || pos.line >= lines.length || pos.character < 0) return undefined;
  const lineText = lines[pos.line]!;
  const ch = Math.min(pos.character, lineText.length);
  return { before: lineText.slice(0, ch), after: lineText.slice(ch), lineText, lines };
}

/** Where the cursor is lexically: in a comment, in a string (and where it opened), or in code. */
function lexicalState(before: string): { kind: 'code' } | { kind: 'comment' } | { kind: 'string'; start: number } {
  let inString = -1;
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (inString >= 0) {
      if (c === '\\') i++;
      else if (c === '"') inString = -1;
    } else if (c === '"') inString = i;
    else if (c === '/' && before[i + 1] === '/') return { kind: 'comment' };
  }
  return inString >= 0 ? { kind: 'string', start: inString } : { kind: 'code' };
}

function nextIdFactory(nodes: Map<string, KnownNode>): () => string {
  let max = 0;
  for (const id of nodes.keys()) {
    const m = /^n(\d+)$/.exec(id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return () => `n${++max}`;
}

/** The innermost lane holding a position, from the model. */
function laneAtPosition(a: Analysis | undefined, pos: Position): string | undefined {
  if (!a) return undefined;
  let best: { id: string; size: number } | undefined;
  for (const l of a.diagram.lanes) {
    if (!contains(l.range, pos)) continue;
    const size = l.range.end.line - l.range.start.line;
    if (!best || size <= best.size) best = { id: l.id, size };
  }
  return best?.id;
}

function valueItems(key: string, range: Range, quoted: boolean): CompletionItem[] {
  const q = (s: string): string => (quoted ? s : JSON.stringify(s));
  if (key === 'Type') return STATE_TYPES.map((t, i) => ({ label: t, kind: 'value', detail: 'ASL state type', documentation: STATE_TYPE_DOCS[t], insertText: q(t), range, sortText: String(i).padStart(2, '0') }));
  if (key === 'QueryLanguage') return QUERY_LANGUAGES.map((t) => ({ label: t, kind: 'value', detail: 'query language', insertText: q(t), range }));
  if (key === 'Resource') return RESOURCE_ARNS.map(([arn, doc], i) => ({ label: arn, kind: 'value', detail: 'Task resource', documentation: doc, insertText: q(arn), range, sortText: String(i).padStart(2, '0') }));
  if (!quoted && (key === 'End' || key === 'Default')) return [{ label: 'true', kind: 'value', insertText: 'true', range }];
  return [];
}

function keyInsert(key: string): string {
  switch (key) {
    case 'Type':
      return `Type:"\${1|${STATE_TYPES.join(',')}|}"`;
    case 'QueryLanguage':
      return `QueryLanguage:"\${1|${QUERY_LANGUAGES.join(',')}|}"`;
    case 'Retry':
      return 'Retry:[{"ErrorEquals":["${1:States.ALL}"],"MaxAttempts":${2:2}}]';
    case 'Parameters':
    case 'Arguments':
    case 'ResultSelector':
    case 'ItemSelector':
    case 'Assign':
    case 'Credentials':
    case 'ItemReader':
    case 'ItemBatcher':
    case 'ResultWriter':
    case 'ProcessorConfig':
      return `${key}:{$1}`;
    case 'TimeoutSeconds':
    case 'HeartbeatSeconds':
    case 'Seconds':
    case 'MaxConcurrency':
    case 'ToleratedFailurePercentage':
    case 'ToleratedFailureCount':
      return `${key}:\${1:60}`;
    default:
      return `${key}:"$1"`;
  }
}

/**
 * The query language a node's fields are read in: its own `QueryLanguage`, else the machine's (on
 * the top-level start marker), else JSONPath, the ASL default.
 */
function queryLanguage(line: string, a: Analysis | undefined): string {
  const own = /\bQueryLanguage\s*:\s*"([A-Za-z]+)"/.exec(line)?.[1];
  if (own) return own;
  if (a) {
    for (const n of a.diagram.nodes) {
      if (n.shape !== 'circle' || a.index.laneOf(n.id)?.parent !== undefined) continue;
      const q = attributeValue(n.attributes, 'QueryLanguage');
      if (typeof q === 'string' && attributeValue(n.attributes, 'Type') === undefined) return q;
    }
  }
  return 'JSONPath';
}

/** Keys for a node, given its shape, its `Type`, the keys it already has and its query language. */
function keyItems(shape: string | undefined, type: string | undefined, present: Set<string>, range: Range, sortBase = '1', language = 'JSONPath'): CompletionItem[] {
  const out: CompletionItem[] = [];
  let i = 0;
  // Fields of the other query language would be rejected by Step Functions (asl-wrong-query-language).
  const excluded = new Set<string>(language === 'JSONata' ? JSONPATH_ONLY : JSONATA_ONLY);
  const add = (key: string, kind: 'key' | 'field', doc: string | undefined, detail: string): void => {
    if (present.has(key) || (kind === 'field' && excluded.has(key))) return;
    out.push({ label: key, kind, detail, documentation: doc, insertText: keyInsert(key), snippet: true, range, sortText: `${sortBase}${String(i++).padStart(3, '0')}` });
  };
  for (const k of Object.keys(NODE_KEY_DOCS)) add(k, 'key', NODE_KEY_DOCS[k], 'FlowZap attribute');
  if (type && STATE_FIELDS[type]) {
    for (const f of STATE_FIELDS[type]!) add(f, 'field', FIELD_DOCS[f], `ASL field of ${type}`);
  } else {
    add('Type', 'field', FIELD_DOCS['Type'], 'ASL state type');
    if (shape === 'circle' || shape === undefined) for (const f of MARKER_FIELDS) add(f, 'field', FIELD_DOCS[f], 'ASL field of the scope (start marker)');
  }
  return out;
}

function presentKeys(line: string): Set<string> {
  const s = new Set<string>();
  const stripped = line.replace(/"(?:[^"\\]|\\.)*"?/g, '""');
  for (const m of stripped.matchAll(new RegExp(`(?<![A-Za-z0-9_.-])(${ID})\\s*[:=]`, 'g'))) s.add(m[1]!);
  return s;
}

export interface CompletionResult {
  items: CompletionItem[];
  /** True when the list was cut (see MAX_NODE_ITEMS): the editor must ask again as the user types. */
  isIncomplete: boolean;
}

export function complete(text: string, pos: Position, a: Analysis | undefined, options: CompletionOptions = {}): CompletionResult {
  const state = { truncated: false };
  const items = completeItems(text, pos, a, options, state);
  return { items, isIncomplete: state.truncated };
}

function completeItems(text: string, pos: Position, a: Analysis | undefined, options: CompletionOptions, cut: { truncated: boolean }): CompletionItem[] {
  const at = lineAt(text, pos);
  if (!at) return [];
  const { before, lineText, lines } = at;
  const state = lexicalState(before);
  if (state.kind === 'comment') return [];
  const cursor = { line: pos.line, character: before.length };

  if (state.kind === 'string') {
    // Inside "…": the values of the key the string belongs to.
    const keyMatch = new RegExp(`(${ID})\\s*[:=]\\s*$`).exec(before.slice(0, state.start));
    if (!keyMatch) return [];
    const range = { start: { line: pos.line, character: state.start + 1 }, end: cursor };
    return valueItems(keyMatch[1]!, range, true);
  }

  const word = /[A-Za-z_][A-Za-z0-9_-]*$/.exec(before)?.[0] ?? '';
  const head = before.slice(0, before.length - word.length);
  const range: Range = { start: { line: pos.line, character: head.length }, end: cursor };

  // handle(|
  if (/\bhandle\s*\(\s*$/.test(head)) {
    return DIRECTIONS.map((d) => ({ label: d, kind: 'direction', detail: 'handle side', insertText: d, range }));
  }

  // n1: |   (the first `id:` of a line declares a node; then comes its shape)
  if (/^\s*[A-Za-z_][A-Za-z0-9_-]*\s*:\s*$/.test(head)) {
    return SHAPES.map((s) => ({ label: s, kind: 'shape', detail: 'shape', documentation: SHAPE_DOCS[s], insertText: s, range }));
  }

  const nodes = knownNodes(text, a);
  const lanes = knownLanes(text, a);

  // lane.|  or  node.|
  const dotted = new RegExp(`(${ID})\\.$`).exec(head);
  if (dotted) {
    const name = dotted[1]!;
    if (nodes.has(name)) return [{ label: 'handle', kind: 'keyword', detail: 'the side an edge leaves or enters by', insertText: `handle(\${1|${DIRECTIONS.join(',')}|})`, snippet: true, range }];
    if (lanes.has(name)) {
      return pickNodes([...nodes.values()].filter((n) => n.lane === name), word, undefined, name, cut)
        .map((n) => ({ label: n.id, kind: 'node', detail: nodeDetail(n), insertText: `${n.id}.handle(\${1|left,right,top,bottom|})`, snippet: true, range, filterText: n.id }));
    }
    return [];
  }

  // a.handle(right) -> |
  const edgeHead = new RegExp(`^\\s*(?:(${ID})\\.)?(${ID})(?:\\s*\\.\\s*handle\\s*\\(\\s*\\w*\\s*\\))?\\s*->\\s*$`).exec(head);
  if (edgeHead || /->\s*$/.test(head)) {
    const source = edgeHead?.[2];
    const sourceLane = (source && nodes.get(source)?.lane) ?? laneAtPosition(a, pos);
    const items: CompletionItem[] = [];
    for (const n of pickNodes(nodes.values(), word, source, sourceLane, cut)) {
      const prefix = n.lane !== undefined && sourceLane !== undefined && n.lane !== sourceLane ? `${n.lane}.` : '';
      items.push({
        label: n.id,
        kind: 'node',
        detail: `${prefix}${n.id} · ${nodeDetail(n)}`,
        documentation: n.label,
        insertText: `${prefix}${n.id}.handle(\${1|left,right,top,bottom|})`,
        snippet: true,
        range,
        filterText: n.id,
        sortText: prefix ? `1${n.id}` : `0${n.id}`,
      });
    }
    for (const [id, label] of lanes) items.push({ label: id, kind: 'lane', detail: label ? `lane · ${label}` : 'lane', insertText: `${id}.`, range, sortText: `2${id}`, retrigger: true });
    return items;
  }

  // Edge attributes: … -> b.handle(left) [ |
  const edgeAttrs = /->[^[]*\[([^\]]*)$/.exec(head);
  if (edgeAttrs) {
    const valueOf = new RegExp(`(${ID})\\s*=\\s*$`).exec(head);
    if (valueOf) {
      const key = valueOf[1]!;
      if (key === 'Default') return [{ label: 'true', kind: 'value', insertText: 'true', range }];
      if (key === 'Choice') return [
        { label: 'JSONPath rule', kind: 'value', insertText: '{"Variable":"${1:\\$.status}","${2|StringEquals,NumericEquals,BooleanEquals,IsPresent|}":${3:0}}', snippet: true, range },
        { label: 'JSONata condition', kind: 'value', insertText: '{"Condition":"{% ${1:\\$states.input.ok} %}"}', snippet: true, range },
      ];
      if (key === 'Catch') return [{ label: 'catch all errors', kind: 'value', insertText: '{"ErrorEquals":["${1:States.ALL}"]}', snippet: true, range }];
      return [];
    }
    const present = presentKeys(edgeAttrs[1]!);
    return Object.entries(EDGE_KEY_DOCS)
      .filter(([k]) => !present.has(k))
      .map(([k, doc]) => ({
        label: k,
        kind: k === 'label' ? 'key' : 'field',
        documentation: doc,
        insertText: k === 'label' ? 'label="$1"' : k === 'Default' ? 'Default=true' : k === 'Catch' ? 'Catch={"ErrorEquals":["${1:States.ALL}"]}' : 'Choice={"Variable":"${1:\\$.status}","${2|StringEquals,NumericEquals,BooleanEquals|}":${3:0}}',
        snippet: true,
        range,
      }));
  }

  // loop [text] n1 |
  if (/^\s*loop\b/.test(head) && (/\]/.test(head) || !/\[/.test(head))) {
    if (!/\]/.test(head)) return [];
    return pickNodes(nodes.values(), word, undefined, laneAtPosition(a, pos), cut).map((n) => ({ label: n.id, kind: 'node', detail: nodeDetail(n), insertText: n.id, range }));
  }

  // Key:|   (a value after an attribute key)
  const valueOf = new RegExp(`(${ID})\\s*:\\s*$`).exec(head);
  if (valueOf) return valueItems(valueOf[1]!, range, false);

  // After `n1: shape …`: attribute keys.
  const decl = DECL_RE.exec(lineText);
  if (decl && head.length >= decl[0].length && /\s$/.test(head)) {
    const node = nodes.get(decl[1]!);
    const type = /\bType\s*:\s*"([A-Za-z]+)"/.exec(lineText)?.[1] ?? node?.type;
    return keyItems(decl[2], type, presentKeys(lineText), range, '1', queryLanguage(lineText, a));
  }

  // The start of a line: statements.
  if (/^\s*$/.test(head)) {
    const items: CompletionItem[] = [];
    const inLane = laneAtPosition(a, pos) !== undefined || lines.slice(0, pos.line).some((l) => LANE_RE.test(l));
    const nextId = nextIdFactory(nodes);
    if (options.snippets !== false) {
      for (const s of statementSnippets(nextId)) {
        if (!inLane && s.prefix !== 'lane') continue;
        items.push({ label: s.prefix, kind: 'snippet', detail: s.description, insertText: s.body, snippet: true, range, sortText: `0${s.prefix}` });
      }
    }
    if (inLane) {
      items.push({ label: 'loop', kind: 'keyword', detail: 'loop fragment', insertText: 'loop [$1] $0', snippet: true, range, sortText: '1loop' });
      // An edge starts with a node id.
      const prev = findPreviousNodeLine(lines, pos.line + 1)?.id;
      for (const n of pickNodes(nodes.values(), word, prev, laneAtPosition(a, pos), cut)) items.push({ label: n.id, kind: 'node', detail: nodeDetail(n), documentation: n.label, insertText: `${n.id}.handle(\${1|right,left,top,bottom|}) -> `, snippet: true, range, filterText: n.id, sortText: `2${n.id}` });
      // A line after a node's first line may carry more of its attributes.
      const prevDecl = findPreviousNodeLine(lines, pos.line);
      if (prevDecl) {
        const node = nodes.get(prevDecl.id);
        for (const k of keyItems(prevDecl.shape, node?.type ?? prevDecl.type, prevDecl.present, range, '3', queryLanguage(lines[prevDecl.line] ?? '', a))) {
          // Only JSON-valued keys may continue a node on the next line; bare words would start a node.
          if (k.kind === 'field') items.push(k);
        }
      }
    }
    return items;
  }
  return [];
}

/** Node lists longer than this are cut to the nearest nodes and marked incomplete, so the editor asks again as the user types. */
export const MAX_NODE_ITEMS = 100;

function idNumber(id: string | undefined): number | undefined {
  const m = id ? /^n(\d+)$/.exec(id) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * The nodes worth offering: those whose id starts with what was typed, nearest first (same lane,
 * then closest number to the anchor node), at most MAX_NODE_ITEMS of them.
 */
function pickNodes(nodes: Iterable<KnownNode>, word: string, anchor: string | undefined, lane: string | undefined, state: { truncated: boolean }): KnownNode[] {
  const w = word.toLowerCase();
  const list = [...nodes].filter((n) => n.id.toLowerCase().startsWith(w));
  if (list.length <= MAX_NODE_ITEMS) return list;
  state.truncated = true;
  const a = idNumber(anchor) ?? 0;
  const score = (n: KnownNode): number => (lane !== undefined && n.lane === lane ? 0 : 1e9) + Math.abs((idNumber(n.id) ?? 1e8) - a);
  return list
    .map((n) => ({ n, s: score(n) }))
    .sort((x, y) => x.s - y.s)
    .slice(0, MAX_NODE_ITEMS)
    .map((x) => x.n);
}

function nodeDetail(n: KnownNode): string {
  const parts = [n.shape ?? 'node'];
  if (n.type) parts.push(n.type);
  if (n.lane) parts.push(`lane ${n.lane}`);
  if (n.label) parts.push(`"${n.label}"`);
  return parts.join(' · ');
}

/** The node declaration right above a line, when that line could continue it. */
function findPreviousNodeLine(lines: string[], line: number): { id: string; shape: string; type?: string; present: Set<string>; line: number } | undefined {
  for (let i = line - 1; i >= 0 && i >= line - 20; i--) {
    const l = lines[i]!;
    if (/^\s*$/.test(l) || /^\s*\/\//.test(l)) return undefined;
    const d = DECL_RE.exec(l);
    if (d) {
      const type = /\bType\s*:\s*"([A-Za-z]+)"/.exec(l)?.[1];
      const present = presentKeys(lines.slice(i, line).join('\n'));
      return type ? { id: d[1]!, shape: d[2]!, type, present, line: i } : { id: d[1]!, shape: d[2]!, present, line: i };
    }
    // Continuation lines of a node start with an upper-case key; anything else ends the search.
    if (!/^\s*[A-Z]/.test(l) && !/^\s*[\]}"0-9,-]/.test(l)) return undefined;
  }
  return undefined;
}
