// ASL -> diagram.
// Input: a state machine definition as parsed JSON (any value: bad input is reported, not thrown).
// Output: a Diagram in the ASL profile of grammar/SPEC.md section 4, plus the judgement of the
// definition that `check` makes (validity.ts). The diagram is lossless: toAsl(fromAsl(x).value).value deep-equals x, because
// everything the diagram cannot draw (a Next to a missing state, End:false, a field whose name is
// not a `.fz` key, a States entry that is not a state) is carried verbatim as an attribute.
//
// Example: {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}} becomes
//   machine { # State machine
//   n1: circle label:"Start"
//   n2: rectangle label:"A" Type:"Pass"
//   n3: circle label:"End"
//   n1.handle(right) -> n2.handle(left)
//   n2.handle(right) -> n3.handle(left)
//   }
import type { Diagnostic, JsonValue, Range, Result } from '../core/index.js';
import type { Attribute, Diagram, DiagramNode, Edge, Lane } from '../model/types.js';
import { makeAttribute, NO_RANGE } from '../model/query.js';
import { checkDefinition } from './check.js';
import { judgeDefinition } from './validity.js';
import {
  ESCAPED_FIELDS,
  VERBATIM_VALUE,
  catchLabel,
  isObject,
  isWritableAslKey,
  resourceService,
  ruleLabel,
  serviceLabel,
  setKey,
} from './fields.js';
import type { FromAslOptions, JsonObject, JsonPath } from './types.js';

/** A lane being built, with its nodes (each with the nested lanes of its block) and its edges. */
interface LaneDraft {
  lane: Lane;
  nodes: NodeDraft[];
  edges: Edge[];
}

interface NodeDraft {
  node: DiagramNode;
  block: LaneDraft[];
}

type EdgeKind = 'next' | 'choice' | 'default' | 'catch' | 'end';

/** An edge of a scope with its handles chosen, before it is added to its lane. */
interface PlannedEdge {
  lane: LaneDraft;
  from: DiagramNode;
  to: DiagramNode;
  pair: [string, string];
  t: Transition;
  /** A main way on that may drop across to the neighbouring lane (dropHandoffs). */
  handoff: boolean;
}

/** A transition out of a state, before it becomes an edge. */
interface Transition {
  from: DiagramNode;
  kind: EdgeKind;
  /** The target state's name ('' for End). */
  target: string;
  attrs: Attribute[];
  label?: string;
  /** Position among the state's Choices or Catch entries. */
  index: number;
}

export interface FromAslResult extends Result<Diagram> {
  /**
   * With `allowInvalid`: the nodes of the states AWS would reject, by node id, with the errors about
   * each (also written as `// invalid:` comments above the node). Empty otherwise.
   */
  invalid: Map<string, string[]>;
}

export function fromAsl(definition: unknown, options: FromAslOptions = {}): FromAslResult {
  const locate = options.locate ?? (() => NO_RANGE);
  // Each diagnostic's range is made here, so the path it is about can be found again from it.
  const pathOf = new Map<Range, JsonPath>();
  const spy = (path: JsonPath): Range => {
    const r = { ...locate(path) };
    pathOf.set(r, path);
    return r;
  };
  let diagnostics: Diagnostic[] = options.validate === false ? checkDefinition(definition as JsonValue, spy) : judgeDefinition(definition as JsonValue, spy);
  // Too deep to walk: the checks said where; no diagram is built (the builder recurses).
  const builder = new Builder(options.lanes ?? 'single');
  if (diagnostics.some((d) => d.code === 'asl-too-deep')) return { value: builder.finish(), diagnostics, invalid: new Map() };
  if (isObject(definition) && isObject(definition.States)) {
    builder.buildMachine(definition);
  } else {
    builder.topLane('machine', 'State machine');
  }
  const value = builder.finish();
  const invalid = new Map<string, string[]>();
  if (options.allowInvalid) {
    // Drawn anyway, for debugging a broken machine: each error marks the node of its state (or of
    // the scope's start marker) and is reported as a warning.
    diagnostics = diagnostics.map((d) => {
      if (d.severity !== 'error') return d;
      const node = builder.nodeFor(pathOf.get(d.range) ?? []);
      if (node) {
        invalid.set(node.id, [...(invalid.get(node.id) ?? []), d.message]);
        node.comments.push(` invalid: ${d.message}`);
      }
      return { ...d, severity: 'warning' };
    });
  }
  return { value, diagnostics, invalid };
}

