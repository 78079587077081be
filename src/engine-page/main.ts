/**
 * The hidden engine renderer: acquires the WebGPU engine from navigator.gpu and runs experiments
 * from the registry, one at a time. In Electron it talks to the main process through the minimal
 * bridge of electron/engine-preload.ts (`window.engineBridge`); opened in a plain browser (tests)
 * it exposes `window.proofdeckEngine.run(request)` instead. It has no Node, no app API, no DOM work.
 */
import { AppError, type ApiFailure } from '../shared/errors';
import { acquireEngine } from '../engine/gpu';
import type { EngineContext } from '../engine/device-info';
import type { RunRequest } from '../experiments/runner';
import { runBrokenKernel } from '../experiments/faults';
import type { ExperimentResult } from '../experiments/types';
import type { FromEngine, ToEngine } from '../experiments/engine-protocol';
import { createEngineLoop } from '../engine-loop/engine-loop';

interface EngineBridge {
  onRequest(listener: (message: ToEngine) => void): void;
  send(message: FromEngine): void;
}

declare global {
  interface Window {
    engineBridge?: EngineBridge;
    proofdeckEngine?: {
      run(request: RunRequest): Promise<{ ok: true; result: ExperimentResult } | { ok: false; error: ApiFailure }>;
      progress: { fraction: number; message: string }[];
    };
  }
}

// Faults are for the failure tests only: honoured when the page was opened with ?faults=1.
const allowFaults = new URLSearchParams(location.search).get('faults') === '1';
let engine: Promise<EngineContext> | null = null;

function acquire(): Promise<EngineContext> {
  if (!engine) {
    engine = acquireEngine(navigator.gpu);
    engine.catch(() => (engine = null));
  }
  return engine;
}

/** The loop answering through `send`: one per bridge (Electron) or per test run (a plain browser). */
const loopFor = (send: (message: FromEngine) => void) =>
  createEngineLoop(
    {
      acquire,
      // A lost device is acquired afresh by the next run.
      onLost: () => (engine = null),
      faults: allowFaults
        ? {
            hang: () => {
              for (;;) performance.now();
            },
            adapter: () => {
              throw new AppError('gpu-unavailable', 'No WebGPU adapter: refused by the fault injection', { reason: 'adapter refused' });
            },
            kernel: (context) => runBrokenKernel(context!),
          }
        : undefined,
    },
    send,
  );

const status = document.getElementById('status');
if (window.engineBridge) {
  const bridge = window.engineBridge;
  const loop = loopFor((m) => bridge.send(m));
  bridge.onRequest((message) => loop.receive(message));
  bridge.send({ type: 'ready' });
} else {
  // Outside Electron (the built page in a plain browser): a promise API for tests and debugging.
  let nextJob = 1;
  const progress: { fraction: number; message: string }[] = [];
  window.proofdeckEngine = {
    progress,
    run: (request) =>
      new Promise((resolve) => {
        loopFor((m) => {
          if (m.type === 'progress') progress.push({ fraction: m.fraction, message: m.message });
          else if (m.type === 'result') resolve({ ok: true, result: m.result });
          else if (m.type === 'error') resolve({ ok: false, error: m.error });
        }).receive({ type: 'run', jobId: nextJob++, request });
      }),
  };
}
if (status) status.textContent = 'engine page ready';
