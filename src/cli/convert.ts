// The conversions that `to-asl` and `from-asl` run, text to text. Input: a `.fz` text, or an ASL
// definition's text. Output: the converted text, or the diagnostics that stop the conversion.
// Kept out of the command modules, which `flowlane --help` loads, so that listing the commands does
// not load the conversion stage.
import { fromAsl, loadAsl, toAsl } from '../asl/index.js';
import type { Diagnostic } from '../core/index.js';
import { parseDiagram } from '../model/index.js';
import { print } from '../print/index.js';

/** The whole conversion, as the command runs it: ASL JSON text, or the diagnostics that stop it. */
export function convertToAslText(text: string, options: { lane?: string; strict?: boolean } = {}): { text?: string; diagnostics: Diagnostic[] } {
  const parsed = parseDiagram(text);
  if (parsed.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: parsed.diagnostics };
  const converted = toAsl(parsed.value, { ...(options.lane !== undefined ? { lane: options.lane } : {}), strict: options.strict === true });
  // The model already reported edges leaving a branch; keep one diagnostic per place and problem.
  const seen = new Set(parsed.diagnostics.map((d) => `${d.code}:${d.range.start.line}:${d.range.start.character}`));
  const diagnostics = [...parsed.diagnostics, ...converted.diagnostics.filter((d) => !seen.has(`${d.code}:${d.range.start.line}:${d.range.start.character}`))];
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { text: `${JSON.stringify(converted.value, null, 2)}\n`, diagnostics };
}

/** The whole conversion, as the command runs it: `.fz` text, or the diagnostics that stop it. */
export function convertFromAslText(
  text: string,
  name: string,
  options: { lanes?: 'single' | 'service'; resource?: string; allowInvalid?: boolean } = {},
): { text?: string; diagnostics: Diagnostic[] } {
  const loaded = loadAsl(text, { name, ...(options.resource !== undefined ? { resource: options.resource } : {}) });
  if (loaded.value.definition === undefined || loaded.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: loaded.diagnostics };
  const converted = fromAsl(loaded.value.definition, { lanes: options.lanes ?? 'single', locate: loaded.value.locate, allowInvalid: options.allowInvalid === true });
  const diagnostics = [...loaded.diagnostics, ...converted.diagnostics];
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { text: print(converted.value), diagnostics };
}
