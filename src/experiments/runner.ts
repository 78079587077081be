import { AppError } from '../shared/errors';
import type { EngineContext } from '../engine/device-info';
import { keepRoofline, type StoredRoofline } from '../engine/roofline/roofline';
import { registry } from './registry';
import type { ExperimentResult, ProgressFn } from './types';

export interface RunRequest {
  experimentId: string;
  params: Record<string, unknown>;
  backend: 'webgpu' | 'cpu-reference';
  /** The roofline an earlier run measured (kept in its result); reused when the adapter is the same. */
  roofline?: StoredRoofline | null;
}

/**
 * Runs one experiment wherever an engine lives (the hidden renderer, the Dawn engine process, the CLI):
 * validates the params against the experiment's bounds, then runs on the GPU or, when asked
 * (or when `engine` is null), on the float64 CPU reference if the experiment offers one.
 */
export async function runExperiment(
  engine: EngineContext | null,
  request: RunRequest,
  progress: ProgressFn,
  signal: AbortSignal,
): Promise<ExperimentResult> {
  const experiment = registry.get(request.experimentId);
  if (!experiment) throw new AppError('not-found', `unknown experiment '${request.experimentId}'`, { id: request.experimentId });
  const parsed = experiment.params.safeParse(request.params ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError('invalid-args', `${request.experimentId}: ${detail}`, { detail });
  }
  if (request.backend === 'cpu-reference') {
    if (!experiment.runReference) {
      throw new AppError('gpu-unavailable', `${request.experimentId} has no CPU reference run; it needs a GPU`, { reason: 'no cpu reference' });
    }
    return experiment.runReference(parsed.data, progress, signal);
  }
  if (!engine) throw new AppError('gpu-unavailable', 'No WebGPU adapter is available', { reason: 'no adapter' });
  keepRoofline(engine, request.roofline);
  return experiment.run(engine, parsed.data, progress, signal);
}
