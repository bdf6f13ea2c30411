// The statement snippets offered by completion (lane, node, edge, loop, Choice, Parallel, Map, Task),
// numbered with the next free node ids of the document. grammar/snippets.json holds the same set
// for VS Code with fixed numbers (a test keeps the two lists of prefixes equal).
// Input: a function giving the next free node id. Output: LSP snippet bodies.

export interface Snippet {
  prefix: string;
  description: string;
  body: string;
}

/** Escapes `$`, `}` and `\` for a literal part of an LSP snippet. */
function lit(s: string): string {
  return s.replace(/[$}\\]/g, (c) => `\\${c}`);
}

export function statementSnippets(nextId: () => string, indent = '\t'): Snippet[] {
  const [a, b, c] = [nextId(), nextId(), nextId()];
  return [
    { prefix: 'lane', description: 'A lane (swimlane) with an id and a display label', body: `\${1:lane} { # \${2:Label}\n${indent}$0\n}` },
    { prefix: 'node', description: 'A node: id, shape and label', body: `\${1:${a}}: \${2|rectangle,circle,diamond,taskbox|} label:"\${3:Step}"$0` },
    { prefix: 'edge', description: "An edge from one node's right side to another's left side", body: '${1:n1}.handle(${2|right,left,top,bottom|}) -> ${3:n2}.handle(${4|left,right,top,bottom|})$0' },
    { prefix: 'edgel', description: 'An edge with a label', body: '${1:n1}.handle(right) -> ${2:n2}.handle(left) [label="${3:Yes}"]$0' },
    { prefix: 'loop', description: 'A loop fragment around some nodes', body: 'loop [${1:retry until done}] ${2:n1} ${3:n2}$0' },
    { prefix: 'task', description: 'An ASL Task state calling a Lambda function', body: `\${1:${a}}: rectangle label:"\${2:Do Work}" Type:"Task" Resource:"\${3:arn:aws:states:::lambda:invoke}"$0` },
    {
      prefix: 'choice',
      description: 'An ASL Choice state with a rule edge and a default edge',
      body: [
        `${a}: diamond label:"\${1:Check}" Type:"Choice"`,
        `${b}: rectangle label:"\${2:When True}" Type:"Pass"`,
        `${c}: rectangle label:"\${3:Otherwise}" Type:"Pass"`,
        `${a}.handle(right) -> ${b}.handle(left) [label="\${4:${lit('$.ok == true')}}" Choice={"Variable":"\${5:${lit('$.ok')}}","BooleanEquals":true}]`,
        `${a}.handle(bottom) -> ${c}.handle(top) [label="Default" Default=true]$0`,
      ].join('\n'),
    },
    {
      prefix: 'parallel',
      description: 'An ASL Parallel state whose block holds two branch lanes',
      body: [
        `${a}: rectangle label:"\${1:Do Both}" Type:"Parallel" {`,
        `${indent}\${2:b1} { # \${3:First}`,
        `${indent}${indent}${b}: rectangle label:"\${4:First Step}" Type:"Pass"`,
        `${indent}}`,
        `${indent}\${5:b2} { # \${6:Second}`,
        `${indent}${indent}${c}: rectangle label:"\${7:Second Step}" Type:"Pass"`,
        `${indent}}`,
        '}$0',
      ].join('\n'),
    },
    {
      prefix: 'map',
      description: 'An ASL Map state whose block holds its item processor lane',
      body: [
        `${a}: rectangle label:"\${1:For Each Item}" Type:"Map" ItemsPath:"\${2:${lit('$.items')}}" {`,
        `${indent}\${3:items} { # \${4:Item}`,
        `${indent}${indent}${b}: rectangle label:"\${5:Process Item}" Type:"Task" Resource:"arn:aws:states:::lambda:invoke"`,
        `${indent}}`,
        '}$0',
      ].join('\n'),
    },
  ];
}
