// Every editor feature through a real LSP client talking to the real server process over stdio.
// Cursor positions are marked in the texts with `$0` (see harness.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CompletionItem, CompletionList, DocumentSymbol, FoldingRange, Hover, Location, SemanticTokens, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { marked, startSession, type Session } from './harness.js';

let s: Session;
beforeAll(async () => {
  s = await startSession();
});
afterAll(async () => {
  await s?.stop();
});

const SALES = `sales { # Sales
  n1: circle label:"Start"
  n2: rectangle label:"Take Order"
  n1.handle(right) -> n2.handle(left)
  n2.handle(right) -> fulfillment.n3.handle(left) [label="ok"]
}
fulfillment { # Fulfillment
  n3: taskbox label:"Pick|Pack"
  loop [until done] n2 n3
}
`;

async function completion(text: string, marker = 0): Promise<CompletionItem[]> {
  const { text: t, at } = marked(text);
  const uri = s.open('c.fz', t);
  await s.diagnostics(uri);
  const r = await s.request<CompletionItem[] | CompletionList | null>('textDocument/completion', { textDocument: { uri }, position: at[marker] });
  return Array.isArray(r) ? r : (r?.items ?? []);
}

function inserted(item: CompletionItem): string {
  return item.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : (item.insertText ?? item.label);
}

describe('diagnostics', () => {
  it('publishes syntax and FlowZap diagnostics with the document version, related information and fixes', async () => {
    const uri = s.open('d.fz', 'a {\n  n1: circle label:"x"\n  n1: rectangle label="y"\n}\n');
    const d = await s.diagnostics(uri, 1);
    const codes = d.map((x) => x.code);
    expect(codes).toContain('duplicate-node-id');
    expect(codes).toContain('node-attribute-equals');
    const dup = d.find((x) => x.code === 'duplicate-node-id')!;
    expect(dup.relatedInformation?.[0]?.location.range.start.line).toBe(1);
    expect(dup.source).toBe('flowlane');
  });

  it('recomputes after incremental changes, with the new version', async () => {
    const uri = s.open('e.fz', 'a {\n  n1: circle label:"x"\n}\n');
    expect(await s.diagnostics(uri, 1)).toEqual([]);
    s.change(uri, 2, [{ range: { start: { line: 1, character: 6 }, end: { line: 1, character: 12 } }, text: 'circel' }]);
    const d = await s.diagnostics(uri, 2);
    expect(d.map((x) => x.code)).toEqual(['unknown-shape']);
    s.change(uri, 3, [{ range: { start: { line: 1, character: 6 }, end: { line: 1, character: 12 } }, text: 'circle' }]);
    expect(await s.diagnostics(uri, 3)).toEqual([]);
  });
});

