// Inputs for running converted state machines with every Task stubbed: shared by the suites that
// execute diagrams, whichever interpreter they use.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * An input that has a value at every JSONPath the machine reads (`$.body.userId`, `ItemsPath`,
 * Choice variables), at every depth, so that stubbed tasks returning it keep the paths valid after
 * InputPath narrows the input. Choice variables get the value of their first rule.
 */
export function universalInput(definition: Json): Json {
  type Tree = Map<string, Tree | { leaf: Json }>;
  const root: Tree = new Map();
  const add = (path: string, leaf: Json): void => {
    const parts = path.split('.').slice(1).filter((p) => p !== '');
    let node = root;
    parts.forEach((p, i) => {
      const last = i === parts.length - 1;
      const cur = node.get(p);
      if (last) {
        if (!cur) node.set(p, { leaf });
        return;
      }
      if (!(cur instanceof Map)) node.set(p, new Map());
      node = node.get(p) as Tree;
    });
  };
  const walk = (v: Json, key: string): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(/(?<![$\w])\$((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) add(`$${m[1]}`, key === 'ItemsPath' ? [] : 0);
      // JSONata expressions read the input as $states.input.a.b.
      for (const m of v.matchAll(/\$states\.input((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) add(`$${m[1]}`, 0);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') {
      if (typeof v.Variable === 'string') {
        const cmp = Object.entries(v).find(([k]) => /Equals$|Than|Matches/.test(k) && !k.endsWith('Path'));
        if (cmp) add(v.Variable, cmp[1]);
      }
      for (const [k, x] of Object.entries(v)) walk(x, k);
    }
  };
  walk(definition, '');
  const build = (tree: Tree, depth: number): { [k: string]: Json } => {
    if (depth < 0) return {};
    const out: { [k: string]: Json } = depth > 0 ? build(root, depth - 1) : {};
    for (const [k, child] of tree) {
      if (child instanceof Map) out[k] = build(child, depth - 1);
      else out[k] = Array.isArray(child.leaf) ? [build(root, depth - 1), build(root, depth - 1)] : child.leaf;
    }
    return out;
  };
  return build(root, 3);
}

/** Names of the states of a given type, at any depth. */
export function statesOfType(sm: Json, type: string, out: string[] = []): string[] {
  if (Array.isArray(sm)) for (const x of sm) statesOfType(x, type, out);
  else if (sm && typeof sm === 'object') {
    const states = sm.States;
    if (states && typeof states === 'object' && !Array.isArray(states)) {
      for (const [name, st] of Object.entries(states)) if (st && typeof st === 'object' && !Array.isArray(st) && st.Type === type) out.push(name);
    }
    for (const v of Object.values(sm)) statesOfType(v, type, out);
  }
  return out;
}
