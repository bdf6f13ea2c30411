// Code actions and formatting. Quick fixes come from the fixes the model stage attaches to its
// diagnostics (one action per fixable diagnostic, plus "fix all"); refactors are offered by
// command, because their result (an ASL file) is not an edit of this document.
// Input: an Analysis, a range, the document's diagnostics. Output: actions with edits or commands.
import { comparePositions, type Diagnostic, type Range, type TextEdit } from '../core/index.js';
import { print, UNPRINTABLE } from '../print/index.js';
import type { Analysis } from './document.js';

export interface CodeAction {
  title: string;
  kind: 'quickfix' | 'source.fixAll' | 'refactor.rewrite' | 'refactor.extract';
  /** The diagnostic this action fixes. */
  diagnostic?: Diagnostic;
  edits?: TextEdit[];
  /** A server command to run instead of (or after) the edits. */
  command?: { title: string; command: string; arguments: unknown[] };
  isPreferred?: boolean;
}

/** The commands the server executes (workspace/executeCommand). */
// Named apart from the VS Code extension's own commands: the client registers these in the editor too.
export const COMMANDS = { convertToAsl: 'flowlane.server.convertToAsl' } as const;

function overlaps(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

function editsOverlap(a: TextEdit, b: TextEdit): boolean {
  return comparePositions(a.range.start, b.range.end) < 0 && comparePositions(b.range.start, a.range.end) < 0;
}

export function codeActions(a: Analysis, range: Range, diagnostics: Diagnostic[], uri: string): CodeAction[] {
  const out: CodeAction[] = [];
  const fixable = diagnostics.filter((d) => d.fix && d.fix.edits.length > 0);
  for (const d of fixable) {
    // A whole-file fix such as renumbering is offered wherever its diagnostic is reported.
    if (!overlaps(d.range, range)) continue;
    out.push({ title: d.fix!.title, kind: 'quickfix', diagnostic: d, edits: d.fix!.edits, isPreferred: !d.fix!.suggestion });
  }
  const automatic = fixable.filter((d) => !d.fix!.suggestion);
  if (automatic.length > 1) {
    const chosen: TextEdit[] = [];
    for (const d of automatic) {
      if (d.fix!.edits.some((e) => chosen.some((c) => editsOverlap(e, c)))) continue;
      chosen.push(...d.fix!.edits);
    }
    out.push({ title: 'Fix all auto-fixable problems', kind: 'source.fixAll', edits: chosen });
  }
  const hasErrors = a.diagnostics.some((d) => d.severity === 'error');
  if (!hasErrors && a.diagram.nodes.length > 0) {
    out.push({
      title: 'Convert to ASL (write a .asl.json beside this file)',
      kind: 'refactor.rewrite',
      command: { title: 'Convert to ASL', command: COMMANDS.convertToAsl, arguments: [uri] },
    });
  }
  return out;
}

const SYNTAX_CODES = new Set<string>(['syntax-error', 'unexpected-character', 'unterminated-string', 'unclosed-lane', 'invalid-json', 'input-too-large']);

/** The canonical text of the document, as one edit; nothing when it has errors or is already canonical. */
export function formatDocument(a: Analysis): TextEdit[] {
  // As `flowlane fmt`: a text that does not parse cannot be printed without losing what it says.
  if (a.diagnostics.some((d) => d.severity === 'error' && (SYNTAX_CODES.has(d.code) || UNPRINTABLE.has(d.code)))) return [];
  let printed: string;
  try {
    printed = print(a.diagram);
  } catch {
    return [];
  }
  if (printed === a.text) return [];
  const end = a.lines.positionAt(a.text.length);
  return [{ range: { start: { line: 0, character: 0 }, end }, newText: printed }];
}
