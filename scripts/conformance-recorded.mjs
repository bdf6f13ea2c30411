// Conformance against executions recorded on AWS itself. LocalStack's Step Functions test suite keeps,
// for many small state machines, the execution history real AWS returned (`*.snapshot.json`) beside the
// definitions (`templates/**/statemachines/*.json5`). This script runs each recorded execution whose
// definition it can find (the test's parameter id names the template) in flowlane's interpreter, and the
// JSONPath-only ones also in aws-local-stepfunctions, and prints how many match: same status, same
// sequence of states entered, same output (or error). Task results are replayed from the recorded
// history (TaskSucceeded/TaskFailed, LambdaFunctionSucceeded/Failed events, in order per state).
//
//   npm run build && node scripts/conformance-recorded.mjs PATH/TO/localstack [--verbose] [--placeholders]
//
// Nothing of LocalStack is copied into this repository; the checkout is read where it lies.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, basename } from 'node:path';
import { createRequire } from 'node:module';
import { runStateMachine, StatesError } from '../dist/run/index.js';

const require = createRequire(import.meta.url);
const JSON5 = require('json5');
const root = process.argv[2];
const verbose = process.argv.includes('--verbose');
if (!root) {
  console.error('usage: node scripts/conformance-recorded.mjs PATH/TO/localstack [--verbose]');
  process.exit(2);
}
Promise.withResolvers ??= function () {
  let resolve, reject;
  const promise = new Promise((a, b) => ((resolve = a), (reject = b)));
  return { promise, resolve, reject };
};
const { StateMachine } = await import('aws-local-stepfunctions');

const sfn = join(root, 'tests', 'aws', 'services', 'stepfunctions');
const walk = (dir, out = []) => {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
};
// Templates by name; a test's own folder (v2/assign -> templates/assign) wins over a namesake elsewhere.
const templates = new Map();
for (const f of walk(join(sfn, 'templates'))) {
  if (!f.endsWith('.json5') || !f.includes('statemachines')) continue;
  const folder = f.slice(join(sfn, 'templates').length + 1).split('/')[0];
  templates.set(`${folder}/${basename(f, '.json5').toUpperCase()}`, f);
  if (!templates.has(basename(f, '.json5').toUpperCase())) templates.set(basename(f, '.json5').toUpperCase(), f);
}

const parse = (v) => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
};
const canonical = (v) => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));

/** What the recorded history says: input, status, output/error, states entered, task outcomes per state. */
function recorded(events) {
  const started = events.find((e) => e.type === 'ExecutionStarted');
  const last = events.at(-1);
  const states = events.filter((e) => e.stateEnteredEventDetails).map((e) => e.stateEnteredEventDetails.name);
  const outcomes = new Map();
  let current;
  for (const e of events) {
    if (e.type === 'TaskStateEntered') current = e.stateEnteredEventDetails.name;
    const ok = e.taskSucceededEventDetails ?? e.lambdaFunctionSucceededEventDetails;
    const bad = e.taskFailedEventDetails ?? e.lambdaFunctionFailedEventDetails ?? e.taskTimedOutEventDetails ?? e.lambdaFunctionTimedOutEventDetails;
    if (current && (ok || bad)) {
      const list = outcomes.get(current) ?? [];
      list.push(ok ? { output: parse(ok.output) } : { error: bad.error ?? 'States.Timeout', cause: typeof bad.cause === 'string' ? bad.cause : JSON.stringify(bad.cause ?? '') });
      outcomes.set(current, list);
    }
  }
  const status = last.type === 'ExecutionSucceeded' ? 'SUCCEEDED' : last.type === 'ExecutionFailed' ? 'FAILED' : last.type === 'ExecutionTimedOut' ? 'TIMED_OUT' : 'UNKNOWN';
  return {
    input: parse(started?.executionStartedEventDetails?.input ?? {}),
    status,
    output: status === 'SUCCEEDED' ? parse(last.executionSucceededEventDetails?.output) : undefined,
    error: last.executionFailedEventDetails?.error,
    states,
    outcomes,
  };
}

