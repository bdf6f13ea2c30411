// The model stage. Input: an AST (or text, through parseDiagram). Output: Result<Diagram>.
import { sortDiagnostics, type Result } from '../core/index.js';
import { parse } from '../parser/index.js';
import { buildModel } from './build.js';
import type { Diagram } from './types.js';

export * from './types.js';
export * from './query.js';
export { buildModel, closest, type BuildOptions } from './build.js';

/** Parses `.fz` text and builds its model: every syntax and FlowZap diagnostic, in source order. Never throws. */
export function parseDiagram(text: string): Result<Diagram> {
  const ast = parse(text);
  const model = buildModel(ast.value);
  return { value: model.value, diagnostics: sortDiagnostics([...ast.diagnostics, ...model.diagnostics]) };
}