class Builder {
  private nodeCount = 0;
  private branchCount = 0;
  private mapCount = 0;
  private readonly laneIds = new Set<string>();
  private readonly top: LaneDraft[] = [];
  /** The node drawn for each state (by its path in the definition), and each scope's start marker (by the scope's path). */
  private readonly nodeAt = new Map<string, DiagramNode>();

  constructor(private readonly mode: 'single' | 'service') {}

  /** The node that stands for the deepest state (or scope) on `path`. */
  nodeFor(path: JsonPath): DiagramNode | undefined {
    for (let n = path.length; n >= 0; n--) {
      const node = this.nodeAt.get(JSON.stringify(path.slice(0, n)));
      if (node) return node;
    }
    return undefined;
  }

  topLane(id: string, label: string): LaneDraft {
    const existing = this.top.find((l) => l.lane.id === id);
    if (existing) return existing;
    const draft = this.newLane(id, label, undefined);
    this.top.push(draft);
    return draft;
  }

  buildMachine(sm: JsonObject): void {
    if (this.mode === 'single') {
      const lane = this.topLane('machine', 'State machine');
      this.buildScope(sm, [], () => lane, lane);
      return;
    }
    // One lane per service: Task states by the service their Resource calls, every other state
    // in the Step Functions lane. The markers go into the lane of the first state.
    const laneOf = (state: JsonValue): LaneDraft => {
      if (isObject(state) && state.Type === 'Task') {
        const service = resourceService(state.Resource) ?? 'tasks';
        return this.topLane(service, service === 'tasks' ? 'Tasks' : serviceLabel(service));
      }
      return this.topLane('flow', 'Step Functions');
    };
    const states = sm.States as JsonObject;
    const first = typeof sm.StartAt === 'string' && Object.hasOwn(states, sm.StartAt) ? states[sm.StartAt]! : Object.values(states)[0];
    const markerLane = first === undefined ? this.topLane('flow', 'Step Functions') : laneOf(first);
    this.buildScope(sm, [], (_name, state) => laneOf(state), markerLane);
  }

