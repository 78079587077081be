import type { EngineContext } from '../../src/engine/device-info';
import { acquireEngine, type AcquireOptions } from '../../src/engine/gpu';
import { useSoftwareVulkanUnlessConfigured } from './vulkan-env';


export interface DawnEngine extends EngineContext {
  /** The Dawn instance (acquireEngine also keeps it alive for as long as the device lives). */
  gpu: GPU;
  /** Destroys the device; Node does not exit while a Dawn device is alive. */
  close(): void;
}

/**
 * The engine on Dawn (npm `webgpu`) for tests, the CLI and benchmarks: the only place that imports
 * 'webgpu'. Points the Vulkan loader at SwiftShader unless VK_ICD_FILENAMES / VK_DRIVER_FILES is
 * already set (a real GPU's driver), before Dawn loads.
 */
export async function createDawnEngine(options: AcquireOptions = {}): Promise<DawnEngine> {
  useSoftwareVulkanUnlessConfigured();
  const { create, globals } = await import('webgpu');
  // The engine uses GPUBufferUsage, GPUMapMode … as globals, as in a browser.
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const engine = await acquireEngine(gpu, options);
  return { ...engine, gpu, close: () => engine.device.destroy() };
}
