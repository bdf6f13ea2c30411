// Table-driven tests of the language core: each case is a snippet, the diagnostics it must produce
// (`code@line:col`, 1-based as `flowlane check` prints them) and, where the diagnostics carry fixes,
// the text that applying every fix gives.
import { describe, expect, test } from 'vitest';
import { applyAllFixes } from '../../src/core/index.js';
import { parseDiagram, withoutRanges } from '../../src/model/index.js';

interface Case {
  title: string;
  text: string;
  /** Every diagnostic, in order, as `code@line:col` (1-based). */
  diagnostics: string[];
  /** The text after `check --fix`, when the case has fixes. */
  fixed?: string;
  /** A snippet with the same meaning (same model up to ranges). */
  sameModelAs?: string;
}

const at = (d: { code: string; range: { start: { line: number; character: number } } }) =>
  `${d.code}@${d.range.start.line + 1}:${d.range.start.character + 1}`;

const valid: Case[] = [
  {
    title: 'a lane with a label, nodes of every shape and an edge',
    text: 'p { # Process\nn1: circle label:"Start"\nn2: rectangle label:"Step"\nn3: diamond label:"OK?"\nn4: taskbox label:"A|B"\nn1.handle(right) -> n2.handle(left)\nn2.handle(right) -> n3.handle(left)\nn3.handle(right) -> n4.handle(left) [label="Yes"]\n}\n',
    diagnostics: [],
  },
  { title: 'a lane without a label', text: 'p {\nn1: circle label:"Start"\n}\n', diagnostics: [] },
  { title: 'an empty file', text: '', diagnostics: [] },
  { title: 'only comments', text: '// one\n// two\n', diagnostics: [] },
  {
    title: 'cross-lane edge with the lane prefix, forward reference',
    text: 'a { # A\nn1: circle label:"x"\nn1.handle(bottom) -> b.n2.handle(top)\n}\nb { # B\nn2: circle label:"y"\n}\n',
    diagnostics: [],
  },
  {
    title: 'edges and loops at top level',
    text: 'a {\nn1: circle label:"x"\nn2: circle label:"y"\n}\nn1.handle(right) -> n2.handle(left)\nloop [again] n1 n2\n',
    diagnostics: [],
  },
  {
    title: 'CRLF line ends and tabs',
    text: 'a {\t# A\r\n\tn1:\tcircle\tlabel:"x"\r\n\tn2: circle label:"y"\r\n\tn1.handle(right)\t->\tn2.handle(left)\r\n}\r\n',
    diagnostics: [],
    sameModelAs: 'a { # A\nn1: circle label:"x"\nn2: circle label:"y"\nn1.handle(right) -> n2.handle(left)\n}\n',
  },
  {
    title: 'escaped quotes and UTF-8 in strings',
    text: 'a {\nn1: circle label:"Say \\"hi\\" — ça va? 你好 🎉"\n}\n',
    diagnostics: [],
  },
  {
    title: 'taskbox with owner, description and system and no label',
    text: 'a {\nn1: taskbox owner:"Alice" description:"Deploy" system:"CI"\n}\n',
    diagnostics: [],
  },
  {
    title: 'compound heads (`id: shape`, `a.handle(x) -> b.handle(y)`) mean what their pieces mean',
    text: 'a {\n  n1:rectangle label:Start\n  n2:\tcircle\n  n1.handle(right)->b.n3.handle(left) [label="x"]\n}\nb {\nn3: diamond label:"y"\n}\n',
    diagnostics: [],
    sameModelAs: 'a {\n  n1 : rectangle label:Start\n  n2 :\tcircle\n  n1.handle( right ) -> b . n3 . handle ( left ) [label="x"]\n}\nb {\nn3 : diamond label:"y"\n}\n',
  },
  {
    title: 'a word after a node head on its line is never a head (`label:Start`, `k:v`)',
    text: 'a {\nn1: circle label:Start owner:Bob\n}\n',
    diagnostics: [],
    sameModelAs: 'a {\nn1: circle label:"Start" owner:"Bob"\n}\n',
  },
  {
    title: 'a bare-word value is a string',
    text: 'a {\nn1: circle label:Start\n}\n',
    diagnostics: [],
    sameModelAs: 'a {\nn1: circle label:"Start"\n}\n',
  },
  {
    title: 'ASL fields with JSON values over several lines',
    text: 'a {\nn1: rectangle label:"T" Type:"Task" TimeoutSeconds:300 End:true Comment:null\n  Parameters:{\n    "a.$": "$.x",\n    "b": [1, 2.5, -3e2, {"c": false}]\n  }\n}\n',
    diagnostics: [],
  },
  {
    title: 'a node block of nested lanes',
    text: 'a {\nn1: rectangle label:"P" Type:"Parallel" {\n  b1 { # One\n    n2: rectangle label:"X" Type:"Pass"\n  }\n  b2 {\n    n3: rectangle label:"Y" Type:"Pass"\n  }\n}\n}\n',
    diagnostics: [],
  },
  {
    title: 'a legacy Iterator block',
    text: 'a {\nn1: rectangle label:"M" Type:"Map" Iterator {\n  p {\n    n2: rectangle label:"X" Type:"Pass"\n  }\n}\n}\n',
    diagnostics: [],
  },
  {
    title: 'ASL edge attributes',
    text: 'a {\nn1: diamond label:"C" Type:"Choice"\nn2: circle label:"D" Type:"Succeed"\nn1.handle(right) -> n2.handle(left) [label="x > 1" Choice={"Variable":"$.x","NumericGreaterThan":1}]\nn1.handle(bottom) -> n2.handle(bottom) [label="Default", Default=true]\n}\n',
    diagnostics: [],
  },
  {
    title: 'identifiers that start with a keyword',
    text: 'loops { # L\nn1: circle label:"handler"\nn2: circle label:"y"\nn1.handle(right) -> n2.handle(left)\n}\n',
    diagnostics: [],
  },
];