  /** Draws one scope (the machine, a Parallel branch or a Map processor): markers, states, edges. */
  private buildScope(sm: JsonObject, path: JsonPath, laneFor: (name: string, state: JsonValue) => LaneDraft, markerLane: LaneDraft): void {
    const states = sm.States as JsonObject;
    const names = Object.keys(states);
    const startAtDrawn = typeof sm.StartAt === 'string' && Object.hasOwn(states, sm.StartAt);

    // The start marker carries the scope's own fields (Comment, TimeoutSeconds, QueryLanguage, …).
    const startFields: JsonObject = {};
    for (const [key, value] of Object.entries(sm)) {
      if (key === 'States' || (key === 'StartAt' && startAtDrawn)) continue;
      setKey(startFields, key, value);
    }
    const start = this.addNode(markerLane, 'circle', 'Start', fieldAttributes(startFields));
    this.nodeAt.set(JSON.stringify(path), start.node);

    const ids = new Map<string, DiagramNode>();
    const transitions: Transition[] = [];

    names.forEach((name) => {
      const state = states[name]!;
      const lane = laneFor(name, state);
      const statePath = JSON.stringify([...path, 'States', name]);
      if (!isObject(state) || typeof state.Type !== 'string') {
        ids.set(name, this.addNode(lane, 'rectangle', name, [makeAttribute(VERBATIM_VALUE, state)]).node);
        this.nodeAt.set(statePath, ids.get(name)!);
        return;
      }
      const type = state.Type;
      const kept: JsonObject = {};
      setKey(kept, 'Type', type);
      let blockField: string | undefined;
      let blockScopes: JsonObject[] = [];
      const edges: typeof transitions = [];
      const target = (v: JsonValue | undefined): v is string => typeof v === 'string' && Object.hasOwn(states, v);
      for (const [key, value] of Object.entries(state)) {
        if (key === 'Type') continue;
        // A plain edge out of a Choice state would be an error (a Choice edge needs a rule), so a
        // Choice's own Next or End, invalid as they are, stay fields.
        if (key === 'Next' && target(value) && type !== 'Choice') {
          edges.push({ from: undefined!, kind: 'next', target: value, attrs: [], index: 0 });
        } else if (key === 'End' && value === true && type !== 'Choice') {
          edges.push({ from: undefined!, kind: 'end', target: '', attrs: [], index: 0 });
        } else if (key === 'Default' && target(value)) {
          edges.push({ from: undefined!, kind: 'default', target: value, attrs: [makeAttribute('Default', true)], label: 'Default', index: 0 });
        } else if ((key === 'Choices' || key === 'Catch') && Array.isArray(value) && value.length > 0 && value.every((c) => isObject(c) && target(c.Next))) {
          value.forEach((c, i) => {
            const entry = withoutNext(c as JsonObject);
            const kind: EdgeKind = key === 'Choices' ? 'choice' : 'catch';
            const attr = makeAttribute(key === 'Choices' ? 'Choice' : 'Catch', entry);
            const label = kind === 'choice' ? ruleLabel(entry) : catchLabel(entry);
            edges.push({ from: undefined!, kind, target: (c as JsonObject).Next as string, attrs: [attr], label, index: i });
          });
        } else if (
          key === 'Branches' &&
          type === 'Parallel' &&
          blockField === undefined &&
          Array.isArray(value) &&
          value.length > 0 &&
          value.every((b) => isObject(b) && isObject(b.States))
        ) {
          blockField = 'Branches';
          blockScopes = value as JsonObject[];
        } else if ((key === 'ItemProcessor' || key === 'Iterator') && type === 'Map' && blockField === undefined && isObject(value) && isObject(value.States)) {
          blockField = key;
          blockScopes = [value];
        } else {
          setKey(kept, key, value);
        }
      }
      const shape = type === 'Choice' ? 'diamond' : type === 'Succeed' || type === 'Fail' ? 'circle' : 'rectangle';
      const draft = this.addNode(lane, shape, name, fieldAttributes(kept));
      ids.set(name, draft.node);
      this.nodeAt.set(statePath, draft.node);
      for (const e of edges) transitions.push({ ...e, from: draft.node });
      if (blockField !== undefined) {
        draft.node.block = { lanes: [], range: NO_RANGE };
        if (blockField === 'Iterator') draft.node.block.field = 'Iterator';
        blockScopes.forEach((scope, i) => {
          const isMap = blockField !== 'Branches';
          const id = this.uniqueLaneId(isMap ? `m${++this.mapCount}` : `b${++this.branchCount}`);
          const label = isMap ? (blockField === 'Iterator' ? 'Iterator' : 'Item processor') : `Branch ${i + 1}`;
          const nested = this.newLane(id, label, draft.node.id);
          draft.block.push(nested);
          draft.node.block!.lanes.push(id);
          const scopePath = blockField === 'Branches' ? [...path, 'States', name, 'Branches', i] : [...path, 'States', name, blockField!];
          this.buildScope(scope, scopePath, () => nested, nested);
        });
      }
    });

    // Edges, in the order: StartAt, then each state's Next, Choices, Default, Catch and End.
    const rank = (kind: EdgeKind): number => ['next', 'choice', 'default', 'catch', 'end'].indexOf(kind);
    let end: DiagramNode | undefined;
    const byState = new Map<DiagramNode, Transition[]>();
    for (const t of transitions) {
      const list = byState.get(t.from) ?? [];
      list.push(t);
      byState.set(t.from, list);
    }
    const targetOf = new Map<Transition, DiagramNode>();
    for (const list of byState.values()) {
      list.sort((a, b) => rank(a.kind) - rank(b.kind) || a.index - b.index);
      for (const t of list) {
        if (t.kind === 'end') targetOf.set(t, (end ??= this.addNode(markerLane, 'circle', 'End', []).node));
        else targetOf.set(t, ids.get(t.target)!);
      }
    }
    const startTarget = startAtDrawn ? ids.get(sm.StartAt as string)! : undefined;
    const { roles, topHeld: topsHeld } = flowRoles(start.node, startTarget, [...ids.values()], byState, targetOf, (t) => this.laneStep(t.from, targetOf.get(t)!));
    if (startTarget) this.addEdge(markerLane, start.node, startTarget, ['right', 'left'], [], undefined);
    const planned: PlannedEdge[] = [];
    for (const [from, list] of byState) {
      const lane = this.laneDraft(from.lane);
      // With service lanes, a branch or a Catch into a lane above leaves by the top, one into a
      // lane below by the bottom, unless a loop holds the state's top: by the other side, it would
      // first turn round its own state (security-incident: "allow" into the lane below climbed
      // over its Choice and came down again, 5 bends). The ways into the state's own lane take
      // the sides those leave (`fanSides`).
      const topHeld = topsHeld.has(from);
      const sides = topHeld ? roles : this.fanSides(from, list, roles, targetOf);
      for (const t of list) {
        const step = this.laneStep(from, targetOf.get(t)!);
        const role = sides.get(t)!;
        const up = t.kind === 'catch' && role !== 'back' && step < 0 && !topHeld;
        planned.push({ lane, from, to: targetOf.get(t)!, pair: up ? ['top', 'bottom'] : handles(t.kind, role), t, handoff: t.kind === 'next' && role === 'main' });
      }
    }
    this.dropHandoffs(planned);
    for (const e of planned) this.addEdge(e.lane, e.from, e.to, e.pair, e.t.attrs, e.t.label);
  }

