// The language server in a browser's Web Worker (the playground's `lsp-worker.js`, built by
// scripts/build-playground.mjs): the same handlers as over stdio (server.ts), with messages carried
// by postMessage instead of a byte stream. The ASL checks and conversions run in this worker's own
// thread (IN_THREAD_HOST): it is off the page's thread already, and a page's worker has no
// node:worker_threads. Input: LSP messages posted by the page. Output: LSP messages posted back.
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { IN_THREAD_HOST, startServer } from './server.js';

// `self` of a dedicated worker; the main build has no DOM types, and the reader/writer need only
// postMessage and the message events.
const scope = globalThis as unknown as ConstructorParameters<typeof BrowserMessageReader>[0];
const connection = createConnection(new BrowserMessageReader(scope), new BrowserMessageWriter(scope));
startServer(connection, {}, IN_THREAD_HOST);
