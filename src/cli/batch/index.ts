// `flowlane render` on several files: the batch. Input: the inputs with their output paths and the
// render options. Output: the rendered files, progress on stderr (a bar on a terminal, one line per
// file otherwise), a summary (rendered, skipped, failed, time) and the exit code (1 when any file
// failed). Each file stands alone: a bad file fails only itself.
// A file is skipped when its output is newer than it and the hash of its text and of the options is
// the one recorded when that output was written (`--force` renders everything). The hashes are
// kept in node_modules/.cache/flowlane/render-cache.json (or .flowlane-cache/ when there is no
// node_modules) under the current directory, keyed by the output's absolute path.
// With enough files to render on a small machine, the batch is handed to a child Node (../relaunch.ts).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ensureDir, readText, writeFileAtomic } from '../io.js';
import { defaultWorkers, runPool } from './pool.js';
import { relaunchFor } from '../relaunch.js';
import type { BatchRenderSettings, JobResult, RenderJob } from './protocol.js';

export type { BatchRenderSettings, JobResult, RenderJob } from './protocol.js';
export { runPool, defaultWorkers } from './pool.js';

/** One input of a batch, with where its output goes. */
export interface BatchInput {
  input: string;
  output: string;
  /** Prefix of the ids inside the SVG. */
  id: string;
}

/** The render command's options that a batch uses. */
export interface BatchCliOptions {
  format: 'svg' | 'png';
  theme: 'light' | 'dark' | 'auto';
  direction: 'right' | 'down';
  lanes: 'single' | 'service';
  scale: string;
  force?: boolean;
  jobs?: string;
}

export interface BatchSummary {
  rendered: number;
  skipped: number;
  failed: number;
  ms: number;
  workers: number;
}

/** Bumped when the output for the same text and options changes, so old cache entries stop matching. */
const CACHE_VERSION = '1';

type Cache = Record<string, string>;

function cachePath(): string {
  const base = existsSync('node_modules') ? join('node_modules', '.cache', 'flowlane') : '.flowlane-cache';
  return resolve(base, 'render-cache.json');
}

function loadCache(path: string): Cache {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Cache) : {};
  } catch {
    // No cache yet, or an unreadable one: everything is rendered and the cache written afresh.
    return {};
  }
}

function contentHash(text: string, settings: BatchRenderSettings, id: string): string {
  return createHash('sha256').update(JSON.stringify([CACHE_VERSION, settings, id])).update('\0').update(text).digest('hex');
}

function mtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Shows progress: a redrawn bar on a terminal, plain lines otherwise. */
class Progress {
  private done = 0;
  constructor(
    private readonly total: number,
    readonly tty: boolean,
  ) {}

  line(text: string): void {
    if (this.tty) process.stderr.write('\r\x1b[2K');
    process.stderr.write(`${text}\n`);
    this.draw();
  }

  step(): void {
    this.done++;
    this.draw();
  }

  draw(): void {
    if (!this.tty || this.total === 0) return;
    const width = 30;
    const filled = Math.round((this.done / this.total) * width);
    process.stderr.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${this.done}/${this.total}`);
  }

  end(): void {
    if (this.tty) process.stderr.write('\r\x1b[2K');
  }
}

/** Renders a batch; returns the exit code. */
export async function renderBatch(inputs: BatchInput[], options: BatchCliOptions): Promise<number> {
  const started = performance.now();
  const scale = Number(options.scale);
  const settings: BatchRenderSettings = {
    format: options.format,
    theme: options.theme,
    direction: options.direction,
    lanes: options.lanes,
    scale: Number.isFinite(scale) && scale > 0 ? scale : 2,
  };
  const requested = options.jobs === undefined ? defaultWorkers() : Number.parseInt(options.jobs, 10);
  const workers = Number.isFinite(requested) && requested > 0 ? requested : defaultWorkers();
  const progress = new Progress(inputs.length, process.stderr.isTTY === true);
  const cacheFile = cachePath();
  const cache = loadCache(cacheFile);
  const jobs: RenderJob[] = [];
  const hashes = new Map<number, string>();
  const owners = new Map<string, string>();
  const summary: BatchSummary = { rendered: 0, skipped: 0, failed: 0, ms: 0, workers: 0 };
  // What the sorting of inputs has to say is said only once it is known whether a child Node takes
  // the batch over (../relaunch.ts), so that nothing is printed twice.
  const reports: (() => void)[] = [];

  inputs.forEach((item, index) => {
    const fail = (message: string): void => {
      summary.failed++;
      reports.push(() => {
        progress.line(message);
        progress.step();
      });
    };
    const key = resolve(item.output);
    const other = owners.get(key);
    if (other !== undefined) return fail(`flowlane: ${item.input}: its output ${item.output} is also the output of ${other}; use separate --out-dir runs`);
    owners.set(key, item.input);
    const read = readText(item.input);
    if (!read.ok) return fail(`flowlane: ${read.message}`);
    const hash = contentHash(read.text, settings, item.id);
    const out = mtime(item.output);
    const src = mtime(item.input);
    if (!options.force && out !== undefined && src !== undefined && out >= src && cache[key] === hash) {
      summary.skipped++;
      reports.push(() => {
        if (!progress.tty) progress.line(`skipped ${item.input} (${item.output} is up to date)`);
        progress.step();
      });
      return;
    }
    hashes.set(index, hash);
    jobs.push({ index, input: item.input, output: item.output, id: item.id, text: read.text });
  });

  const relaunched = await relaunchFor(jobs.length);
  if (relaunched !== undefined) return relaunched;
  for (const report of reports) report();

  summary.workers = Math.min(workers, jobs.length);
  const byIndex = new Map(jobs.map((j) => [j.index, j]));
  await runPool(jobs, settings, {
    workers,
    onResult: (result: JobResult) => {
      let r = result;
      const job = byIndex.get(r.index)!;
      const key = resolve(job.output);
      for (const m of r.messages) progress.line(m);
      if (r.ok && r.data !== undefined) {
        try {
          ensureDir(dirname(job.output));
          writeFileAtomic(job.output, r.data);
        } catch (e) {
          r = { ...r, ok: false };
          progress.line(`flowlane: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      if (r.ok) {
        summary.rendered++;
        cache[key] = hashes.get(r.index)!;
        if (!progress.tty) progress.line(`rendered ${job.input} -> ${job.output} (${Math.round(r.ms)} ms)`);
      } else {
        summary.failed++;
        delete cache[key];
        progress.line(`failed ${job.input}`);
      }
      progress.step();
    },
  });
  progress.end();

  if (jobs.length > 0) {
    try {
      ensureDir(dirname(cacheFile));
      writeFileAtomic(cacheFile, `${JSON.stringify(cache)}\n`);
    } catch (e) {
      // Without a cache the next run renders everything again; that is slower, not wrong.
      console.error(`flowlane: could not write the render cache ${cacheFile} (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  summary.ms = performance.now() - started;
  const seconds = (summary.ms / 1000).toFixed(2);
  console.error(`rendered ${summary.rendered}, skipped ${summary.skipped}, failed ${summary.failed} in ${seconds} s (${inputs.length} files, ${summary.workers} worker${summary.workers === 1 ? '' : 's'})`);
  return summary.failed > 0 ? 1 : 0;
}
