// Bundled by esbuild into the page of experiment-chromium.spec.ts: runs an experiment on the
// browser's own WebGPU exactly as the app's hidden engine page does (runExperiment), so the memory
// tracker and the device's refusals are checked on Chromium's GPUDevice, not only on Dawn for Node.
import { acquireEngine } from '../../../src/engine';
import { runExperiment } from '../../../src/experiments/runner';
import type { ExperimentResult } from '../../../src/experiments/types';

async function runInChromium(experimentId: string, params: Record<string, unknown>): Promise<ExperimentResult> {
  const engine = await acquireEngine((globalThis as unknown as { navigator: { gpu?: GPU } }).navigator.gpu);
  try {
    return await runExperiment(engine, { experimentId, params, backend: 'webgpu' }, () => {}, new AbortController().signal);
  } finally {
    engine.device.destroy();
  }
}

(globalThis as unknown as { runInChromium: typeof runInChromium }).runInChromium = runInChromium;