  /**
   * With service lanes, a state's Next into the neighbouring lane drops across the border:
   * `bottom -> top` into the lane below, `top -> bottom` into the one above, so the layout can put
   * the target right under (or over) its source and draw one straight line (layerScope in
   * layout/to-elk.ts), the way a swimlane is drawn by hand; a chain of steps through the lanes
   * becomes a column instead of a staircase. Only where both sides carry nothing else: a handle
   * shared with a Catch, a loop back or a Choice's side ways could not hold the straight line, and
   * the edges there would run over one another.
   */
  private dropHandoffs(planned: PlannedEdge[]): void {
    if (this.mode !== 'service') return;
    const uses = new Map<string, number>();
    const key = (n: DiagramNode, side: string): string => `${n.id}.${side}`;
    const use = (n: DiagramNode, side: string, d: number): void => {
      uses.set(key(n, side), (uses.get(key(n, side)) ?? 0) + d);
    };
    const waysIn = new Map<DiagramNode, number>();
    for (const e of planned) {
      use(e.from, e.pair[0], 1);
      use(e.to, e.pair[1], 1);
      waysIn.set(e.to, (waysIn.get(e.to) ?? 0) + 1);
    }
    for (const e of planned) {
      const distance = this.laneDistance(e.from, e.to);
      // A target that other ways come into too is placed by them, further along: the drop would
      // turn twice to reach it, and run along the lane border across whatever lies between.
      if (!e.handoff || Math.abs(distance) !== 1 || waysIn.get(e.to) !== 1) continue;
      const pair: [string, string] = distance > 0 ? ['bottom', 'top'] : ['top', 'bottom'];
      if ((uses.get(key(e.from, pair[0])) ?? 0) > 0 || (uses.get(key(e.to, pair[1])) ?? 0) > 0) continue;
      use(e.from, e.pair[0], -1);
      use(e.to, e.pair[1], -1);
      e.pair = pair;
      use(e.from, pair[0], 1);
      use(e.to, pair[1], 1);
    }
  }

  private readonly draftsById = new Map<string, LaneDraft>();

