// The language server: adapts the pure functions of src/language to LSP over a vscode-languageserver
// connection. Documents are synced incrementally; diagnostics are recomputed on each change after a
// short debounce and published with the document version. Every handler is guarded: a failure is
// logged and answered with an empty result, so no request can take the server down.
// Input: an LSP message stream. Output: LSP responses and notifications.
// The same handlers run over stdio under Node (main.ts) and in a browser's Web Worker
// (src/playground/lsp-worker.ts): what needs Node (threads for the ASL checks) comes in as a
// `ServerHost`, and a host without threads does that work in the server's own thread.
import {
  CodeActionKind,
  DiagnosticSeverity,
  ErrorCodes,
  ResponseError,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction as LspCodeAction,
  type CompletionItem as LspCompletionItem,
  type CompletionList,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type InitializeResult,
  type DocumentSymbol as LspDocumentSymbol,
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { diagnostic } from '../core/index.js';
import type { Diagnostic, Range } from '../core/index.js';
import { codeActions, COMMANDS, formatDocument } from '../language/actions.js';
import { complete, type CompletionItem, type CompletionKind } from '../language/completion.js';
import { analyze, type Analysis } from '../language/document.js';
import { IncrementalParser } from '../language/incremental.js';
import { definition, hover, prepareRename, references, rename } from '../language/navigation.js';
import { documentSymbols, foldingRanges, type DocumentSymbol, type SymbolKind as OurSymbolKind } from '../language/outline.js';
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from '../language/semantic-tokens.js';
import { aslChecks, aslDocumentDiagnostics, aslDocumentDiagram, aslTextToFz, diagramToAslText, renderSvg } from '../language/stages.js';

/** ASL files the editor opens besides `.fz`: checked as `flowlane check` does, previewed as `render` draws them. */
const ASL_DOCUMENT = /\.asl\.(json|ya?ml)$/i;
import type { RunAnswer, RunParams } from './run.js';
import { parseDiagram } from '../model/index.js';
import type { Diagram } from '../model/index.js';
import { print } from '../print/index.js';

/** Custom requests, for previews and the editor's commands. */
export const REQUESTS = {
  /** `{ textDocument: { uri }, options? }` → `{ uri, version, svg?, error?, diagnostics }` */
  renderSvg: 'flowlane/renderSvg',
  /** `{ textDocument: { uri } }` → `{ uri, version, text?, error?, diagnostics }` (ASL JSON text) */
  toAsl: 'flowlane/toAsl',
  /** `{ text }` (ASL JSON) → `{ text?, error?, diagnostics }` (.fz text) */
  fromAsl: 'flowlane/fromAsl',
  /**
   * `{ uri, input?, testCase?, mockConfig? (a path, absolute or beside the document, or the mock file's
   * content), stateMachine?, theme?, timeoutMs? }` → `{ uri, version, status, output, error, cause,
   * states, svg }` (the svg with the path drawn over the diagram), or `{ uri, version, problem }`.
   */
  run: 'flowlane/run',
  /** `{}` → `{ collected }`: a full garbage collection when Node runs with --expose-gc (memory measurements). */
  collectGarbage: 'flowlane/collectGarbage',
} as const;

/**
 * A thread running src/server/asl-worker.ts: the part of node:worker_threads' Worker the server uses
 * (the Node host gives one, see node-host.ts).
 */
export interface AslThread {
  postMessage(message: unknown): void;
  /** 'message' (the worker's reply) and 'error'. */
  on(event: string, listener: (...args: any[]) => void): unknown;
  once(event: string, listener: (...args: any[]) => void): unknown;
  terminate(): unknown;
  /** Lets the process exit while the thread is idle. */
  unref(): void;
}

/** A mock file read for `flowlane/run`, with the test case's input from its expectations file. */
export type MockConfigRead = { mocks: unknown; input?: unknown } | { problem: string };

/** What the server needs from where it runs. */
export interface ServerHost {
  /** A new thread for the ASL checks and conversions, or undefined: then they run in the server's thread. */
  startAslThread(): AslThread | undefined;
  /** Reads a mock file named by `flowlane/run` (relative to the document); absent where there are no files. */
  readMockConfig?(path: string, documentUri: string, testCase: string | undefined): MockConfigRead;
  /** A document URI's file system path, for ASL detection and error messages. */
  uriPath?(uri: string): string;
}

/** A host without threads (a browser's worker is already off the page's thread). */
export const IN_THREAD_HOST: ServerHost = { startAslThread: () => undefined };

/** Runs `fn` after the current message is answered (setImmediate where there is one, a page's worker has not). */
const soon: (fn: () => void) => void = typeof setImmediate === 'function' ? (fn) => void setImmediate(fn) : (fn) => void setTimeout(fn, 0);

export interface ServerOptions {
  /** Milliseconds to wait after a change before recomputing diagnostics. */
  diagnosticDelay?: number;
}

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  shape: CompletionItemKind.Class,
  key: CompletionItemKind.Property,
  field: CompletionItemKind.Field,
  value: CompletionItemKind.Value,
  node: CompletionItemKind.Reference,
  lane: CompletionItemKind.Module,
  direction: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
  keyword: CompletionItemKind.Keyword,
};

