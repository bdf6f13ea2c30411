// Diagram -> ASL.
// Input: a Diagram (from parseDiagram, or built in code). Output: an ASL state machine, with
// diagnostics on the `.fz` ranges that explain them.
//
// A diagram written in the ASL profile (grammar/SPEC.md section 4) converts exactly. Anything else is
// converted by inference, and every guess is a warning (an error with `strict`) at the node's range:
//
// * A node without `Type`: a `diamond` becomes a Choice; any other shape a Task when it has a
//   `Resource` field and a Pass otherwise. A `circle` without incoming edges is the start marker,
//   one without outgoing edges an end marker (SPEC 4.3); a circle with both is a Pass.
// * A plain diamond's outgoing edges become Choice rules read from their labels: a label of the
//   form `$.path op value` (`==`, `!=`, `<`, `<=`, `>`, `>=`; value a JSON literal or a bare word)
//   is that comparison; any other label `L` tests the documented input variable `$.choice`
//   (`StringEquals: "L"`). Every rule is guarded by `IsPresent` so that a missing variable falls
//   through to the Default instead of failing the execution. The Default is the edge labelled
//   `Default`, `else` or `otherwise`, or the unlabelled edge; without one, the target of the last
//   edge that goes forward (to a later node) and does not lead back to the diamond is also the
//   Default (so an input without the variable reaches an end), else the last forward edge's, else the last edge's. An edge from a plain diamond to an end marker goes to a Succeed state named
//   after the marker.
// * State names come from labels. FlowZap labels are not names: a plain node whose label another
//   node already has is named `Label (2)`, `Label (3)`, … in node order (the first keeps `Label`), and
//   a label over AWS's 80 characters is cut; each is a warning (`asl-repeated-label`, `asl-inferred`),
//   an error with `strict`.
// * A plain node that is not a diamond, with two or more outgoing edges of which one has a label,
//   is a decision: the node's Task or Pass is followed by a new Choice "<name>?" on those labels,
//   read as a diamond's, so it never has both Next and End.
// * A plain node with no outgoing edge ends the machine (`End: true`).
// * A plain node with several unlabelled outgoing edges forks: it becomes a Parallel state (a Task with a
//   Resource is followed by a new Parallel) with one branch per edge. A branch holds the states
//   reachable from its edge up to the first state all branches reach (the join, the Parallel's Next);
//   an edge to the join ends the branch. A branch whose edge goes straight to the join is one Pass.
// * A plain cycle with no way out: its edge back to an earlier node goes through a Choice
//   "Repeat <node>?" that repeats while `$.repeat` is `true`, else ends in a Succeed `Done`.
// * `loop [text] a … z`: after `z` comes a Choice named after the text that goes back to `a` while
//   the documented input variable `$.repeat` is `true`, and otherwise on to z's old successor (a
//   Succeed `Done` if z ended the machine). A loop already closed by an edge back to `a` adds nothing.
// * Lanes: without `lane`, all top-level lanes are one machine (SPEC 4.6). With `lane`, only that
//   lane's nodes become states; edges into other lanes are dropped (a warning each), edges coming
//   from them are ignored.
// * States are listed in node-id order when every id is `n<number>` (FlowZap numbers ids in
//   declaration order, and from-asl numbers them in `States` order even when it spreads the states
//   over service lanes), otherwise in declaration order.
import { compressedRows, diagnostic, reachableFrom, sortDiagnostics } from '../core/index.js';
import type { Diagnostic, DiagnosticCode, JsonValue, Range, Result } from '../core/index.js';
import { NO_RANGE, isAslKey } from '../model/query.js';
import type { Attribute, Diagram, DiagramNode, Edge, Lane, Loop } from '../model/types.js';
import { NodeGraph } from './node-graph.js';
import { ESCAPED_FIELDS, MAX_STATE_NAME, VERBATIM_VALUE, isObject, setKey } from './fields.js';
import type { AslStateMachine, JsonObject, JsonPath, Locator, ToAslOptions } from './types.js';
import { judgeDefinition } from './validity.js';
import { checkDefinition } from './check.js';

/** A state being assembled: from a node, or made up by inference (then `node` is the node that caused it). */
interface VState {
  name: string;
  node: DiagramNode | undefined;
  /** The node's index in the diagram's nodes, -1 for none. */
  at: number;
  /** The state's index in its scope's list during a search (see reachable). */
  slot: number;
  range: Range;
  fields: JsonObject;
  verbatim?: { value: JsonValue };
  next?: VState;
  nextRange?: Range;
  end?: Range;
  choices: Array<{ rule: JsonObject; to: VState; range: Range }>;
  default?: { to: VState; range: Range; inferred?: boolean };
  catches: Array<{ catcher: JsonObject; to: VState; range: Range }>;
  /** Extra plain transitions of a plain node: the fork a Parallel is inferred from. */
  forks: Array<{ to: VState; range: Range }>;
  block?: { field: string; scopes: VScope[] };
  /** True for a node without `Type` (its transitions are read by inference). */
  plain: boolean;
}

interface VScope {
  fields: JsonObject;
  fieldRanges: Map<string, Range>;
  startAt?: VState;
  startRange: Range;
  startAtVerbatim?: JsonValue;
  states: VState[];
  range: Range;
}

export interface ToAslOutput {
  /** The state machine. */
  value: AslStateMachine;
  /** Where each part of the state machine came from in the `.fz` text. */
  locate: Locator;
  /**
   * The node each state was made from, by state name (state names are unique in a machine). A state
   * inferred for a node (its Choice "X?", its Parallel) maps to that node; one inferred for a loop
   * or a cycle maps to none. The path overlay uses it to find the nodes an execution went through.
   */
  stateNodes: Map<string, string>;
  diagnostics: Diagnostic[];
}

/** Converts a diagram to a state machine; see the header of this file for the rules. */
export function toAsl(diagram: Diagram, options: ToAslOptions = {}): Result<AslStateMachine> {
  const out = toAslWithLocator(diagram, options);
  return { value: out.value, diagnostics: out.diagnostics };
}

