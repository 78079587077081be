import { AppError } from '../../src/shared/errors';

/**
 * A real adapter refusal for the forced-failure test: Dawn is asked for an adapter whose name
 * matches nothing, so requestAdapter returns null, the same path as a machine with no GPU.
 */
export async function refusedAdapter(): Promise<never> {
  const { create } = await import('webgpu');
  const gpu = create(['adapter=no-such-adapter-proofdeck']);
  const adapter = await gpu.requestAdapter();
  const reason = adapter ? 'adapter refused by the fault injection' : 'requestAdapter returned null (no adapter matched)';
  throw new AppError('gpu-unavailable', `No WebGPU adapter: ${reason}`, { reason });
}
