import { AppError } from '../../../src/shared/errors';
import { runExperiment } from '../../../src/experiments/runner';
import type { EngineHost } from './engine-host';

/**
 * The host of a process with no GPU engine wired in: the float64 CPU reference runs in-process
 * (small sizes only, labelled 'cpu-reference'); a GPU run fails with 'gpu-unavailable' and says why.
 */
export function createReferenceEngineHost(reason = 'this ProofDeck host has no GPU engine'): EngineHost {
  return {
    run(request, hooks) {
      if (request.backend !== 'cpu-reference') return Promise.reject(new AppError('gpu-unavailable', `No GPU: ${reason}`, { reason }));
      return runExperiment(null, request, hooks.onProgress, hooks.signal);
    },
    reset() {},
    async close() {},
  };
}
