// The language server's host under Node: the ASL checks and conversions run in worker threads
// (asl-worker.ts beside this file; in the extension's bundle, asl-worker.js beside the bundle).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MockConfigRead, ServerHost } from './server.js';

export const NODE_HOST: ServerHost = {
  startAslThread: () => new Worker(new URL('./asl-worker.js', import.meta.url)),
  readMockConfig,
  uriPath: (uri) => (uri.startsWith('file:') ? fileURLToPath(uri) : uri),
};

/**
 * A mock file named by `flowlane/run`, relative to the document's folder unless absolute, and the
 * test case's input from its expectations file (`<mock>.expect.json`, as `flowlane test` reads it).
 */
function readMockConfig(path: string, docUri: string, testCase: string | undefined): MockConfigRead {
  const full = isAbsolute(path) || !docUri.startsWith('file:') ? path : resolvePath(dirname(fileURLToPath(docUri)), path);
  let mocks: unknown;
  try {
    mocks = JSON.parse(readFileSync(full, 'utf8'));
  } catch (e) {
    return { problem: `${path}: ${e instanceof SyntaxError ? `the mock config is not valid JSON (${e.message})` : 'cannot be read'}` };
  }
  const expectPath = full.replace(/(\.json)?$/i, '.expect.json');
  if (testCase === undefined || !existsSync(expectPath)) return { mocks };
  try {
    const cases = (JSON.parse(readFileSync(expectPath, 'utf8')) as { TestCases?: Record<string, { input?: unknown }> }).TestCases;
    const input = cases?.[testCase]?.input;
    return input !== undefined ? { mocks, input } : { mocks };
  } catch {
    return { mocks };
  }
}