const SYMBOL_KIND: Record<OurSymbolKind, SymbolKind> = {
  lane: SymbolKind.Namespace,
  state: SymbolKind.Function,
  node: SymbolKind.Object,
  marker: SymbolKind.Event,
};

/** The document uri of a request's params, or '' for malformed params (no document has it). */
function uriOf(p: unknown): string {
  const uri = (p as { textDocument?: { uri?: unknown } } | null | undefined)?.textDocument?.uri;
  return typeof uri === 'string' ? uri : '';
}

function isPosition(p: unknown): p is { line: number; character: number } {
  return typeof p === 'object' && p !== null && Number.isInteger((p as { line: unknown }).line) && Number.isInteger((p as { character: unknown }).character);
}

export function startServer(connection: Connection, options: ServerOptions = {}, host: ServerHost = IN_THREAD_HOST): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, { version: number; analysis: Analysis }>();
  /** Per document: the parsed chunks of its last version, so that an edit re-parses only its chunk. */
  const parsers = new Map<string, IncrementalParser>();
  /** The diagnostics last published for each document, code actions work from them. */
  const published = new Map<string, { version: number; diagnostics: Diagnostic[] }>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let delay = options.diagnosticDelay ?? 15;
  let snippets = true;

  const log = (what: string, e: unknown): void => {
    try {
      connection.console.error(`flowlane: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    } catch {
      // The connection may be closing; nothing more to do.
    }
  };

  /** Runs a handler; a throw is logged and answered with the fallback. Rename errors pass through. */
  function guard<P, R>(what: string, fallback: R, fn: (params: P) => R | Promise<R>): (params: P) => Promise<R> {
    return async (params: P) => {
      try {
        return await fn(params);
      } catch (e) {
        if (e instanceof ResponseError) throw e;
        log(what, e);
        return fallback;
      }
    };
  }

  function analysisOf(uri: unknown): Analysis | undefined {
    // An ASL document is not FlowZap text: the .fz features (completion, hover, …) have nothing to say.
    if (typeof uri !== 'string' || ASL_DOCUMENT.test(uri)) return undefined;
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const cached = analyses.get(uri);
    if (cached && cached.version === doc.version) return cached.analysis;
    let parser = parsers.get(uri);
    if (!parser) parsers.set(uri, (parser = new IncrementalParser()));
    const started = performance.now();
    const analysis = analyze(doc.getText(), parser);
    // The first analysis, a whole parse with nothing cached yet, says nothing about the next ones.
    if (cached !== undefined) {
      const times = analysisTimes.get(uri) ?? [];
      times.push(performance.now() - started);
      if (times.length > 3) times.shift();
      analysisTimes.set(uri, times);
    }
    analyses.set(uri, { version: doc.version, analysis });
    return analysis;
  }

  function toLspDiagnostic(uri: string, d: Diagnostic): LspDiagnostic {
    const out: LspDiagnostic = { range: d.range, severity: SEVERITY[d.severity], code: d.code, source: 'flowlane', message: d.message };
    if (d.related) out.relatedInformation = d.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
    if (d.fix) out.data = { fix: d.fix };
    return out;
  }

  /** Publishes the model's diagnostics now, then those of the ASL checks when they arrive. */
  async function publish(uri: string): Promise<void> {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    if (ASL_DOCUMENT.test(uri)) {
      const found = await aslDocumentDiagnostics(doc.getText(), uri);
      if (documents.get(uri)?.version !== version) return;
      published.set(uri, { version, diagnostics: found });
      await connection.sendDiagnostics({ uri, version, diagnostics: found.map((d) => toLspDiagnostic(uri, d)) });
      return;
    }
    const analysis = analysisOf(uri);
    if (!analysis) return;
    const diagnostics = analysis.diagnostics;
    published.set(uri, { version, diagnostics });
    await connection.sendDiagnostics({ uri, version, diagnostics: diagnostics.map((d) => toLspDiagnostic(uri, d)) });
    if (!diagnostics.some((d) => d.severity === 'error') && usesAsl(analysis)) asl.request(uri, version, analysis.text);
  }

  /** The ASL-profile checks, one job in flight per document; a result for an old version is dropped. */
  const asl = new AslChecks(async (uri, version, extra) => {
    const current = published.get(uri);
    if (!current || current.version !== version || documents.get(uri)?.version !== version) return;
    const seen = new Set(current.diagnostics.map(key));
    const diagnostics = [...current.diagnostics, ...extra.filter((d) => !seen.has(key(d)))];
    published.set(uri, { version, diagnostics });
    await connection.sendDiagnostics({ uri, version, diagnostics: diagnostics.map((d) => toLspDiagnostic(uri, d)) });
  }, log, host);

  const lastChange = new Map<string, number>();
  /** How long the last three analyses of each document took, in ms. */
  const analysisTimes = new Map<string, number[]>();

  /** True when the document's analyses take `delay` or longer: each of its last three did (one slow one, a garbage collection, is not enough). */
  function slowToAnalyse(uri: string): boolean {
    const times = analysisTimes.get(uri);
    return times !== undefined && times.length === 3 && Math.min(...times) >= delay;
  }

  /**
   * Debounces diagnostics: a change after a quiet moment is analysed at once (the next turn of the
   * event loop, which also gathers changes that arrived together). Changes in a quick burst (paste,
   * multi-cursor, key repeat) wait `delay` ms after the last one, but only for a document whose
   * analyses take that long (`slowToAnalyse`): a cheaper one is analysed after every change of the burst,
   * which keeps up with it and leaves the editor's other requests most of the time.
   */
  function schedule(uri: string): void {
    const t = timers.get(uri);
    if (t) clearTimeout(t);
    const now = performance.now();
    const burst = now - (lastChange.get(uri) ?? -Infinity) < BURST_MS && slowToAnalyse(uri);
    lastChange.set(uri, now);
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        publish(uri).catch((e: unknown) => log('diagnostics', e));
      }, burst ? delay : 0),
    );
  }

  connection.onInitialize((params): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as { diagnosticDelay?: unknown; completionSnippets?: unknown };
    if (typeof init.diagnosticDelay === 'number' && init.diagnosticDelay >= 0) delay = init.diagnosticDelay;
    if (init.completionSnippets === false) snippets = false;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: [':', '.', '(', '>', '[', ' ', '"', '='], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true },
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, CodeActionKind.RefactorRewrite] },
        executeCommandProvider: { commands: [COMMANDS.convertToAsl] },
      },
      serverInfo: { name: 'flowlane', version: '0.1.0' },
    };
  });

  documents.onDidOpen((e) => schedule(e.document.uri));
  documents.onDidChangeContent((e) => schedule(e.document.uri));
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    const t = timers.get(uri);
    if (t) clearTimeout(t);
    timers.delete(uri);
    analyses.delete(uri);
    parsers.delete(uri);
    lastChange.delete(uri);
    analysisTimes.delete(uri);
    published.delete(uri);
    asl.forget(uri);
    connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
  });

  connection.onCompletion(
    guard('completion', null as CompletionList | null, (p) => {
      const doc = documents.get(uriOf(p));
      if (!doc || !isPosition(p?.position)) return null;
      // The last analysis, even of an older version: completion must not wait for a parse.
      const analysis = analyses.get(uriOf(p))?.analysis;
      const r = complete(doc.getText(), p.position, analysis, { snippets });
      return { isIncomplete: r.isIncomplete, items: r.items.map(toLspCompletion) };
    }),
  );

  connection.onHover(
    guard('hover', null, (p) => {
      const a = analysisOf(uriOf(p));
      if (!a || !isPosition(p?.position)) return null;
      const h = hover(a, p.position);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: h.range } : null;
    }),
  );

  connection.onDefinition(
    guard('definition', null, (p) => {
      const a = analysisOf(uriOf(p));
      if (!a || !isPosition(p?.position)) return null;
      const r = definition(a, p.position);
      return r ? { uri: uriOf(p), range: r } : null;
    }),
  );

  connection.onReferences(
    guard('references', [], (p) => {
      const a = analysisOf(uriOf(p));
      if (!a || !isPosition(p?.position)) return [];
      return references(a, p.position, p?.context?.includeDeclaration !== false).map((range) => ({ uri: uriOf(p), range }));
    }),
  );

  connection.onPrepareRename(
    guard('prepareRename', null, (p) => {
      const a = analysisOf(uriOf(p));
      if (!a || !isPosition(p?.position)) return null;
      return prepareRename(a, p.position) ?? null;
    }),
  );

  connection.onRenameRequest(
    guard('rename', null, (p) => {
      const a = analysisOf(uriOf(p));
      if (!a || !isPosition(p?.position) || typeof p?.newName !== 'string') return null;
      const r = rename(a, p.position, p.newName);
      if (!r) return null;
      if ('error' in r) throw new ResponseError(ErrorCodes.InvalidParams, r.error);
      return { changes: { [uriOf(p)]: r.edits } };
    }),
  );

  connection.onDocumentSymbol(
    guard('documentSymbol', [], (p) => {
      const a = analysisOf(uriOf(p));
      return a ? documentSymbols(a).map(toLspSymbol) : [];
    }),
  );

  connection.onFoldingRanges(
    guard('foldingRange', [], (p) => {
      const a = analysisOf(uriOf(p));
      return a ? foldingRanges(a) : [];
    }),
  );

  connection.languages.semanticTokens.on(
    guard('semanticTokens', { data: [] as number[] }, (p) => {
      const a = analysisOf(uriOf(p));
      return { data: a ? semanticTokens(a) : [] };
    }),
  );

  connection.onDocumentFormatting(
    guard('formatting', [], (p) => {
      const a = analysisOf(uriOf(p));
      return a ? formatDocument(a) : [];
    }),
  );

  connection.onCodeAction(
    guard('codeAction', [] as LspCodeAction[], async (p) => {
      const uri = uriOf(p);
      const a = analysisOf(uri);
      const doc = documents.get(uri);
      if (!a || !doc || !p?.range || !isPosition(p.range.start) || !isPosition(p.range.end)) return [];
      let diags = published.get(uri);
      if (!diags || diags.version !== doc.version) {
        await publish(uri);
        diags = published.get(uri);
      }
      const actions = codeActions(a, p.range, diags?.diagnostics ?? a.diagnostics, uri);
      const only = p?.context?.only;
      return actions
        .filter((x) => !only || only.some((k) => x.kind === k || x.kind.startsWith(`${k}.`)))
        .map((x) => {
          const out: LspCodeAction = { title: x.title, kind: x.kind };
          if (x.diagnostic) out.diagnostics = [toLspDiagnostic(uri, x.diagnostic)];
          if (x.edits) out.edit = { changes: { [uri]: x.edits } };
          if (x.command) out.command = x.command;
          if (x.isPreferred) out.isPreferred = true;
          return out;
        });
    }),
  );

  connection.onExecuteCommand(
    guard('executeCommand', null, async (p) => {
      if (p?.command !== COMMANDS.convertToAsl) return null;
      const uri = p?.arguments?.[0];
      const a = analysisOf(uri);
      if (!a || typeof uri !== 'string') return null;
      const r = await diagramToAslText(a.diagram);
      if (r.text === undefined) return { error: r.error };
      const target = uri.replace(/(\.fz)?$/, '.asl.json');
      const applied = await connection.workspace.applyEdit({
        label: 'Convert to ASL',
        edit: {
          documentChanges: [
            { kind: 'create', uri: target, options: { overwrite: true } },
            { textDocument: { uri: target, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: r.text }] },
          ],
        },
      });
      return { uri: target, applied: applied.applied };
    }),
  );

  connection.onRequest(REQUESTS.collectGarbage, () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    // The heap figures let a test tell retained objects from pages V8 has not handed back yet.
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
    return { collected: gc !== undefined, rss, heapUsed, external, arrayBuffers };
  });

  connection.onRequest(
    REQUESTS.renderSvg,
    guard('renderSvg', null as unknown, async (p: { textDocument?: { uri?: unknown }; options?: Record<string, unknown> }) => {
      const uri = p?.textDocument?.uri;
      const doc = typeof uri === 'string' ? documents.get(uri) : undefined;
      if (doc && ASL_DOCUMENT.test(doc.uri)) {
        const drawn = await aslDocumentDiagram(doc.getText(), doc.uri);
        if (!drawn) return { uri, version: doc.version, diagnostics: [], error: 'This file holds no state machine to draw.' };
        return { uri, version: doc.version, ...(await renderSvg(drawn.diagram, { ...p.options, invalid: drawn.invalid })) };
      }
      const a = analysisOf(uri);
      if (!doc || !a) return null;
      const r = await renderSvg(a.diagram, p.options ?? {});
      return { uri, version: doc.version, ...r };
    }),
  );

  connection.onRequest(
    REQUESTS.toAsl,
    guard('toAsl', null as unknown, async (p: { textDocument?: { uri?: unknown } }) => {
      const uri = p?.textDocument?.uri;
      const doc = typeof uri === 'string' ? documents.get(uri) : undefined;
      const a = analysisOf(uri);
      if (!doc || !a) return null;
      return { uri, version: doc.version, ...(await toAslOffThread(doc.getText(), a.diagram, log, host)) };
    }),
  );

  connection.onRequest(
    REQUESTS.run,
    guard('run', null as unknown, async (p: Record<string, unknown>) => {
      const uri = typeof p?.uri === 'string' ? p.uri : isRecord(p?.textDocument) && typeof p.textDocument.uri === 'string' ? p.textDocument.uri : undefined;
      const doc = uri !== undefined ? documents.get(uri) : undefined;
      if (!doc) return null;
      const answer = (problem: string) => ({ uri, version: doc.version, problem });
      let mocks: unknown;
      let input = p.input;
      const testCase = typeof p.testCase === 'string' ? p.testCase : undefined;
      if (typeof p.mockConfig === 'string') {
        if (!host.readMockConfig) return answer('a mock file cannot be read here: give the mock config inline');
        const read = host.readMockConfig(p.mockConfig, doc.uri, testCase);
        if ('problem' in read) return answer(read.problem);
        mocks = read.mocks;
        if (input === undefined) input = read.input;
      } else if (p.mockConfig !== undefined) mocks = p.mockConfig;
      if (testCase !== undefined && mocks === undefined) return answer('a testCase needs a mockConfig');
      const timeout = typeof p.timeoutMs === 'number' && p.timeoutMs > 0 ? Math.min(p.timeoutMs, RUN_TIMEOUT_MS) : RUN_TIMEOUT_MS;
      const params: RunParams = {
        text: doc.getText(),
        name: (host.uriPath ?? plainUriPath)(doc.uri),
        ...(input !== undefined ? { input } : {}),
        ...(mocks !== undefined ? { mocks } : {}),
        ...(testCase !== undefined ? { testCase } : {}),
        ...(typeof p.stateMachine === 'string' ? { stateMachine: p.stateMachine } : {}),
        ...(p.theme === 'dark' || p.theme === 'light' || p.theme === 'auto' ? { theme: p.theme } : {}),
      };
      return { uri, version: doc.version, ...(await runOffThread(params, timeout, log, host)) };
    }),
  );

  connection.onRequest(
    REQUESTS.fromAsl,
    guard('fromAsl', null as unknown, async (p: { text?: unknown }) => {
      if (typeof p?.text !== 'string') return null;
      return aslTextToFz(p.text, print);
    }),
  );

  documents.listen(connection);
  connection.listen();
}

/** Changes closer together than this are a burst, whose diagnostics wait for the debounce delay. */
const BURST_MS = 30;

/** How long a document must stay unchanged before its ASL checks start. */
const ASL_QUIET_MS = 120;

/** How long the ASL worker may take over one document before it is restarted. */
const ASL_TIMEOUT_MS = 15_000;

/**
 * Runs the ASL checks off the main thread (src/server/asl-worker.ts), or in it when no worker can be
 * started. Only the newest text of a document is checked: a request made while a job runs replaces
 * any waiting one.
 */
class AslChecks {
  private worker: AslThread | undefined;
  private failed = false;
  private busy: { id: number; uri: string; version: number } | undefined;
  private waiting = new Map<string, { version: number; text: string }>();
  private nextId = 1;
  private deadline: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly done: (uri: string, version: number, diagnostics: Diagnostic[]) => Promise<void>,
    private readonly log: (what: string, e: unknown) => void,
    private readonly host: ServerHost,
  ) {}

  private timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** Queues a check once the document has been quiet for a moment, so typing does not start a check per keystroke. */
  request(uri: string, version: number, text: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.waiting.set(uri, { version, text });
        this.pump();
      }, ASL_QUIET_MS),
    );
  }

  private start(): AslThread | undefined {
    if (this.worker || this.failed) return this.worker;
    try {
      const w = this.host.startAslThread();
      if (!w) {
        this.failed = true;
        return undefined;
      }
      w.unref();
      w.on('message', (m: { id: number; diagnostics: Diagnostic[] }) => this.finish(m.id, m.diagnostics));
      w.on('error', (e: Error) => {
        this.log('ASL worker', e);
        this.worker = undefined;
        this.failed = true;
        const b = this.busy;
        if (b) this.finish(b.id, []);
      });
      this.worker = w;
    } catch (e) {
      this.log('starting the ASL worker', e);
      this.failed = true;
    }
    return this.worker;
  }

  private pump(): void {
    if (this.busy) return;
    const next = this.waiting.entries().next();
    if (next.done) return;
    const [uri, job] = next.value;
    this.waiting.delete(uri);
    const id = this.nextId++;
    this.busy = { id, uri, version: job.version };
    const worker = this.start();
    if (worker) {
      worker.postMessage({ id, text: job.text });
      // Validation is bounded (src/asl/limits.ts), but a worker that still runs past this is ended
      // and started afresh for the next job: the editor gets a word instead of waiting forever.
      this.deadline = setTimeout(() => {
        if (this.busy?.id !== id) return;
        this.log('ASL checks', new Error(`no answer within ${ASL_TIMEOUT_MS / 1000} s; the worker was restarted`));
        void worker.terminate();
        this.worker = undefined;
        this.finish(id, [diagnostic('asl-validator', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, `The ASL checks did not finish within ${ASL_TIMEOUT_MS / 1000} s; run flowlane check on the file to see them.`, { severity: 'warning' })]);
      }, ASL_TIMEOUT_MS);
      (this.deadline as { unref?: () => void }).unref?.();
      return;
    }
    // No worker: check in this thread, after the current message is answered.
    soon(() => {
      void (async () => {
        let diagnostics: Diagnostic[] = [];
        try {
          const r = parseDiagram(job.text);
          diagnostics = await aslChecks(r.value);
        } catch (e) {
          this.log('ASL checks', e);
        }
        this.finish(id, diagnostics);
      })();
    });
  }

  /** Forgets a closed document: its queued check and its timer. */
  forget(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    this.waiting.delete(uri);
  }

  private finish(id: number, diagnostics: Diagnostic[]): void {
    const b = this.busy;
    if (!b || b.id !== id) return;
    this.busy = undefined;
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = undefined;
    this.done(b.uri, b.version, diagnostics).catch((e: unknown) => this.log('ASL diagnostics', e)).finally(() => this.pump());
  }
}

/** How long a `flowlane/run` may take before its worker is ended (runs are bounded, but a big Map is slow). */
const RUN_TIMEOUT_MS = 60_000;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A document URI's path where the host has no file system: the URI's own path, decoded. */
const plainUriPath = (uri: string): string => (uri.startsWith('file:') ? decodeURIComponent(new URL(uri).pathname) : uri);

/** `flowlane/run` in a worker of its own, ended when it takes longer than `timeout` ms. */
async function runOffThread(params: RunParams, timeout: number, log: (what: string, e: unknown) => void, host: ServerHost): Promise<RunAnswer> {
  let worker: AslThread | undefined;
  try {
    worker = host.startAslThread();
  } catch (e) {
    log('starting the run worker', e);
    return { problem: `the run could not start (${e instanceof Error ? e.message : String(e)})` };
  }
  // A run is ended by ending its thread: where there are no threads, there is no bounded run.
  if (!worker) return { problem: 'running a state machine needs a worker thread, which this host does not have' };
  try {
    const thread = worker;
    return await new Promise<RunAnswer>((resolve) => {
      const timer = setTimeout(() => resolve({ problem: `the run did not finish within ${timeout / 1000} s` }), timeout);
      thread.once('message', (m: { answer: RunAnswer }) => {
        clearTimeout(timer);
        resolve(m.answer);
      });
      thread.once('error', (e: Error) => {
        clearTimeout(timer);
        log('run', e);
        resolve({ problem: `the run failed (${e.message})` });
      });
      thread.postMessage({ id: 1, kind: 'run', text: '', run: params });
    });
  } finally {
    void worker.terminate();
  }
}

/** How long a `flowlane/toAsl` conversion may take before its worker is ended. */
const TO_ASL_TIMEOUT_MS = 30_000;

/**
 * `flowlane/toAsl` in a worker of its own (conversions are rare, user-requested), so that hover and
 * completion are answered while a large machine is validated; in this thread when no worker starts.
 */
async function toAslOffThread(text: string, diagram: Diagram, log: (what: string, e: unknown) => void, host: ServerHost): Promise<Awaited<ReturnType<typeof diagramToAslText>>> {
  let worker: AslThread | undefined;
  try {
    worker = host.startAslThread();
  } catch (e) {
    log('starting the ASL worker', e);
    return diagramToAslText(diagram);
  }
  if (!worker) return diagramToAslText(diagram);
  const thread = worker;
  try {
    return await new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ diagnostics: [], error: `the conversion did not finish within ${TO_ASL_TIMEOUT_MS / 1000} s` }), TO_ASL_TIMEOUT_MS);
      thread.once('message', (m: { result: Awaited<ReturnType<typeof diagramToAslText>> }) => {
        clearTimeout(timer);
        resolve(m.result);
      });
      thread.once('error', (e: Error) => {
        clearTimeout(timer);
        log('ASL conversion', e);
        resolve({ diagnostics: [], error: `the conversion failed (${e.message})` });
      });
      thread.postMessage({ id: 1, kind: 'toAsl', text });
    });
  } finally {
    void thread.terminate();
  }
}

function key(d: Diagnostic): string {
  return `${d.code}:${d.range.start.line}:${d.range.start.character}`;
}

function usesAsl(a: Analysis): boolean {
  return a.diagram.nodes.some((n) => n.attributes.some((x) => /^[A-Z]/.test(x.key)));
}

function toLspCompletion(c: CompletionItem): LspCompletionItem {
  const item: LspCompletionItem = {
    label: c.label,
    kind: COMPLETION_KIND[c.kind],
    textEdit: { range: c.range, newText: c.insertText },
    insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
  };
  if (c.detail) item.detail = c.detail;
  if (c.documentation) item.documentation = { kind: MarkupKind.Markdown, value: c.documentation };
  if (c.sortText) item.sortText = c.sortText;
  if (c.filterText) item.filterText = c.filterText;
  if (c.retrigger) item.command = { title: 'Complete', command: 'editor.action.triggerSuggest' };
  return item;
}

function toLspSymbol(s: DocumentSymbol): LspDocumentSymbol {
  return { name: s.name, detail: s.detail, kind: SYMBOL_KIND[s.kind], range: s.range, selectionRange: s.selectionRange, children: s.children.map(toLspSymbol) };
}

export type { Range };
