import { acquireEngine } from '../../src/engine/gpu';
import type { EngineContext } from '../../src/engine/device-info';

// Real failures for the forced-failure tests, made on the real device (never simulated answers).

/**
 * A real adapter refusal: Dawn is asked for an adapter whose name matches none, so requestAdapter
 * fails exactly as on a machine without a usable GPU, and the engine's own acquireEngine turns
 * that into 'gpu-unavailable' with Dawn's reason.
 */
export async function refusedAdapter(): Promise<never> {
  const { create } = await import('webgpu');
  const gpu = create(['adapter=no-such-adapter-proofdeck']);
  await acquireEngine(gpu);
  throw new Error('the fault injection expected the adapter to be refused');
}

/** A real device loss: the device is destroyed (idle) and the run goes on against it. */
export async function loseDevice(engine: EngineContext): Promise<void> {
  engine.device.destroy();
  await engine.device.lost;
}

/**
 * A real stuck queue: a kernel that loops until a cell that nothing writes turns 1 is submitted,
 * and the run waits for it as any run waits for its work. The process's thread stays free (it
 * answers heartbeats); only the watchdog's progress bound, a cancel or a timeout ends it, by
 * ending the process.
 */
export async function stallQueue(engine: EngineContext): Promise<never> {
  const { device } = engine;
  const cells = device.createBuffer({ label: 'Fault.stall', size: 16, usage: GPUBufferUsage.STORAGE });
  const module = device.createShaderModule({
    label: 'Fault.stall',
    code: `@group(0) @binding(0) var<storage, read_write> cells: array<u32, 4>;
@compute @workgroup_size(1) fn main() {
  loop {
    if (cells[0] == 1u) { break; }
    cells[1] = cells[1] + 1u;
  }
}`,
  });
  const pipeline = device.createComputePipeline({ label: 'Fault.stall', layout: 'auto', compute: { module, entryPoint: 'main' } });
  const group = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: cells } }] });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(1);
  pass.end();
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
  throw new Error('the fault injection expected the queue to stall');
}
