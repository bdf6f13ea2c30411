// A small LSP client for the playground: JSON-RPC 2.0 over a Web Worker's postMessage, talking to
// the real language server (src/server/web-worker.ts). Messages are posted as objects (what
// vscode-languageserver's BrowserMessageReader/Writer expect), not framed bytes.
// Input: requests and notifications from the editor. Output: the server's replies and notifications.

interface Message {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

export class LspClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly listeners = new Map<string, ((params: unknown) => void)[]>();

  constructor(workerUrl: URL) {
    this.worker = new Worker(workerUrl, { type: 'module', name: 'flowlane language server' });
    this.worker.onmessage = (event: MessageEvent<Message>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      // A server that failed to load: every waiting request fails instead of hanging.
      const message = `the language server stopped (${event.message || 'it failed to load'})`;
      for (const p of this.pending.values()) p.reject(new Error(message));
      this.pending.clear();
      this.emit('$/failed', message);
    };
  }

  /**
   * Settles when the server has answered `initialize` (and been told `initialized`). Everything sent
   * before that waits for it, in order, so the editor and the diagram need not wait for the server.
   */
  private ready: Promise<void> | undefined;

  /** Sends `initialize` and then `initialized`; returns the server's capabilities. */
  initialize(params: unknown): Promise<unknown> {
    const answered = this.send<unknown>('initialize', params);
    this.ready = answered.then(() => this.worker.postMessage({ jsonrpc: '2.0', method: 'initialized', params: {} } satisfies Message));
    return answered;
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.ready ? this.ready.then(() => this.send<R>(method, params)) : this.send<R>(method, params);
  }

  notify(method: string, params: unknown): void {
    const post = (): void => this.worker.postMessage({ jsonrpc: '2.0', method, params } satisfies Message);
    if (this.ready) void this.ready.then(post);
    else post();
  }

  private send<R>(method: string, params: unknown): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ jsonrpc: '2.0', id, method, params } satisfies Message);
    });
  }

  /** Listens to a server notification (e.g. textDocument/publishDiagnostics). */
  on(method: string, listener: (params: unknown) => void): void {
    const list = this.listeners.get(method) ?? [];
    list.push(listener);
    this.listeners.set(method, list);
  }

  private emit(method: string, params: unknown): void {
    for (const l of this.listeners.get(method) ?? []) l(params);
  }

  private receive(m: Message): void {
    if (m.method === undefined) {
      // A reply to one of our requests.
      const waiting = typeof m.id === 'number' ? this.pending.get(m.id) : undefined;
      if (!waiting) return;
      this.pending.delete(m.id as number);
      if (m.error) waiting.reject(new Error(m.error.message));
      else waiting.resolve(m.result ?? null);
      return;
    }
    if (m.id !== undefined && m.id !== null) {
      // A request from the server. The playground has one document and no workspace: it declines
      // edits of other files (workspace/applyEdit) and answers the rest with null.
      const result = m.method === 'workspace/applyEdit' ? { applied: false, failureReason: 'the playground has no workspace' } : null;
      this.worker.postMessage({ jsonrpc: '2.0', id: m.id, result } satisfies Message);
      return;
    }
    this.emit(m.method, m.params);
  }
}
