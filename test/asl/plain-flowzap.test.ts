// Plain FlowZap diagrams always convert: repeated labels get unique state names (`Label`,
// `Label (2)`, … stable, a warning each, an error with --strict); a node with several labelled
// outgoing edges is followed by a Choice on those labels, never a state with both Next and End.
// Each output passes the shared judgement (asl-validator included) and runs to an end in
// aws-local-stepfunctions. And every diagram of ../shared/corpus/fz and examples/ converts so.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { toAsl } from '../../src/asl/index.js';
import { parseDiagram } from '../../src/model/index.js';
import { corpusAvailable, corpusDir, exampleFiles, examplesDir } from '../helpers/paths.js';
import { runMachine, type Json } from '../helpers/run-asl.js';
import { corpusFiles } from './corpus-helpers.js';

/** Eight steps with one label, as FlowZap users draw a polling sequence. */
const REPEATED = `ops { # Operations
n1: circle label:"Start"
n2: rectangle label:"Start filter job"
${[3, 4, 5, 6, 7, 8, 9, 10].map((i) => `n${i}: rectangle label:"Monitor Filter status"`).join('\n')}
n11: circle label:"Done"
${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => `n${i}.handle(right) -> n${i + 1}.handle(left)`).join('\n')}
}
`;

/** The error-retry loop: a rectangle with two labelled ways out, one of them to the end. */
const RETRY = `api { # API
n1: circle label:"Start"
n2: rectangle label:"Call API"
n3: rectangle label:"Wait and retry"
n4: circle label:"End"
n1.handle(right) -> n2.handle(left)
n2.handle(right) -> n4.handle(left) [label="Success"]
n2.handle(bottom) -> n3.handle(top) [label="Error"]
n3.handle(left) -> n2.handle(bottom) [label="Retry"]
}
`;

/** A Task (it has a Resource) with labelled ways out, one unlabelled (the Default). */
const TASK = `svc { # Service
n1: rectangle label:"Charge card" Resource:"arn:aws:states:::lambda:invoke"
n2: rectangle label:"Ship"
n3: rectangle label:"Refund"
n4: circle label:"Failed"
n1.handle(right) -> n2.handle(left) [label="paid"]
n1.handle(bottom) -> n3.handle(top) [label="$.amount < 0"]
n1.handle(bottom) -> n4.handle(left)
}
`;

function convert(text: string, strict = false) {
  const parsed = parseDiagram(text);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return toAsl(parsed.value, { strict });
}

type State = { Type: string; Next?: string; End?: boolean; Default?: string; Choices?: Array<{ Next: string }> };
const states = (v: unknown): Record<string, State> => (v as { States: Record<string, State> }).States;

describe('repeated labels', () => {
  test('become Label, Label (2), … in node order, a warning each, and the machine validates and runs', async () => {
    const r = convert(REPEATED);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const names = Object.keys(states(r.value));
    expect(names).toEqual(['Start filter job', 'Monitor Filter status', ...[2, 3, 4, 5, 6, 7, 8].map((k) => `Monitor Filter status (${k})`)]);
    const repeated = r.diagnostics.filter((d) => d.code === 'asl-repeated-label');
    expect(repeated).toHaveLength(7);
    expect(repeated.every((d) => d.severity === 'warning')).toBe(true);
    // On the repeating node's line, pointing back at the first node with the label.
    expect(repeated[0]!.range.start.line).toBe(4);
    expect(repeated[0]!.related?.[0]?.range.start.line).toBe(3);
    expect((await runMachine(r.value as Json)).ok).toBe(true);
  });
  test('are stable: the same diagram gives the same names, and the first node keeps its label', () => {
    expect(convert(REPEATED).value).toEqual(convert(REPEATED).value);
    const moreAfter = REPEATED.replace('n11: circle', 'n12: rectangle label:"Monitor Filter status (2)"\nn11: circle');
    const names = Object.keys(states(convert(moreAfter).value));
    // A label that is already taken by a generated name does not collide.
    expect(new Set(names).size).toBe(names.length);
    expect(names.slice(0, 3)).toEqual(['Start filter job', 'Monitor Filter status', 'Monitor Filter status (2)']);
  });
  test('are errors with --strict', () => {
    const r = convert(REPEATED, true);
    const repeated = r.diagnostics.filter((d) => d.code === 'asl-repeated-label');
    expect(repeated).toHaveLength(7);
    expect(repeated.every((d) => d.severity === 'error' && /--strict/.test(d.message))).toBe(true);
  });
  test('a label over 80 characters is cut to a state name AWS takes', () => {
    const long = 'Check that the uploaded invoice matches the purchase order and the goods received note';
    const r = convert(`a { # A\nn1: rectangle label:"${long}"\nn2: rectangle label:"${long}"\nn1.handle(right) -> n2.handle(left)\n}\n`);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const name of Object.keys(states(r.value))) expect(name.length).toBeLessThanOrEqual(80);
    expect(Object.keys(states(r.value))).toHaveLength(2);
  });
});

