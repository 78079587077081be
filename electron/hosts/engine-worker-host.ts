import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FromEngine } from '../../src/experiments/engine-protocol';
import { createChannelEngineHost, type ChannelEngineHost } from '../services/experiments/channel-host';
import { useSoftwareVulkanUnlessConfigured } from './vulkan-env';


export interface WorkerEngineHostOptions {
  /** Lets `injectFault` work (tests only). */
  allowFaults?: boolean;
}

/**
 * The worker runs TypeScript sources (the project runs through tsx, not a bundle): a tiny ESM
 * bootstrap registers tsx's loader inside the worker and then imports the worker entry.
 */
function workerBootstrap(): URL {
  const entry = new URL('./engine-worker.ts', import.meta.url).href;
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const code = `import { register } from ${JSON.stringify(tsxApi)};\nregister();\nawait import(${JSON.stringify(entry)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/**
 * An EngineHost running experiments on Dawn in a node:worker_threads worker (the browser host and
 * the CLI), created on first use. If the worker crashes or hangs, the run fails with that reason
 * and the next run starts a fresh worker; the thread serving the UI is never blocked.
 */
export function createWorkerEngineHost(options: WorkerEngineHostOptions = {}): ChannelEngineHost {
  return createChannelEngineHost((events) => {
    // Where this runs on the main thread (the CLI); the browser host sets it before its services
    // thread starts, since a worker cannot change the environment the Vulkan loader reads.
    useSoftwareVulkanUnlessConfigured();
    const worker = new Worker(workerBootstrap(), {
      execArgv: [],
      workerData: { allowFaults: options.allowFaults === true },
    });
    let ended = false;
    // An idle engine must not keep the process alive; a running one must (the CLI awaits it).
    worker.unref();
    worker.on('message', (message: FromEngine) => {
      if (message.type === 'result' || message.type === 'error') worker.unref();
      events.message(message);
    });
    worker.on('error', (error) => {
      ended = true;
      events.died(`The engine worker failed: ${error.message}`);
    });
    worker.on('exit', (code) => {
      if (!ended) events.died(`The engine worker stopped unexpectedly (exit code ${code})`);
      ended = true;
    });
    return {
      post: (message) => {
        if (message.type === 'run') worker.ref();
        worker.postMessage(message);
      },
      dispose: () => {
        ended = true;
        void worker.terminate();
      },
    };
  });
}
