// The VS Code client: starts the bundled flowlane language server through vscode-languageclient and
// adds the commands the server cannot offer alone: a live preview beside the editor (redrawn as you
// type, following the colour theme), SVG/PNG export, Convert to ASL, Open ASL File as Diagram, and
// Run Locally (the state machine executed offline by the server, its path drawn in the preview).
// It imports nothing from the project's src/: everything goes through LSP and the server's
// custom requests (flowlane/renderSvg, flowlane/toAsl, flowlane/fromAsl, flowlane/run).
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { makeNonce, previewHtml } from './preview-html';

const REQUESTS = { renderSvg: 'flowlane/renderSvg', toAsl: 'flowlane/toAsl', fromAsl: 'flowlane/fromAsl', run: 'flowlane/run' } as const;

interface RunAnswer {
  uri: string;
  version: number;
  status?: string;
  output?: unknown;
  error?: string | null;
  cause?: string | null;
  states?: string[];
  svg?: string;
  problem?: string;
}

interface RenderResult {
  uri: string;
  version: number;
  svg?: string;
  error?: string;
  diagnostics: unknown[];
}

let client: LanguageClient | undefined;

/** `.asl.json`, `.asl.yaml` and `.asl.yml` files, whatever language VS Code gives them. */
const ASL_PATTERN = '**/*.asl.{json,yaml,yml}';
const ASL_SELECTOR = [{ scheme: 'file', pattern: ASL_PATTERN }, { scheme: 'untitled', pattern: ASL_PATTERN }];
const isAslDocument = (d: vscode.TextDocument): boolean => /\.asl\.(json|ya?ml)$/i.test(d.uri.path);
const previewable = (d: vscode.TextDocument): boolean => d.languageId === 'flowzap' || isAslDocument(d);

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('dist/flowlane-server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const config = vscode.workspace.getConfiguration('flowlane');
  const clientOptions: LanguageClientOptions = {
    // ASL files too: the server checks them as `flowlane check` does and previews them as `render` draws them.
    documentSelector: [{ language: 'flowzap' }, ...ASL_SELECTOR],
    // The extension contributes its own snippets (grammar/snippets.json); the server's would duplicate them.
    initializationOptions: { completionSnippets: false, diagnosticDelay: config.get<number>('diagnosticDelay', 15) },
  };
  client = new LanguageClient('flowlane', 'FlowZap (flowlane)', serverOptions, clientOptions);
  await client.start();
  const previews = new PreviewManager(context, client);
  context.subscriptions.push(
    previews,
    vscode.commands.registerCommand('flowlane.openPreview', () => previews.open()),
    vscode.commands.registerCommand('flowlane.exportSvg', () => exportSvg(client!)),
    vscode.commands.registerCommand('flowlane.exportPng', () => previews.exportPng()),
    vscode.commands.registerCommand('flowlane.convertToAsl', () => convertToAsl(client!)),
    vscode.commands.registerCommand('flowlane.openAslAsDiagram', (uri?: vscode.Uri) => openAslAsDiagram(client!, previews, uri)),
    vscode.commands.registerCommand('flowlane.runLocally', () => runLocally(client!, previews, runOutput())),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

let output: vscode.OutputChannel | undefined;
function runOutput(): vscode.OutputChannel {
  output ??= vscode.window.createOutputChannel('FlowZap Run');
  return output;
}

/** The mock file for a document: the `flowlane.run.mockConfig` setting, else `<name>.mock.json` or `<name>.mocks.json` beside it. */
async function findMockFile(doc: vscode.TextDocument): Promise<vscode.Uri | undefined> {
  if (doc.isUntitled) return undefined;
  const folder = vscode.Uri.joinPath(doc.uri, '..');
  const exists = async (u: vscode.Uri): Promise<boolean> => vscode.workspace.fs.stat(u).then(() => true, () => false);
  const setting = vscode.workspace.getConfiguration('flowlane', doc.uri).get<string>('run.mockConfig', '').trim();
  if (setting !== '') {
    const candidates = setting.startsWith('/') ? [vscode.Uri.file(setting)] : [vscode.Uri.joinPath(folder, setting), ...(vscode.workspace.workspaceFolders ?? []).map((w) => vscode.Uri.joinPath(w.uri, setting))];
    for (const c of candidates) if (await exists(c)) return c;
    void vscode.window.showWarningMessage(`The mock file of the setting flowlane.run.mockConfig (${setting}) was not found.`);
    return undefined;
  }
  const base = doc.uri.path.split('/').pop()!.replace(/(\.asl)?\.(fz|json|ya?ml)$/i, '');
  for (const name of [`${base}.mock.json`, `${base}.mocks.json`]) {
    const u = vscode.Uri.joinPath(folder, name);
    if (await exists(u)) return u;
  }
  return undefined;
}

/** The test cases of a mock file for a document's machine (the only machine, or the one named after the file). */
function mockTestCases(mocks: unknown, doc: vscode.TextDocument): { machine?: string; cases: string[] } {
  const machines = (mocks as { StateMachines?: Record<string, { TestCases?: Record<string, unknown> }> })?.StateMachines ?? {};
  const names = Object.keys(machines);
  const base = doc.uri.path.split('/').pop()!.replace(/(\.asl)?\.(fz|json|ya?ml)$/i, '');
  const machine = names.length === 1 ? names[0] : names.includes(base) ? base : undefined;
  return { ...(machine !== undefined ? { machine } : {}), cases: machine !== undefined ? Object.keys(machines[machine]?.TestCases ?? {}) : [] };
}

/**
 * FlowZap: Run Locally. With a mock file (the setting, or one beside the file), a test case picked
 * from it; otherwise the input asked for as JSON. The server runs the machine offline; the path goes
 * to the preview, the result to the "FlowZap Run" output channel and a message.
 */
async function runLocally(lc: LanguageClient, previews: PreviewManager, out: vscode.OutputChannel): Promise<void> {
  const editor = activePreviewable();
  if (!editor) return void vscode.window.showWarningMessage('Open a .fz or .asl.json file to run it.');
  const doc = editor.document;
  const params: Record<string, unknown> = { uri: doc.uri.toString(), theme: themeName() };
  const mockFile = await findMockFile(doc);
  const ENTER_INPUT = 'Enter input JSON…';
  let testCase: string | undefined;
  if (mockFile) {
    let mocks: unknown;
    try {
      mocks = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(mockFile)));
    } catch (e) {
      return void vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(mockFile)}: the mock file is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    const { machine, cases } = mockTestCases(mocks, doc);
    if (cases.length > 0) {
      const picked = await vscode.window.showQuickPick([...cases, ENTER_INPUT], { title: `Run Locally: a test case of ${vscode.workspace.asRelativePath(mockFile)}`, placeHolder: 'Test case' });
      if (picked === undefined) return;
      if (picked !== ENTER_INPUT) {
        testCase = picked;
        Object.assign(params, { testCase, mockConfig: mockFile.fsPath, ...(machine !== undefined ? { stateMachine: machine } : {}) });
      }
    }
  }
  if (testCase === undefined) {
    const text = await vscode.window.showInputBox({
      title: 'Run Locally: execution input',
      prompt: 'The execution input, as JSON',
      value: '{}',
      validateInput: (v) => {
        try {
          JSON.parse(v);
          return undefined;
        } catch (e) {
          return `Not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
        }
      },
    });
    if (text === undefined) return;
    params.input = JSON.parse(text);
  }
  const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'FlowZap: running locally' }, () => lc.sendRequest<RunAnswer | null>(REQUESTS.run, params));
  const name = doc.uri.path.split('/').pop();
  out.appendLine(`── ${name}${testCase !== undefined ? ` · test case ${testCase}` : ` · input ${JSON.stringify(params.input)}`}`);
  if (!r || r.problem !== undefined || r.status === undefined) {
    const why = r?.problem ?? 'no answer from the server';
    out.appendLine(`not run: ${why}`);
    return void vscode.window.showErrorMessage(`Run Locally: ${why}`);
  }
  out.appendLine(`states: ${(r.states ?? []).join(' → ')}`);
  out.appendLine(r.status === 'SUCCEEDED' ? `${r.status} ${JSON.stringify(r.output)}` : `${r.status} ${r.error ?? ''}${r.cause ? `: ${r.cause}` : ''}`);
  const summary = r.status === 'SUCCEEDED' ? `Run: SUCCEEDED, output ${JSON.stringify(r.output).slice(0, 120)}` : `Run: ${r.status} ${r.error ?? ''}${r.cause ? `: ${r.cause}` : ''}`;
  if (r.svg) await previews.showRun(doc, r.svg, r.version, summary);
  if (r.status === 'SUCCEEDED') void vscode.window.showInformationMessage(summary);
  else void vscode.window.showWarningMessage(summary);
}

function activeFz(): vscode.TextEditor | undefined {
  const e = vscode.window.activeTextEditor;
  return e?.document.languageId === 'flowzap' ? e : undefined;
}

/** The active editor when it holds something the preview can draw: a .fz file or an ASL file. */
function activePreviewable(): vscode.TextEditor | undefined {
  const e = vscode.window.activeTextEditor;
  return e && previewable(e.document) ? e : undefined;
}

function themeName(): 'light' | 'dark' {
  const k = vscode.window.activeColorTheme.kind;
  return k === vscode.ColorThemeKind.Dark || k === vscode.ColorThemeKind.HighContrast ? 'dark' : 'light';
}

function sibling(uri: vscode.Uri, ext: string): vscode.Uri {
  return uri.with({ path: uri.path.replace(/(\.fz)?$/, ext) });
}

async function render(lc: LanguageClient, doc: vscode.TextDocument, theme: 'light' | 'dark' | 'auto'): Promise<RenderResult | null> {
  return lc.sendRequest<RenderResult | null>(REQUESTS.renderSvg, { textDocument: { uri: doc.uri.toString() }, options: { theme } });
}

async function exportSvg(lc: LanguageClient): Promise<void> {
  const editor = activeFz();
  if (!editor) return void vscode.window.showWarningMessage('Open a .fz file to export its diagram.');
  const r = await render(lc, editor.document, 'light');
  if (!r?.svg) return void vscode.window.showErrorMessage(`The diagram could not be drawn: ${r?.error ?? 'no answer from the server'}`);
  const target = await vscode.window.showSaveDialog({ defaultUri: sibling(editor.document.uri, '.svg'), filters: { SVG: ['svg'] } });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(r.svg));
  void vscode.window.showInformationMessage(`Wrote ${vscode.workspace.asRelativePath(target)}`);
}

async function convertToAsl(lc: LanguageClient): Promise<void> {
  const editor = activeFz();
  if (!editor) return void vscode.window.showWarningMessage('Open a .fz file to convert it.');
  const r = await lc.sendRequest<{ text?: string; error?: string; diagnostics: { severity: string }[] } | null>(REQUESTS.toAsl, { textDocument: { uri: editor.document.uri.toString() } });
  if (!r?.text) return void vscode.window.showErrorMessage(`Could not convert to ASL: ${r?.error ?? 'no answer from the server'}`);
  const target = editor.document.isUntitled ? undefined : sibling(editor.document.uri, '.asl.json');
  if (target) {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(r.text));
    await vscode.window.showTextDocument(target, { viewColumn: vscode.ViewColumn.Beside });
  } else {
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: r.text });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside });
  }
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) void vscode.window.showWarningMessage(`Converted with ${errors} error(s); see the Problems view of the .fz file.`);
}

async function openAslAsDiagram(lc: LanguageClient, previews: PreviewManager, uri?: vscode.Uri): Promise<void> {
  let source = uri;
  if (!source) {
    const e = vscode.window.activeTextEditor;
    if (e && /\.json$/i.test(e.document.uri.path)) source = e.document.uri;
  }
  if (!source) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'ASL state machine': ['json'] } });
    source = picked?.[0];
  }
  if (!source) return;
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(source));
  const r = await lc.sendRequest<{ text?: string; error?: string } | null>(REQUESTS.fromAsl, { text });
  if (!r?.text) return void vscode.window.showErrorMessage(`Could not read the state machine: ${r?.error ?? 'no answer from the server'}`);
  const doc = await vscode.workspace.openTextDocument({ language: 'flowzap', content: r.text });
  await vscode.window.showTextDocument(doc);
  await previews.open();
}

/** One preview panel, following the active .fz editor and redrawing as it changes. */
class PreviewManager implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private doc: vscode.TextDocument | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subs: vscode.Disposable[] = [];
  private pngWaiters = new Map<number, (m: { data?: string; error?: string }) => void>();
  /** The path of the last run, shown instead of the plain drawing until the document changes. */
  private run: { doc: vscode.TextDocument; version: number; svg: string; note: string } | undefined;
  private nextId = 1;

  constructor(private readonly context: vscode.ExtensionContext, private readonly lc: LanguageClient) {
    this.subs.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.panel && e.document === this.doc) this.schedule();
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (this.panel && e && previewable(e.document) && e.document !== this.doc) {
          this.doc = e.document;
          this.panel.title = `Preview ${this.baseName()}`;
          this.schedule(0);
        }
      }),
      vscode.window.onDidChangeActiveColorTheme(() => this.schedule(0)),
    );
  }

  private baseName(): string {
    return this.doc ? this.doc.uri.path.split('/').pop() ?? '' : '';
  }

  async open(): Promise<void> {
    const editor = activePreviewable();
    if (!editor) return void vscode.window.showWarningMessage('Open a .fz or .asl.json file to preview it.');
    this.doc = editor.document;
    if (!this.panel) {
      const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
      this.panel = vscode.window.createWebviewPanel('flowlane.preview', `Preview ${this.baseName()}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        localResourceRoots: [media],
        retainContextWhenHidden: true,
      });
      const webview = this.panel.webview;
      webview.html = previewHtml({
        cspSource: webview.cspSource,
        scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview.js')).toString(),
        styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview.css')).toString(),
        nonce: makeNonce(),
        title: this.baseName(),
      });
      webview.onDidReceiveMessage((m: { type?: string; id?: number; data?: string; error?: string }) => {
        if (m.type === 'ready') this.schedule(0);
        if (m.type === 'png' && typeof m.id === 'number') this.pngWaiters.get(m.id)?.(m);
      });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      });
    } else {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    this.schedule(0);
  }

  private schedule(delay = vscode.workspace.getConfiguration('flowlane').get<number>('preview.delay', 120)): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.redraw(), delay);
  }

  /** Shows a run's path in the preview (opening it for the document if needed). */
  async showRun(doc: vscode.TextDocument, svg: string, version: number, summary: string): Promise<void> {
    this.run = { doc, version, svg, note: `${summary} — the path of the run; edit the file to go back to the diagram.` };
    if (!this.panel || this.doc !== doc) await this.open();
    else await this.redraw();
  }

  private async redraw(): Promise<void> {
    const panel = this.panel;
    const doc = this.doc;
    if (!panel || !doc) return;
    const run = this.run;
    if (run && run.doc === doc && run.version === doc.version) {
      await panel.webview.postMessage({ type: 'svg', svg: run.svg, version: run.version, errors: 0, note: run.note });
      return;
    }
    try {
      const r = await render(this.lc, doc, themeName());
      // An answer for an older version is still worth showing; a newer request is already scheduled.
      if (r?.svg) await panel.webview.postMessage({ type: 'svg', svg: r.svg, version: r.version, errors: r.diagnostics.length });
      else await panel.webview.postMessage({ type: 'error', message: r?.error ?? 'The diagram could not be drawn.' });
    } catch (e) {
      await panel.webview.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  async exportPng(): Promise<void> {
    const editor = activeFz();
    if (!editor) return void vscode.window.showWarningMessage('Open a .fz file to export its diagram.');
    if (!this.panel || this.doc !== editor.document) await this.open();
    await this.redraw();
    const id = this.nextId++;
    const answer = new Promise<{ data?: string; error?: string }>((resolve) => {
      this.pngWaiters.set(id, resolve);
      setTimeout(() => resolve({ error: 'the preview did not answer' }), 10_000);
    });
    await this.panel!.webview.postMessage({ type: 'exportPng', id, scale: 2 });
    const m = await answer;
    this.pngWaiters.delete(id);
    if (!m.data) return void vscode.window.showErrorMessage(`PNG export failed: ${m.error ?? 'unknown error'}`);
    const target = await vscode.window.showSaveDialog({ defaultUri: sibling(editor.document.uri, '.png'), filters: { PNG: ['png'] } });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Uint8Array.from(atob(m.data), (c) => c.charCodeAt(0)));
    void vscode.window.showInformationMessage(`Wrote ${vscode.workspace.asRelativePath(target)}`);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.panel?.dispose();
    for (const s of this.subs) s.dispose();
  }
}