describe('completion', () => {
  it('offers shapes after `nX:`', async () => {
    const items = await completion('a {\n  n1: $0\n}\n');
    expect(items.map((i) => i.label).sort()).toEqual(['circle', 'diamond', 'rectangle', 'taskbox']);
    expect(items[0]!.documentation).toBeDefined();
  });

  it('offers FlowZap keys and the ASL fields valid for the node Type, with documentation', async () => {
    const items = await completion('a {\n  n1: rectangle label:"x" Type:"Task" $0\n}\n');
    const labels = items.map((i) => i.label);
    expect(labels).toContain('owner');
    expect(labels).toContain('Resource');
    expect(labels).toContain('Retry');
    expect(labels).not.toContain('label');
    expect(labels).not.toContain('Seconds');
    expect(items.find((i) => i.label === 'Resource')!.documentation).toBeDefined();
    const wait = (await completion('a {\n  n1: rectangle Type:"Wait" $0\n}\n')).map((i) => i.label);
    expect(wait).toContain('Seconds');
    expect(wait).not.toContain('Resource');
  });

  it('offers the fields of the query language in force (JSONPath by default, JSONata when the machine says so)', async () => {
    const jp = (await completion('a {\n  n1: rectangle Type:"Task" $0\n}\n')).map((i) => i.label);
    expect(jp).toContain('Parameters');
    expect(jp).not.toContain('Arguments');
    const ja = (await completion('a {\n  n0: circle label:"Start" QueryLanguage:"JSONata"\n  n1: rectangle Type:"Task" $0\n  n0.handle(right) -> n1.handle(left)\n}\n')).map((i) => i.label);
    expect(ja).toContain('Arguments');
    expect(ja).not.toContain('Parameters');
  });

  it('offers finite values: state types, query languages, Resource ARNs', async () => {
    expect((await completion('a {\n  n1: rectangle Type:"$0"\n}\n')).map((i) => i.label)).toEqual(expect.arrayContaining(['Task', 'Choice', 'Map', 'Parallel']));
    expect((await completion('a {\n  n1: rectangle QueryLanguage:$0\n}\n')).map(inserted)).toEqual(['"JSONata"', '"JSONPath"']);
    expect((await completion('a {\n  n1: rectangle Type:"Task" Resource:"arn:$0"\n}\n')).map((i) => i.label)).toContain('arn:aws:states:::lambda:invoke');
  });

  it('offers node ids after `->`, with the lane prefix for a node of another lane, and lane ids', async () => {
    const items = await completion(SALES.replace('  loop', '  n3.handle(right) -> $0\n  loop'));
    const n1 = items.find((i) => i.label === 'n1')!;
    expect(inserted(n1)).toMatch(/^sales\.n1\.handle\(/);
    const n3 = items.find((i) => i.label === 'n3')!;
    expect(inserted(n3)).toMatch(/^n3\.handle\(/);
    expect(items.filter((i) => i.kind === 9 /* Module */).map((i) => i.label)).toEqual(['sales', 'fulfillment']);
  });

  it('offers handle directions inside `handle(`', async () => {
    expect((await completion('a {\n  n1: circle\n  n1.handle($0\n}\n')).map((i) => i.label)).toEqual(['left', 'right', 'top', 'bottom']);
  });

  it('offers the statement snippets at the start of a line', async () => {
    const labels = (await completion('a {\n  n1: circle\n  $0\n}\n')).filter((i) => i.kind === 15).map((i) => i.label);
    for (const p of ['lane', 'node', 'edge', 'loop', 'choice', 'parallel', 'map']) expect(labels).toContain(p);
    const top = (await completion('$0\n')).filter((i) => i.kind === 15).map((i) => i.label);
    expect(top).toEqual(['lane']);
  });

  it('cuts long node lists to the nearest nodes and marks them incomplete', async () => {
    const decls = Array.from({ length: 300 }, (_, i) => `  n${i + 1}: rectangle label:"S${i + 1}"`).join('\n');
    const { text, at } = marked(`a {\n${decls}\n  n150.handle(right) -> $0\n}\n`);
    const uri = s.open('many.fz', text);
    await s.diagnostics(uri);
    const r = await s.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: at[0] });
    expect(r.isIncomplete).toBe(true);
    expect(r.items.length).toBeLessThanOrEqual(101);
    expect(r.items.map((i) => i.label)).toEqual(expect.arrayContaining(['n149', 'n151']));
    const typed = await s.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: at[0]!.line, character: at[0]!.character } });
    expect(typed.items.length).toBeGreaterThan(0);
  });

  it('works in a file that does not parse', async () => {
    const items = await completion('a {\n  n1: circle label:"x\n  n2: rectangle label=\n  n2.handle(right) -> $0');
    expect(items.map((i) => i.label)).toEqual(expect.arrayContaining(['n1', 'n2']));
  });
});

