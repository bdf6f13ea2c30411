// The names of the CLI's commands, for src/cli/start.cts, which keeps a code cache per command and
// must know them before main.ts (and commander) load. A test checks them against `--help`.
export const COMMANDS = ['check', 'fmt', 'from-asl', 'lsp', 'md', 'playground', 'render', 'run', 'test', 'to-asl'] as const;
