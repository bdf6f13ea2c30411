// `flowlane playground [--port N] [FILE]`: serves the playground (dist/playground, built by
// `npm run build:playground` and shipped in the package, with the browser build it loads from
// dist/browser beside it) on 127.0.0.1 and prints its URL. The
// server only sends the folder's files (GET/HEAD, no listing, nothing outside the folder); FILE's
// text goes to the page in the URL's fragment (deflate-raw + base64url, what the page's Share
// button makes), so the page needs no server logic to open it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { basename, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { readText } from '../io.js';
import { portNumber } from '../inputs.js';

interface PlaygroundOptions {
  port: string;
}

export const DEFAULT_PORT = 5170;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The built playground: dist/playground beside dist/cli in the package (this file is
 * dist/cli/commands/playground.js), or the repository's dist/playground when run from src.
 */
export function playgroundFolder(): string | undefined {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const candidate of [join(here, '..', '..', 'playground'), join(here, '..', '..', '..', 'dist', 'playground')]) {
    if (existsSync(join(candidate, 'index.html')) && existsSync(join(candidate, 'playground.js'))) return normalize(candidate);
  }
  return undefined;
}

/** The fragment that carries a file's text, as the page's share.ts reads it. */
export function fragmentFor(name: string, text: string): string {
  const params = new URLSearchParams();
  // Required here: every start registers this command, and zlib is loaded only for the playground.
  const { deflateRawSync } = createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib');
  params.set('fz', deflateRawSync(Buffer.from(text, 'utf8')).toString('base64url'));
  params.set('name', name);
  return `#${params.toString()}`;
}

/**
 * The browser build's files the page loads. The package carries them once, in dist/browser, and its
 * playground folder is built without them (`--beside-browser-build`): they are served from there
 * when the folder has no copy of its own.
 */
const BROWSER_FILES = new Set(['/flowlane.mjs', '/flowlane-fonts.mjs']);

/** Sends one file of the folder (or of `browserBuild`, for BROWSER_FILES); anything else is a 404 (or 405 for a method other than GET/HEAD). */
export function serveStatic(folder: string, request: IncomingMessage, response: ServerResponse, browserBuild?: string): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  let path: string;
  try {
    path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
  } catch {
    response.writeHead(400).end();
    return;
  }
  if (path.endsWith('/')) path += 'index.html';
  const from = browserBuild && BROWSER_FILES.has(path) && !existsSync(join(folder, path)) ? browserBuild : folder;
  const file = normalize(join(from, path));
  const inside = file.startsWith(from.endsWith(sep) ? from : from + sep);
  if (!inside || path.includes('\0') || !existsSync(file) || !statSync(file).isFile()) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  const body = readFileSync(file);
  response.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    // A rebuilt playground is picked up at the next reload.
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

export function register(program: Command): void {
  program
    .command('playground')
    .description('serve the playground (editor and live diagram, all in the browser) on 127.0.0.1 and print its URL')
    .argument('[file]', 'a .fz file (or an ASL definition) to open in it')
    .option('--port <n>', 'the port to listen on (0: any free port)', portNumber, String(DEFAULT_PORT))
    .action(async (file: string | undefined, options: PlaygroundOptions) => {
      const folder = playgroundFolder();
      if (!folder) {
        console.error('flowlane: the playground is not built (run npm run build:playground)');
        process.exitCode = 2;
        return;
      }
      let fragment = '';
      if (file !== undefined) {
        const read = readText(file);
        if (!read.ok) {
          console.error(`flowlane: ${read.message}`);
          process.exitCode = 2;
          return;
        }
        fragment = fragmentFor(file === '-' ? 'stdin.fz' : basename(file), read.text);
      }
      const browserBuild = join(folder, '..', 'browser');
      // Required here, not imported at the top: every start registers this command, and loading
      // http took each 5 ms. Not import(): the CLI's bundle runs in a vm.Script, which has none.
      const { createServer } = createRequire(import.meta.url)('node:http') as typeof import('node:http');
      const server = createServer((request, response) => serveStatic(folder, request, response, browserBuild));
      const port = Number(options.port);
      await new Promise<void>((resolve) => {
        server.once('error', (e: NodeJS.ErrnoException) => {
          const reason = e.code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is in use; choose another with --port N (0: any free port)` : e.code === 'EACCES' ? `port ${port} on 127.0.0.1 is not allowed for this user; choose another with --port N` : `cannot listen on 127.0.0.1:${port} (${e.code ?? e.message})`;
          console.error(`flowlane: ${reason}`);
          process.exitCode = 2;
          resolve();
        });
        server.listen(port, '127.0.0.1', () => {
          const address = server.address();
          const actual = typeof address === 'object' && address ? address.port : port;
          console.log(`flowlane playground: http://127.0.0.1:${actual}/${fragment}`);
          console.log('serving the page only (nothing leaves your machine); Ctrl+C to stop');
          resolve();
        });
      });
    });
}
