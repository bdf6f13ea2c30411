// Test harness for the language server: builds dist/ once if it is stale, starts the real server
// process (`node bin/flowlane.js lsp --stdio`) and talks to it through a real LSP client over stdio.
// Cursor positions are marked in test texts with `$0` (and `$1`, `$2`, … for more places).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { Diagnostic, Position, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const root = join(import.meta.dirname, '..', '..');

function newestMtime(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return max;
}

/** Compiles src/ to dist/ when dist/ is older than src/ (type errors elsewhere do not stop the emit). */
export function ensureBuilt(): void {
  const out = join(root, 'dist', 'server', 'main.js');
  if (existsSync(out) && statSync(out).mtimeMs >= newestMtime(join(root, 'src')) && !process.env['FLOWLANE_REBUILD']) return;
  try {
    execFileSync('flock', ['/tmp/flowlane-build.lock', join(root, 'node_modules', '.bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: root, stdio: 'ignore' });
  } catch {
    // tsc exits non-zero on type errors but still writes dist/; the check below decides.
  }
  if (!existsSync(out)) throw new Error('dist/server/main.js was not built');
}

/** Splits `$0`, `$1`, … markers out of a text. */
export function marked(textWithMarkers: string): { text: string; at: Position[] } {
  const at: Position[] = [];
  let text = '';
  const re = /\$(\d)/g;
  let last = 0;
  for (let m = re.exec(textWithMarkers); m; m = re.exec(textWithMarkers)) {
    text += textWithMarkers.slice(last, m.index);
    last = m.index + m[0].length;
    const lines = text.split('\n');
    at[Number(m[1])] = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
  }
  text += textWithMarkers.slice(last);
  return { text, at };
}

export interface Session {
  conn: ProtocolConnection;
  proc: ChildProcess;
  stderr: () => string;
  /** The server's answer to initialize. */
  capabilities: Record<string, unknown>;
  /** Messages the server logged to the client (handler failures among them). */
  logs: string[];
  /** Opens a document; returns its uri. */
  open(name: string, text: string): string;
  change(uri: string, version: number, changes: { range?: { start: Position; end: Position }; text: string }[]): void;
  close(uri: string): void;
  /** Resolves with the first diagnostics published for the uri at (or after) the version. */
  diagnostics(uri: string, version?: number): Promise<Diagnostic[]>;
  /** Resolves with the first diagnostics published for the uri that satisfy the predicate. */
  diagnosticsWhere(uri: string, ok: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]>;
  request<R>(method: string, params: unknown): Promise<R>;
  /** Workspace edits the server asked the client to apply. */
  appliedEdits: unknown[];
  alive(): boolean;
  stop(): Promise<void>;
}

let counter = 0;

export interface SessionOptions {
  initializationOptions?: Record<string, unknown>;
  /** The server's arguments to node; default `bin/flowlane.js lsp --stdio` of this checkout. */
  args?: string[];
  cwd?: string;
}

export async function startSession(options: SessionOptions = {}): Promise<Session> {
  if (!options.args) ensureBuilt();
  const args = options.args ?? [join(root, 'bin', 'flowlane.js'), 'lsp', '--stdio'];
  const proc = spawn(process.execPath, args, { cwd: options.cwd ?? root, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const latest = new Map<string, PublishDiagnosticsParams>();
  const waiters: { uri: string; version: number | undefined; ok?: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  const appliedEdits: unknown[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    latest.set(p.uri, p);
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (w.uri === p.uri && (w.version === undefined || (p.version ?? -1) >= w.version) && (!w.ok || w.ok(p.diagnostics))) {
        waiters.splice(i, 1);
        w.resolve(p.diagnostics);
      }
    }
  });
  const logs: string[] = [];
  conn.onNotification('window/logMessage', (p: { message: string }) => logs.push(p.message));
  conn.onRequest('workspace/applyEdit', (p: unknown) => {
    appliedEdits.push(p);
    return { applied: true };
  });
  conn.onRequest('workspace/configuration', () => []);
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  const init = await conn.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {
      workspace: { applyEdit: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
      textDocument: {
        publishDiagnostics: { relatedInformation: true, versionSupport: true },
        completion: { completionItem: { snippetSupport: true } },
        rename: { prepareSupport: true },
        synchronization: { dynamicRegistration: false },
      },
    },
    initializationOptions: { diagnosticDelay: 0, ...options.initializationOptions },
  });
  await conn.sendNotification('initialized', {});
  const versions = new Map<string, number>();
  return {
    conn,
    proc,
    stderr: () => err,
    logs,
    capabilities: init.capabilities,
    appliedEdits,
    open(name, text) {
      const uri = `file:///tmp/flowlane-test/${counter++}-${name}`;
      versions.set(uri, 1);
      void conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'flowzap', version: 1, text } });
      return uri;
    },
    change(uri, version, changes) {
      versions.set(uri, version);
      void conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    },
    close(uri) {
      void conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    diagnostics(uri, version) {
      const have = latest.get(uri);
      const want = version ?? versions.get(uri);
      if (have && (want === undefined || (have.version ?? -1) >= want)) return Promise.resolve(have.diagnostics);
      return new Promise((resolve) => waiters.push({ uri, version: want, resolve }));
    },
    diagnosticsWhere(uri, ok) {
      const have = latest.get(uri);
      if (have && ok(have.diagnostics)) return Promise.resolve(have.diagnostics);
      return new Promise((resolve) => waiters.push({ uri, version: undefined, ok, resolve }));
    },
    request<R>(method: string, params: unknown) {
      return conn.sendRequest(method, params) as Promise<R>;
    },
    alive: () => proc.exitCode === null && proc.signalCode === null,
    async stop() {
      try {
        await conn.sendRequest('shutdown');
        await conn.sendNotification('exit');
      } catch {
        // Already gone.
      }
      conn.dispose();
      await new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        const t = setTimeout(() => {
          proc.kill();
          resolve();
        }, 2000);
        proc.on('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    },
  };
}