describe('navigation', () => {
  it('hovers a node reference with its label, shape, type and fields', async () => {
    const { text, at } = marked('m {\n  n1: rectangle label:"Work" Type:"Task" Resource:"arn:aws:states:::lambda:invoke"\n  n2: circle label:"End"\n  n$01.handle(right) -> n2.handle(left)\n}\n');
    const uri = s.open('h.fz', text);
    const h = await s.request<Hover>('textDocument/hover', { textDocument: { uri }, position: at[0] });
    const md = (h.contents as { value: string }).value;
    expect(md).toContain('Work');
    expect(md).toContain('rectangle');
    expect(md).toContain('Task');
    expect(md).toContain('Resource');
  });

  it('hovers keys, shapes and state types with their documentation', async () => {
    const { text, at } = marked('m {\n  n1: rect$1angle label:"A" Type:"Ta$2sk" Resou$0rce:"arn:aws:states:::lambda:invoke"\n}\n');
    const uri = s.open('hk.fz', text);
    const value = async (i: number) => ((await s.request<Hover>('textDocument/hover', { textDocument: { uri }, position: at[i] })).contents as { value: string }).value;
    expect(await value(0)).toMatch(/Resource.*ARN/);
    expect(await value(1)).toMatch(/rectangle/);
    expect(await value(2)).toMatch(/Task.*unit of work/);
  });

  it('hovers an edge with its rule or error names', async () => {
    const { text, at } = marked('m {\n  n1: rectangle label:"A" Type:"Task"\n  n2: circle label:"F" Type:"Fail"\n  n1.handle(bottom) -$0> n2.handle(top) [label="err" Catch={"ErrorEquals":["States.ALL","X.Y"]}]\n}\n');
    const uri = s.open('h2.fz', text);
    const h = await s.request<Hover>('textDocument/hover', { textDocument: { uri }, position: at[0] });
    const md = (h.contents as { value: string }).value;
    expect(md).toContain('States.ALL');
    expect(md).toContain('X.Y');
  });

  it('goes to the definition of a node across lanes and of a lane prefix', async () => {
    const { text, at } = marked(SALES.replace('fulfillment.n3.handle', 'fulfil$1lment.n$03.handle'));
    const uri = s.open('g.fz', text);
    const def = await s.request<Location>('textDocument/definition', { textDocument: { uri }, position: at[0] });
    expect(def.range.start).toEqual({ line: 7, character: 2 });
    const lane = await s.request<Location>('textDocument/definition', { textDocument: { uri }, position: at[1] });
    expect(lane.range.start).toEqual({ line: 6, character: 0 });
  });

  it('finds references in edges and loops', async () => {
    const { text, at } = marked(SALES.replace('n2: rectangle', 'n$02: rectangle'));
    const uri = s.open('r.fz', text);
    const refs = await s.request<Location[]>('textDocument/references', { textDocument: { uri }, position: at[0], context: { includeDeclaration: true } });
    expect(refs.map((r) => r.range.start.line).sort()).toEqual([2, 3, 4, 8]);
  });

  it('renames a node id everywhere, with prepare-rename, and refuses a taken id', async () => {
    const { text, at } = marked(SALES.replace('fulfillment.n3.handle', 'fulfillment.n$03.handle'));
    const uri = s.open('rn.fz', text);
    const prep = await s.request<{ range: unknown; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri }, position: at[0] });
    expect(prep.placeholder).toBe('n3');
    const edit = await s.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: at[0], newName: 'pick' });
    const edits = edit.changes![uri]!;
    expect(edits).toHaveLength(3);
    expect(edits.every((e) => e.newText === 'pick')).toBe(true);
    await expect(s.request('textDocument/rename', { textDocument: { uri }, position: at[0], newName: 'n1' })).rejects.toThrow(/already exists/);
  });

  it('renames a lane id in headers and prefixes', async () => {
    const { text, at } = marked(SALES.replace('fulfillment {', 'fulfill$0ment {'));
    const uri = s.open('rl.fz', text);
    const edit = await s.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: at[0], newName: 'ops' });
    expect(edit.changes![uri]!.map((e) => e.range.start.line).sort()).toEqual([4, 6]);
  });
});

