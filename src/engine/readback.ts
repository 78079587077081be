import type { EngineContext } from './device-info';
import { assertDeviceHealthy } from './gpu';

/**
 * Copies `count` floats (default: the rest of the buffer) from `buffer` at `byteOffset` into a
 * host Float32Array. The source needs COPY_SRC usage.
 */
export async function readFloat32(engine: EngineContext, buffer: GPUBuffer, byteOffset = 0, count?: number): Promise<Float32Array> {
  const bytes = count === undefined ? buffer.size - byteOffset : count * 4;
  const { device } = engine;
  const staging = device.createBuffer({ label: 'readback.staging', size: Math.max(4, bytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const encoder = device.createCommandEncoder({ label: 'readback' });
    if (bytes > 0) encoder.copyBufferToBuffer(buffer, byteOffset, staging, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    assertDeviceHealthy(device);
    return new Float32Array(staging.getMappedRange(0, bytes).slice(0));
  } finally {
    staging.destroy();
  }
}

/** Submits one command buffer recorded by `record` and waits until the GPU has finished it. */
export async function submitAndWait(engine: EngineContext, record: (encoder: GPUCommandEncoder) => void, label = 'engine.run'): Promise<void> {
  const encoder = engine.device.createCommandEncoder({ label });
  record(encoder);
  engine.device.queue.submit([encoder.finish()]);
  await engine.device.queue.onSubmittedWorkDone();
  assertDeviceHealthy(engine.device);
}
