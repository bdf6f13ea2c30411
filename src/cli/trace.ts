// The path overlay for the CLI: `render --trace HISTORY.json` and `run --svg OUT.svg`.
// Input: a history file (or a run's events) and the diagram. Output: the PathOverlay the renderer
// draws, or a CommandFailure naming the file, line and column of what is wrong in the history.
import { jsonLocator } from '../asl/json-locate.js';
import { toAslWithLocator } from '../asl/to-asl.js';
import { LineIndex } from '../core/text.js';
import type { Diagram } from '../model/types.js';
import type { PathOverlay } from '../render/trace.js';
import { pathOverlay } from '../render/trace.js';
import { executedPath, historyEvents } from '../run/path.js';
import { readText } from './io.js';
import { CommandFailure } from './commands/run.js';

/** A history file's events, with a function that names the place of event i (or of the file, for -1). */
export interface TraceFile {
  events: unknown[];
  where: (event: number) => string;
}

export function readTraceFile(path: string): TraceFile {
  const read = readText(path);
  if (!read.ok) throw new CommandFailure(read.message, 1);
  const lines = new LineIndex(read.text);
  const at = (offset: number): string => {
    const p = lines.positionAt(offset);
    return `${read.name}:${p.line + 1}:${p.character + 1}`;
  };
  let data: unknown;
  try {
    data = JSON.parse(read.text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const offset = /position (\d+)/.exec(message);
    throw new CommandFailure(`${at(offset ? Number(offset[1]) : 0)}: the execution history is not valid JSON (${message})`, 1);
  }
  const locate = jsonLocator(read.text);
  const bare = Array.isArray(data);
  const where = (event: number): string => at(event < 0 ? 0 : (locate(bare ? [event] : ['events', event])?.[0] ?? 0));
  const { events, problem } = historyEvents(data);
  if (problem || !events) throw new CommandFailure(`${where(problem?.event ?? -1)}: ${problem?.message ?? 'no events'}`, 1);
  return { events, where };
}

/**
 * The overlay of a history on a diagram. The state names are to-asl's for the diagram (for an ASL
 * input, the diagram is from-asl's and to-asl gives back the same names); a history that enters a
 * state the diagram does not have is refused, at that event.
 */
export function traceOverlay(diagram: Diagram, events: readonly unknown[], where: (event: number) => string): PathOverlay {
  const converted = toAslWithLocator(diagram, { validate: false });
  const { value, problems } = executedPath(converted.value, events);
  const first = problems[0];
  if (first) throw new CommandFailure(`${where(first.event)}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}; is this the history of this state machine?`, 1);
  return pathOverlay(diagram, converted.stateNodes, value);
}