/** `toAsl`, also returning the locator that maps ASL paths back to `.fz` ranges. */
export function toAslWithLocator(diagram: Diagram, options: ToAslOptions = {}): ToAslOutput {
  const conv = new Converter(diagram, options);
  const value = conv.run();
  const locate = conv.locator();
  const stateNodes = conv.stateNodes;
  const diagnostics = [...conv.diagnostics];
  // The judgement check, from-asl and render make of an ASL file (validity.ts), unless the diagram
  // itself already failed or validation is off.
  if (!conv.failed && options.validate === false) diagnostics.push(...checkDefinition(value, locate));
  else if (!conv.failed) diagnostics.push(...judgeDefinition(value, locate));
  return { value, locate, stateNodes, diagnostics: dedupe(sortDiagnostics(diagnostics)) };
}

/**
 * Drops repeats (same code, start and message) from a list sorted by start. Repeats share a start,
 * so each diagnostic is compared only with the others that start where it does: no key string per
 * diagnostic (a 50,000-node diagram gives 50,000 warnings).
 */
function dedupe(sorted: Diagnostic[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  let groupStart = 0;
  for (const d of sorted) {
    const last = out[out.length - 1];
    if (!last || last.range.start.line !== d.range.start.line || last.range.start.character !== d.range.start.character) groupStart = out.length;
    let repeated = false;
    for (let i = groupStart; i < out.length && !repeated; i++) repeated = out[i]!.code === d.code && out[i]!.message === d.message;
    if (!repeated) out.push(d);
  }
  return out;
}

/** A plain edge out of a plain node: to a state, or to an end marker. */
interface PlainOut {
  to: VState | undefined;
  /** The index of the end marker the edge goes to. */
  marker: number | undefined;
  range: Range;
  label: string;
}

const REPEAT_VARIABLE = '$.repeat';
const CHOICE_VARIABLE = '$.choice';

/**
 * Where a part of the output came from, as a trie of path segments. A scope's or a state's
 * children are filled in when a lookup first passes through it (most conversions look up a few
 * paths, or none, and a trie of every field of 100,000 states was a tenth of the time).
 */
interface PathNode {
  range?: Range;
  children?: Map<string | number, PathNode>;
  scope?: VScope;
  state?: VState;
}

class Converter {
  readonly diagnostics: Diagnostic[] = [];
  readonly stateNodes = new Map<string, string>();
  failed = false;
  private readonly graph: NodeGraph;
  private readonly lanes = new Map<string, Lane>();
  /** Each node's place in the state order (see the header), by node index. */
  private readonly rank: Float64Array;
  private readonly names = new Map<string, VState>();
  // Where each emitted path came from, as a trie of path segments (no key strings to build).
  private readonly paths: PathNode = {};
  // Each lane's node indices, in source order: a scope takes its lanes' nodes without a pass over all nodes.
  private readonly nodesByLane = new Map<string, number[]>();
  // Per canonical node index: the scope (a number per buildScope call) the node belongs to, the
  // scope it is an end marker of, and its state. A scope is built by one call, so a mark that
  // differs from the call's number means "not in this scope".
  private readonly scopeMark: Int32Array;
  private readonly endMark: Int32Array;
  private readonly stateAt: Array<VState | undefined>;
  private scopes = 0;

  constructor(
    private readonly diagram: Diagram,
    private readonly options: ToAslOptions,
  ) {
    const n = diagram.nodes.length;
    this.graph = new NodeGraph(diagram.nodes, diagram.edges);
    for (const lane of diagram.lanes) if (!this.lanes.has(lane.id)) this.lanes.set(lane.id, lane);
    const numbered = diagram.nodes.every((node) => /^n[0-9]+$/.test(node.id));
    this.rank = new Float64Array(n);
    diagram.nodes.forEach((node, i) => {
      this.rank[i] = numbered ? Number(node.id.slice(1)) : i;
      this.nodesByLane.get(node.lane)?.push(i) ?? this.nodesByLane.set(node.lane, [i]);
    });
    this.scopeMark = new Int32Array(n);
    this.endMark = new Int32Array(n);
    this.stateAt = new Array<VState | undefined>(n);
  }

  private rankOf(v: VState): number {
    return v.at >= 0 ? this.rank[v.at]! : Infinity;
  }

  run(): AslStateMachine {
    const tops = this.diagram.lanes.filter((l) => l.parent === undefined);
    let lanes = tops;
    if (this.options.lane !== undefined) {
      const chosen = tops.find((l) => l.id === this.options.lane);
      if (!chosen) {
        const known = tops.map((l) => l.id).join(', ') || 'none';
        this.report('asl-unknown-lane', NO_RANGE, `There is no top-level lane "${this.options.lane}" to convert (lanes: ${known}).`);
        this.failed = true;
        return { StartAt: '', States: {} };
      }
      lanes = [chosen];
    }
    const range = lanes.length > 0 ? lanes[0]!.range : NO_RANGE;
    const scope = this.buildScope(new Set(lanes.map((l) => l.id)), range, true);
    if (scope.states.length === 0) {
      this.report('asl-not-state-machine', range, 'The diagram has no node that could become a state.');
      this.failed = true;
    }
    if (scope.range !== NO_RANGE) this.paths.range = scope.range;
    this.paths.scope = scope;
    return this.emitScope(scope);
  }

  locator(): Locator {
    // The range of the longest registered prefix of the path.
    return (path: JsonPath) => {
      let node: PathNode | undefined = this.paths;
      let best = node.range ?? NO_RANGE;
      for (const seg of path) {
        this.fill(node);
        node = node.children?.get(seg);
        if (!node) break;
        if (node.range) best = node.range;
      }
      return best;
    };
  }

  private report(code: DiagnosticCode, range: Range, message: string, related?: Diagnostic['related']): void {
    this.diagnostics.push(diagnostic(code, range, message, related ? { related } : {}));
  }

  /** Reports an inference: a warning, or an error under `strict`. */
  private guess(range: Range, message: string): void {
    const strict = this.options.strict === true;
    this.diagnostics.push(diagnostic('asl-inferred', range, strict ? `${message} (--strict: write it explicitly)` : message, { severity: strict ? 'error' : 'warning' }));
  }

  /**
   * A plain node's label as a state name: FlowZap labels are not names, so a label longer than AWS's
   * 80 characters is cut, and a label already taken gets the first free ` (2)`, ` (3)`, … in node
   * order (stable: the first node keeps the label). Each change is a warning, an error with `strict`.
   */
  private plainStateName(label: string, node: DiagramNode): string {
    let base = label;
    if (base.length > MAX_STATE_NAME) {
      base = base.slice(0, MAX_STATE_NAME).trimEnd();
      this.guess(node.range, `The label of ${node.id} is longer than AWS's ${MAX_STATE_NAME} characters: the state is named "${base}".`);
    }
    if (!this.names.has(base)) return base;
    let name = base;
    for (let k = 2; this.names.has(name) || name.length > MAX_STATE_NAME; k++) {
      const suffix = ` (${k})`;
      name = `${base.slice(0, MAX_STATE_NAME - suffix.length).trimEnd()}${suffix}`;
    }
    const first = this.names.get(base)!;
    const strict = this.options.strict === true;
    this.diagnostics.push(
      diagnostic('asl-repeated-label', node.range, `Node ${node.id} repeats the label "${base}" of another node; state names are unique, so this state is named "${name}".${strict ? ' (--strict: give the nodes different labels)' : ''}`, {
        severity: strict ? 'error' : 'warning',
        related: [{ range: first.range, message: `the first node labelled "${base}"` }],
      }),
    );
    return name;
  }

  private uniqueName(base: string): string {
    let name = base;
    for (let k = 2; this.names.has(name); k++) name = `${base} ${k}`;
    return name;
  }

  /** A new state, made from the node at index `at` (or for it), or by inference (`at` -1). */
  private newState(name: string, at: number, range: Range, fields: JsonObject, plain: boolean): VState {
    const node = at >= 0 ? this.diagram.nodes[at] : undefined;
    const st: VState = { name, node, at, slot: -1, range, fields, choices: [], catches: [], forks: [], plain };
    const first = this.names.get(name);
    if (first && node) {
      this.report('asl-duplicate-state-name', range, `Two states are named "${name}"; state names must be unique in the whole state machine. Rename one of them.`, [
        { range: first.range, message: 'the other state with this name' },
      ]);
    } else if (!first) {
      this.names.set(name, st);
    }
    return st;
  }

  /** Builds one scope from the nodes of the given lanes. */
  private buildScope(laneIds: Set<string>, range: Range, top: boolean): VScope {
    // Ties in rank (n1 and n01) keep source order, as a filter of all nodes would.
    const order: number[] = [];
    for (const l of laneIds) for (const i of this.nodesByLane.get(l) ?? []) order.push(i);
    const before = (a: number, b: number): number => this.rank[a]! - this.rank[b]! || a - b;
    // Most diagrams are already in rank order: check that in one pass before sorting.
    if (order.some((x, k) => k > 0 && before(order[k - 1]!, x) > 0)) order.sort(before);
    const { graph, stateAt } = this;
    const mark = ++this.scopes;
    for (const i of order) this.scopeMark[graph.canon[i]!] = mark;
    const inScope = (c: number): boolean => c >= 0 && this.scopeMark[c] === mark;
    const scope: VScope = { fields: {}, fieldRanges: new Map(), startRange: range, states: [], range };

    // Classify: states, the start marker, end markers, plain nodes.
    let start: number | undefined;
    for (const i of order) {
      const node = this.diagram.nodes[i]!;
      const c = graph.canon[i]!;
      let typed = false;
      for (const a of node.attributes) if (a.key === 'Type' || a.key === VERBATIM_VALUE) typed = true;
      if (!typed && node.shape === 'circle') {
        let noIn = true;
        for (let k = graph.inStart[c]!; k < graph.inStart[c + 1]! && noIn; k++) if (inScope(graph.inSource[k]!)) noIn = false;
        const noOut = graph.outStart[c] === graph.outStart[c + 1];
        if (noIn && start === undefined) {
          start = i;
          continue;
        }
        if (!noIn && noOut) {
          this.endMark[c] = mark;
          continue;
        }
      }
      const description = node.attributes.find((a) => a.key === 'description' && typeof a.value === 'string')?.value as string | undefined;
      let name = node.label ?? description ?? node.id;
      if (node.label === undefined && description === undefined) this.guess(node.range, `Node ${node.id} has no label; its id "${node.id}" is used as the state name.`);
      if (!typed) name = this.plainStateName(name, node);
      const fields = this.nodeFields(node);
      let st: VState;
      if (typed) {
        const verbatim = node.attributes.find((a) => a.key === VERBATIM_VALUE);
        st = this.newState(name, i, node.range, verbatim ? {} : fields, false);
        if (verbatim) st.verbatim = { value: verbatim.value };
      } else {
        const type = node.shape === 'diamond' ? 'Choice' : 'Resource' in fields ? 'Task' : 'Pass';
        const why =
          type === 'Choice'
            ? 'a diamond'
            : type === 'Task'
              ? 'it has a Resource'
              : `a ${node.shape} without Resource (add Type:"Task" and a Resource to call a service)`;
        this.guess(node.range, `Node ${node.id} "${name}" has no Type: converted to a ${type} state, as ${why}.`);
        const typedFields: JsonObject = { Type: type };
        for (const [k, v] of Object.entries(fields)) setKey(typedFields, k, v);
        st = this.newState(name, i, node.range, typedFields, true);
      }
      stateAt[c] = st;
      scope.states.push(st);
    }

    // The scope's own fields and StartAt, from the start marker.
    const startNode = start === undefined ? undefined : this.diagram.nodes[start]!;
    if (start !== undefined && startNode) {
      scope.startRange = startNode.range;
      for (const a of startNode.attributes) {
        if (!isAslKey(a.key)) continue;
        if (a.key === ESCAPED_FIELDS && isObject(a.value)) {
          for (const [k, v] of Object.entries(a.value)) {
            setKey(scope.fields, k, v);
            scope.fieldRanges.set(k, a.valueRange);
          }
        } else if (a.key === 'StartAt') {
          scope.startAtVerbatim = a.value;
          scope.fieldRanges.set('StartAt', a.valueRange);
        } else {
          setKey(scope.fields, a.key, a.value);
          scope.fieldRanges.set(a.key, a.valueRange);
        }
      }
      const startEdges: Array<{ range: Range; to: VState }> = [];
      const c = graph.canon[start]!;
      for (let k = graph.outStart[c]!; k < graph.outStart[c + 1]!; k++) {
        const t = graph.outTarget[k]!;
        const to = inScope(t) ? stateAt[t] : undefined;
        if (to) startEdges.push({ range: edgeRange(graph.outEdges[k]!), to });
      }
      if (startEdges.length > 0) {
        if (scope.startAtVerbatim !== undefined) {
          this.report('asl-transition-conflict', startEdges[0]!.range, 'The start marker has both a StartAt field and an edge; keep one of them.');
        }
        scope.startAt = startEdges[0]!.to;
        scope.startRange = startEdges[0]!.range;
        if (startEdges.length > 1) this.guess(startEdges[1]!.range, 'The start marker has several edges; the first one names StartAt and the others are ignored.');
      }
    }
    // Without a start marker, StartAt is the first state (SPEC 4.3). A start marker without an edge
    // or StartAt field stands for a scope without StartAt (from-asl draws such invalid input so);
    // in a plain diagram it is read as starting at the first node.
    if (!scope.startAt && scope.startAtVerbatim === undefined && scope.states.length > 0) {
      if (!startNode) scope.startAt = scope.states[0];
      else if (scope.states.every((s) => s.plain)) {
        scope.startAt = scope.states[0];
        this.guess(startNode.range, `The start marker has no edge: the machine starts at the first node, "${scope.states[0]!.name}".`);
      }
    }

    // Transitions, from each node's outgoing edges in diagram order.
    const succeedFor = new Map<number, VState>();
    const endTarget = (markerAt: number, why: Range): VState => {
      const marker = this.diagram.nodes[markerAt]!;
      let st = succeedFor.get(graph.canon[markerAt]!);
      if (!st) {
        const name = this.uniqueName(marker.label ?? 'End');
        st = this.newState(name, markerAt, marker.range, { Type: 'Succeed' }, true);
        succeedFor.set(graph.canon[markerAt]!, st);
        scope.states.push(st);
      }
      this.guess(why, `A Choice cannot end the machine: the edge goes to a new Succeed state "${st.name}".`);
      return st;
    };
    for (const i of order) {
      const node = this.diagram.nodes[i]!;
      const c = graph.canon[i]!;
      const st = stateAt[c];
      if (!st || st.at !== i) continue;
      const outStart = graph.outStart[c]!;
      const outEnd = graph.outStart[c + 1]!;
      if (st.verbatim) {
        for (let k = outStart; k < outEnd; k++) this.guess(edgeRange(graph.outEdges[k]!), `"${st.name}" stands for a States entry that is not a state (X-Value); its edges are ignored.`);
        continue;
      }
      const defaults: Array<{ to: VState; range: Range }> = [];
      const labelled: Array<{ to: VState; range: Range; label: string }> = [];
      const plainOuts: PlainOut[] = [];
      for (let k = outStart; k < outEnd; k++) {
        const e = graph.outEdges[k]!;
        const t = graph.outTarget[k]!;
        if (t < 0) continue; // undefined-node, reported by the model
        const targetNode = this.diagram.nodes[t]!;
        const range = edgeRange(e);
        if (!inScope(t)) {
          const targetLane = this.lanes.get(targetNode.lane);
          if (top && this.options.lane !== undefined && targetLane && targetLane.parent === undefined) {
            this.guess(range, `The edge goes to lane "${targetLane.id}", which is left out (converting lane "${this.options.lane}" only); it is dropped.`);
          } else {
            this.report('edge-leaves-branch', range, `The edge from "${st.name}" leaves its ${top ? 'state machine' : 'Parallel branch or Map processor'}: branches and processors are closed state machines, so a transition must stay inside them.`);
          }
          continue;
        }
        const isEnd = this.endMark[t] === mark;
        const to = isEnd ? undefined : stateAt[t];
        if (!isEnd && !to) continue; // an edge into the start marker: it is then not a start marker
        let choice: Attribute | undefined;
        let deflt: Attribute | undefined;
        let catcher: Attribute | undefined;
        let other: Attribute | undefined;
        for (const a of e.attributes) {
          if (a.key === 'Choice') choice ??= a;
          else if (a.key === 'Default') deflt ??= a;
          else if (a.key === 'Catch') catcher ??= a;
          else if (isAslKey(a.key)) other ??= a;
        }
        if (other) this.guess(other.keyRange, `Edges carry only Choice, Default and Catch; "${other.key}" is ignored.`);
        if (choice || deflt || catcher) {
          if (isEnd && !st.plain) {
            this.report('asl-transition-conflict', range, 'A Choice rule, Default or Catch must go to a state, not to an end marker.');
            continue;
          }
          const target = to ?? endTarget(t, range);
          if (choice) {
            if (!isObject(choice.value)) this.report('asl-choice-without-rule', choice.valueRange, 'A Choice= value must be a rule object such as {"Variable":"$.x","NumericEquals":0}.');
            else st.choices.push({ rule: choice.value, to: target, range: range });
          }
          if (deflt) {
            if (st.default) this.report('asl-transition-conflict', range, `"${st.name}" has two Default edges; a Choice has one Default.`);
            else st.default = { to: target, range: range };
          }
          if (catcher) {
            if (!isObject(catcher.value)) this.report('asl-invalid-state', catcher.valueRange, 'A Catch= value must be a catcher object such as {"ErrorEquals":["States.ALL"]}.');
            else st.catches.push({ catcher: catcher.value, to: target, range: range });
          }
          continue;
        }
        // A plain edge.
        if (st.fields.Type === 'Choice') {
          if (!st.plain) {
            this.report('asl-choice-without-rule', range, `The edge from Choice state "${st.name}" has no rule: add Choice={…} with the rule, or Default=true.`);
            continue;
          }
          const label = (e.label ?? '').trim();
          if (label === '' || /^(default|else|otherwise)$/i.test(label)) defaults.push({ to: to ?? endTarget(t, range), range: range });
          else labelled.push({ to: to ?? endTarget(t, range), range: range, label });
          continue;
        }
        if (st.plain) {
          // Read after the loop: several edges with a label make a decision (see decide).
          plainOuts.push({ to, marker: isEnd ? t : undefined, range: range, label: (e.label ?? '').trim() });
          continue;
        }
        if (isEnd) {
          if (st.end) this.guess(range, `"${st.name}" has two edges to end markers; one End is enough.`);
          st.end = range;
        } else if (!st.next) {
          st.next = to!;
          st.nextRange = range;
        } else if (st.plain) {
          st.forks.push({ to: to!, range: range });
        } else {
          this.report('asl-transition-conflict', range, `"${st.name}" has a second plain edge: a state has one Next. Use a Parallel state to run steps side by side, or a Choice to pick one.`);
        }
      }
      if (st.plain && st.fields.Type !== 'Choice') this.plainTransitions(scope, st, plainOuts, endTarget);
      if (st.plain && st.fields.Type === 'Choice') this.inferChoice(st, labelled, defaults);
      if (st.plain && st.fields.Type !== 'Choice' && st.fields.Type !== 'Succeed' && !st.next && !st.end && outStart === outEnd) {
        st.end = st.range;
        this.guess(st.range, `"${st.name}" has no outgoing edge: it ends the machine (End: true).`);
      }
      // Nested lanes.
      if (node.block && node.block.lanes.length > 0) {
        const type = st.fields.Type;
        const field = node.block.field ?? (type === 'Map' ? 'ItemProcessor' : 'Branches');
        const scopes = node.block.lanes.map((id) => {
          const lane = this.lanes.get(id);
          return this.buildScope(new Set([id]), lane ? lane.range : node.block!.range, false);
        });
        if (field !== 'Branches' && scopes.length > 1) {
          this.report('asl-invalid-state', node.block.range, `A Map state's block holds one lane (its ${field}); this one has ${scopes.length}.`);
        }
        st.block = { field, scopes };
      }
    }

    this.inferLoops(scope, inScope);
    this.breakEndlessCycles(scope);
    this.dropUnreachable(scope);
    this.inferForks(scope);
    return scope;
  }

  /** The ASL fields of a node, with `X-Fields` merged in. */
  private nodeFields(node: DiagramNode): JsonObject {
    const fields: JsonObject = {};
    for (const a of node.attributes) {
      if (!isAslKey(a.key) || a.key === VERBATIM_VALUE) continue;
      if (a.key === ESCAPED_FIELDS && isObject(a.value)) {
        for (const [k, v] of Object.entries(a.value)) setKey(fields, k, v);
      } else if (!Object.hasOwn(fields, a.key)) {
        setKey(fields, a.key, a.value);
      }
    }
    return fields;
  }

  /**
   * The plain edges out of a plain node that is not a diamond. Two or more, one of them labelled:
   * a decision, so the node becomes a Choice on those labels (a Task is followed by a new Choice
   * "<name>?"); never a state with both Next and End. Otherwise the first edge is the Next (or End),
   * and further ones fork into a Parallel (inferForks).
   */
  private plainTransitions(scope: VScope, st: VState, outs: PlainOut[], endTarget: (markerAt: number, why: Range) => VState): void {
    const isDefault = (label: string): boolean => label === '' || /^(default|else|otherwise)$/i.test(label);
    if (outs.length >= 2 && outs.some((o) => !isDefault(o.label))) {
      // The node's own step stays (a Task or Pass); the decision after it is a new Choice.
      const choice = this.newState(this.uniqueName(`${st.name}?`), st.at, st.range, { Type: 'Choice' }, true);
      scope.states.splice(scope.states.indexOf(st) + 1, 0, choice);
      st.next = choice;
      st.nextRange = st.range;
      this.guess(st.range, `"${st.name}" has ${outs.length} outgoing edges with labels: the ${st.fields.Type} is followed by a Choice "${choice.name}" on those labels.`);
      const labelled: Array<{ to: VState; range: Range; label: string }> = [];
      const defaults: Array<{ to: VState; range: Range }> = [];
      for (const o of outs) {
        const to = o.to ?? endTarget(o.marker!, o.range);
        if (isDefault(o.label)) defaults.push({ to, range: o.range });
        else labelled.push({ to, range: o.range, label: o.label });
      }
      this.inferChoice(choice, labelled, defaults);
      return;
    }
    for (const o of outs) {
      if (o.marker !== undefined) {
        if (st.end || st.next) this.guess(o.range, st.end ? `"${st.name}" has two edges to end markers; one End is enough.` : `"${st.name}" already goes on to "${st.next!.name}"; the edge to an end marker is ignored.`);
        else st.end = o.range;
      } else if (st.end) {
        this.guess(o.range, `"${st.name}" already ends the machine; the edge to "${o.to!.name}" is ignored.`);
      } else if (!st.next) {
        st.next = o.to!;
        st.nextRange = o.range;
      } else st.forks.push({ to: o.to!, range: o.range });
    }
  }

  /** Rules for a plain diamond, read from its edge labels (see the header). */
  private inferChoice(st: VState, labelled: Array<{ to: VState; range: Range; label: string }>, defaults: Array<{ to: VState; range: Range }>): void {
    for (const l of labelled) {
      const rule = ruleFromLabel(l.label);
      st.choices.push({ rule, to: l.to, range: l.range });
      this.guess(l.range, `Choice rule read from the label "${l.label}": ${JSON.stringify(rule)}.`);
    }
    if (!st.default) {
      // Without a Default edge, the last edge that goes forward is also the Default, so that an
      // execution whose input matches no rule runs on instead of going round a loop forever.
      // And of those, one that does not lead back to this node, so that an input without the
      // variable always reaches an end.
      const forward = labelled.filter((l) => this.rankOf(l.to) > this.rankOf(st));
      // There is an edge from this node to each target, so a target leads back to the node exactly
      // when the two are on one cycle.
      const exits = forward.filter((l) => !(l.to.at >= 0 && st.at >= 0 && this.graph.inOneCycle(this.graph.canon[l.to.at]!, this.graph.canon[st.at]!)));
      const d = defaults[0] ?? exits[exits.length - 1] ?? forward[forward.length - 1] ?? labelled[labelled.length - 1];
      if (d) {
        st.default = { to: d.to, range: d.range, inferred: !defaults[0] };
        if (!defaults[0]) this.guess(d.range, `"${st.name}" has no Default edge: the edge to "${d.to.name}" is also the Default.`);
      }
    }
    for (const extra of defaults.slice(1)) this.guess(extra.range, `"${st.name}" has several unlabelled edges; only the first is the Default, this one is ignored.`);
    if (st.choices.length === 0) {
      // A Choice needs at least one rule; a diamond with one way out is a plain step.
      st.fields.Type = 'Pass';
      if (st.default) {
        st.next = st.default.to;
        st.nextRange = st.default.range;
        st.default = undefined;
      } else {
        st.end = st.range;
      }
      this.guess(st.range, `"${st.name}" is a diamond without labelled edges: converted to a Pass state.`);
    }
  }

  /** `loop [text] a … z` fragments become a Choice guard after z that goes back to a. */
  private inferLoops(scope: VScope, inScope: (c: number) => boolean): void {
    for (const loop of this.diagram.loops) {
      const at = loop.nodes.map((id) => this.graph.indexOf(id));
      if (at.length === 0 || !at.every(inScope)) continue;
      const members = at.map((c) => this.stateAt[c]).filter((s): s is VState => s !== undefined);
      if (members.length === 0) continue;
      const first = members[0]!;
      const last = members[members.length - 1]!;
      if (members.some((m) => successors(m).includes(first))) {
        this.guess(loop.range, `The loop "${loop.text}" is already closed by an edge back to "${first.name}"; nothing is added.`);
        continue;
      }
      if (last.verbatim || (last.fields.Type === 'Choice' && !last.plain)) {
        this.guess(loop.range, `The loop "${loop.text}" ends at "${last.name}", which cannot be followed by a guard; the loop is ignored.`);
        continue;
      }
      this.addLoopGuard(scope, loop, first, last);
    }
  }

  private addLoopGuard(scope: VScope, loop: Loop, first: VState, last: VState): void {
    const name = this.uniqueName(loop.text.trim() || 'Repeat?');
    const guard = this.newState(name, -1, loop.range, { Type: 'Choice' }, true);
    guard.choices.push({ rule: guarded(REPEAT_VARIABLE, { Variable: REPEAT_VARIABLE, BooleanEquals: true }), to: first, range: loop.range });
    // After a Choice, the guard sits on the way taken when no rule matches (its Default).
    const afterChoice = last.fields.Type === 'Choice';
    let exit = afterChoice ? last.default?.to : last.next;
    if (!exit) {
      exit = this.newState(this.uniqueName('Done'), -1, loop.range, { Type: 'Succeed' }, true);
      scope.states.push(exit);
      last.end = undefined;
    }
    guard.default = { to: exit, range: loop.range };
    if (afterChoice) {
      last.default = { to: guard, range: loop.range };
    } else {
      last.next = guard;
      last.nextRange = loop.range;
    }
    scope.states.splice(scope.states.indexOf(last) + 1, 0, guard);
    this.guess(loop.range, `The loop "${loop.text}" becomes a Choice "${name}" after "${last.name}": back to "${first.name}" while ${REPEAT_VARIABLE} is true, else on to "${exit.name}".`);
  }

  /**
   * A plain cycle with no way out (a request/response round trip drawn as a ring) would never end,
   * which AWS rejects: its edge back to an earlier node goes through a Choice that repeats while the
   * documented `$.repeat` is true and otherwise ends in a Succeed "Done".
   */
  private breakEndlessCycles(scope: VScope): void {
    // The states from which an ending state can be reached: a search backwards from the ending
    // states over reversed edges, linear in the scope (a fixed point over the list was quadratic on
    // a long chain: 50,000 nodes took five minutes).
    const canEnd = (): Uint8Array => {
      const ends: VState[] = [];
      for (const s of scope.states) if (s.end || s.fields.Type === 'Succeed' || s.fields.Type === 'Fail' || s.verbatim) ends.push(s);
      return reachable(scope.states, ends, true);
    };
    // Only a plain step back (to an earlier node) can close such a cycle: most scopes have none.
    const backSteps = scope.states.filter((st) => st.plain && st.next && this.rankOf(st.next) <= this.rankOf(st) && st.fields.Type !== 'Choice');
    if (backSteps.length === 0) return;
    let ending = canEnd();
    for (const st of backSteps) {
      if (ending[st.slot]) continue;
      const back = st.next!;
      const guard = this.newState(this.uniqueName(`Repeat ${back.name}?`), -1, st.nextRange ?? st.range, { Type: 'Choice' }, true);
      const done = this.newState(this.uniqueName('Done'), -1, st.range, { Type: 'Succeed' }, true);
      guard.choices.push({ rule: guarded(REPEAT_VARIABLE, { Variable: REPEAT_VARIABLE, BooleanEquals: true }), to: back, range: guard.range });
      guard.default = { to: done, range: guard.range };
      st.next = guard;
      scope.states.splice(scope.states.indexOf(st) + 1, 0, guard);
      scope.states.push(done);
      this.guess(guard.range, `The edge from "${st.name}" back to "${back.name}" closes a cycle with no way out: it goes through a Choice "${guard.name}" that repeats while ${REPEAT_VARIABLE} is true, else ends in "${done.name}".`);
      ending = canEnd();
    }
  }

  /** Plain nodes no transition leads to are left out (AWS rejects unreachable states); typed states stay and are reported. */
  private dropUnreachable(scope: VScope): void {
    if (!scope.startAt) return;
    const reached = reachable(scope.states, [scope.startAt], false);
    scope.states = scope.states.filter((s, k) => {
      if (reached[k] || !s.plain) return true;
      this.guess(s.range, `"${s.name}" is not reachable from the start: it is left out of the state machine.`);
      return false;
    });
  }

  /** A plain node with several plain edges becomes a Parallel (see the header). */
  private inferForks(scope: VScope): void {
    for (let i = 0; i < scope.states.length; i++) {
      const st = scope.states[i]!;
      if (st.forks.length === 0 || !st.next) continue;
      const targets = [{ to: st.next, range: st.nextRange ?? st.range }, ...st.forks];
      st.forks = [];
      const inScope = new Set(scope.states);
      const dist = targets.map((t) => distances(t.to, st, inScope));
      let join: VState | undefined;
      let best = Infinity;
      for (const [cand, d0] of dist[0]!) {
        let sum = d0;
        for (const d of dist.slice(1)) {
          const x = d.get(cand);
          sum = x === undefined ? Infinity : sum + x;
        }
        if (sum < best) {
          best = sum;
          join = cand;
        }
      }
      const taken = new Set<VState>();
      const branches: VScope[] = targets.map((t, k) => {
        const members: VState[] = [];
        if (t.to !== join) {
          const queue = [t.to];
          const seen = new Set<VState>([t.to]);
          for (let i = 0; i < queue.length; i++) {
            const s = queue[i]!;
            if (taken.has(s)) continue;
            taken.add(s);
            members.push(s);
            for (const n of successors(s)) if (n !== join && n !== st && inScope.has(n) && !seen.has(n)) seen.add(n), queue.push(n);
          }
        }
        const ordered = scope.states.filter((s) => members.includes(s));
        if (ordered.length === 0) {
          const pass = this.newState(this.uniqueName(`${st.name} branch ${k + 1}`), -1, t.range, { Type: 'Pass' }, true);
          pass.end = t.range;
          ordered.push(pass);
        }
        const set = new Set(ordered);
        for (const s of ordered) this.closeBranch(s, set, join, t.range);
        return { fields: {}, fieldRanges: new Map(), startAt: ordered.includes(t.to) ? t.to : ordered[0]!, startRange: t.range, states: ordered, range: t.range };
      });
      scope.states = scope.states.filter((s) => !taken.has(s));
      let parallel = st;
      if (st.fields.Type === 'Task') {
        parallel = this.newState(this.uniqueName(`${st.name} (parallel)`), st.at, st.range, { Type: 'Parallel' }, true);
        scope.states.splice(scope.states.indexOf(st) + 1, 0, parallel);
        st.next = parallel;
      } else {
        st.fields.Type = 'Parallel';
      }
      parallel.block = { field: 'Branches', scopes: branches };
      parallel.next = join;
      parallel.end = join ? undefined : st.range;
      this.guess(
        st.range,
        `"${st.name}" has ${targets.length} plain outgoing edges: it runs them as a Parallel state "${parallel.name}" with ${targets.length} branches${join ? `, joining at "${join.name}"` : ''}.`,
      );
      for (const b of branches) this.inferForks(b);
      i = scope.states.indexOf(st);
    }
  }

  /** Inside an inferred branch: a transition to the join, or out of the branch, ends the branch. */
  private closeBranch(s: VState, members: Set<VState>, join: VState | undefined, range: Range): void {
    const outside = (t: VState): boolean => !members.has(t);
    if (s.next && outside(s.next)) {
      if (s.next !== join) this.guess(s.nextRange ?? range, `The edge from "${s.name}" to "${s.next.name}" leaves its inferred Parallel branch: the branch ends there instead.`);
      s.next = undefined;
      s.end = s.nextRange ?? range;
    }
    s.forks = s.forks.filter((f) => !outside(f.to));
    for (const list of [s.choices, s.catches] as Array<Array<{ to: VState; range: Range }>>) {
      for (const c of list) {
        if (outside(c.to)) this.report('edge-leaves-branch', c.range, `The edge from "${s.name}" to "${c.to.name}" would leave the Parallel branch inferred for it; draw the fork explicitly.`);
      }
    }
  }

  /** The trie node below `parent` for one path segment, made on first use. */
  private child(parent: PathNode, seg: string | number): PathNode {
    parent.children ??= new Map();
    let node = parent.children.get(seg);
    if (!node) parent.children.set(seg, (node = {}));
    return node;
  }

  /** Records where the value at `parent`/`seg` came from. */
  private register(parent: PathNode, seg: string | number, range: Range): void {
    if (range !== NO_RANGE) this.child(parent, seg).range = range;
  }

  /** A scope's or state's node waiting to be filled: a later registration of a key wins, as emitting does. */
  private fill(at: PathNode): void {
    const { scope, state } = at;
    at.scope = at.state = undefined;
    if (scope) {
      for (const k of Object.keys(scope.fields)) this.register(at, k, scope.fieldRanges.get(k) ?? scope.startRange);
      this.register(at, 'StartAt', scope.startRange);
      const statesAt = this.child(at, 'States');
      for (const st of scope.states) {
        const node = this.child(statesAt, st.name);
        if (st.range !== NO_RANGE) node.range = st.range;
        node.state = st;
      }
    }
    if (state && !state.verbatim) {
      const st = state;
      if (st.node) for (const a of st.node.attributes) if (isAslKey(a.key)) this.register(at, a.key, a.valueRange);
      if (st.next) this.register(at, 'Next', st.nextRange ?? st.range);
      if (st.end) this.register(at, 'End', st.end);
      if (st.choices.length > 0) {
        this.register(at, 'Choices', st.choices[0]!.range);
        const choicesAt = this.child(at, 'Choices');
        st.choices.forEach((c, i) => this.register(choicesAt, i, c.range));
      }
      if (st.default) this.register(at, 'Default', st.default.range);
      if (st.catches.length > 0) {
        this.register(at, 'Catch', st.catches[0]!.range);
        const catchAt = this.child(at, 'Catch');
        st.catches.forEach((c, i) => this.register(catchAt, i, c.range));
      }
      if (st.block) {
        const { field, scopes } = st.block;
        const fieldAt = this.child(at, field);
        if (field === 'Branches') {
          scopes.forEach((b, i) => {
            const branchAt = this.child(fieldAt, i);
            if (b.range !== NO_RANGE) branchAt.range = b.range;
            branchAt.scope = b;
          });
        }
        else if (scopes[0]) fieldAt.scope = scopes[0];
        // The block field's own range is the state's, also for a Map whose processor is that node.
        if (st.range !== NO_RANGE) fieldAt.range = st.range;
      }
    }
  }

  private emitScope(scope: VScope): JsonObject {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(scope.fields)) setKey(out, k, v);
    if (scope.startAtVerbatim !== undefined) setKey(out, 'StartAt', scope.startAtVerbatim);
    else if (scope.startAt) out.StartAt = scope.startAt.name;
    const states: JsonObject = {};
    for (const st of scope.states) setKey(states, st.name, this.emitState(st));
    out.States = states;
    return out;
  }

  private emitState(st: VState): JsonValue {
    if (st.node && !this.stateNodes.has(st.name)) this.stateNodes.set(st.name, st.node.id);
    if (st.verbatim) return st.verbatim.value;
    // The state's fields object was made for this state alone and is emitted once: it becomes the
    // output (no copy per state).
    const out = st.fields;
    const derived = (key: string, value: JsonValue, range: Range): void => {
      if (Object.hasOwn(out, key)) this.report('asl-transition-conflict', range, `"${st.name}" has a ${key} field and an edge that also sets ${key}; keep one of them.`);
      setKey(out, key, value);
    };
    if (st.next) derived('Next', st.next.name, st.nextRange ?? st.range);
    if (st.end) derived('End', true, st.end);
    if (st.choices.length > 0) {
      derived(
        'Choices',
        st.choices.map((c) => ({ ...copy(c.rule), Next: c.to.name })),
        st.choices[0]!.range,
      );
    }
    if (st.default) derived('Default', st.default.to.name, st.default.range);
    if (st.catches.length > 0) {
      derived(
        'Catch',
        st.catches.map((c) => ({ ...copy(c.catcher), Next: c.to.name })),
        st.catches[0]!.range,
      );
    }
    if (st.block) {
      const { field, scopes } = st.block;
      if (field === 'Branches') derived(field, scopes.map((s) => this.emitScope(s)), st.range);
      else if (scopes[0]) derived(field, this.emitScope(scopes[0]), st.range);
    }
    return out;
  }
}

