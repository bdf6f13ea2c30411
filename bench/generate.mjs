// Generates large, valid `.fz` diagrams for benchmarks: several lanes, decisions, cross-lane edges,
// ASL attributes with JSON values, comments and loops.
// `variant` rotates which kind of node comes first and names the lanes differently, so that equal
// sizes still give different diagrams.
export function generateFz(targetBytes, { lanes = 8, variant = 0 } = {}) {
  const perLane = [];
  for (let l = 0; l < lanes; l++) perLane.push([]);
  let bytes = 0;
  let id = 0;
  const nodesOf = [];
  while (bytes < targetBytes) {
    const lane = id % lanes;
    id++;
    const n = `n${id}`;
    const kind = (id + variant) % 5;
    let line;
    if (kind === 0) line = `  n${id}: diamond label:"Decision ${id}?" Type:"Choice"`;
    else if (kind === 1) line = `  n${id}: rectangle label:"Step ${id}" Type:"Task" Resource:"arn:aws:lambda:us-east-1:123456789012:function:F${id}" Retry:[{"ErrorEquals":["States.ALL"],"MaxAttempts":2}]`;
    else if (kind === 2) line = `  // step ${id} is a plain FlowZap node\n  n${id}: rectangle label:"Plain step ${id} with a longer label"`;
    else if (kind === 3) line = `  n${id}: taskbox owner:"Owner ${id}" description:"Do the thing ${id}" system:"CRM"`;
    else line = `  n${id}: circle label:"Event ${id}"`;
    perLane[lane].push(line);
    nodesOf.push(lane);
    if (id > 1) {
      const prev = id - 1;
      const prevLane = nodesOf[prev - 1];
      const target = prevLane === lane ? `n${id}` : `L${lane}.n${id}`;
      const attrs = kind === 0 ? ` [label="Yes"]` : '';
      perLane[prevLane].push(`  n${prev}.handle(right) -> ${target}.handle(left)${attrs}`);
      bytes += 50;
    }
    if (id % 50 === 0) perLane[lane].push(`  loop [batch ${id}] n${id}`);
    bytes += line.length + 1;
  }
  return perLane.map((lines, l) => `L${l} { # Lane ${l}${variant ? ` of variant ${variant}` : ''}\n${lines.join('\n')}\n}\n`).join('\n');
}
