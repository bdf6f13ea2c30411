// Reading ASL text: JSON or YAML, a bare definition or a CloudFormation / SAM / Serverless template.
// Input: the text of a file (the CLI reads it) and its name. Output: the definition as JSON, a
// Locator from paths in the definition to line/column ranges in that text, and diagnostics for
// text that is not valid JSON/YAML or holds no state machine. No I/O.
import { parseDocument, isMap, isSeq, isPair, isScalar, visit, YAMLMap } from 'yaml';
import type { Document, Node as YamlNode, Pair, ScalarTag, CollectionTag } from 'yaml';
import { LineIndex } from '../core/index.js';
import { NO_RANGE } from '../model/query.js';
import { diagnostic } from '../core/index.js';
import type { Diagnostic, JsonValue, Range, Result } from '../core/index.js';
import { isObject } from './fields.js';
import { jsonLocator } from './json-locate.js';
import { MAX_ASL_DEPTH, MAY_OVERFLOW, jsonDepthOffset, markWithinDepth, nonFinitePath, tooDeepPath } from './limits.js';
import type { JsonObject, JsonPath, Locator } from './types.js';
import { judgeDefinition } from './validity.js';

export interface LoadOptions {
  /** The file name, for choosing JSON or YAML by extension (`.json`, `.yaml`, `.yml`); `-`/absent: by content. */
  name?: string;
  /** In a template with several state machines, the logical id of the one to read. */
  resource?: string;
}

export interface LoadedAsl {
  /** The state machine definition; undefined when none could be read. */
  definition: JsonValue | undefined;
  /** Paths in the definition to ranges in the text. */
  locate: Locator;
  /** What the text was: a bare definition, or a template holding it. */
  source: 'definition' | 'cloudformation' | 'serverless';
  /** The template resource (or Serverless state machine) the definition came from. */
  resource?: string;
}

const STATE_MACHINE_TYPES = ['AWS::StepFunctions::StateMachine', 'AWS::Serverless::StateMachine'];

