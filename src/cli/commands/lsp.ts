// `flowlane lsp --stdio`: runs the language server over standard input and output, for any LSP
// editor (VS Code through the extension, Neovim, Helix, Zed, Emacs).
import type { Command } from 'commander';

interface LspOptions {
  stdio?: boolean;
  diagnosticDelay?: string;
}

export function register(program: Command): void {
  program
    .command('lsp')
    .description('run the language server (LSP) over standard input and output')
    .option('--stdio', 'talk LSP over stdin/stdout (the only transport, and the default)')
    .option('--diagnostic-delay <ms>', 'milliseconds to wait after an edit before recomputing diagnostics')
    .action(async (options: LspOptions) => {
      // Loaded on demand: the other commands need none of the server's dependencies.
      const { runStdio } = await import('../../server/main.js');
      const delay = options.diagnosticDelay === undefined ? undefined : Number(options.diagnosticDelay);
      runStdio(delay !== undefined && Number.isFinite(delay) && delay >= 0 ? { diagnosticDelay: delay } : {});
      // The open stdin keeps the process alive until the client sends `exit` or closes the stream.
    });
}
