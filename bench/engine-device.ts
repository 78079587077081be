import { describeDevice, watchDevice } from '../src/engine/gpu';
import type { DawnEngine } from '../electron/hosts/dawn';

/** Kept reachable while a device lives: Dawn aborts the process when its GPU object is collected. */
const liveGpus = new Set<GPU>();

/**
 * A Dawn engine whose device keeps WebGPU's default limits (128 MiB per storage binding, 256 MiB
 * per buffer) instead of the adapter's, so that the benchmark shows standard attention refused
 * at a moderate N. Only the features the kernels use are requested (timestamp-query, subgroups).
 */
export async function createDefaultLimitsDawnEngine(): Promise<DawnEngine> {
  if (!process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES) process.env.VK_ICD_FILENAMES = '/usr/lib/chromium/vk_swiftshader_icd.json';
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]);
  liveGpus.add(gpu);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('bench:engine: no WebGPU adapter');
  const timestampQuery = adapter.features.has('timestamp-query');
  const requiredFeatures = (['timestamp-query', 'subgroups'] as GPUFeatureName[]).filter((feature) => adapter.features.has(feature));
  const device = await adapter.requestDevice({ label: 'ProofDeck.bench', requiredFeatures });
  watchDevice(device);
  return {
    gpu,
    device,
    info: describeDevice(adapter, device, timestampQuery),
    close: () => {
      device.destroy();
      liveGpus.delete(gpu);
    },
  };
}