describe('document features', () => {
  const NESTED = 'm { # M\n  n1: rectangle label:"P" Type:"Parallel" {\n    b1 { # B1\n      n2: rectangle label:"X" Type:"Pass"\n    }\n  }\n  n3: rectangle label:"Y" Type:"Pass"\n    Parameters:{\n      "a": 1\n    }\n}\n';

  it('lists lanes containing their nodes, nested lanes under their owner', async () => {
    const uri = s.open('sym.fz', NESTED);
    const syms = await s.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(syms.map((x) => x.name)).toEqual(['m']);
    const n1 = syms[0]!.children!.find((c) => c.name.startsWith('n1'))!;
    expect(n1.children!.map((c) => c.name)).toEqual(['b1']);
    expect(n1.children![0]!.children!.map((c) => c.name)).toEqual(['n2 X']);
  });

  it('folds lanes, blocks and multi-line values', async () => {
    const uri = s.open('fold.fz', NESTED);
    const folds = await s.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    const pairs = folds.map((f) => `${f.startLine}-${f.endLine}`);
    expect(pairs).toEqual(expect.arrayContaining(['0-9', '1-4', '2-3']));
    // The multi-line Parameters value, down to the line before its closing brace.
    expect(pairs).toContain('7-8');
  });

  it('returns semantic tokens for lanes, nodes, shapes and keys', async () => {
    const uri = s.open('sem.fz', 'a {\n  n1: circle label:"x"\n}\n');
    const t = await s.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    // a (namespace), n1 (function, declaration), circle (type), label (property), "x" (string)
    expect(t.data.slice(0, 5)).toEqual([0, 0, 1, 0, 1]);
    expect(t.data.slice(5, 10)).toEqual([1, 2, 2, 1, 1]);
    expect(t.data.slice(10, 15)).toEqual([0, 4, 6, 3, 0]);
    expect(t.data.length).toBe(25);
  });

  it('classifies edges, prefixes, handles, keywords, numbers and JSON values piece by piece', async () => {
    const text = 'a {\n  n1: rectangle Type:"Task" Retry:[{"MaxAttempts":2}] End:true\n  // note\n  n1.handle(right) -> b.n2.handle(left)\n  loop [again] n1\n}\nb {\n  n2: circle\n}\n';
    const uri = s.open('sem2.fz', text);
    const t = await s.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    const types = ['namespace', 'function', 'variable', 'type', 'property', 'string', 'number', 'keyword', 'comment', 'operator', 'enumMember'];
    const lines = text.split('\n');
    const seen: string[] = [];
    let line = 0;
    let char = 0;
    for (let i = 0; i < t.data.length; i += 5) {
      line += t.data[i]!;
      char = t.data[i]! === 0 ? char + t.data[i + 1]! : t.data[i + 1]!;
      seen.push(`${lines[line]!.slice(char, char + t.data[i + 2]!)}=${types[t.data[i + 3]!]}`);
    }
    expect(seen).toEqual(expect.arrayContaining(['Type=property', '"Task"=string', '"MaxAttempts"=string', '2=number', 'true=keyword', '// note=comment', 'right=enumMember', 'left=enumMember', '->=operator', 'b=namespace', 'n2=variable', 'handle=keyword', 'loop=keyword', '[again]=string', 'rectangle=type']));
    expect(seen.filter((x) => x.startsWith('n1=')).map((x) => x.slice(3))).toEqual(['function', 'variable', 'variable']);
  });

  it('formats the whole document with the canonical printer', async () => {
    const uri = s.open('fmt.fz', 'a   {   # A\nn1:   circle   label:"x"\n}\n');
    const edits = await s.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits).toHaveLength(1);
    expect(edits[0]!.newText).toMatch(/^a \{ # A\n/);
    expect(edits[0]!.newText).toContain('n1: circle label:"x"');
  });

  it('offers a quick fix for each fixable diagnostic, and fix all', async () => {
    const text = 'a {\n  n1: circle label="x"\n  n3: rectangle label:"y"\n  n1.handle(right) -> n9.handle(left)\n}\nb {\n  n4: circle label:"z"\n  n3.handle(right) -> n4.handle(left) [label:"k"]\n}\n';
    const uri = s.open('qf.fz', text);
    await s.diagnostics(uri);
    const all = await s.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } }, context: { diagnostics: [] } });
    const titles = all.map((a) => a.title);
    expect(titles.some((t) => /label:/.test(t))).toBe(true);
    expect(titles.some((t) => /prefix/.test(t))).toBe(true);
    expect(titles.some((t) => /Renumber/.test(t))).toBe(true);
    expect(titles.some((t) => /Declare node `n9`/.test(t))).toBe(true);
    expect(titles.some((t) => /label=/.test(t))).toBe(true);
    expect(all.some((a) => a.kind === 'source.fixAll')).toBe(true);
    const fix = all.find((a) => a.kind === 'quickfix' && /label:/.test(a.title))!;
    expect(fix.edit!.changes![uri]![0]!.newText).toBe(':');
  });

  it('declares a missing node named by a top-level edge in the lane of its other end', async () => {
    const text = 'a {\n  n1: circle label:"x"\n}\nb {\n  n2: circle label:"y"\n}\nn2.handle(right) -> n7.handle(left)\n';
    const uri = s.open('decl.fz', text);
    await s.diagnostics(uri);
    const actions = await s.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 6, character: 20 }, end: { line: 6, character: 22 } }, context: { diagnostics: [] } });
    const fix = actions.find((x) => /Declare node `n7`/.test(x.title))!;
    const edit = fix.edit!.changes![uri]!;
    const lines = text.split('\n');
    expect(edit[0]!.range.start.line).toBe(5);
    lines[5] = edit[0]!.newText + lines[5];
    const fixed = lines.join('\n');
    expect(fixed).toMatch(/b \{\n {2}n2: circle label:"y"\n\s*n7: rectangle label:"n7"\n\}/);
    const after = s.open('decl2.fz', fixed);
    expect((await s.diagnostics(after)).map((d) => d.code)).not.toContain('undefined-node');
  });

  it('offers Convert to ASL as a refactor that creates the .asl.json', async () => {
    const uri = s.open('conv.fz', 'm {\n  n1: circle label:"Start"\n  n2: rectangle label:"A" Type:"Pass"\n  n3: circle label:"End"\n  n1.handle(right) -> n2.handle(left)\n  n2.handle(right) -> n3.handle(left)\n}\n');
    await s.diagnostics(uri);
    const actions = await s.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, context: { diagnostics: [], only: ['refactor'] } });
    const conv = actions.find((a) => /Convert to ASL/.test(a.title))!;
    expect(conv.kind).toBe('refactor.rewrite');
    const r = await s.request<{ uri?: string; error?: string }>('workspace/executeCommand', { command: conv.command!.command, arguments: conv.command!.arguments });
    expect(r.uri).toMatch(/conv\.asl\.json$/);
    const edit = s.appliedEdits.at(-1) as { edit: { documentChanges: [{ kind: string }, { edits: [{ newText: string }] }] } };
    expect(edit.edit.documentChanges[0].kind).toBe('create');
    expect(JSON.parse(edit.edit.documentChanges[1].edits[0].newText).StartAt).toBe('A');
  });

  it('answers the custom render request with the SVG of the document', async () => {
    const uri = s.open('svg.fz', 'a { # A\n  n1: circle label:"Start"\n  n2: rectangle label:"Go"\n  n1.handle(right) -> n2.handle(left)\n}\n');
    const r = await s.request<{ svg?: string; error?: string; version: number }>('flowlane/renderSvg', { textDocument: { uri } });
    expect(r.version).toBe(1);
    expect(r.svg).toMatch(/^<svg|<svg /);
    expect(r.svg).toContain('Go');
  });
});