  /**
   * A Choice's side ways with service lanes: those into a lane above go over the top, those into a
   * lane below under the bottom, and the ways into its own lane's states fill the sides so that
   * over and under stay split as `flowRoles` splits them (half of the targets over the top). Left
   * alone, a Default to a Fail in the Choice's own lane joined a rule into the lane below on the
   * bottom and hooked back up round the diamond (cfn-stacksets' InvalidInput).
   */
  private fanSides(from: DiagramNode, list: Transition[], roles: Map<Transition, FlowRole>, targetOf: Map<Transition, DiagramNode>): Map<Transition, FlowRole> {
    const fan = list.filter((t) => t.kind !== 'catch' && (roles.get(t) === 'branch' || roles.get(t) === 'branch-over'));
    const sides = new Map(list.map((t) => [t, roles.get(t)!]));
    if (fan.every((t) => this.laneStep(from, targetOf.get(t)!) === 0)) return sides;
    // A way into the main way's target keeps its side: over the top, it came down across the main
    // way into the target (security-incident's Default into "denied").
    const mainTarget = list.filter((t) => roles.get(t) === 'main').map((t) => targetOf.get(t)!);
    const fixedOver = new Set<DiagramNode>();
    const fixedUnder = new Set<DiagramNode>();
    const free: DiagramNode[] = [];
    for (const t of fan) {
      const to = targetOf.get(t)!;
      const step = this.laneStep(from, to);
      if (step < 0) fixedOver.add(to);
      else if (step > 0) fixedUnder.add(to);
      else if (!free.includes(to) && !mainTarget.includes(to)) free.push(to);
    }
    const targets = fixedOver.size + fixedUnder.size + free.length;
    const overQuota = Math.max(0, Math.floor(targets / 2) - fixedOver.size);
    const overFree = new Set(free.slice(0, overQuota));
    for (const t of fan) {
      const to = targetOf.get(t)!;
      if (this.laneStep(from, to) === 0 && mainTarget.includes(to)) continue;
      sides.set(t, fixedOver.has(to) || overFree.has(to) ? 'branch-over' : 'branch');
    }
    return sides;
  }

  /** Whether `to` lies in a top-level lane above (-1) or below (1) `from`'s; 0 in the same lane or in nested ones. */
  private laneStep(from: DiagramNode, to: DiagramNode): -1 | 0 | 1 {
    return Math.sign(this.laneDistance(from, to)) as -1 | 0 | 1;
  }

  /** How many top-level lanes `to` lies below `from`'s (negative: above); 0 in the same lane or in nested ones. */
  private laneDistance(from: DiagramNode, to: DiagramNode): number {
    const a = this.top.findIndex((l) => l.lane.id === from.lane);
    const b = this.top.findIndex((l) => l.lane.id === to.lane);
    return a < 0 || b < 0 ? 0 : b - a;
  }

  private laneDraft(id: string): LaneDraft {
    return this.draftsById.get(id)!;
  }

  private uniqueLaneId(id: string): string {
    let candidate = id;
    for (let k = 2; this.laneIds.has(candidate); k++) candidate = `${id}_${k}`;
    return candidate;
  }

  private newLane(id: string, label: string, parent: string | undefined): LaneDraft {
    this.laneIds.add(id);
    const lane: Lane = { id, label, nodes: [], comments: [], trailingComments: [], range: NO_RANGE, idRange: NO_RANGE };
    if (parent !== undefined) lane.parent = parent;
    const draft: LaneDraft = { lane, nodes: [], edges: [] };
    this.draftsById.set(id, draft);
    return draft;
  }

  private addNode(lane: LaneDraft, shape: string, label: string, attributes: Attribute[]): NodeDraft {
    const id = `n${++this.nodeCount}`;
    const node: DiagramNode = {
      id,
      shape,
      lane: lane.lane.id,
      attributes: [makeAttribute('label', label), ...attributes],
      label,
      comments: [],
      range: NO_RANGE,
      idRange: NO_RANGE,
      shapeRange: NO_RANGE,
    };
    const draft: NodeDraft = { node, block: [] };
    lane.nodes.push(draft);
    lane.lane.nodes.push(id);
    return draft;
  }

