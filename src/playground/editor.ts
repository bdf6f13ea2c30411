// The playground's editor: CodeMirror 6 wired to the language server (lsp-client.ts). Every edit
// goes to the server as an incremental didChange; its diagnostics become lint marks (squiggles)
// whose actions are the server's quick fixes; completion, hover and formatting are its answers.
// Positions: LSP's are line + UTF-16 character, CodeMirror's are UTF-16 offsets into the document.
import { autocompletion, startCompletion, closeBrackets, closeBracketsKeymap, completionKeymap, snippet, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentOnInput } from '@codemirror/language';
import { lintGutter, lintKeymap, setDiagnostics, type Action, type Diagnostic as LintDiagnostic } from '@codemirror/lint';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { EditorState, type Text } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, hoverTooltip, keymap, lineNumbers, type ViewUpdate } from '@codemirror/view';
import type { LspClient } from './lsp-client.js';
import { decodeTokens, semanticHighlight, setTokens } from './highlight.js';
import { markdownElement } from './markdown.js';

export const DOCUMENT_URI = 'file:///playground.fz';

interface LspPosition {
  line: number;
  character: number;
}
interface LspRange {
  start: LspPosition;
  end: LspPosition;
}
interface LspTextEdit {
  range: LspRange;
  newText: string;
}
interface LspDiagnostic {
  range: LspRange;
  severity?: number;
  code?: string | number;
  message: string;
}
interface LspCodeAction {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  edit?: { changes?: Record<string, LspTextEdit[]> };
}
interface LspCompletionItem {
  label: string;
  kind?: number;
  detail?: string;
  documentation?: string | { kind: string; value: string };
  sortText?: string;
  filterText?: string;
  insertTextFormat?: number;
  textEdit?: LspTextEdit;
  insertText?: string;
  command?: { command: string };
}

export function offsetOf(doc: Text, p: LspPosition): number {
  const line = doc.line(Math.min(Math.max(p.line, 0), doc.lines - 1) + 1);
  return line.from + Math.min(Math.max(p.character, 0), line.length);
}

export function positionOf(doc: Text, offset: number): LspPosition {
  const line = doc.lineAt(offset);
  return { line: line.number - 1, character: offset - line.from };
}

/** A TextEdit list as one CodeMirror change set (all ranges refer to the document before the edit, in both). */
function changesOf(doc: Text, edits: LspTextEdit[]): { from: number; to: number; insert: string }[] {
  return edits.map((e) => ({ from: offsetOf(doc, e.range.start), to: offsetOf(doc, e.range.end), insert: e.newText }));
}

const SEVERITY: Record<number, LintDiagnostic['severity']> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

/** LSP's CompletionItemKind -> the icon classes CodeMirror draws. */
const COMPLETION_TYPE: Record<number, string> = { 7: 'class', 10: 'property', 5: 'property', 12: 'constant', 18: 'variable', 9: 'namespace', 20: 'enum', 15: 'text', 14: 'keyword' };

/**
 * LSP snippet syntax as CodeMirror's: a choice `${1|a,b|}` becomes its first value as a field
 * (CodeMirror has no choice fields), `$1` becomes `${1:}`, and `$0` / `${0}` the final `${}`.
 */
export function cmSnippet(text: string): string {
  return text
    .replace(/\$\{(\d+)\|([^,|}]*)[^}]*\|\}/g, (_m, n: string, first: string) => `\${${n}:${first}}`)
    .replace(/\$\{0\}|\$0(?!\d)/g, '${}')
    .replace(/\$(\d+)/g, (_m, n: string) => `\${${n}:}`);
}

/** Colours from the page's variables (playground.css), so that light/dark switches the editor too. */
const pageColours = EditorView.theme({
  '&': { color: 'var(--fg)', backgroundColor: 'var(--bg)', height: '100%', fontSize: '13px' },
  '.cm-content': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', caretColor: 'var(--fg)' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--panel)', color: 'var(--muted)', borderRight: '1px solid var(--line)' },
  '.cm-activeLine': { backgroundColor: 'var(--active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--active-line)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: 'var(--selection)' },
  '.cm-tooltip': { backgroundColor: 'var(--bg)', color: 'var(--fg)', border: '1px solid var(--line)' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--bg)' },
});