/** An edge's range; models built before edges had ranges get the span of its two ends. */
function edgeRange(e: Edge): Range {
  const r = e.range;
  if (r.start.line !== r.end.line || r.start.character !== r.end.character) return r;
  const end = e.to.handleRange ?? e.to.nodeRange;
  return { start: e.from.nodeRange.start, end: end.end };
}

function copy(o: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) if (k !== 'Next') setKey(out, k, v);
  return out;
}

/**
 * The states of `states` reachable from `roots` (1 at their index), following transitions, or with
 * `backwards` the states that reach a root. Linear: each state's slot is its index here, so the
 * graph is a pair of typed arrays rather than a Map of lists (a transition to a state of another
 * scope, whose slot names some other state, is not followed).
 */
function reachable(states: VState[], roots: VState[], backwards: boolean): Uint8Array {
  const n = states.length;
  for (let k = 0; k < n; k++) states[k]!.slot = k;
  const inHere = (t: VState): boolean => states[t.slot] === t;
  const from: number[] = [];
  const to: number[] = [];
  const buffer: VState[] = [];
  for (let k = 0; k < n; k++) {
    for (const t of successorsInto(states[k]!, buffer)) {
      if (!inHere(t)) continue;
      from.push(backwards ? t.slot : k);
      to.push(backwards ? k : t.slot);
    }
  }
  const slots: number[] = [];
  for (const r of roots) if (inHere(r)) slots.push(r.slot);
  return reachableFrom(compressedRows(n, from, to), slots, n);
}

