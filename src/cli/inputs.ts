// What the commands take from argv besides options: globs and directories expanded into files, and
// numeric option values checked as they are read (a bad value is a usage error, exit 2, never a
// silent default).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';

// Numbers are checked where they are read: a bad value is a usage error (exit 2), not a silent default.
export function positiveNumber(value: string): string {
  if (!/^\s*\d*\.?\d+(e[+-]?\d+)?\s*$/i.test(value) || !(Number(value) > 0) || !Number.isFinite(Number(value))) throw new InvalidArgumentError('expected a number above 0, such as 2');
  return value;
}

export function positiveInteger(value: string): string {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new InvalidArgumentError('expected a whole number of 1 or more');
  return value;
}

/** What a directory given to a command contributes: diagrams, and for check and render ASL files too. */
export const DIAGRAM_FILES = /\.fz$/i;
export const DIAGRAM_AND_ASL_FILES = /\.(fz|asl\.json|asl\.ya?ml)$/i;

/**
 * Expands globs (`*`, `?` in the last path segment, `**` for any depth) and directories into files;
 * a directory gives its files whose names match `inDirectory`.
 */
export function expandInputs(args: string[], inDirectory: RegExp = DIAGRAM_FILES): string[] {
  const out: string[] = [];
  for (const arg of args) {
    if (arg === '-') out.push(arg);
    else if (/[*?]/.test(arg)) out.push(...glob(arg));
    else if (existsSync(arg) && statSync(arg).isDirectory()) {
      out.push(...readdirSync(arg).filter((f) => inDirectory.test(f)).sort().map((f) => join(arg, f)));
    } else out.push(arg);
  }
  return [...new Set(out)];
}

function glob(pattern: string): string[] {
  const parts = pattern.split('/');
  const firstWild = parts.findIndex((p) => /[*?]/.test(p));
  const base = parts.slice(0, firstWild).join('/') || (pattern.startsWith('/') ? '/' : '.');
  const rest = parts.slice(firstWild);
  const toRegex = (seg: string): RegExp => new RegExp(`^${seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  const results: string[] = [];
  const walk = (dir: string, i: number): void => {
    if (i === rest.length) return;
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    const seg = rest[i]!;
    if (seg === '**') {
      walk(dir, i + 1);
      for (const e of entries) if (statSync(join(dir, e)).isDirectory()) walk(join(dir, e), i);
      return;
    }
    const re = toRegex(seg);
    for (const e of entries) {
      if (!re.test(e)) continue;
      const path = dir === '.' && !pattern.startsWith('./') ? e : join(dir, e);
      const isDir = statSync(path).isDirectory();
      if (i === rest.length - 1 && !isDir) results.push(path);
      else if (isDir) walk(path, i + 1);
    }
  };
  walk(base, 0);
  return results;
}

/** A TCP port: 0 (any free port) to 65535. */
export function portNumber(value: string): string {
  if (!/^\d+$/.test(value.trim()) || Number(value) > 65535) throw new InvalidArgumentError('expected a port number from 0 (any free port) to 65535');
  return value.trim();
}