const invalid: Case[] = [
  {
    title: '`label=` on a node',
    text: 'a {\nn1: circle label="Start"\n}\n',
    diagnostics: ['node-attribute-equals@2:17'],
    fixed: 'a {\nn1: circle label:"Start"\n}\n',
    sameModelAs: 'a {\nn1: circle label:"Start"\n}\n',
  },
  {
    title: '`[label:"…"]` on an edge',
    text: 'a {\nn1: circle label:"x"\nn2: circle label:"y"\nn1.handle(right) -> n2.handle(left) [label:"Go"]\n}\n',
    diagnostics: ['edge-attribute-colon@4:43'],
    fixed: 'a {\nn1: circle label:"x"\nn2: circle label:"y"\nn1.handle(right) -> n2.handle(left) [label="Go"]\n}\n',
  },
  {
    title: 'the lane label on the line after `{`',
    text: 'sales {\n  # Sales Team\n  n1: circle label:"x"\n}\n',
    diagnostics: ['lane-label-next-line@2:3'],
    fixed: 'sales { # Sales Team\n  n1: circle label:"x"\n}\n',
    sameModelAs: 'sales { # Sales Team\n  n1: circle label:"x"\n}\n',
  },
  {
    // Infinity cannot be written back (JSON.stringify gives null): fmt and to-asl must refuse, not change it.
    title: 'a number too large for a double, in a JSON value and alone',
    text: 'a {\n  n1: rectangle label:"x" Result:{"n":1e309}\n  n2: rectangle label:"y" TimeoutSeconds:2e400\n}\n',
    diagnostics: ['invalid-json@2:39', 'invalid-json@3:42'],
  },
  {
    title: 'a cross-lane edge without its lane prefix',
    text: 'a {\nn1: circle label:"x"\nn1.handle(bottom) -> n2.handle(top)\n}\nb {\nn2: circle label:"y"\n}\n',
    diagnostics: ['missing-lane-prefix@3:22'],
    fixed: 'a {\nn1: circle label:"x"\nn1.handle(bottom) -> b.n2.handle(top)\n}\nb {\nn2: circle label:"y"\n}\n',
  },
  {
    title: 'a lane prefix naming the wrong lane',
    text: 'a {\nn1: circle label:"x"\nn1.handle(bottom) -> c.n2.handle(top)\n}\nb {\nn2: circle label:"y"\n}\nc {\nn3: circle label:"z"\n}\n',
    diagnostics: ['wrong-lane-prefix@3:22'],
    fixed: 'a {\nn1: circle label:"x"\nn1.handle(bottom) -> b.n2.handle(top)\n}\nb {\nn2: circle label:"y"\n}\nc {\nn3: circle label:"z"\n}\n',
  },
  {
    title: 'a lane prefix naming no lane',
    text: 'a {\nn1: circle label:"x"\nn2: circle label:"y"\nn1.handle(right) -> zz.n2.handle(left)\n}\n',
    diagnostics: ['undefined-lane@4:21'],
    fixed: 'a {\nn1: circle label:"x"\nn2: circle label:"y"\nn1.handle(right) -> a.n2.handle(left)\n}\n',
  },
  {
    title: 'an undefined node',
    text: 'a {\nn1: circle label:"x"\nn1.handle(right) -> n2.handle(left)\n}\n',
    diagnostics: ['undefined-node@3:21'],
    // Declaring the node is only a suggestion (a guess): check --fix leaves it to the user (test/cli/usage.test.ts).
  },
  {
    title: 'a duplicate node id',
    text: 'a {\nn1: circle label:"x"\nn1: circle label:"y"\n}\n',
    diagnostics: ['duplicate-node-id@3:1'],
  },
  {
    title: 'a duplicate lane id',
    text: 'a {\nn1: circle label:"x"\n}\na {\nn2: circle label:"y"\n}\n',
    diagnostics: ['duplicate-lane-id@4:1'],
  },
  {
    title: 'an unknown shape, with the closest one as fix',
    text: 'a {\nn1: rect label:"x"\n}\n',
    diagnostics: ['unknown-shape@2:5'],
    fixed: 'a {\nn1: rectangle label:"x"\n}\n',
  },
  {
    title: 'an unknown direction',
    text: 'a {\nn1: circle label:"x"\nn2: circle label:"y"\nn1.handle(rigth) -> n2.handle(left)\n}\n',
    diagnostics: ['unknown-direction@4:11'],
    fixed: 'a {\nn1: circle label:"x"\nn2: circle label:"y"\nn1.handle(right) -> n2.handle(left)\n}\n',
  },
  {
    title: 'an unknown attribute key',
    text: 'a {\nn1: circle lable:"x"\n}\n',
    diagnostics: ['unknown-attribute@2:12'],
    fixed: 'a {\nn1: circle label:"x"\n}\n',
  },
  {
    title: 'a duplicate attribute',
    text: 'a {\nn1: circle label:"x" label:"y"\n}\n',
    diagnostics: ['duplicate-attribute@2:22'],
  },
  {
    title: 'an unterminated string',
    text: 'a {\nn1: circle label:"Start\nn2: circle label:"y"\n}\n',
    diagnostics: ['unterminated-string@2:18'],
    fixed: 'a {\nn1: circle label:"Start"\nn2: circle label:"y"\n}\n',
  },
  {
    title: 'an unclosed lane, followed by another lane',
    text: 'a {\nn1: circle label:"x"\nb {\nn2: circle label:"y"\n}\n',
    diagnostics: ['unclosed-lane@1:1'],
  },
  {
    title: 'an unclosed lane at the end of the file',
    text: 'a { # A\nn1: circle label:"x"\n',
    diagnostics: ['unclosed-lane@1:1'],
  },
  {
    title: 'invalid JSON in a value',
    text: 'a {\nn1: rectangle label:"x" Type:"Pass" Parameters:{"a": [1, 2,]}\n}\n',
    diagnostics: ['invalid-json@2:60'],
  },
  {
    title: 'JSON object keys must be strings',
    text: 'a {\nn1: rectangle label:"x" Type:"Pass" Result:{a: 1}\n}\n',
    diagnostics: ['invalid-json@2:45'],
    fixed: 'a {\nn1: rectangle label:"x" Type:"Pass" Result:{"a": 1}\n}\n',
  },
  {
    title: 'node ids with a gap',
    text: 'a {\nn1: circle label:"x"\nn3: circle label:"y"\nn1.handle(right) -> n3.handle(left)\nloop [again] n1 n3\n}\n',
    diagnostics: ['non-sequential-id@3:1'],
    fixed: 'a {\nn1: circle label:"x"\nn2: circle label:"y"\nn1.handle(right) -> n2.handle(left)\nloop [again] n1 n2\n}\n',
  },
  {
    title: 'an edge without handles',
    text: 'a {\nn1: circle label:"x"\nn2: circle label:"y"\nn1 -> n2\n}\n',
    diagnostics: ['missing-handle@4:1', 'missing-handle@4:7'],
    fixed: 'a {\nn1: circle label:"x"\nn2: circle label:"y"\nn1.handle(right) -> n2.handle(left)\n}\n',
  },
  {
    title: 'an edge leaving its Parallel branch',
    text: 'a {\nn1: rectangle label:"P" Type:"Parallel" {\n  b1 {\n    n2: rectangle label:"X" Type:"Pass"\n    n2.handle(right) -> a.n3.handle(left)\n  }\n}\nn3: circle label:"E"\n}\n',
    diagnostics: ['edge-leaves-branch@5:5'],
  },
  {
    title: 'a node outside any lane',
    text: 'n1: circle label:"x"\n',
    diagnostics: ['node-outside-lane@1:1'],
  },
  {
    title: 'a stray closing brace',
    text: 'a {\nn1: circle label:"x"\n}\n}\n',
    diagnostics: ['syntax-error@4:1'],
  },
  {
    title: 'an edge without a target',
    text: 'a {\nn1: circle label:"x"\nn1.handle(right) ->\n}\n',
    diagnostics: ['syntax-error@3:18'],
  },
  {
    title: 'a character no token starts with',
    text: 'a {\nn1: circle label:"x" @@\n}\n',
    diagnostics: ['unexpected-character@2:22'],
  },
  {
    title: 'a NUL character',
    text: 'a {\nn1: circle label:"x"\u0000\n}\n',
    diagnostics: ['unexpected-character@2:21'],
  },
  {
    title: 'several mistakes are all reported, and the rest still parses',
    text: 'a { # A\nn1: circle label="x"\nn2: rect label:"y"\nn1.handle(right) -> n9.handle(left)\n}\nb {\nn3: circle label:"z" ?\n}\n',
    diagnostics: ['node-attribute-equals@2:17', 'unknown-shape@3:5', 'undefined-node@4:21', 'unexpected-character@7:22'],
  },
];

