// Applying the machine-applicable fixes of diagnostics to a text, as `flowlane check --fix` does.
import type { Diagnostic, Position, TextEdit } from './index.js';
import { applyEdits } from './text.js';

function before(p: Position, q: Position): boolean {
  return p.line < q.line || (p.line === q.line && p.character <= q.character);
}

function overlap(a: TextEdit, b: TextEdit): boolean {
  return !(before(a.range.end, b.range.start) || before(b.range.end, a.range.start));
}

/**
 * Applies every fix the checker offers, in rounds: a fix whose edits overlap one already chosen waits
 * for the next round, when the text has been checked again. Stops when no fix is left or nothing changes.
 */
export function applyAllFixes(text: string, check: (text: string) => Diagnostic[], maxRounds = 8): { text: string; applied: number } {
  let current = text;
  let applied = 0;
  for (let round = 0; round < maxRounds; round++) {
    const chosen: TextEdit[] = [];
    for (const d of check(current)) {
      if (!d.fix || d.fix.suggestion || d.fix.edits.some((e) => chosen.some((c) => overlap(e, c)))) continue;
      chosen.push(...d.fix.edits);
      applied++;
    }
    if (chosen.length === 0) break;
    const next = applyEdits(current, chosen);
    if (next === current) break;
    current = next;
  }
  return { text: current, applied };
}
