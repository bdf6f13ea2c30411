// The Run panel: the state machine of the editor's text run in the page (run-worker.ts, a worker of
// its own per run), with an input, an optional mock file (AWS Step Functions Local's format, as
// `flowlane run --mock` reads it) and its test case; the result (status, error, output, the states
// entered) and the path drawn on the diagram (as `flowlane render --trace` draws it).
// Input: the page's elements and its text. Output: the panel's contents; nothing leaves the page.
import type { PathOverlay } from '../browser/index.js';
import { openFile } from './files.js';

/** A run that takes longer than this is ended (Stop ends one sooner). */
const RUN_LIMIT_MS = 60_000;

interface RunAnswer {
  status?: string;
  output?: unknown;
  error?: string | null;
  cause?: string | null;
  states?: string[];
}
type RunReply = { answer: RunAnswer; overlay: PathOverlay } | { problem: string };

export interface RunPanelHost {
  text(): string;
  name(): string;
  /** Draws the current text with the path over it; the SVG, or an error line. */
  draw(overlay: PathOverlay): Promise<{ svg?: string; error?: string }>;
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** A JSON text read, or where it is wrong ("input: line 2, column 5: …"). */
export function readJson(what: string, text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    const message = (e as Error).message;
    // V8 names the offset ("at position 12", and in newer versions "(line 2 column 5)").
    const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
    let line: number;
    let column: number;
    if (lineColumn) {
      line = Number(lineColumn[1]);
      column = Number(lineColumn[2]);
    } else {
      const position = /at position (\d+)/.exec(message);
      const offset = position ? Number(position[1]) : text.length;
      const before = text.slice(0, offset).split('\n');
      line = before.length;
      column = before[before.length - 1]!.length + 1;
    }
    const detail = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/\s*in JSON at position \d+/, '');
    return { error: `${what}: line ${line}, column ${column}: ${detail}` };
  }
}

/** The test cases a mock file offers, as `machine / case` (the machine left out when there is one). */
function testCases(mocks: unknown): Array<{ machine: string; testCase: string; label: string }> {
  const machines = (mocks as { StateMachines?: Record<string, { TestCases?: Record<string, unknown> }> } | null)?.StateMachines;
  if (!machines || typeof machines !== 'object') return [];
  const names = Object.keys(machines);
  return names.flatMap((machine) => Object.keys(machines[machine]?.TestCases ?? {}).map((testCase) => ({ machine, testCase, label: names.length > 1 ? `${machine} / ${testCase}` : testCase })));
}

export function setupRunPanel(host: RunPanelHost): void {
  const input = $<HTMLTextAreaElement>('run-input');
  const mockText = $<HTMLTextAreaElement>('run-mocks');
  const caseSelect = $<HTMLSelectElement>('run-case');
  const runButton = $<HTMLButtonElement>('run-start');
  const stopButton = $<HTMLButtonElement>('run-stop');
  const result = $('run-result');
  const drawing = $('run-diagram');
  let worker: Worker | undefined;
  let finish: ((reply: RunReply) => void) | undefined;

  const show = (lines: Array<[string, string]>, isError: boolean): void => {
    result.classList.toggle('error', isError);
    result.replaceChildren(
      ...lines.map(([label, value]) => {
        const row = document.createElement('div');
        row.className = 'run-row';
        const name = document.createElement('span');
        name.className = 'run-label';
        name.textContent = label;
        const text = document.createElement(label === 'output' ? 'pre' : 'span');
        text.className = `run-value run-${label.replace(/\s+/g, '-')}`;
        text.textContent = value;
        row.append(name, text);
        return row;
      }),
    );
  };

  const fillCases = (): void => {
    const read = mockText.value.trim() === '' ? { value: undefined } : readJson('mock file', mockText.value);
    const cases = 'value' in read && read.value !== undefined ? testCases(read.value) : [];
    caseSelect.replaceChildren(
      ...cases.map((c) => {
        const option = document.createElement('option');
        option.value = JSON.stringify([c.machine, c.testCase]);
        option.textContent = c.label;
        return option;
      }),
    );
    caseSelect.disabled = cases.length === 0;
  };
  mockText.addEventListener('input', fillCases);
  $('run-open-mocks').addEventListener('click', () => {
    void openFile().then((f) => {
      if (!f) return;
      mockText.value = f.text;
      fillCases();
    });
  });

  const stop = (why: string): void => {
    worker?.terminate();
    worker = undefined;
    finish?.({ problem: why });
  };
  stopButton.addEventListener('click', () => stop('stopped: the run was ended before it finished'));

  runButton.addEventListener('click', () => {
    void (async () => {
      delete result.dataset['status'];
      const inputRead = readJson('input', input.value.trim() === '' ? '{}' : input.value);
      if ('error' in inputRead) return show([['problem', inputRead.error]], true);
      let mocks: unknown;
      let machine: string | undefined;
      let testCase: string | undefined;
      if (mockText.value.trim() !== '') {
        const read = readJson('mock file', mockText.value);
        if ('error' in read) return show([['problem', read.error]], true);
        mocks = read.value;
        if (caseSelect.value) [machine, testCase] = JSON.parse(caseSelect.value) as [string, string];
      }
      const text = host.text();
      runButton.disabled = true;
      stopButton.disabled = false;
      result.classList.remove('error');
      result.textContent = 'running…';
      const started = performance.now();
      worker = new Worker(new URL('./lsp/run-worker.js', import.meta.url), { type: 'module' });
      const reply = await new Promise<RunReply>((resolve) => {
        const timer = setTimeout(() => stop(`stopped: the run did not finish within ${RUN_LIMIT_MS / 1000} s`), RUN_LIMIT_MS);
        finish = (r) => {
          clearTimeout(timer);
          finish = undefined;
          resolve(r);
        };
        worker!.onmessage = (e: MessageEvent<RunReply>) => finish?.(e.data);
        worker!.onerror = (e) => finish?.({ problem: `the run failed (${e.message || 'the run worker did not start'})` });
        worker!.postMessage({ text, name: host.name(), input: inputRead.value, ...(mocks !== undefined ? { mocks } : {}), ...(testCase !== undefined ? { testCase, stateMachine: machine } : {}) });
      });
      worker?.terminate();
      worker = undefined;
      stopButton.disabled = true;
      // The buttons come back and the status is set once the result and its drawing are shown.
      const done = (status: string): void => {
        runButton.disabled = false;
        result.dataset['status'] = status;
      };
      if ('problem' in reply) {
        drawing.replaceChildren();
        show([['problem', reply.problem]], true);
        return done('problem');
      }
      const a = reply.answer;
      const rows: Array<[string, string]> = [['status', `${a.status ?? '?'} in ${Math.round(performance.now() - started)} ms`]];
      if (a.error) rows.push(['error', a.cause ? `${a.error}: ${a.cause}` : a.error]);
      if (a.output !== undefined) rows.push(['output', JSON.stringify(a.output, null, 2)]);
      rows.push(['states', (a.states ?? []).join(' → ')]);
      show(rows, a.status !== 'SUCCEEDED');
      const drawn = await host.draw(reply.overlay);
      if (drawn.svg) {
        const svg = new DOMParser().parseFromString(drawn.svg, 'image/svg+xml').documentElement;
        drawing.replaceChildren(document.importNode(svg, true));
      } else {
        drawing.replaceChildren();
        show([...rows, ['problem', `the path cannot be drawn (${drawn.error ?? 'no SVG'})`]], true);
      }
      done(a.status ?? '');
    })();
  });
}