/** A state's transitions' targets, written into `out` (cleared first) instead of a new array. */
function successorsInto(s: VState, out: VState[]): VState[] {
  out.length = 0;
  if (s.next) out.push(s.next);
  for (const f of s.forks) out.push(f.to);
  for (const c of s.choices) out.push(c.to);
  if (s.default) out.push(s.default.to);
  for (const c of s.catches) out.push(c.to);
  return out;
}

function successors(s: VState): VState[] {
  return successorsInto(s, []);
}

/** Breadth-first distances from `from`, not passing through `avoid`. */
function distances(from: VState, avoid: VState, allowed: Set<VState>): Map<VState, number> {
  const dist = new Map<VState, number>([[from, 0]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const s = queue[i]!;
    for (const n of successors(s)) {
      if (n === avoid || !allowed.has(n) || dist.has(n)) continue;
      dist.set(n, dist.get(s)! + 1);
      queue.push(n);
    }
  }
  return dist;
}

/** A rule that is false, not an error, when the variable is missing from the input. */
function guarded(variable: string, rule: JsonObject): JsonObject {
  return { And: [{ Variable: variable, IsPresent: true }, rule] };
}

const OPS: Record<string, [string, string, string]> = {
  // op: [string comparator, numeric comparator, timestamp-free boolean comparator]
  '==': ['StringEquals', 'NumericEquals', 'BooleanEquals'],
  '!=': ['StringEquals', 'NumericEquals', 'BooleanEquals'],
  '<': ['StringLessThan', 'NumericLessThan', ''],
  '<=': ['StringLessThanEquals', 'NumericLessThanEquals', ''],
  '>': ['StringGreaterThan', 'NumericGreaterThan', ''],
  '>=': ['StringGreaterThanEquals', 'NumericGreaterThanEquals', ''],
};

/** A Choice rule from an edge label: `$.status == 0`, `$.kind != "a"`, or a word tested on `$.choice`. */
export function ruleFromLabel(label: string): JsonObject {
  const m = /^(\$[^\s=!<>]*)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(label.trim());
  if (m) {
    const variable = m[1]!;
    const op = m[2]!;
    let value: JsonValue = m[3]!.trim();
    try {
      value = JSON.parse(value) as JsonValue;
    } catch {
      // A bare word: compare as a string.
    }
    const [s, n, b] = OPS[op]!;
    const comparator = typeof value === 'number' ? n : typeof value === 'boolean' && b ? b : s;
    if (typeof value !== 'number' && typeof value !== 'string' && !(typeof value === 'boolean' && b)) value = JSON.stringify(value);
    const cmp: JsonObject = { Variable: variable, [comparator]: value };
    return guarded(variable, op === '!=' ? { Not: cmp } : cmp);
  }
  return guarded(CHOICE_VARIABLE, { Variable: CHOICE_VARIABLE, StringEquals: label });
}

export type { Lane };
