// The language server's entry point over standard input and output: `node dist/server/main.js --stdio`
// (the VS Code extension bundles this file), or `flowlane lsp --stdio`, which calls `runStdio`.
import { createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { NODE_HOST } from './node-host.js';
import { startServer, type ServerOptions } from './server.js';
import { FramingCheck, ParamsCheckingReader } from './transport.js';

export { REQUESTS, startServer } from './server.js';

/** Serves LSP over stdin/stdout. Anything written to the console goes to the client's log, never to stdout. */
export function runStdio(options: ServerOptions = {}): void {
  // A client that breaks the framing gets one line on stderr and an exit, not a server that hangs mute.
  const brokenStream = (reason: string): void => {
    process.stderr.write(`flowlane lsp: the client sent ${reason}; the message stream cannot be followed any more, stopping\n`);
    process.exit(1);
  };
  const framed = process.stdin.pipe(new FramingCheck(brokenStream));
  const writer = new StreamMessageWriter(process.stdout);
  const reader = new ParamsCheckingReader(new StreamMessageReader(framed), writer, (m) => process.stderr.write(`${m}\n`));
  reader.onError((e) => brokenStream(`a message that cannot be read (${e.message})`));
  const connection = createConnection(reader, writer);
  // stdout carries the protocol: a stray console.log would corrupt it.
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.info = console.log;
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
  // A bug in an asynchronous path is logged, not fatal.
  process.on('uncaughtException', (e) => connection.console.error(`flowlane: uncaught: ${e.stack ?? String(e)}`));
  process.on('unhandledRejection', (e) => connection.console.error(`flowlane: unhandled rejection: ${String(e)}`));
  startServer(connection, options, NODE_HOST);
}

// Started directly (not imported by the CLI): serve.
const self = process.argv[1] ?? '';
if (/server[\\/]main\.(js|ts|cjs)$/.test(self) || /flowlane-server\.c?js$/.test(self) || process.env['FLOWLANE_LSP_MAIN'] === '1') runStdio();