describe('ASL profile diagnostics', () => {
  it('reports the ASL checks of a state machine with ranges in the .fz text', async () => {
    const uri = s.open('aslchk.fz', 'm {\n  n1: circle label:"Start"\n  n2: diamond label:"Pick" Type:"Choice"\n  n1.handle(right) -> n2.handle(left)\n}\n');
    // The model's diagnostics come first; the ASL checks follow from the worker thread.
    const d = await s.diagnosticsWhere(uri, (ds) => ds.some((x) => String(x.code).startsWith('asl-')));
    const asl = d.filter((x) => String(x.code).startsWith('asl-'));
    expect(asl.length).toBeGreaterThan(0);
    for (const x of asl) expect(x.range.start.line).toBeLessThan(5);
  });
});

describe('conversion requests', () => {
  const MACHINE = 'm { # M\n  n1: circle label:"Start"\n  n2: rectangle label:"A" Type:"Pass"\n  n3: circle label:"End"\n  n1.handle(right) -> n2.handle(left)\n  n2.handle(right) -> n3.handle(left)\n}\n';

  it('returns the ASL of a document (flowlane/toAsl)', async () => {
    const uri = s.open('to.fz', MACHINE);
    const r = await s.request<{ text: string; version: number }>('flowlane/toAsl', { textDocument: { uri } });
    expect(r.version).toBe(1);
    expect(JSON.parse(r.text)).toMatchObject({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } });
  });

  it('turns an ASL definition into .fz text (flowlane/fromAsl), which parses cleanly', async () => {
    const r = await s.request<{ text: string }>('flowlane/fromAsl', { text: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeed' } } }) });
    expect(r.text).toContain('label:"A"');
    expect(r.text).toContain('Type:"Succeed"');
    const uri = s.open('from.fz', r.text);
    expect((await s.diagnostics(uri)).filter((d) => d.severity === 1)).toEqual([]);
  });
});