// LocalStack's snapshots replace what differs between runs with placeholders (`<uuid:1>`,
// `<ExecArnPart_0idx>`, `<region>`, and the whole strings `date`, `timestamp`, `snf_role_arn`) and its
// account with 111111111111. With --placeholders a recorded
// string holding them matches any value in their place: the second figure the script prints.
const placeholders = process.argv.includes('--placeholders');
const escapeRe = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const LITERAL_PLACEHOLDERS = new Set(['date', 'timestamp', 'snf_role_arn']);
function sameModuloPlaceholders(got, rec) {
  if (typeof rec === 'string' && LITERAL_PLACEHOLDERS.has(rec)) return typeof got === 'string';
  if (typeof rec === 'string' && (/<[^<>]+>/.test(rec) || rec.includes('111111111111'))) {
    if (typeof got !== 'string') return false;
    const re = new RegExp(`^${rec.split(/(<[^<>]+>|111111111111)/).map((part, i) => (i % 2 === 1 ? (part === '111111111111' ? '\\d{12}' : '.+?') : escapeRe(part))).join('')}$`, 's');
    return re.test(got);
  }
  if (Array.isArray(rec)) return Array.isArray(got) && got.length === rec.length && rec.every((x, i) => sameModuloPlaceholders(got[i], x));
  if (rec && typeof rec === 'object') {
    if (!got || typeof got !== 'object' || Array.isArray(got)) return false;
    const keys = Object.keys(rec);
    return keys.length === Object.keys(got).length && keys.every((k) => k in got && sameModuloPlaceholders(got[k], rec[k]));
  }
  return canonical(got) === canonical(rec);
}

function compare(rec, got) {
  if (got.status !== rec.status) return `status ${got.status} (${got.error ?? ''}), recorded ${rec.status} (${rec.error ?? ''})`;
  if (canonical(got.states) !== canonical(rec.states)) return `states ${got.states.join('>')}, recorded ${rec.states.join('>')}`;
  if (rec.status === 'SUCCEEDED' && canonical(got.output) !== canonical(rec.output) && !(placeholders && sameModuloPlaceholders(got.output, rec.output))) return `output ${canonical(got.output).slice(0, process.env.CONFORMANCE_WIDTH ? Number(process.env.CONFORMANCE_WIDTH) : 160)}, recorded ${canonical(rec.output).slice(0, process.env.CONFORMANCE_WIDTH ? Number(process.env.CONFORMANCE_WIDTH) : 160)}`;
  if (rec.status === 'FAILED' && rec.error !== undefined && got.error !== rec.error) return `error ${got.error}, recorded ${rec.error}`;
  return undefined;
}

async function ours(definition, rec) {
  const queues = new Map([...rec.outcomes].map(([k, v]) => [k, [...v]]));
  const r = await runStateMachine(definition, {
    input: rec.input,
    resolveTask: async (call) => {
      const next = queues.get(call.state)?.shift();
      if (!next) throw new StatesError('Conformance.NoRecordedResult', `no recorded result for ${call.state}`);
      if (next.error !== undefined) throw new StatesError(next.error, next.cause);
      return next.output;
    },
  });
  return { status: r.status, output: r.output, error: r.error, states: r.history.filter((e) => e.stateEnteredEventDetails).map((e) => e.stateEnteredEventDetails.name) };
}

function statesOf(def, type, out = []) {
  if (Array.isArray(def)) def.forEach((d) => statesOf(d, type, out));
  else if (def && typeof def === 'object') {
    if (def.States && typeof def.States === 'object') for (const [n, s] of Object.entries(def.States)) if (s?.Type === type) out.push(n);
    Object.values(def).forEach((v) => statesOf(v, type, out));
  }
  return out;
}

