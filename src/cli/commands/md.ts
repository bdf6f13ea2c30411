// `flowlane md FILE.md… [--out-dir DIR] [--inline] [--check] [--theme …] [--direction …]`: renders
// the diagram fences of Markdown files (```fz, ```flowzap, ```asl holding a state machine).
// Input: Markdown files. Output: one SVG per fence beside the Markdown (or in --out-dir), named by
// the fence's id or content hash, and one image reference right after each fence (or the inline
// SVG with --inline). Files are only written when their content changes, so a second run touches
// nothing. A file with a broken fence is left untouched and its mistakes are printed as
// `file.md:line:col`; exit 1. `--check` writes nothing and exits 1 when an image or reference is
// missing or stale.
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { MarkdownDiagnostic } from '../../markdown/index.js';
import type { LayoutDirection, ThemeName } from '../../api/index.js';
import { ensureDir, readText, writeFileAtomic } from '../io.js';
import { relaunchFor } from '../relaunch.js';

interface MdCliOptions {
  outDir?: string;
  inline?: boolean;
  check?: boolean;
  theme: ThemeName;
  direction: LayoutDirection;
}

function formatMarkdownDiagnostic(file: string, d: MarkdownDiagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}

/** The URL prefix from a Markdown file's folder to the image folder, with `/` separators. */
function imagePrefix(mdFile: string, imageDir: string): string {
  const rel = relative(dirname(resolve(mdFile)), resolve(imageDir));
  return rel === '' ? '' : `${rel.split(sep).join('/')}/`;
}

function sameContent(path: string, content: string): boolean {
  try {
    return readFileSync(path, 'utf8') === content;
  } catch {
    return false;
  }
}

/** How many diagram fences the files hold: whether the run is worth a child Node with a smaller V8 pool (../relaunch.ts). */
async function diagramFenceCount(files: string[]): Promise<number> {
  // Imported here, not at the top: `flowlane --help` loads this module too.
  const { findDiagramFences } = await import('../../markdown/find.js');
  let count = 0;
  for (const file of files) {
    // Standard input can be read once only; an unreadable file is reported when it is processed.
    const read = file === '-' ? undefined : readText(file);
    if (read?.ok) count += findDiagramFences(read.text).length;
  }
  return count;
}

/** Processes one Markdown file; returns whether it failed (an error, or drift under --check). */
async function processFile(file: string, options: MdCliOptions, written: Map<string, { svg: string; by: string }>): Promise<boolean> {
  const read = readText(file);
  if (!read.ok) {
    console.error(`flowlane: ${read.message}`);
    return true;
  }
  const imageDir = options.outDir ?? dirname(file);
  // Loaded on first use (the renderer is most of a start-up): whether a child Node does the
  // rendering is decided before (../relaunch.ts).
  const { processMarkdown } = await import('../../markdown/index.js');
  const out = await processMarkdown(read.text, {
    inline: options.inline === true,
    imagePrefix: imagePrefix(file, imageDir),
    theme: options.theme,
    direction: options.direction,
  });
  for (const d of out.diagnostics) console.error(formatMarkdownDiagnostic(read.name, d));
  if (!out.ok) {
    console.error(`flowlane: ${read.name} left unchanged: fix the errors above first`);
    return true;
  }
  // Two Markdown files of one run must not write different pictures to one image file.
  for (const a of out.assets) {
    const key = resolve(imageDir, a.name);
    const other = written.get(key);
    if (other && other.svg !== a.svg) {
      console.error(`flowlane: ${read.name}: ${join(imageDir, a.name)} is also the image of a different diagram in ${other.by}; give one of the fences another id`);
      console.error(`flowlane: ${read.name} left unchanged: fix the errors above first`);
      return true;
    }
  }
  for (const a of out.assets) written.set(resolve(imageDir, a.name), { svg: a.svg, by: read.name });
  if (options.check) {
    let stale = false;
    for (const f of out.fences) {
      if (!f.upToDate) {
        console.log(`${read.name}:${f.line + 1}: the ${options.inline ? 'inline SVG' : 'image reference'} after this fence is missing or stale (run flowlane md ${read.name})`);
        stale = true;
      }
    }
    for (const a of out.assets) {
      const path = join(imageDir, a.name);
      if (!existsSync(path)) {
        console.log(`${path}: missing (run flowlane md ${read.name})`);
        stale = true;
      } else if (!sameContent(path, a.svg)) {
        console.log(`${path}: stale (run flowlane md ${read.name})`);
        stale = true;
      }
    }
    return stale;
  }
  if (out.assets.length > 0) ensureDir(imageDir);
  for (const a of out.assets) {
    const path = join(imageDir, a.name);
    // Unchanged images keep their modification time, so builds downstream see nothing new.
    if (sameContent(path, a.svg)) continue;
    writeFileAtomic(path, a.svg);
    console.error(`wrote ${path}`);
  }
  if (out.text !== read.text) {
    writeFileAtomic(file, out.text);
    console.error(`updated ${read.name}`);
  }
  // The page no longer points to the image its changed diagram had before: remove that file, unless
  // another page of this run writes it.
  for (const name of out.superseded) {
    const path = join(imageDir, name);
    if (written.has(resolve(imageDir, name))) continue;
    try {
      unlinkSync(path);
      console.error(`removed ${path}`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') console.error(`flowlane: ${path}: could not remove the old image (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  return false;
}

export function register(program: Command): void {
  program
    .command('md')
    .description('render the ```fz / ```flowzap / ```asl fences of Markdown files as SVG images referenced after each fence')
    .argument('<files...>', 'Markdown files')
    .option('--out-dir <dir>', 'directory for the SVG files (default: beside each Markdown file)')
    .option('--inline', 'embed each SVG in the Markdown instead of writing a file')
    .option('--check', 'write nothing; exit 1 when an image or its reference is missing or stale')
    .addOption(new Option('--theme <theme>', 'colour theme; auto follows prefers-color-scheme').choices(['light', 'dark', 'auto']).default('light'))
    .addOption(new Option('--direction <dir>', 'flow direction: right (lanes as rows) or down (lanes as columns)').choices(['right', 'down']).default('right'))
    .action(async (files: string[], options: MdCliOptions) => {
      const relaunched = await relaunchFor(await diagramFenceCount(files));
      if (relaunched !== undefined) {
        process.exitCode = relaunched;
        return;
      }
      let failed = false;
      const written = new Map<string, { svg: string; by: string }>();
      for (const file of files) if (await processFile(file, options, written)) failed = true;
      process.exitCode = failed ? 1 : 0;
    });
}
