// The playground page: the editor (editor.ts, talking to the language server in a Web Worker), the
// live diagram drawn by the browser build (flowlane.mjs beside this script: layout in its own
// worker, the SVG drawn here), the ASL JSON tab (the server's flowlane/toAsl), the Run panel
// (run-panel.ts), open/save, ASL import (flowlane/fromAsl), SVG/PNG export, share by URL,
// light/dark. Nothing is sent anywhere: every file the page loads is one of its own (index.html's
// Content-Security-Policy says so too).
import { render, renderPng } from '../browser/index.js';
import type { LayoutDirection } from '../browser/index.js';
import example from '../../examples/microservices.fz';
import { createEditor, DOCUMENT_URI, type TokenLegend } from './editor.js';
import { download, openFile, saveFile } from './files.js';
import { LspClient } from './lsp-client.js';
import { setupRunPanel } from './run-panel.js';
import { fragmentOf, readFragment } from './share.js';

const STORED_TEXT = 'flowlane-playground:text';
const STORED_NAME = 'flowlane-playground:name';
const STORED_THEME = 'flowlane-playground:theme';
/** Typing pauses shorter than this redraw once, at the end. */
const REDRAW_MS = 120;
const ASL_MS = 250;
/** File names of ASL definitions, opened converted to .fz. */
const ASL_NAME = /(\.asl)?\.(json|ya?ml)$/i;

type Theme = 'light' | 'dark';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

interface Diagnostic {
  severity: string;
  message: string;
  range: { start: { line: number; character: number } };
}

function where(d: Diagnostic): string {
  return `line ${d.range.start.line + 1}, column ${d.range.start.character + 1}: ${d.message}`;
}

function status(text: string, isError = false): void {
  const el = $('status');
  el.textContent = text;
  el.classList.toggle('error', isError);
}

