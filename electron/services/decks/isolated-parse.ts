import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../src/shared/errors';
import { formatBytes, importLimits, invalid, tooLarge } from './limits';
import { checkParsedImport } from './validate';
import type { ParseReply, ParseRequest, ParseResult } from './parse-job';

/**
 * Untrusted deck files are read in a worker thread with a heap limit and a clock, never in the
 * thread that owns the database: a file that makes a parser allocate without end or spin is
 * refused naming the limit, the worker is ended, and the services keep answering meanwhile (a
 * review during a hostile preview is served). Buffers (zip entries, zstd output, media) are
 * outside V8's heap limit; the byte budgets in limits.ts hold them. What comes back is checked
 * again here (validate.ts) before it may reach the database writer.
 */

export interface ParserBudget {
  /** Wall time for one file. */
  seconds: number;
  /** V8 old-generation heap of the worker. */
  heapMiB: number;
}

export const defaultParserBudget: ParserBudget = { seconds: importLimits.parseSeconds, heapMiB: importLimits.parseHeapMiB };

/**
 * The worker's entry. From the sources (tsx, vitest) a tiny ESM bootstrap registers tsx's loader
 * first; the bundles (scripts/ensure-build.mjs for the browser host, electron.vite.config.ts for
 * Electron's main process) rewrite this URL to their own built parse-worker.
 */
function workerEntry(): URL {
  const entry = new URL('./parse-worker.ts', import.meta.url);
  if (!entry.pathname.endsWith('.ts')) return entry;
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const code = `import { register } from ${JSON.stringify(tsxApi)};\nregister();\nawait import(${JSON.stringify(entry.href)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** How long a worker that finished a file waits for the next (a preview is usually followed by its import). */
const idleMs = 20_000;
/** Loading the parser's modules is not the file's doing: it has its own, generous, bound. */
const startMs = 60_000;

/** Messages from parse-worker.ts. */
export type FromParser = { type: 'ready' } | { type: 'reply'; reply: ParseReply };

interface Started {
  worker: Worker;
  /** Resolves when the worker has loaded the parsers; rejects if it dies first. */
  ready: Promise<void>;
}

/**
 * One worker, reused while it stays healthy: starting one costs from a few hundred milliseconds
 * (bundled) to seconds (from the sources), and a preview is followed by its import. The clock
 * starts when the worker has loaded and the file is handed over. A worker that hit a limit is
 * ended, never reused; files are read one at a time, so two hostile previews do not get two
 * heaps' worth of memory.
 */
class ParserWorker {
  private current: Started | null = null;
  private idle: ReturnType<typeof setTimeout> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  run(request: ParseRequest, budget: ParserBudget): Promise<ParseResult> {
    const job = this.queue.then(() => this.runOne(request, budget));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private acquire(budget: ParserBudget): Started {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    if (this.current && this.current.worker.resourceLimits?.maxOldGenerationSizeMb === budget.heapMiB) {
      this.current.worker.ref();
      return this.current;
    }
    this.end();
    const worker = new Worker(workerEntry(), {
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: budget.heapMiB, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
    });
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(invalid('parse-failed', 'the file reader did not start', { detail: 'did not start' })), startMs);
      const onMessage = (message: FromParser) => {
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        resolve();
      };
      worker.on('message', onMessage);
      worker.once('exit', (code) => {
        clearTimeout(timer);
        reject(invalid('parse-failed', `the file reader exited while starting (code ${code})`, { detail: `exit code ${code}` }));
      });
    });
    ready.catch(() => undefined);
    const started = { worker, ready };
    // The workers' own failures are handled per job; an idle one that dies is simply replaced.
    worker.on('exit', () => {
      if (this.current === started) this.current = null;
    });
    worker.on('error', () => undefined);
    this.current = started;
    return started;
  }

  private release(started: Started): void {
    if (this.current !== started) return;
    // An idle worker does not keep a CLI process alive, and goes after a while.
    started.worker.unref();
    this.idle = setTimeout(() => this.end(), idleMs);
    this.idle.unref();
  }

  /** Ends the worker (a native call in progress ends when it returns). */
  end(): void {
    const started = this.current;
    this.current = null;
    if (started) void started.worker.terminate().catch(() => undefined);
  }

  private async runOne(request: ParseRequest, budget: ParserBudget): Promise<ParseResult> {
    const started = this.acquire(budget);
    try {
      await started.ready;
    } catch (error) {
      if (this.current === started) this.end();
      throw error;
    }
    const { worker } = started;
    return new Promise<ParseResult>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: { result: ParseResult } | { error: AppError }, healthy: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (healthy) this.release(started);
        else if (this.current === started) this.end();
        if ('result' in outcome) resolve(outcome.result);
        else reject(outcome.error);
      };
      const onMessage = (message: FromParser): void => {
        if (message.type !== 'reply') return;
        const { reply } = message;
        finish(reply.ok ? { result: reply.result } : { error: AppError.fromFailure(reply.error) }, true);
      };
      const onError = (error: Error & { code?: string }): void => {
        if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          finish({ error: tooLarge(`reading the file needed more than ${budget.heapMiB} MiB of heap`, { limit: formatBytes(budget.heapMiB * 1024 * 1024) }, 'parse-memory') }, false);
          return;
        }
        const detail = error.message.slice(0, 200);
        finish({ error: invalid('parse-failed', `the file reader stopped: ${detail}`, { detail }) }, false);
      };
      const onExit = (code: number): void => finish({ error: invalid('parse-failed', `the file reader exited (code ${code})`, { detail: `exit code ${code}` }) }, false);
      const timer = setTimeout(() => {
        finish({ error: tooLarge(`reading the file took longer than ${budget.seconds} s`, { seconds: budget.seconds }, 'parse-timeout') }, false);
      }, budget.seconds * 1000);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(request);
    });
  }
}

const parser = new ParserWorker();

/** Parses in the parser worker within `budget`; resolves with validated imports or rejects with an AppError. */
export async function parseIsolated(request: ParseRequest, budget: ParserBudget = defaultParserBudget): Promise<ParseResult> {
  const result = await parser.run(request, budget);
  // The writer's own gate: the worker's answer is data from a thread that read untrusted input.
  for (const entry of result.imports) entry.size = checkParsedImport(entry.parsed);
  return result;
}

/** Ends the parser worker now (hosts call it when they close; tests between cases). */
export function stopParser(): void {
  parser.end();
}
