import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EventName, EventPayload } from '../../src/shared/contract';
import type { Envelope } from '../../src/shared/errors';
import type { FromServices, ServicesWorkerData, ToServices } from './services-protocol';

/** The services as the browser host's HTTP thread sees them: calls and events cross a thread. */
export interface ServicesThread {
  /** Resolves once the services are open; rejects (with the reason) if they cannot open. */
  ready: Promise<void>;
  /** One contract call; the envelope is exactly what `Services.dispatch` returns. */
  dispatch(method: string, args: unknown): Promise<Envelope<unknown>>;
  /** Closes the database and ends the thread; calls still running get their answers first. */
  close(): Promise<void>;
}

/**
 * The worker's entry. From the sources (tests, tsx) a tiny ESM bootstrap registers tsx's loader
 * first; the bundle (scripts/ensure-build.mjs) rewrites this to its own services-worker.mjs.
 */
function workerEntry(): URL {
  const entry = new URL('./services-worker.ts', import.meta.url);
  if (!entry.pathname.endsWith('.ts')) return entry;
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const code = `import { register } from ${JSON.stringify(tsxApi)};\nregister();\nawait import(${JSON.stringify(entry.href)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/**
 * Starts the services in a worker thread. Importing and opening them (module graph, SQLite,
 * migrations, built-in decks) is most of the host's start; in a thread of its own it runs while
 * the HTTP thread serves the page and the browser parses it, instead of before or between them.
 */
export function startServicesThread(
  options: ServicesWorkerData,
  onEvent: <E extends EventName>(event: E, payload: EventPayload<E>) => void,
): ServicesThread {
  const worker = new Worker(workerEntry(), { workerData: options, execArgv: [] });
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
  let nextId = 0;
  let exitReason = 'the services stopped';
  let settleReady: { resolve: () => void; reject: (error: Error) => void } = { resolve: () => undefined, reject: () => undefined };
  const ready = new Promise<void>((resolve, reject) => (settleReady = { resolve, reject }));
  ready.catch(() => undefined);
  let settleClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (settleClosed = resolve));

  const failAll = (message: string): void => {
    for (const answer of pending.values()) answer({ ok: false, error: { code: 'internal', message } });
    pending.clear();
  };
  worker.on('message', (message: FromServices) => {
    switch (message.type) {
      case 'ready':
        settleReady.resolve();
        break;
      case 'failed':
        exitReason = `the services could not start: ${message.message}`;
        settleReady.reject(new Error(message.message));
        break;
      case 'result':
        pending.get(message.id)?.(message.envelope);
        pending.delete(message.id);
        break;
      case 'event':
        onEvent(message.event, message.payload as EventPayload<typeof message.event>);
        break;
      case 'closed':
        settleClosed();
        break;
    }
  });
  worker.on('error', (error) => {
    exitReason = `the services failed: ${error.message}`;
    settleReady.reject(error);
  });
  worker.on('exit', (code) => {
    if (code !== 0) exitReason = `the services stopped unexpectedly (exit code ${code})`;
    settleReady.reject(new Error(exitReason));
    failAll(exitReason);
    settleClosed();
  });

  let closing: Promise<void> | null = null;
  return {
    ready,
    async dispatch(method, args) {
      await ready;
      if (closing) return { ok: false, error: { code: 'internal', message: 'the host is closing' } };
      const id = ++nextId;
      return new Promise<Envelope<unknown>>((resolve) => {
        pending.set(id, resolve);
        worker.postMessage({ type: 'call', id, method, args } satisfies ToServices);
      });
    },
    close() {
      closing ??= (async () => {
        try {
          await ready;
        } catch {
          // Never opened: nothing to close but the thread.
        }
        // Calls already running finish first (an answer being written is committed, not cut).
        const deadline = Date.now() + 5_000;
        while (pending.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
        worker.postMessage({ type: 'close' } satisfies ToServices);
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        await worker.terminate();
      })();
      return closing;
    },
  };
}
