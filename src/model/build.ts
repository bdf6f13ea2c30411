// AST -> Diagram. Input: the AST of src/parser. Output: Result<Diagram> with FlowZap's rules checked.
// References are resolved here (node ids are global, lanes are looked up from the node), and each
// variant FlowZap rejects is read as the author meant and reported with a machine-applicable fix.
import { diagnostic, editDistance, type Diagnostic, type Fix, type Range, type Result, type TextEdit } from '../core/index.js';
import { endpointTokens, keyToken, pointRange, rangeOf, type AstAttribute, type AstEdge, type AstEndpoint, type AstFile, type AstLane, type AstLoop, type AstNode, type AstToken } from '../parser/index.js';
import { isAslKey } from './query.js';
import { DIRECTIONS, EDGE_KEYS, NODE_KEYS, SHAPES, type Attribute, type Diagram, type DiagramNode, type Edge, type EdgeEnd, type Lane, type Loop } from './types.js';

/** Characters no state type (and no XML document) may hold: controls, lone surrogates, non-characters. */
// eslint-disable-next-line no-control-regex
const NOT_A_NAME = /[\u0000-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The candidate closest to `word`, when it is close enough to be what was meant. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = c.startsWith(w) || w.startsWith(c) ? 1 : editDistance(w, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 2)) ? best : undefined;
}

/** The range of a node reference, with its lane prefix when one was written. */
function referenceRange(ref: Reference): Range {
  const end = { line: ref.nodeLine, character: ref.nodeCharacter + ref.node.length };
  return ref.lane !== undefined
    ? { start: { line: ref.laneLine, character: ref.laneCharacter }, end }
    : { start: { line: ref.nodeLine, character: ref.nodeCharacter }, end };
}

/** A written node reference, with its lane prefix if any: an edge end, or a loop's reference in the same form. */
type Reference = Pick<AstEndpoint, 'lane' | 'laneLine' | 'laneCharacter' | 'node' | 'nodeLine' | 'nodeCharacter'>;

function loopReference(ref: AstLoop['refs'][number]): Reference {
  return {
    lane: ref.lane?.text,
    laneLine: ref.lane?.line ?? 0,
    laneCharacter: ref.lane?.character ?? 0,
    node: ref.node.text,
    nodeLine: ref.node.line,
    nodeCharacter: ref.node.character,
  };
}

function replaceFix(title: string, range: Range, newText: string): Fix {
  return { title, edits: [{ range, newText }] };
}

const NODE_ID = /^n([1-9][0-9]*)$/;

// What an attribute list, an edge end or a node without nested lanes becomes in the model depends on
// nothing but its AST (and its role), so it is kept for as long as that AST lives: the editor rebuilds the model on every keystroke from ASTs that
// are mostly the same objects as before (src/language/incremental.ts), and making every attribute and
// end again, with their ranges, was most of that rebuild. Models share these objects; the model is
// plain data that nothing changes once built.
interface Built<V> {
  /** What else the value depends on: node or edge for attributes, from or to for an end, the lane for a node. */
  role: string;
  value: V;
  diagnostics: Diagnostic[];
}
const ATTRIBUTES = new WeakMap<AstAttribute[], Built<Attribute[]>>();
const NODES = new WeakMap<AstNode, Built<DiagramNode>>();
const ENDPOINTS = new WeakMap<AstEndpoint, Built<EdgeEnd>>();

interface LaneInfo {
  ast: AstLane;
  lane: Lane;
}

class ModelBuilder {
  constructor(private readonly reusing: boolean) {}

  readonly diagnostics: Diagnostic[] = [];
  readonly diagram: Diagram = { lanes: [], nodes: [], edges: [], loops: [], trailingComments: [] };
  private readonly lanes = new Map<string, LaneInfo>();
  private readonly nodes = new Map<string, { node: DiagramNode; ast: AstNode }>();
  /** Ids declared outside any lane: reported once, and not reported again as undefined. */
  private readonly strayIds = new Set<string>();
  private readonly pendingEdges: { ast: AstEdge; container?: string }[] = [];
  private readonly pendingLoops: { ast: AstLoop; container?: string }[] = [];

