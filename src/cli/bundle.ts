// The entry of dist/cli.cjs (scripts/build-cli.mjs): the command line, and the warm-up that a
// start-up snapshot of it runs before it is taken (src/cli/snapshot.ts).
export { main } from './main.js';

/** A diagram with every kind of node and edge the layout and the drawing know, for the warm-up. */
const WARM_UP_DIAGRAM = `a { # Warm-up
  n1: circle label:"Start"
  n2: rectangle label:"Take the order"
  n3: diamond label:"In stock?"
  n4: rectangle label:"Ship it"
  n5: circle label:"End"
  n1.handle(right) -> n2.handle(left)
  n2.handle(right) -> n3.handle(left)
  n3.handle(right) -> n4.handle(left) [label="Yes"]
  n3.handle(bottom) -> b.n6.handle(top) [label="No"]
  n4.handle(right) -> n5.handle(left)
}
b { # Back office
  n6: rectangle label:"Order more"
  n6.handle(top) -> a.n2.handle(bottom) [label="Retry"]
  loop [until stocked] n6
}
`;

/**
 * Loads the stages a render runs and runs them a few times, so that the snapshot holds them loaded
 * and their code compiled and warm (ELK's layered algorithm most of all). ELK keeps no state
 * between layouts, and the other stages give the same bytes to a second render in one process as to
 * the first (a batch worker renders many diagrams, tested against single renders).
 */
export async function warmUp(rounds = 3): Promise<void> {
  const { parseDiagram } = await import('../model/index.js');
  const { renderDiagram } = await import('../render/index.js');
  await import('./commands/render.js');
  await import('./commands/check.js');
  await import('./commands/fmt.js');
  for (let i = 0; i < rounds; i++) {
    const parsed = parseDiagram(WARM_UP_DIAGRAM);
    await renderDiagram(parsed.value, { format: 'svg' });
    await renderDiagram(parsed.value, { format: 'svg', direction: 'down' });
  }
}