  private addEdge(lane: LaneDraft, from: DiagramNode, to: DiagramNode, [out, into]: [string, string], attrs: Attribute[], label: string | undefined): void {
    const attributes = label === undefined ? attrs : [makeAttribute('label', label), ...attrs];
    const edge: Edge = {
      from: { node: from.id, handle: out, nodeRange: NO_RANGE },
      to: { node: to.id, handle: into, nodeRange: NO_RANGE },
      attributes,
      container: lane.lane.id,
      comments: [],
      range: NO_RANGE,
    };
    if (to.lane !== lane.lane.id) edge.to.laneWritten = to.lane;
    if (label !== undefined) edge.label = label;
    lane.edges.push(edge);
  }

  /** Flattens the drafts into the Diagram's source-order lists, the order `print` writes them in. */
  finish(): Diagram {
    const diagram: Diagram = { lanes: [], nodes: [], edges: [], loops: [], trailingComments: [] };
    const visit = (draft: LaneDraft): void => {
      diagram.lanes.push(draft.lane);
      for (const n of draft.nodes) {
        diagram.nodes.push(n.node);
        for (const nested of n.block) visit(nested);
      }
      diagram.edges.push(...draft.edges);
    };
    for (const lane of this.top) visit(lane);
    return diagram;
  }
}

/**
 * What a transition is in the flow of its scope. `main`: the one way on from its state, drawn
 * straight (a state's Next; for a Choice, the rule or Default with the longest way ahead). `branch`
 * and `branch-over`: another way forward, under or over the main one (the other Choice rules and
 * Default; a Catch is always `branch`). `back`: it closes a real cycle (a loop back to a state
 * still on the way from the start), or it is a self-loop.
 */
type FlowRole = 'main' | 'branch' | 'branch-over' | 'back';

/**
 * Handles from the flow, not from the order of the JSON: the main way on leaves right and enters
 * left, so the main path reads left to right with no humps; other ways forward leave at the bottom
 * or the top into the target's left (a Catch down onto its handler's top); a loop back runs over the
 * top (a Catch under the bottom). With service lanes, a lone branch or a Catch into another lane
 * may leave by the side that lane lies on instead (`buildScope`).
 */
function handles(kind: EdgeKind, role: FlowRole): [string, string] {
  if (kind === 'catch') return role === 'back' ? ['bottom', 'bottom'] : ['bottom', 'top'];
  if (role === 'back') return ['top', 'top'];
  if (role === 'branch') return ['bottom', 'left'];
  if (role === 'branch-over') return ['top', 'left'];
  return ['right', 'left'];
}

/**
 * The role of every transition of a scope. Back edges come from a depth-first search from the start
 * marker (then from each state not reached, in declaration order) following the transitions in the
 * order they are written: the same search, over the same edge order, as the layout's cycle breaking
 * (`assignLayers` in layout/to-elk.ts), so every `back` edge is one the layout turns round and every
 * other edge points downstream. The longest way ahead of a state is counted in the graph without
 * the back edges, in the search's post-order (a topological order of that graph). Iterative: a
 * scope may hold tens of thousands of states. Also the states whose top a loop holds, which the
 * handles leave to the loop.
 */