  build(file: AstFile): Diagram {
    for (const item of file.items) {
      if (item.kind === 'lane') this.lane(item, undefined);
      else if (item.kind === 'node') {
        this.strayIds.add(item.id.text);
        this.diagnostics.push(
          diagnostic('node-outside-lane', rangeOf(item.id), `node \`${item.id.text}\` is declared outside a lane: move it inside a lane's braces`),
        );
      } else if (item.kind === 'edge') this.pendingEdges.push({ ast: item });
      else this.pendingLoops.push({ ast: item });
    }
    for (const e of this.pendingEdges) this.edge(e.ast, e.container);
    for (const l of this.pendingLoops) this.loop(l.ast, l.container);
    this.checkSequentialIds();
    this.diagram.trailingComments = file.trailingComments;
    return this.diagram;
  }

  private lane(ast: AstLane, parent: string | undefined): void {
    const lane: Lane = {
      id: ast.id.text,
      nodes: [],
      comments: ast.comments,
      trailingComments: ast.trailingComments,
      range: rangeOf(ast),
      idRange: rangeOf(ast.id),
    };
    if (parent !== undefined) lane.parent = parent;
    if (ast.label) {
      lane.label = ast.label.text;
      lane.labelRange = rangeOf(ast.label);
      if (ast.labelOnNextLine) this.reportLabelOnNextLine(ast);
    }
    const first = this.lanes.get(lane.id);
    if (first) {
      this.diagnostics.push(
        diagnostic('duplicate-lane-id', rangeOf(ast.id), `lane id \`${lane.id}\` is already used: give this lane another id`, {
          related: [{ range: first.lane.idRange, message: `\`${lane.id}\` is first declared here` }],
        }),
      );
    } else this.lanes.set(lane.id, { ast, lane });
    this.diagram.lanes.push(lane);
    for (const item of ast.items) {
      if (item.kind === 'node') this.node(item, lane);
      else if (item.kind === 'edge') this.pendingEdges.push({ ast: item, container: lane.id });
      else this.pendingLoops.push({ ast: item, container: lane.id });
    }
  }

  private reportLabelOnNextLine(ast: AstLane): void {
    const label = ast.label!;
    const afterOpen = { line: ast.openLine, character: ast.openCharacter + 1 };
    const edits: TextEdit[] =
      label.line === ast.openLine + 1
        ? [{ range: { start: afterOpen, end: { line: label.endLine, character: label.endCharacter } }, newText: ` # ${label.text}` }]
        : [
            { range: { start: afterOpen, end: afterOpen }, newText: ` # ${label.text}` },
            { range: rangeOf(label), newText: '' },
          ];
    this.diagnostics.push(
      diagnostic('lane-label-next-line', rangeOf(label), `the label of lane \`${ast.id.text}\` belongs on the same line as its \`{\`: write \`${ast.id.text} { # ${label.text}\``, {
        fix: { title: 'Move the label up to the lane header', edits },
      }),
    );
  }

  private node(ast: AstNode, lane: Lane): void {
    // A node without nested lanes depends on nothing but its AST and its lane.
    const node = ast.block === undefined ? this.reuse(NODES, ast, lane.id, () => this.buildNode(ast, lane)) : this.buildNode(ast, lane);
    this.declare(node, ast, lane);
    if (ast.block) {
      for (const nestedLane of ast.block.lanes) {
        node.block!.lanes.push(nestedLane.id.text);
        this.lane(nestedLane, node.id);
      }
    }
  }

  /** Records a node: its id (reporting a duplicate), its place in its lane and in the diagram. */
  private declare(node: DiagramNode, ast: AstNode, lane: Lane): void {
    const id = node.id;
    const first = this.nodes.get(id);
    if (first) {
      this.diagnostics.push(
        diagnostic('duplicate-node-id', rangeOf(ast.id), `node id \`${id}\` is already declared: node ids are unique in the whole file; rename this one`, {
          related: [{ range: first.node.idRange, message: `\`${id}\` is first declared here` }],
        }),
      );
    } else this.nodes.set(id, { node, ast });
    lane.nodes.push(id);
    this.diagram.nodes.push(node);
  }

