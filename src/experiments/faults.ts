import { AppError } from '../shared/errors';
import type { EngineContext } from '../engine/device-info';

/**
 * Submits a compute kernel that fails WGSL validation, the way a broken kernel would, and turns the
 * device's validation error into the failure a user sees. Used to prove that a kernel error shows
 * its reason and that the next run works.
 */
export async function runBrokenKernel(engine: EngineContext): Promise<never> {
  const { device } = engine;
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label: 'Fault.brokenKernel', code: '@compute @workgroup_size(64) fn main() { let x: f32 = undefined_symbol; }' });
  device.createComputePipeline({ label: 'Fault.brokenKernel', layout: 'auto', compute: { module, entryPoint: 'main' } });
  const error = await device.popErrorScope();
  const reason = error?.message.split('\n')[0] ?? 'kernel failed validation';
  throw new AppError('experiment-failed', `A kernel failed on the GPU: ${reason}`, { reason });
}