export function loadAsl(text: string, options: LoadOptions = {}): Result<LoadedAsl> {
  const lines = new LineIndex(text);
  const diagnostics: Diagnostic[] = [];
  const name = options.name ?? '';
  const format = /\.json$/i.test(name) ? 'json' : /\.ya?ml$/i.test(name) ? 'yaml' : /^\s*[{[]/.test(text) ? 'json' : 'yaml';
  let doc: Document.Parsed | undefined;
  const getDoc = (): Document.Parsed => (doc ??= parseDocument(text, { customTags: CFN_TAGS, uniqueKeys: false }));
  let value: JsonValue | undefined;
  const empty: LoadedAsl = { definition: undefined, locate: () => NO_RANGE, source: 'definition' };

  if (text.trim() === '') {
    diagnostics.push(diagnostic('asl-invalid-input', NO_RANGE, 'The file is empty: expected an ASL state machine (JSON or YAML).'));
    return { value: empty, diagnostics };
  }
  const tooDeep = (at: Range): Result<LoadedAsl> => {
    diagnostics.push(diagnostic('asl-too-deep', at, `The definition is nested deeper than ${MAX_ASL_DEPTH} levels of objects and arrays here; flowlane reads no deeper (a real state machine stays far below).`));
    return { value: empty, diagnostics };
  };
  if (format === 'json') {
    // Before parsing: nothing that recurses may see a value nested without bound.
    const deep = jsonDepthOffset(text);
    if (deep >= 0) return tooDeep(lines.range(deep, deep + 1));
    try {
      value = JSON.parse(text) as JsonValue;
      markWithinDepth(value);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const m = /position (\d+)/.exec(message);
      const offset = m ? Number(m[1]) : text.length;
      const at = lines.range(offset, Math.min(offset + 1, text.length));
      const detail = message.replace(/\s*in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
      diagnostics.push(diagnostic('asl-invalid-input', at, `Invalid JSON: ${detail}.`));
      return { value: empty, diagnostics };
    }
  } else {
    let d: Document.Parsed;
    try {
      d = getDoc();
    } catch (e) {
      // The yaml library recurses on nested collections: a deep enough file overflows it.
      if (e instanceof RangeError) return tooDeep(NO_RANGE);
      throw e;
    }
    if (d.errors.length > 0) {
      for (const err of d.errors.slice(0, 5)) {
        const [s, e] = err.pos;
        diagnostics.push(diagnostic('asl-invalid-input', lines.range(s, e), `Invalid YAML: ${err.message.split('\n')[0]}.`));
      }
      return { value: empty, diagnostics };
    }
    try {
      value = d.toJS({ maxAliasCount: 1000 }) as JsonValue;
    } catch (e) {
      if (e instanceof RangeError) return tooDeep(NO_RANGE);
      // An alias bomb: aliases that expand to more than the limit allows. Point at the first alias.
      let at = NO_RANGE;
      visit(d, {
        Alias(_, node) {
          if (node.range) at = lines.range(node.range[0], node.range[1]);
          return visit.BREAK;
        },
      });
      diagnostics.push(diagnostic('asl-invalid-input', at, `Invalid YAML: its aliases expand to too much data (${e instanceof Error ? e.message.replace(/\.$/, '') : String(e)}); write the repeated parts out or use fewer aliases.`));
      return { value: empty, diagnostics };
    }
    const deepPath = tooDeepPath(value);
    if (deepPath !== undefined) return tooDeep(locateIn(d, lines, deepPath));
  }

  // The whole text needs no parse to locate (a large file is then not parsed a second time).
  const whole = (): Range => lines.range(text.length - text.trimStart().length, text.trimEnd().length);
  // JSON is located by a scan of its own text: a YAML parse of a large JSON file cost more than checking it.
  const inJson = format === 'json' ? jsonLocator(text) : undefined;
  const locateAt = (path: JsonPath): Range => {
    if (!inJson) return locateIn(getDoc(), lines, path);
    const at = inJson(path);
    return at ? lines.range(at[0], at[1]) : NO_RANGE;
  };
  const baseLocate = (prefix: JsonPath): Locator => (path) => (prefix.length + path.length === 0 ? whole() : locateAt([...prefix, ...path]));
  // A number that reads as Infinity (1e309; YAML's .inf) cannot be written back: refuse it where it is.
  const infinite = format === 'json' && !MAY_OVERFLOW.test(text) ? undefined : nonFinitePath(value);
  if (infinite !== undefined) {
    diagnostics.push(diagnostic('asl-invalid-input', locateAt(infinite), 'This number is too large for JSON (it reads as Infinity, which JSON cannot write back): write a smaller number, or a string.'));
    return { value: empty, diagnostics };
  }
  if (isObject(value) && isObject(value.States)) {
    return { value: { definition: value, locate: baseLocate([]), source: 'definition' }, diagnostics };
  }
  if (isObject(value) && isObject(value.Resources)) return fromTemplate(value.Resources, options, baseLocate, diagnostics);
  const sls = isObject(value) && isObject(value.stepFunctions) ? value.stepFunctions.stateMachines : undefined;
  if (isObject(sls)) {
    const names = Object.keys(sls);
    const chosen = options.resource ?? names.find((n) => isObject(sls[n]) && isObject((sls[n] as JsonObject).definition));
    const machine = chosen === undefined ? undefined : sls[chosen];
    if (chosen === undefined || !isObject(machine) || !isObject(machine.definition)) {
      diagnostics.push(diagnostic('asl-not-state-machine', baseLocate([])(['stepFunctions', 'stateMachines']), options.resource ? `The Serverless file has no state machine "${options.resource}" with a definition (found: ${names.join(', ') || 'none'}).` : 'The Serverless file has no state machine with a definition.'));
      return { value: empty, diagnostics };
    }
    return { value: { definition: machine.definition, locate: baseLocate(['stepFunctions', 'stateMachines', chosen, 'definition']), source: 'serverless', resource: chosen }, diagnostics };
  }
  // Not recognisably a template: hand it over as a definition; the judgement says what is wrong.
  return { value: { definition: value, locate: baseLocate([]), source: 'definition' }, diagnostics };
}

function fromTemplate(resources: JsonObject, options: LoadOptions, baseLocate: (prefix: JsonPath) => Locator, diagnostics: Diagnostic[]): Result<LoadedAsl> {
  const machines = Object.keys(resources).filter((k) => isObject(resources[k]) && STATE_MACHINE_TYPES.includes((resources[k] as JsonObject).Type as string));
  const empty: LoadedAsl = { definition: undefined, locate: baseLocate([]), source: 'cloudformation' };
  if (options.resource !== undefined && !machines.includes(options.resource)) {
    const what = Object.hasOwn(resources, options.resource) ? `"${options.resource}" is not a state machine` : `there is no resource "${options.resource}"`;
    diagnostics.push(diagnostic('asl-not-state-machine', baseLocate([])(['Resources']), `In this template ${what}; its state machines: ${machines.join(', ') || 'none'}.`));
    return { value: empty, diagnostics };
  }
  const id = options.resource ?? machines[0];
  if (id === undefined) {
    diagnostics.push(diagnostic('asl-not-state-machine', baseLocate([])(['Resources']), `The template has no ${STATE_MACHINE_TYPES.join(' or ')} resource.`));
    return { value: empty, diagnostics };
  }
  const props = (resources[id] as JsonObject).Properties;
  const at = ['Resources', id, 'Properties'];
  const locate = baseLocate(at);
  if (isObject(props) && isObject(props.Definition)) {
    return { value: { definition: props.Definition, locate: baseLocate([...at, 'Definition']), source: 'cloudformation', resource: id }, diagnostics };
  }
  if (isObject(props) && props.DefinitionString !== undefined) {
    const joined = joinIntrinsic(props.DefinitionString);
    const here = (): Range => locate(['DefinitionString']);
    if (joined === undefined) {
      diagnostics.push(diagnostic('asl-not-state-machine', here(), `The DefinitionString of "${id}" is built with intrinsic functions that cannot be evaluated here; use a literal string, Fn::Sub or Fn::Join of strings.`));
      return { value: empty, diagnostics };
    }
    try {
      const deep = jsonDepthOffset(joined);
      if (deep >= 0) {
        diagnostics.push(diagnostic('asl-too-deep', here(), `The DefinitionString of "${id}" is nested deeper than ${MAX_ASL_DEPTH} levels of objects and arrays; flowlane reads no deeper.`));
        return { value: empty, diagnostics };
      }
      const definition = JSON.parse(joined) as JsonValue;
      if (MAY_OVERFLOW.test(joined) && nonFinitePath(definition) !== undefined) {
        diagnostics.push(diagnostic('asl-invalid-input', here(), `The DefinitionString of "${id}" holds a number too large for JSON (it reads as Infinity, which JSON cannot write back): write a smaller number, or a string.`));
        return { value: empty, diagnostics };
      }
      // Positions inside the string are not kept: everything points at the DefinitionString.
      return { value: { definition, locate: () => here(), source: 'cloudformation', resource: id }, diagnostics };
    } catch (e) {
      diagnostics.push(diagnostic('asl-invalid-input', here(), `The DefinitionString of "${id}" is not valid JSON: ${e instanceof Error ? e.message : String(e)}.`));
      return { value: empty, diagnostics };
    }
  }
  const uri = isObject(props) ? (props.DefinitionUri ?? props.DefinitionS3Location) : undefined;
  const message =
    uri !== undefined
      ? `The state machine "${id}" keeps its definition in a separate file (${typeof uri === 'string' ? uri : JSON.stringify(uri)}); convert that file instead.`
      : `The state machine "${id}" has no Definition or DefinitionString.`;
  diagnostics.push(diagnostic('asl-not-state-machine', locate([]), message));
  return { value: empty, diagnostics };
}

/** A DefinitionString: a string, `Fn::Sub` of a string, or `Fn::Join` of strings, `Ref` and `Fn::GetAtt` (as `${…}`). */
function joinIntrinsic(v: JsonValue): string | undefined {
  if (typeof v === 'string') return v;
  if (!isObject(v)) return undefined;
  if (v['Fn::Sub'] !== undefined) {
    const sub = v['Fn::Sub'];
    if (typeof sub === 'string') return sub;
    if (Array.isArray(sub) && typeof sub[0] === 'string') return sub[0];
    return undefined;
  }
  if (typeof v.Ref === 'string') return `\${${v.Ref}}`;
  const att = v['Fn::GetAtt'];
  if (Array.isArray(att)) return `\${${att.join('.')}}`;
  if (typeof att === 'string') return `\${${att}}`;
  const join = v['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map(joinIntrinsic);
    return parts.every((p) => p !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
}

/** The range of the value at `path` (from its key, for an object member); the deepest part found. */
// Each map's pairs by key, built on first use: locating thousands of findings in a large file
// would otherwise search the same long maps again and again.
const pairIndex = new WeakMap<YAMLMap, Map<unknown, Pair>>();
function pairsOf(map: YAMLMap): Map<unknown, Pair> {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) {
      if (!isPair(p)) continue;
      const key = isScalar(p.key) ? p.key.value : p.key;
      // The first pair of a key, as Array.find gave.
      if (!index.has(key)) index.set(key, p);
    }
    pairIndex.set(map, index);
  }
  return index;
}

function locateIn(doc: Document.Parsed, lines: LineIndex, path: JsonPath): Range {
  let node: unknown = doc.contents;
  let best: [number, number] | undefined = rangeOf(node);
  for (const seg of path) {
    if (isMap(node)) {
      const pair = pairsOf(node).get(seg);
      if (!pair) break;
      const k = rangeOf(pair.key);
      const v = rangeOf(pair.value);
      if (k) best = [k[0], v ? v[1] : k[1]];
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      const r = rangeOf(node);
      if (!r) break;
      best = r;
    } else break;
  }
  if (!best) return NO_RANGE;
  // A whole state spans many lines; its first line is what a reader needs.
  return lines.range(best[0], best[1]);
}

function rangeOf(node: unknown): [number, number] | undefined {
  const r = (node as YamlNode | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** CloudFormation's short-form intrinsic tags (`!Ref X`, `!GetAtt A.B`, `!Sub …`), read as their long form. */
const CFN_TAGS: Array<ScalarTag | CollectionTag> = (() => {
  const names = ['Ref', 'Condition', 'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'ToJsonString', 'Length'];
  const tags: Array<ScalarTag | CollectionTag> = [];
  for (const name of names) {
    const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
    tags.push({ tag: `!${name}`, resolve: (s: string) => ({ [key]: name === 'GetAtt' ? s.split('.') : s }) } as ScalarTag);
    for (const collection of ['seq', 'map'] as const) {
      tags.push({
        tag: `!${name}`,
        collection,
        resolve: (value: unknown) => {
          const m = new YAMLMap();
          m.set(key, value);
          return m;
        },
      } as unknown as CollectionTag);
    }
  }
  return tags;
})();

/**
 * Checks an ASL file as `flowlane check FILE.asl.json` does: reading, then the shared judgement
 * (validity.ts: flowlane's checks and asl-validator, its known false positives as warnings).
 */
export function checkAslText(text: string, options: LoadOptions = {}): Result<LoadedAsl> {
  const loaded = loadAsl(text, options);
  const { definition, locate } = loaded.value;
  if (definition === undefined) return loaded;
  return { value: loaded.value, diagnostics: [...loaded.diagnostics, ...judgeDefinition(definition, locate)] };
}