describe('a node with several labelled outgoing edges', () => {
  test('is followed by a Choice on those labels, never Next and End together', async () => {
    const r = convert(RETRY);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const s = states(r.value);
    for (const st of Object.values(s)) expect(st.Next !== undefined && st.End !== undefined).toBe(false);
    expect(s['Call API']).toMatchObject({ Type: 'Pass', Next: 'Call API?' });
    expect(s['Call API?']!.Type).toBe('Choice');
    expect(s['Call API?']!.Choices!.map((c) => c.Next)).toEqual(['End', 'Wait and retry']);
    // Without $.choice in the input, the Default leaves the loop.
    expect(s['Call API?']!.Default).toBe('End');
    expect(s['End']!.Type).toBe('Succeed');
    expect(r.diagnostics.some((d) => d.code === 'asl-inferred' && /followed by a Choice "Call API\?"/.test(d.message))).toBe(true);
    expect((await runMachine(r.value as Json)).ok).toBe(true);
  });
  test('a Task keeps its Resource; the unlabelled edge is the Default; a $.path label is a comparison', async () => {
    const r = convert(TASK);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const s = states(r.value);
    expect(s['Charge card']).toMatchObject({ Type: 'Task', Next: 'Charge card?' });
    expect(s['Charge card?']!.Default).toBe('Failed');
    expect(JSON.stringify(s['Charge card?']!.Choices)).toContain('"NumericLessThan":0');
    const run = await runMachine(r.value as Json);
    expect(run.ok).toBe(true);
  });
  test('with --strict, the inference is an error', () => {
    const r = convert(RETRY, true);
    expect(r.diagnostics.some((d) => d.severity === 'error' && /followed by a Choice/.test(d.message))).toBe(true);
  });
  test('unlabelled edges still fork into a Parallel', () => {
    const r = convert(`a { # A\nn1: rectangle label:"Split"\nn2: rectangle label:"Left"\nn3: rectangle label:"Right"\nn4: rectangle label:"Join"\nn1.handle(right) -> n2.handle(left)\nn1.handle(bottom) -> n3.handle(left)\nn2.handle(right) -> n4.handle(left)\nn3.handle(right) -> n4.handle(bottom)\n}\n`);
    expect(states(r.value)['Split']!.Type).toBe('Parallel');
  });
});

/** Corpus samples whose manifest records syntax errors by FlowZap's rules (checker_errors > 0). */
const rejectedByFlowZap = new Set(
  corpusAvailable
    ? readFileSync(join(corpusDir, 'fz', 'MANIFEST.tsv'), 'utf8')
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t'))
        .filter((c) => Number(c[6]) > 0)
        .map((c) => c[0]!)
    : [],
);

/** Every diagram that parses without errors converts, validates and runs. */
const diagrams: Array<[string, string]> = [
  ...(corpusAvailable ? corpusFiles('fz', '.fz').map((f): [string, string] => [`corpus/fz/${f}`, join(corpusDir, 'fz', f)]) : []),
  ...exampleFiles().map((f): [string, string] => [`examples/${f}`, join(examplesDir, f)]),
];

describe('every FlowZap diagram converts, validates and runs', () => {
  test.each(diagrams)('%s', { timeout: 60_000 }, async (_name, file) => {
    const parsed = parseDiagram(readFileSync(file, 'utf8'));
    if (parsed.diagnostics.some((d) => d.severity === 'error')) {
      // Not a diagram FlowZap accepts: only corpus samples its manifest records with FlowZap syntax errors.
      expect(rejectedByFlowZap.has(basename(file)), 'a diagram FlowZap accepts has errors here').toBe(true);
      return;
    }
    const r = toAsl(parsed.value);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
    const run = await runMachine(r.value as Json);
    if (!run.ok) expect(run.failState, String((run.error as Error).message)).toBe(true);
  });
});