  /** A node's model and the findings about it alone (shape, block); not its id's uniqueness. */
  private buildNode(ast: AstNode, lane: Lane): DiagramNode {
    const id = ast.id.text;
    const idRange = rangeOf(ast.id);
    const node: DiagramNode = {
      id,
      shape: ast.shape?.text ?? '',
      lane: lane.id,
      attributes: this.attributes(ast.attributes, 'node'),
      comments: ast.comments,
      range: rangeOf(ast),
      idRange,
      shapeRange: ast.shape ? rangeOf(ast.shape) : idRange,
    };
    const label = node.attributes.find((a) => a.key === 'label');
    if (label && typeof label.value === 'string') node.label = label.value;

    if (!ast.shape) {
      this.diagnostics.push(
        diagnostic('unknown-shape', rangeOf(ast.id), `node \`${id}\` has no shape: write one of ${SHAPES.join(', ')} after \`${id}:\``),
      );
    } else if (!(SHAPES as readonly string[]).includes(ast.shape.text)) {
      const guess = closest(ast.shape.text, SHAPES);
      this.diagnostics.push(
        diagnostic(
          'unknown-shape',
          rangeOf(ast.shape),
          `unknown shape \`${ast.shape.text}\`: use ${guess ? `\`${guess}\`, or ` : ''}one of ${SHAPES.join(', ')}`,
          guess ? { fix: replaceFix(`Change to \`${guess}\``, rangeOf(ast.shape), guess) } : {},
        ),
      );
    }

    const type = node.attributes.find((a) => a.key === 'Type');
    if (ast.block) {
      const nested = ast.block;
      node.block = { lanes: [], range: rangeOf(nested) };
      if (nested.field) {
        node.block.field = nested.field.text;
        if (nested.field.text !== 'Iterator' && nested.field.text !== 'ItemProcessor' && nested.field.text !== 'Branches') {
          this.diagnostics.push(
            diagnostic('syntax-error', rangeOf(nested.field), `\`${nested.field.text} {\` is not a block field: write \`{\` alone, or \`Iterator {\` for a legacy Map`),
          );
        }
      }
      if (!type || (type.value !== 'Parallel' && type.value !== 'Map')) {
        this.diagnostics.push(
          diagnostic('block-on-non-container', pointRange(nested.openLine, nested.openCharacter, 1), `node \`${id}\` holds nested lanes but is not a Parallel or Map state: add \`Type:"Parallel"\` or \`Type:"Map"\``),
        );
      }
    }

    return node;
  }

  /**
   * What `build` makes of `key` in `role`, from `cache` when it was made for the same key in the same
   * role before; the diagnostics it raised then are raised again.
   */
  private reuse<K extends object, V>(cache: WeakMap<K, Built<V>>, key: K, role: string, build: () => V): V {
    if (!this.reusing) return build();
    const hit = cache.get(key);
    if (hit !== undefined && hit.role === role) {
      for (const d of hit.diagnostics) this.diagnostics.push(d);
      return hit.value;
    }
    const mark = this.diagnostics.length;
    const value = build();
    cache.set(key, { role, value, diagnostics: this.diagnostics.slice(mark) });
    return value;
  }

  private attributes(list: AstAttribute[], on: 'node' | 'edge'): Attribute[] {
    return list.length === 0 ? [] : this.reuse(ATTRIBUTES, list, on, () => this.buildAttributes(list, on));
  }

  private buildAttributes(list: AstAttribute[], on: 'node' | 'edge'): Attribute[] {
    const out: Attribute[] = [];
    const known: readonly string[] = on === 'node' ? NODE_KEYS : EDGE_KEYS;
    for (const a of list) {
      if (!a.value) continue;
      const key = a.key;
      const keyRange = rangeOf(keyToken(a));
      if (on === 'node' && a.separator === '=') {
        this.diagnostics.push(
          diagnostic('node-attribute-equals', pointRange(a.separatorLine, a.separatorCharacter, 1), `node attributes use a colon: write \`${key}:\` instead of \`${key}=\``, {
            fix: replaceFix(`Write \`${key}:\``, pointRange(a.separatorLine, a.separatorCharacter, 1), ':'),
          }),
        );
      } else if (on === 'edge' && a.separator === ':') {
        this.diagnostics.push(
          diagnostic('edge-attribute-colon', pointRange(a.separatorLine, a.separatorCharacter, 1), `edge attributes use an equals sign: write \`[${key}="…"]\` instead of \`[${key}:"…"]\``, {
            fix: replaceFix(`Write \`${key}=\``, pointRange(a.separatorLine, a.separatorCharacter, 1), '='),
          }),
        );
      }
      const asl = isAslKey(key);
      if (!asl && !known.includes(key)) {
        const guess = closest(key, known);
        const where = on === 'node' ? 'node' : 'edge';
        this.diagnostics.push(
          diagnostic(
            'unknown-attribute',
            keyRange,
            `unknown ${where} attribute \`${key}\`: FlowZap ${where}s take ${known.map((k) => `\`${k}\``).join(', ')}${guess && guess !== key ? ` (did you mean \`${guess}\`?)` : ''}; ASL fields start with an upper-case letter`,
            guess && guess !== key ? { fix: replaceFix(`Change to \`${guess}\``, keyRange, guess) } : {},
          ),
        );
      }
      // Attribute lists are short: a scan is cheaper than a Map per node.
      let previous: Attribute | undefined;
      for (let i = 0; i < out.length && !previous; i++) if (out[i]!.key === key) previous = out[i];
      if (previous) {
        this.diagnostics.push(
          diagnostic('duplicate-attribute', keyRange, `\`${key}\` is given twice: keep one`, {
            related: [{ range: previous.keyRange, message: `\`${key}\` is first given here` }],
          }),
        );
        continue;
      }
      if (!asl && typeof a.value.value !== 'string') {
        this.diagnostics.push(
          diagnostic('invalid-attribute-value', rangeOf(a.value), `\`${key}\` takes a string: write \`${key}${on === 'node' ? ':' : '='}"…"\``),
        );
      }
      if (key === 'Type' && typeof a.value.value !== 'string') {
        this.diagnostics.push(diagnostic('invalid-attribute-value', rangeOf(a.value), '`Type` takes a string such as `"Task"`'));
      } else if (key === 'Type' && NOT_A_NAME.test(a.value.value as string)) {
        this.diagnostics.push(diagnostic('invalid-attribute-value', rangeOf(a.value), '`Type` holds a control or non-character code point: a state type is a word such as `"Task"`'));
      }
      out.push({ key, value: a.value.value, keyRange, valueRange: rangeOf(a.value) });
    }
    return out;
  }

  /** The lane of a node, or undefined when the node is unknown. */
  private laneOf(id: string): Lane | undefined {
    const n = this.nodes.get(id);
    return n ? this.lanes.get(n.node.lane)?.lane : undefined;
  }

  /** The nested lane a node lives in, or undefined for the top-level scope. */
  private scopeOf(id: string): string | undefined {
    const lane = this.laneOf(id);
    return lane?.parent === undefined ? undefined : lane.id;
  }

  private checkPrefix(ref: Reference, expectedLane: Lane, contextLane: Lane | undefined): void {
    if (ref.lane !== undefined) {
      if (ref.lane === expectedLane.id) return;
      const exists = this.lanes.has(ref.lane);
      const laneRange = pointRange(ref.laneLine, ref.laneCharacter, ref.lane.length);
      this.diagnostics.push(
        diagnostic(
          exists ? 'wrong-lane-prefix' : 'undefined-lane',
          laneRange,
          exists
            ? `node \`${ref.node}\` is in lane \`${expectedLane.id}\`, not \`${ref.lane}\`: write \`${expectedLane.id}.${ref.node}\``
            : `there is no lane \`${ref.lane}\`; node \`${ref.node}\` is in lane \`${expectedLane.id}\``,
          { fix: replaceFix(`Change the prefix to \`${expectedLane.id}\``, pointRange(ref.laneLine, ref.laneCharacter, ref.lane.length), expectedLane.id) },
        ),
      );
      return;
    }
    if (contextLane && contextLane.id !== expectedLane.id) {
      this.diagnostics.push(
        diagnostic(
          'missing-lane-prefix',
          pointRange(ref.nodeLine, ref.nodeCharacter, ref.node.length),
          `node \`${ref.node}\` is in lane \`${expectedLane.id}\`: a cross-lane edge names the target's lane, \`${expectedLane.id}.${ref.node}\``,
          { fix: { title: `Add the lane prefix \`${expectedLane.id}.\``, edits: [{ range: pointRange(ref.nodeLine, ref.nodeCharacter, 0), newText: `${expectedLane.id}.` }] } },
        ),
      );
    }
  }


  private undefinedNode(ref: AstToken, container: string | undefined): void {
    if (this.strayIds.has(ref.text)) return;
    const laneInfo = container !== undefined ? this.lanes.get(container) : undefined;
    let fix: Fix | undefined;
    if (laneInfo?.ast.closed) {
      // Declare the node on a new line just before the lane's closing brace.
      const close = { line: laneInfo.ast.endLine, character: laneInfo.ast.endCharacter };
      const at = { line: close.line, character: Math.max(0, close.character - 1) };
      const prefix = at.character === 0 ? '' : '\n';
      // Indented as the formatter indents a lane's statements, so the fixed file passes `fmt --check`.
      const indent = ' '.repeat(laneInfo.ast.character + 2);
      fix = { title: `Declare node \`${ref.text}\``, edits: [{ range: { start: at, end: at }, newText: `${prefix}${indent}${ref.text}: rectangle label:"${ref.text}"\n` }], suggestion: true };
    }
    this.diagnostics.push(
      diagnostic('undefined-node', rangeOf(ref), `node \`${ref.text}\` is not declared: declare it in a lane (\`${ref.text}: rectangle label:"…"\`) or fix the id`, fix ? { fix } : {}),
    );
  }

  private endpoint(ep: AstEndpoint, side: 'from' | 'to'): EdgeEnd {
    return this.reuse(ENDPOINTS, ep, side, () => this.buildEndpoint(ep, side));
  }

  private buildEndpoint(ep: AstEndpoint, side: 'from' | 'to'): EdgeEnd {
    const end: EdgeEnd = { node: ep.node, nodeRange: referenceRange(ep) };
    if (ep.lane !== undefined) {
      end.laneRange = pointRange(ep.laneLine, ep.laneCharacter, ep.lane.length);
      end.laneWritten = ep.lane;
    }
    if (ep.direction !== undefined) {
      const handleRange = pointRange(ep.directionLine, ep.directionCharacter, ep.direction.length);
      end.handle = ep.direction;
      end.handleRange = handleRange;
      if (!(DIRECTIONS as readonly string[]).includes(ep.direction)) {
        const guess = closest(ep.direction, DIRECTIONS);
        this.diagnostics.push(
          diagnostic(
            'unknown-direction',
            pointRange(ep.directionLine, ep.directionCharacter, ep.direction.length),
            `unknown handle direction \`${ep.direction}\`: use ${guess ? `\`${guess}\`, or ` : ''}one of ${DIRECTIONS.join(', ')}`,
            guess ? { fix: replaceFix(`Change to \`${guess}\``, pointRange(ep.directionLine, ep.directionCharacter, ep.direction.length), guess) } : {},
          ),
        );
      }
    } else if (ep.hasHandle) {
      this.diagnostics.push(diagnostic('unknown-direction', rangeOf(ep), `\`handle()\` needs a direction: one of ${DIRECTIONS.join(', ')}`));
    } else {
      const dir = side === 'from' ? 'right' : 'left';
      this.diagnostics.push(
        diagnostic('missing-handle', pointRange(ep.nodeLine, ep.nodeCharacter, ep.node.length), `every edge end names its handle: write \`${ep.node}.handle(${dir})\``, {
          fix: { title: `Add \`.handle(${dir})\``, edits: [{ range: pointRange(ep.nodeLine, ep.nodeCharacter + ep.node.length, 0), newText: `.handle(${dir})` }] },
        }),
      );
    }
    return end;
  }

  private edge(ast: AstEdge, container: string | undefined): void {
    if (!ast.to) return;
    const from = this.endpoint(ast.from, 'from');
    const to = this.endpoint(ast.to, 'to');
    const attributes = this.attributes(ast.attributes, 'edge');
    const edge: Edge = { from, to, attributes, comments: ast.comments, range: rangeOf(ast) };
    if (container !== undefined) edge.container = container;
    const label = attributes.find((a) => a.key === 'label');
    if (label && typeof label.value === 'string') edge.label = label.value;

    const fromLane = this.laneOf(from.node);
    const toLane = this.laneOf(to.node);
    if (!fromLane) this.undefinedNode(endpointTokens(ast.from).node, container);
    else this.checkPrefix(ast.from, fromLane, undefined);
    if (!toLane) this.undefinedNode(endpointTokens(ast.to).node, container ?? fromLane?.id);
    else this.checkPrefix(ast.to, toLane, fromLane);
    if (fromLane && toLane) {
      const a = this.scopeOf(from.node);
      const b = this.scopeOf(to.node);
      if (a !== b) {
        this.diagnostics.push(
          diagnostic(
            'edge-leaves-branch',
            rangeOf(ast),
            a !== undefined
              ? `this edge leaves the nested lane \`${a}\`: a Parallel branch or Map processor is a closed state machine; its edges stay inside it`
              : `this edge enters the nested lane \`${b}\` from outside: a Parallel branch or Map processor starts at its own start marker`,
          ),
        );
      }
    }
    this.diagram.edges.push(edge);
  }

  private loop(ast: AstLoop, container: string | undefined): void {
    const range = rangeOf(ast);
    const loop: Loop = {
      text: ast.text?.text ?? '',
      nodes: [],
      nodeRanges: [],
      comments: ast.comments,
      range,
      textRange: ast.text ? rangeOf(ast.text) : range,
    };
    if (container !== undefined) loop.container = container;
    if (!ast.text) {
      this.diagnostics.push(diagnostic('syntax-error', rangeOf(ast), 'a loop starts with its condition in brackets: `loop [until done] n1 n2`'));
    }
    if (ast.refs.length === 0) {
      this.diagnostics.push(diagnostic('syntax-error', rangeOf(ast), 'a loop names the nodes it spans: `loop [until done] n1 n2`'));
    }
    for (const ref of ast.refs) {
      const lane = this.laneOf(ref.node.text);
      const reference = loopReference(ref);
      if (!lane) this.undefinedNode(ref.node, container);
      else if (ref.lane) this.checkPrefix(reference, lane, undefined);
      loop.nodes.push(ref.node.text);
      loop.nodeRanges.push(referenceRange(reference));
    }
    this.diagram.loops.push(loop);
  }

  /**
   * FlowZap numbers nodes n1 … nN without gaps (in any declaration order: its own templates declare
   * n5 before n3). Offer to renumber when the ids are not exactly that set.
   */
  private checkSequentialIds(): void {
    const declared = this.diagram.nodes.filter((n) => this.nodes.get(n.id)?.node === n);
    if (declared.length === 0) return;
    const numbers = declared.map((n) => NODE_ID.exec(n.id)?.[1]).map((m) => (m === undefined ? NaN : Number(m)));
    const allNumbered = numbers.every((x) => Number.isInteger(x));
    if (allNumbered && numbers.every((x) => x >= 1 && x <= declared.length)) return;
    // Keep the authors' numeric order when every id is nX; otherwise number in declaration order.
    const order = declared.map((n, i) => ({ n, key: allNumbered ? numbers[i]! : i }));
    order.sort((x, y) => x.key - y.key);
    const rename = new Map<string, string>();
    order.forEach(({ n }, i) => rename.set(n.id, `n${i + 1}`));
    const edits: TextEdit[] = [];
    const add = (id: string, range: Range) => {
      const to = rename.get(id);
      if (to !== undefined && to !== id) edits.push({ range, newText: to });
    };
    for (const n of declared) add(n.id, n.idRange);
    for (const e of this.diagram.edges) {
      add(e.from.node, trimPrefix(e.from.nodeRange, e.from.node));
      add(e.to.node, trimPrefix(e.to.nodeRange, e.to.node));
    }
    for (const l of this.diagram.loops) l.nodes.forEach((id, i) => add(id, trimPrefix(l.nodeRanges[i]!, id)));
    const bad = order.find(({ n }) => rename.get(n.id) !== n.id)!.n;
    this.diagnostics.push(
      diagnostic(
        'non-sequential-id',
        bad.idRange,
        allNumbered
          ? `node ids are not sequential: FlowZap numbers nodes n1 to n${declared.length} without gaps, and \`${bad.id}\` should be \`${rename.get(bad.id)}\`: renumber the nodes`
          : `FlowZap node ids are n1, n2, …; \`${bad.id}\` should be \`${rename.get(bad.id)}\`: renumber the nodes`,
        { fix: { title: 'Renumber the nodes n1, n2, … without gaps', edits } },
      ),
    );
  }
}

/** A reference range may cover `lane.id`; the id itself is its last `id.length` characters. */
function trimPrefix(range: Range, id: string): Range {
  if (range.start.line !== range.end.line) return range;
  return { start: { line: range.end.line, character: range.end.character - id.length }, end: range.end };
}

/** Builds the diagram model from an AST, checking FlowZap's rules. Never throws. */
export interface BuildOptions {
  /**
   * Reuse what the same AST objects gave in an earlier build (attribute lists, edge ends, nodes):
   * for an editor that rebuilds the model from mostly unchanged ASTs after every change. A one-off
   * build leaves it off, since keeping the results costs more than it saves there.
   */
  reuse?: boolean;
}

export function buildModel(ast: AstFile, options: BuildOptions = {}): Result<Diagram> {
  const builder = new ModelBuilder(options.reuse === true);
  const value = builder.build(ast);
  return { value, diagnostics: builder.diagnostics };
}