function storedTheme(): Theme {
  const stored = localStorage.getItem(STORED_THEME);
  if (stored === 'light' || stored === 'dark') return stored;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

async function main(): Promise<void> {
  let theme = storedTheme();
  let name = localStorage.getItem(STORED_NAME) ?? 'diagram.fz';
  const applyTheme = (): void => {
    document.documentElement.dataset['theme'] = theme;
    const button = $('theme');
    button.textContent = theme === 'dark' ? 'Light' : 'Dark';
    button.setAttribute('aria-pressed', String(theme === 'dark'));
  };
  applyTheme();
  const showName = (): void => void ($('file-name').textContent = name);

  const client = new LspClient(new URL('./lsp/lsp-worker.js', import.meta.url));
  client.on('$/failed', (message) => status(`flowlane: ${String(message)}`, true));
  // Not awaited: what is sent meanwhile waits for the answer (lsp-client.ts), the diagram does not.
  const initialized = client.initialize({
    processId: null,
    rootUri: null,
    capabilities: {
      textDocument: {
        publishDiagnostics: { versionSupport: true },
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll', 'refactor.rewrite'] } } },
      },
    },
  });
  initialized.catch((e: unknown) => status(`flowlane: the language server did not start (${(e as Error).message})`, true));

  const shared = await readFragment(location.hash);
  if (shared?.name) name = shared.name;
  let initial = shared?.text ?? localStorage.getItem(STORED_TEXT) ?? example;
  // `flowlane playground machine.asl.json` sends an ASL definition: it opens converted.
  if (shared && ASL_NAME.test(name)) {
    const converted = await fromAsl(shared.text);
    if (converted !== undefined) initial = converted;
    name = name.replace(ASL_NAME, '.fz');
  }
  showName();
  let text = initial;

  // The diagram: redrawn after each pause in typing; an older drawing that finishes late is dropped.
  let drawn = 0;
  let drawing = 0;
  let firstDrawn = false;
  let drawTimer: ReturnType<typeof setTimeout> | undefined;
  const direction = (): LayoutDirection | undefined => ($('direction') as HTMLSelectElement).value as LayoutDirection || undefined;
  const options = (): { theme: Theme; direction?: LayoutDirection; id: string } => ({ theme, id: 'fz-playground', ...(direction() ? { direction: direction()! } : {}) });
  async function draw(): Promise<void> {
    const seq = ++drawing;
    const started = performance.now();
    const source = text;
    // The first diagram is laid out here: the page has the renderer loaded already, while the
    // layout worker would first load and compile it again (1.2 s against 3.4 s to the first diagram
    // in Chromium on a loaded 2-core machine). Later ones go to the worker, off the typing thread.
    const r = await render(source, { ...options(), ...(firstDrawn ? {} : { worker: false }) });
    // A newer drawing started, or the text changed meanwhile (its redraw is already scheduled).
    if (seq !== drawing || source !== text) return;
    const box = $('diagram');
    if (r.ok) {
      const svg = new DOMParser().parseFromString(r.value, 'image/svg+xml').documentElement;
      box.replaceChildren(document.importNode(svg, true));
      box.classList.remove('stale');
      const warnings = r.diagnostics.filter((d) => d.severity === 'warning').length;
      status(`drawn in ${Math.round(performance.now() - started)} ms${warnings ? ` · ${warnings} warning${warnings > 1 ? 's' : ''}` : ''}`);
      if (!firstDrawn) {
        firstDrawn = true;
        // For whoever measures the page (the end-to-end test): load to first diagram.
        performance.mark('flowlane:first-diagram');
        // Warms the layout worker (its script, ELK's compilation) before the first keystroke needs it.
        void render(source, options());
      }
    } else {
      // The last good drawing stays, faded, under the first error.
      box.classList.add('stale');
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      status(errors[0] ? `${where(errors[0])}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}` : 'nothing to draw', true);
    }
    drawn = seq;
    box.dataset['drawn'] = String(drawn);
    // What is shown is the current text's drawing (or its error).
    box.setAttribute('aria-busy', 'false');
  }
  const redraw = (delay = REDRAW_MS): void => {
    $('diagram').setAttribute('aria-busy', 'true');
    if (drawTimer) clearTimeout(drawTimer);
    drawTimer = setTimeout(() => void draw(), delay);
  };

  // The ASL tab: the server's conversion of the current document, refreshed while the tab is shown.
  let aslTimer: ReturnType<typeof setTimeout> | undefined;
  let aslAsked = 0;
  const aslShown = (): boolean => !$('asl-panel').hidden;
  async function showAsl(): Promise<void> {
    const seq = ++aslAsked;
    const r = await client.request<{ text?: string; error?: string; diagnostics: Diagnostic[] } | null>('flowlane/toAsl', { textDocument: { uri: DOCUMENT_URI } });
    if (seq !== aslAsked) return;
    const notes = $('asl-notes');
    notes.replaceChildren(
      ...[...(r?.error ? [r.error] : []), ...(r?.diagnostics ?? []).map(where)].map((line) => {
        const li = document.createElement('li');
        li.textContent = line;
        return li;
      }),
    );
    $('asl').textContent = r?.text ?? '';
  }
  const refreshAsl = (): void => {
    if (!aslShown()) return;
    if (aslTimer) clearTimeout(aslTimer);
    aslTimer = setTimeout(() => void showAsl(), ASL_MS);
  };

  let storeTimer: ReturnType<typeof setTimeout> | undefined;
  const legend = initialized.then(
    (r) => (r as { capabilities?: { semanticTokensProvider?: { legend?: TokenLegend } } } | null)?.capabilities?.semanticTokensProvider?.legend,
    () => undefined,
  );
  const editor = createEditor($('editor'), initial, client, legend, (next) => {
    text = next;
    // A shared link's text, once edited, is no longer what the address holds: a reload shows the
    // edited text (kept in storage), not the link's.
    if (location.hash.startsWith('#fz=')) history.replaceState(null, '', location.pathname + location.search);
    redraw();
    refreshAsl();
    if (storeTimer) clearTimeout(storeTimer);
    storeTimer = setTimeout(() => localStorage.setItem(STORED_TEXT, text), 500);
  });
  // The editor follows the page's colours (playground.css variables).
  void draw();

  // Tabs.
  const tabs = [
    { tab: $('tab-diagram'), panel: $('diagram-panel') },
    { tab: $('tab-asl'), panel: $('asl-panel') },
    { tab: $('tab-run'), panel: $('run-panel') },
  ];
  for (const { tab, panel } of tabs) {
    tab.addEventListener('click', () => {
      for (const t of tabs) {
        t.tab.setAttribute('aria-selected', String(t.tab === tab));
        t.panel.hidden = t.panel !== panel;
      }
      if (panel.id === 'asl-panel') void showAsl();
    });
  }

  // The Run panel: the path drawn over this text's diagram, with the page's theme and direction.
  setupRunPanel({
    text: () => text,
    name: () => name,
    async draw(overlay) {
      const r = await render(text, { ...options(), id: 'fz-run', trace: overlay });
      return r.ok ? { svg: r.value } : { error: r.diagnostics.find((d) => d.severity === 'error')?.message ?? 'the diagram has errors' };
    },
  });

  // Files.
  const load = async (fileName: string, content: string): Promise<void> => {
    if (ASL_NAME.test(fileName)) {
      const converted = await fromAsl(content);
      if (converted === undefined) return;
      name = fileName.replace(ASL_NAME, '.fz');
      editor.setText(converted);
    } else {
      name = fileName;
      editor.setText(content);
    }
    localStorage.setItem(STORED_NAME, name);
    showName();
  };
  $('open').addEventListener('click', () => {
    void openFile().then((f) => (f ? load(f.name, f.text) : undefined)).catch((e: unknown) => status(`could not open the file (${(e as Error).message})`, true));
  });
  $('save').addEventListener('click', () => {
    void saveFile(name, text)
      .then((saved) => {
        if (saved) status(`saved ${saved}`);
      })
      .catch((e: unknown) => status(`could not save (${(e as Error).message})`, true));
  });
  $('format').addEventListener('click', () => void editor.format());

  // ASL import, through the server's flowlane/fromAsl (the same conversion as `flowlane from-asl`).
  async function fromAsl(definition: string, errorBox?: HTMLElement): Promise<string | undefined> {
    const r = await client.request<{ text?: string; error?: string; diagnostics?: Diagnostic[] } | null>('flowlane/fromAsl', { text: definition });
    // A definition with errors still gives text (what could be read); the user gets the errors instead.
    if (r?.text !== undefined && !(r.diagnostics ?? []).some((d) => d.severity === 'error')) return r.text;
    const problems = [...(r?.error ? [r.error] : []), ...(r?.diagnostics ?? []).filter((d) => d.severity === 'error').map(where)].join('\n') || 'this is not an ASL definition';
    if (errorBox) errorBox.textContent = problems;
    else status(problems.split('\n')[0]!, true);
    return undefined;
  }
  const dialog = $('asl-dialog') as HTMLDialogElement;
  $('import-asl').addEventListener('click', () => {
    $('asl-error').textContent = '';
    dialog.showModal();
  });
  $('asl-convert').addEventListener('click', (event) => {
    event.preventDefault();
    void fromAsl(($('asl-input') as HTMLTextAreaElement).value, $('asl-error')).then((converted) => {
      if (converted === undefined) return;
      dialog.close();
      name = 'converted.fz';
      showName();
      editor.setText(converted);
    });
  });

  // Export: the same renders as `flowlane render`, with the font embedded (SVG) or drawn on a canvas (PNG).
  const base = (): string => name.replace(/\.fz$/i, '') || 'diagram';
  $('export-svg').addEventListener('click', () => {
    void render(text, { ...options(), embedFont: true }).then((r) => {
      if (r.ok) download(new Blob([r.value], { type: 'image/svg+xml' }), `${base()}.svg`);
      else status('the diagram has errors: nothing to export', true);
    });
  });
  $('export-png').addEventListener('click', () => {
    void renderPng(text, { ...options(), scale: 2 }).then((r) => {
      if (r.ok) download(r.value, `${base()}.png`);
      else status('the diagram has errors: nothing to export', true);
    });
  });

  // Share: the text in the fragment (never sent to a server), copied when the clipboard allows.
  $('share').addEventListener('click', () => {
    void fragmentOf({ text, name }).then(async (fragment) => {
      history.replaceState(null, '', fragment);
      try {
        await navigator.clipboard.writeText(location.href);
        status('link copied: the text is in the link itself, nothing was uploaded');
      } catch {
        status('link in the address bar: the text is in the link itself, nothing was uploaded');
      }
    });
  });
  window.addEventListener('hashchange', () => {
    void readFragment(location.hash).then((s) => {
      if (!s || s.text === text) return;
      if (s.name) {
        name = s.name;
        showName();
      }
      editor.setText(s.text);
    });
  });

  $('theme').addEventListener('click', () => {
    theme = theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem(STORED_THEME, theme);
    applyTheme();
    redraw(0);
  });
  $('direction').addEventListener('change', () => redraw(0));
}

// Offline after the first load, reloads included (sw.ts). Not where service workers are unavailable
// (a file: URL, an insecure origin): the page works the same, online.
if ('serviceWorker' in navigator && isSecureContext) {
  navigator.serviceWorker.register('./sw.js').catch(() => undefined);
}

main().catch((e: unknown) => status(`flowlane: the playground failed to start (${e instanceof Error ? e.message : String(e)})`, true));
