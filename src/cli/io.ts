// File input and output for the CLI: the only place besides the command files that touches node:fs.
// Reading never throws: a missing file, a directory or a binary file becomes a one-line message.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../core/index.js';

/** Text read from a file or standard input, or the reason it could not be read. */
export type ReadResult = { ok: true; text: string; name: string } | { ok: false; message: string };

/** Reads a UTF-8 text file; `-` reads standard input. Refuses directories, binary files and invalid UTF-8. */
export function readText(path: string): ReadResult {
  const name = path === '-' ? '<stdin>' : path;
  let bytes: Buffer;
  try {
    if (path !== '-') {
      const st = statSync(path);
      if (st.isDirectory()) return { ok: false, message: `${name}: is a directory, not a file` };
    }
    bytes = readFileSync(path === '-' ? 0 : path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, message: `${name}: no such file` };
    if (code === 'EACCES') return { ok: false, message: `${name}: permission denied` };
    if (code === 'EISDIR') return { ok: false, message: `${name}: is a directory, not a file` };
    return { ok: false, message: `${name}: cannot read (${code ?? String(e)})` };
  }
  return decodeText(bytes, name);
}

/** Decodes bytes as UTF-8 text, refusing binary content (NUL bytes) and invalid UTF-8 with a position. */
export function decodeText(bytes: Uint8Array, name: string): ReadResult {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { ok: false, message: `${name}: looks like a binary file (NUL byte at offset ${nul}), not text` };
  try {
    let text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { ok: true, text, name };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const line = countLines(bytes, bad);
    return { ok: false, message: `${name}:${line}: is not valid UTF-8 text (bad byte at offset ${bad})` };
  }
}

function countLines(bytes: Uint8Array, end: number): number {
  let line = 1;
  for (let i = 0; i < end; i++) if (bytes[i] === 10) line++;
  return line;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (i + k >= bytes.length || (bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return bytes.length;
}

/** A failed write or directory creation, as the one line the user sees (`flowlane: <message>`). */
export class CliIoError extends Error {}

// What each errno means for the user, in words.
const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'the file system refuses it there',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'a file of that name is in the way',
  EISDIR: 'it is a directory',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the name is too long',
  EBUSY: 'it is busy',
};

/** `PATH: cannot ACTION (reason, CODE)`: the user's path, never a temporary file's, and no stack. */
export function ioMessage(path: string, action: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const reason = code !== undefined ? `${REASONS[code] ?? 'system error'}, ${code}` : e instanceof Error ? e.message : String(e);
  return `${path}: cannot ${action} (${reason})`;
}

/**
 * Creates a directory and its missing parents. Not `mkdirSync(…, { recursive: true })`: Node's
 * recursive mkdir loops forever where the parent exists but refuses new entries (`/proc/nope`).
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); ; ) {
    try {
      if (statSync(d).isDirectory()) break;
      throw new CliIoError(`${dir}: cannot create directory (${d === resolve(dir) ? 'a file of that name is in the way' : `${d} is a file, not a directory`})`);
    } catch (e) {
      if (e instanceof CliIoError) throw e;
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliIoError(ioMessage(dir, 'create directory', e));
      missing.push(d);
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      // Another process may have made it meanwhile.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statSync(d).isDirectory()) continue;
      throw new CliIoError(ioMessage(dir, 'create directory', e));
    }
  }
}

/**
 * Writes a file atomically: the content goes to a temporary file beside the target, which then
 * replaces the target in one rename. A reader never sees a half-written file.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // The temporary file may not exist yet; nothing to clean.
    }
    throw new CliIoError(ioMessage(path, 'write', e));
  }
}

/** One diagnostic as `file:line:col: severity: message [code]`, 1-based. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}

/** Diagnostics as JSON-friendly records with 1-based positions, for `--format json`. */
export function diagnosticRecord(file: string, d: Diagnostic): Record<string, unknown> {
  return {
    file,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.fix ? { fix: d.fix } : {}),
    ...(d.related ? { related: d.related } : {}),
  };
}

/**
 * The shared end of a conversion command (`to-asl`, `from-asl`): prints the diagnostics, then
 * writes the converted text to `output` (atomically) or standard output; on an error it writes
 * nothing and sets exit code 1.
 */
export function emitConversion(name: string, result: { text?: string; diagnostics: Diagnostic[] }, output: string | undefined): void {
  for (const d of result.diagnostics) console.error(formatDiagnostic(name, d));
  if (result.text === undefined) {
    console.error(`flowlane: ${name}: not converted`);
    process.exitCode = 1;
    return;
  }
  if (output !== undefined) writeFileAtomic(output, result.text);
  else process.stdout.write(result.text);
  process.exitCode = 0;
}
