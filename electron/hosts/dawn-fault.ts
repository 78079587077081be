import { acquireEngine } from '../../src/engine/gpu';

/**
 * A real adapter refusal for the forced-failure tests: Dawn is asked for an adapter whose name
 * matches none, so requestAdapter fails exactly as on a machine without a usable GPU, and the
 * engine's own acquireEngine turns that into 'gpu-unavailable' with Dawn's reason.
 */
export async function refusedAdapter(): Promise<never> {
  const { create } = await import('webgpu');
  const gpu = create(['adapter=no-such-adapter-proofdeck']);
  await acquireEngine(gpu);
  throw new Error('the fault injection expected the adapter to be refused');
}
