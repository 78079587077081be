/**
 * Compiled pipelines, cached per device and key (shader + override values), so a kernel class
 * can be constructed per call without recompiling WGSL.
 */
const cache = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

/** The compute pipeline for `code` with `constants` fed to its `override`s; compiled once per device. */
export function computePipeline(device: GPUDevice, label: string, code: string, constants: Record<string, number>, entryPoint = 'main'): GPUComputePipeline {
  let perDevice = cache.get(device);
  if (!perDevice) {
    perDevice = new Map();
    cache.set(device, perDevice);
  }
  const key = `${label}\u0000${entryPoint}\u0000${JSON.stringify(constants)}\u0000${code}`;
  let pipeline = perDevice.get(key);
  if (!pipeline) {
    const module = device.createShaderModule({ label, code });
    pipeline = device.createComputePipeline({ label, layout: 'auto', compute: { module, entryPoint, constants } });
    perDevice.set(key, pipeline);
  }
  return pipeline;
}

/** A uniform buffer holding `words` (u32/f32 bit patterns, laid out as the WGSL struct says). */
export function uniformBuffer(device: GPUDevice, label: string, words: ArrayBuffer): GPUBuffer {
  const buffer = device.createBuffer({ label, size: Math.max(16, Math.ceil(words.byteLength / 16) * 16), usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, words);
  return buffer;
}
