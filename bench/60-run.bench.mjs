// The run stage's speed on the compiled code: state transitions per second on a Pass/Choice loop, and
// the time of a Map over 10,000 items, with the history recorded (as `flowlane run` does) and without.
// Targets: >= 100,000 transitions/s on the loop; the 10,000-item Map in under 1 s. Each figure is the
// best of a few runs after a warm-up run, so that JIT compilation is not counted.
import { runStateMachine } from '../dist/run/index.js';

const loop = {
  StartAt: 'Init',
  States: {
    Init: { Type: 'Pass', Result: { i: 0 }, Next: 'Check' },
    Check: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericGreaterThanEquals: 10000, Next: 'Done' }], Default: 'Inc' },
    Inc: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'Check' },
    Done: { Type: 'Succeed' },
  },
};
const map = { StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'v.$': '$.i' }, End: true } } }, End: true } } };
const items = Array.from({ length: 10_000 }, (_, i) => ({ i }));

async function best(fn, runs = 3) {
  await fn();
  let min = Infinity;
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

export default async function bench() {
  for (const history of [true, false]) {
    let transitions = 0;
    const ms = await best(async () => {
      const r = await runStateMachine(loop, { history });
      if (r.status !== 'SUCCEEDED') throw new Error(`loop: ${r.status} ${r.error}`);
      transitions = r.transitions;
    });
    console.log(`Pass/Choice loop, history ${history ? 'on ' : 'off'}: ${transitions} transitions in ${ms.toFixed(0)} ms = ${Math.round((transitions / ms) * 1000).toLocaleString('en')} transitions/s (target >= 100,000)`);
  }
  for (const history of [true, false]) {
    const ms = await best(async () => {
      const r = await runStateMachine(map, { input: items, history });
      if (r.status !== 'SUCCEEDED' || r.output.length !== 10_000) throw new Error(`map: ${r.status} ${r.error}`);
    });
    console.log(`Map of 10,000 items, history ${history ? 'on ' : 'off'}: ${ms.toFixed(0)} ms (target < 1000 ms)`);
  }
}