export interface PlaygroundEditor {
  view: EditorView;
  /** Replaces the whole text (open, import, a shared link). */
  setText(text: string): void;
  format(): Promise<void>;
}

/** The server's semantic token legend (its initialize result). */
export interface TokenLegend {
  tokenTypes: string[];
  tokenModifiers: string[];
}

export function createEditor(parent: HTMLElement, text: string, client: LspClient, legend: Promise<TokenLegend | undefined>, onChange: (text: string) => void): PlaygroundEditor {
  let version = 1;
  let tokensTimer: ReturnType<typeof setTimeout> | undefined;
  const refreshTokens = (): void => {
    if (tokensTimer) clearTimeout(tokensTimer);
    tokensTimer = setTimeout(() => {
      const asked = version;
      void Promise.all([legend, client.request<{ data: number[] } | null>('textDocument/semanticTokens/full', { textDocument: { uri: DOCUMENT_URI } })])
        .then(([l, r]) => {
          if (!l || !r || asked !== version) return;
          view.dispatch({ effects: setTokens.of(decodeTokens(view.state.doc, r.data, l.tokenTypes, l.tokenModifiers)) });
        })
        .catch(() => undefined);
    }, 60);
  };

  const sendChanges = (update: ViewUpdate): void => {
    // LSP applies a didChange's content changes one after another; CodeMirror's all refer to the
    // old document. Sent from the last to the first, each range is still valid when it is applied.
    const changes: { range: LspRange; text: string }[] = [];
    update.changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
      changes.push({ range: { start: positionOf(update.startState.doc, fromA), end: positionOf(update.startState.doc, toA) }, text: inserted.toString() });
    });
    changes.reverse();
    client.notify('textDocument/didChange', { textDocument: { uri: DOCUMENT_URI, version: ++version }, contentChanges: changes });
  };

  const completionSource = async (context: CompletionContext): Promise<CompletionResult | null> => {
    const doc = context.state.doc;
    const asked = version;
    const reply = await client.request<{ items: LspCompletionItem[] } | LspCompletionItem[] | null>('textDocument/completion', {
      textDocument: { uri: DOCUMENT_URI },
      position: positionOf(doc, context.pos),
      context: { triggerKind: context.explicit ? 1 : 2 },
    });
    if (context.aborted || asked !== version) return null;
    const items = Array.isArray(reply) ? reply : (reply?.items ?? []);
    if (items.length === 0) return null;
    const word = context.matchBefore(/[\w$.-]*/);
    let from = word?.from ?? context.pos;
    for (const item of items) if (item.textEdit) from = Math.min(from, offsetOf(doc, item.textEdit.range.start));
    const ordered = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
    const options: Completion[] = ordered.map((item, i) => {
      const insert = item.textEdit?.newText ?? item.insertText ?? item.label;
      const start = item.textEdit ? offsetOf(doc, item.textEdit.range.start) : from;
      const option: Completion = {
        label: item.label,
        boost: Math.max(-99, 99 - i),
        apply: (view, completion, _from, to) => {
          if (item.insertTextFormat === 2) snippet(cmSnippet(insert))(view, completion, start, to);
          else view.dispatch({ changes: { from: start, to, insert }, selection: { anchor: start + insert.length }, userEvent: 'input.complete' });
          // The server asks for the next completion at once (after a lane name and its dot, say).
          if (item.command?.command === 'editor.action.triggerSuggest') setTimeout(() => startCompletion(view), 0);
        },
      };
      if (item.detail) option.detail = item.detail;
      const type = item.kind !== undefined ? COMPLETION_TYPE[item.kind] : undefined;
      if (type) option.type = type;
      const documentation = typeof item.documentation === 'string' ? item.documentation : item.documentation?.value;
      if (documentation) option.info = () => markdownElement(documentation);
      return option;
    });
    return { from, options };
  };

  const hover = hoverTooltip(async (view, pos) => {
    const reply = await client.request<{ contents: { value: string } | string; range?: LspRange } | null>('textDocument/hover', {
      textDocument: { uri: DOCUMENT_URI },
      position: positionOf(view.state.doc, pos),
    });
    if (!reply) return null;
    const value = typeof reply.contents === 'string' ? reply.contents : reply.contents.value;
    if (!value) return null;
    const doc = view.state.doc;
    return {
      pos: reply.range ? offsetOf(doc, reply.range.start) : pos,
      end: reply.range ? offsetOf(doc, reply.range.end) : pos,
      above: true,
      create: () => {
        const dom = markdownElement(value);
        dom.classList.add('fz-hover');
        return { dom };
      },
    };
  });

  const format = async (): Promise<void> => {
    const asked = version;
    const edits = await client.request<LspTextEdit[] | null>('textDocument/formatting', { textDocument: { uri: DOCUMENT_URI }, options: { tabSize: 2, insertSpaces: true } });
    if (!edits || edits.length === 0 || asked !== version) return;
    view.dispatch({ changes: changesOf(view.state.doc, edits), userEvent: 'input.format' });
  };

  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightSelectionMatches(),
        pageColours,
        // Long lines (ARNs, JSON attributes) wrap: the pane is half a window wide.
        EditorView.lineWrapping,
        semanticHighlight,
        lintGutter(),
        autocompletion({ override: [completionSource], icons: true }),
        hover,
        keymap.of([
          { key: 'Shift-Alt-f', run: () => (void format(), true) },
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...historyKeymap,
          ...completionKeymap,
          ...lintKeymap,
          ...searchKeymap,
          indentWithTab,
        ]),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          sendChanges(update);
          refreshTokens();
          onChange(update.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ 'aria-label': 'FlowZap Code', spellcheck: 'false' }),
      ],
    }),
  });

  client.notify('textDocument/didOpen', { textDocument: { uri: DOCUMENT_URI, languageId: 'flowzap', version, text } });
  refreshTokens();

  // Diagnostics of the current version become lint marks; each gets the quick fixes the server
  // offers for its range (codeAction), which the lint tooltip shows as buttons.
  client.on('textDocument/publishDiagnostics', (params) => {
    const p = params as { uri: string; version?: number; diagnostics: LspDiagnostic[] };
    if (p.uri !== DOCUMENT_URI || (p.version !== undefined && p.version !== version)) return;
    const shown = version;
    void Promise.all(p.diagnostics.map((d) => quickFixes(d))).then((fixes) => {
      if (shown !== version) return;
      const doc = view.state.doc;
      const marks: LintDiagnostic[] = p.diagnostics.map((d, i) => {
        const from = offsetOf(doc, d.range.start);
        const to = offsetOf(doc, d.range.end);
        const mark: LintDiagnostic = { from, to, severity: SEVERITY[d.severity ?? 1] ?? 'error', message: d.message, source: `flowlane${d.code !== undefined ? ` (${d.code})` : ''}` };
        const actions = fixes[i] ?? [];
        if (actions.length > 0) mark.actions = actions;
        return mark;
      });
      view.dispatch(setDiagnostics(view.state, marks));
    });
  });

  async function quickFixes(d: LspDiagnostic): Promise<Action[]> {
    const actions = await client
      .request<LspCodeAction[] | null>('textDocument/codeAction', { textDocument: { uri: DOCUMENT_URI }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } })
      .catch(() => null);
    return (actions ?? [])
      .filter((a) => a.edit?.changes?.[DOCUMENT_URI])
      .map((a) => ({
        name: a.title,
        apply: (v: EditorView) => {
          v.dispatch({ changes: changesOf(v.state.doc, a.edit!.changes![DOCUMENT_URI]!), userEvent: 'input.fix' });
        },
      }));
  }

  return {
    view,
    setText: (next) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } }),
    format,
  };
}