async function theirs(definition, rec) {
  const queues = new Map([...rec.outcomes].map(([k, v]) => [k, [...v]]));
  const states = [];
  const handler = (name) => async () => {
    const next = queues.get(name)?.shift();
    if (!next) throw new Error(`no recorded result for ${name}`);
    if (next.error !== undefined) throw Object.assign(new Error(next.cause), { name: next.error });
    return next.output;
  };
  try {
    const sm = new StateMachine(definition, { validationOptions: { checkArn: false, checkPaths: false } });
    const overrides = {
      taskResourceLocalHandlers: Object.fromEntries(statesOf(definition, 'Task').map((n) => [n, handler(n)])),
      waitTimeOverrides: Object.fromEntries(statesOf(definition, 'Wait').map((n) => [n, 0])),
      retryIntervalOverrides: Object.fromEntries([...statesOf(definition, 'Task'), ...statesOf(definition, 'Parallel'), ...statesOf(definition, 'Map')].map((n) => [n, 0])),
    };
    const execution = sm.run(structuredClone(rec.input), { overrides });
    execution.eventLogs;
    const timer = setTimeout(() => execution.abort(), 5000);
    try {
      const output = await execution.result;
      return { status: 'SUCCEEDED', output, states: rec.states };
    } catch (e) {
      const cause = e?.cause;
      return { status: 'FAILED', error: cause?.error ?? cause?.name, states: rec.states };
    } finally {
      clearTimeout(timer);
    }
  } catch (e) {
    return { status: 'REFUSED', error: String(e?.message ?? e).split('\n')[0], states: [] };
  }
}

let total = 0;
let matched = 0;
let jsonPathTotal = 0;
let jsonPathOurs = 0;
let jsonPathTheirs = 0;
const misses = [];
for (const file of walk(join(sfn, 'v2')).filter((f) => f.endsWith('.snapshot.json'))) {
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  for (const [key, entry] of Object.entries(snapshot)) {
    const id = /\[([^\]]+)\]$/.exec(key)?.[1];
    if (!id) continue;
    const folder = file.slice(join(sfn, 'v2').length + 1).split('/')[0];
    const templatePath = templates.get(`${folder}/${id.toUpperCase()}`) ?? templates.get(id.toUpperCase()) ?? templates.get(id.split('-')[0].toUpperCase());
    if (!templatePath) continue;
    let definition;
    try {
      definition = JSON5.parse(readFileSync(templatePath, 'utf8'));
    } catch {
      continue;
    }
    for (const [name, content] of Object.entries(entry['recorded-content'] ?? {})) {
      if (!content || !Array.isArray(content.events) || content.events.length < 2) continue;
      const rec = recorded(content.events);
      if (rec.status === 'UNKNOWN') continue;
      total++;
      let got;
      try {
        got = await ours(definition, rec);
      } catch (e) {
        // A run that needs what the recording cannot give (an S3 object for ItemReader).
        got = { status: 'NOT_RUN', error: String(e?.message ?? e), states: [] };
      }
      const problem = compare(rec, got);
      if (!problem) matched++;
      else misses.push(`${key.split('::').slice(1).join('::')} ${name}: ${problem}`);
      const jsonata = JSON.stringify(definition).includes('JSONata');
      // The library's own states list is not recorded; it is compared on status and output only.
      if (!jsonata) {
        jsonPathTotal++;
        if (!problem) jsonPathOurs++;
        const lib = await theirs(definition, rec);
        if (!compare(rec, { ...lib, states: rec.states })) jsonPathTheirs++;
      }
    }
  }
}
console.log(`recorded executions with a findable definition: ${total}`);
console.log(`flowlane: ${matched}/${total} match (status, states entered, output or error)`);
console.log(`JSONPath-only subset: flowlane ${jsonPathOurs}/${jsonPathTotal}, aws-local-stepfunctions ${jsonPathTheirs}/${jsonPathTotal} (status and output or error; its states are not compared)`);
if (verbose) for (const m of misses) console.log(`  miss: ${m}`);