function check(c: Case) {
  const result = parseDiagram(c.text);
  expect(result.diagnostics.map(at)).toEqual(c.diagnostics);
  for (const d of result.diagnostics) expect(d.message.length).toBeGreaterThan(10);
  if (c.fixed !== undefined) {
    const fixed = applyAllFixes(c.text, (t) => parseDiagram(t).diagnostics);
    expect(fixed.text).toBe(c.fixed);
    expect(parseDiagram(fixed.text).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  }
  if (c.sameModelAs !== undefined) {
    expect(withoutRanges(result.value)).toEqual(withoutRanges(parseDiagram(c.sameModelAs).value));
  }
}

describe('valid snippets', () => {
  test.each(valid)('$title', check);
});

describe('invalid snippets', () => {
  test.each(invalid)('$title', check);
});

test('negative zero survives printing and parsing', async () => {
  const { print } = await import('../../src/print/index.js');
  const model = parseDiagram('a {\n  n1: rectangle label:"x" Type:"Pass" Result:{"a":-0,"b":[-0]} Z:-0\n}\n').value;
  const back = parseDiagram(print(model)).value;
  const result = back.nodes[0]!.attributes.find((a) => a.key === 'Result')!.value as { a: number; b: number[] };
  expect(Object.is(result.a, -0)).toBe(true);
  expect(Object.is(result.b[0], -0)).toBe(true);
  expect(Object.is(back.nodes[0]!.attributes.find((a) => a.key === 'Z')!.value, -0)).toBe(true);
});