function flowRoles(
  start: DiagramNode,
  startTarget: DiagramNode | undefined,
  states: DiagramNode[],
  byState: Map<DiagramNode, Transition[]>,
  targetOf: Map<Transition, DiagramNode>,
  laneStep: (t: Transition) => -1 | 0 | 1 = () => 0,
): { roles: Map<Transition, FlowRole>; topHeld: Set<DiagramNode> } {
  const back = new Set<Transition>();
  const visit = new Map<DiagramNode, 1 | 2>();
  const postOrder: DiagramNode[] = [];
  const successors = (n: DiagramNode): Array<[DiagramNode, Transition | undefined]> =>
    n === start ? (startTarget ? [[startTarget, undefined]] : []) : (byState.get(n) ?? []).map((t) => [targetOf.get(t)!, t]);
  for (const root of [start, ...states]) {
    if (visit.has(root)) continue;
    visit.set(root, 1);
    const stack: Array<{ n: DiagramNode; next: Array<[DiagramNode, Transition | undefined]>; i: number }> = [{ n: root, next: successors(root), i: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.i < top.next.length) {
        const [m, t] = top.next[top.i++]!;
        const seen = visit.get(m);
        if (m === top.n || seen === 1) {
          if (t) back.add(t);
        } else if (seen === undefined) {
          visit.set(m, 1);
          stack.push({ n: m, next: successors(m), i: 0 });
        }
      } else {
        visit.set(top.n, 2);
        postOrder.push(top.n);
        stack.pop();
      }
    }
  }
  // States on the longest way from each state to the end, back edges left out.
  const ahead = new Map<DiagramNode, number>();
  for (const n of postOrder) {
    let longest = 0;
    for (const t of byState.get(n) ?? []) if (!back.has(t)) longest = Math.max(longest, ahead.get(targetOf.get(t)!) ?? 0);
    ahead.set(n, longest + 1);
  }
  // States a loop comes back into, over the top (see `handles`).
  const loopedInto = new Set<DiagramNode>();
  for (const t of back) if (t.kind !== 'catch') loopedInto.add(targetOf.get(t)!);
  const roles = new Map<Transition, FlowRole>();
  // States whose top a loop holds: one comes back into it, or it loops back itself.
  const topHeld = new Set<DiagramNode>();
  for (const list of byState.values()) {
    // The main way on: a Next or End, or of a Choice's rules and Default the one with the longest
    // way ahead (the first written on a tie), and with service lanes one that stays in the state's
    // lane before one that can leave by the side its lane lies on: a way into another lane turns
    // anyway, so it takes that side and the way along the lane runs straight (cfn-stacksets'
    // Default to InvalidInput had climbed over its Choice and come down again). Not upwards when a
    // loop holds the top: under the bottom, it would hook round to the lane above across the rest.
    // A Catch is never the main way.
    const state = list[0]!.from;
    if (loopedInto.has(state) || list.some((t) => back.has(t) && t.kind !== 'catch')) topHeld.add(state);
    const leaves = (t: Transition): boolean => {
      const step = laneStep(t);
      return step > 0 || (step < 0 && !topHeld.has(state));
    };
    let main: Transition | undefined;
    for (const t of list) {
      if (back.has(t) || t.kind === 'catch') continue;
      if (main === undefined) main = t;
      else if (leaves(t) !== leaves(main)) main = leaves(t) ? main : t;
      else if ((ahead.get(targetOf.get(t)!) ?? 0) > (ahead.get(targetOf.get(main)!) ?? 0)) main = t;
    }
    // A Choice's other ways forward fan out on both sides of the main one, by target: the ways to
    // the first half of the other targets (in the order first written) over the top, the rest under
    // the bottom. A single one goes under the bottom. Ways into one target (a rule and the Default
    // both to "Not Bad") go on one side: split, one of them climbed over the top and the other came
    // up from below round the main way, across it.
    // When a loop comes back into the state's top, the top stays the loop's: all go under.
    const fan = list.filter((t) => !back.has(t) && t !== main && t.kind !== 'catch');
    const targets = [...new Set(fan.map((t) => targetOf.get(t)!))];
    const overTargets = new Set(loopedInto.has(list[0]!.from) ? [] : targets.slice(0, Math.floor(targets.length / 2)));
    const over = new Set(fan.filter((t) => overTargets.has(targetOf.get(t)!)));
    for (const t of list) roles.set(t, back.has(t) ? 'back' : t === main ? 'main' : over.has(t) ? 'branch-over' : 'branch');
  }
  return { roles, topHeld };
}

function withoutNext(entry: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(entry)) if (k !== 'Next') setKey(out, k, v);
  return out;
}

/** ASL fields as attributes, in order; keys that cannot be written as `.fz` keys go into `X-Fields`. */
function fieldAttributes(fields: JsonObject): Attribute[] {
  const attrs: Attribute[] = [];
  let escaped: JsonObject | undefined;
  for (const [key, value] of Object.entries(fields)) {
    if (isWritableAslKey(key)) attrs.push(makeAttribute(key, value));
    else setKey((escaped ??= {}), key, value);
  }
  if (escaped) attrs.push(makeAttribute(ESCAPED_FIELDS, escaped));
  return attrs;
}

export type { JsonPath };
