// File input and output for the CLI: the only place besides the command files that touches node:fs.
// Reading never throws: a missing file, a directory or a binary file becomes a one-line message.
import { constants as osConstants } from 'node:os';
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
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
 * Where a write to `path` must land: a symbolic link is followed to its target (also a dangling
 * one, whose target is then created), so that the link stays a link and its target is updated.
 */
function writeTarget(path: string): string {
  let link: Stats;
  try {
    link = lstatSync(path);
  } catch {
    return path;
  }
  if (!link.isSymbolicLink()) return path;
  try {
    return realpathSync(path);
  } catch {
    // A dangling link (or a chain ending in one): follow it one step at a time, a bounded number of times.
    let target = path;
    for (let i = 0; i < 40; i++) {
      try {
        if (!lstatSync(target).isSymbolicLink()) return target;
      } catch {
        return target;
      }
      target = resolve(dirname(target), readlinkSync(target));
    }
    throw new CliIoError(`${path}: cannot write (too many levels of symbolic links, ELOOP)`);
  }
}

/** Temporary files of writes under way, removed if a signal ends the process (see onSignal). */
const pending = new Set<string>();
let signalsWatched = false;

/**
 * Ends the process on SIGINT/SIGTERM/SIGHUP as the default action does (by that signal), after
 * removing unfinished temporary files. Writes are synchronous, so a handler only ever runs between
 * them: a write has either replaced its target or cleaned up when the process ends.
 */
function watchSignals(): void {
  if (signalsWatched) return;
  signalsWatched = true;
  for (const signal of ['SIGHUP', 'SIGINT', 'SIGTERM'] as const) {
    const handler = (): void => {
      for (const tmp of pending) {
        try {
          unlinkSync(tmp);
        } catch {
          // Already gone.
        }
      }
      process.off(signal, handler);
      // Ended by the signal itself, so a parent (a shell, the relaunch parent) sees why; with other
      // handlers still listening the signal would be caught again, so then exit as a shell would.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      else process.exit(128 + osConstants.signals[signal]);
    };
    process.on(signal, handler);
  }
}

/**
 * Lets the event loop run between two files of a long run, so that a signal (Ctrl-C) is handled
 * there instead of after the last file: a loop of synchronous writes would otherwise hold it off.
 */
export function betweenFiles(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Writes a file atomically: the content goes to a temporary file beside the target, which then
 * replaces the target in one rename. A reader never sees a half-written file. The user's file
 * keeps what made it theirs: a symbolic link is written through to its target, the mode (and,
 * where allowed, the owner) stays, and a file marked read-only is refused rather than replaced.
 * The temporary file is created exclusively under an unpredictable name (no one can plant it).
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  watchSignals();
  const target = writeTarget(path);
  let existing: Stats | undefined;
  try {
    existing = statSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliIoError(ioMessage(path, 'write', e));
  }
  if (existing?.isDirectory()) throw new CliIoError(`${path}: cannot write (it is a directory; name a file)`);
  if (existing) {
    // Root may write anything, so the mode bits are asked as well as the system.
    if ((existing.mode & 0o222) === 0) throw new CliIoError(`${path}: cannot write (the file is read-only; it was left unchanged)`);
    try {
      accessSync(target, constants.W_OK);
    } catch (e) {
      throw new CliIoError(ioMessage(path, 'write', e));
    }
  }
  let tmp = '';
  let fd: number | undefined;
  try {
    for (let attempt = 0; fd === undefined; attempt++) {
      // O_EXCL makes the name safe; the random part only avoids retries (node:crypto would cost every cold start 10 ms).
      tmp = join(dirname(target), `.${basename(target)}.${process.pid.toString(36)}${Math.random().toString(36).slice(2, 10)}.tmp`);
      try {
        fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, existing ? existing.mode & 0o7777 : 0o666);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 4) throw e;
      }
    }
    pending.add(tmp);
    if (existing) {
      // The umask narrowed the mode given to open; the user's file had exactly this one.
      fchmodSync(fd, existing.mode & 0o7777);
      try {
        fchownSync(fd, existing.uid, existing.gid);
      } catch {
        // Only root may give a file away; anyone else writes files they own already.
      }
    }
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
    pending.delete(tmp);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    if (tmp !== '' && pending.delete(tmp)) {
      try {
        unlinkSync(tmp);
      } catch {
        // Nothing to clean.
      }
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
