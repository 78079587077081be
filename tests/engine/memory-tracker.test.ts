import { describe, expect, it } from 'vitest';
import { captureDeviceErrors, DeviceMemoryTracker } from '../../src/engine/memory';
import { readFloat32 } from '../../src/engine/readback';
import { useDawnEngine } from './engine-fixture';

const engine = useDawnEngine();
const storage = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

describe('device memory as the device saw it', () => {
  it('counts every createBuffer of a run and the peak of what was live at once', async () => {
    const { device } = engine();
    const { memory } = await DeviceMemoryTracker.measure(device, async () => {
      const a = device.createBuffer({ label: 'a', size: 1000, usage: storage() });
      const b = device.createBuffer({ label: 'b', size: 3000, usage: storage() });
      a.destroy();
      const c = device.createBuffer({ label: 'c', size: 500, usage: storage() });
      // A readback makes its own staging buffer: it is counted too.
      await readFloat32(engine(), c);
      b.destroy();
      c.destroy();
    });
    expect(memory.allocations.map((a) => a.label)).toEqual(['a', 'b', 'c', 'readback.staging']);
    expect(memory.peakBytes).toBe(1000 + 3000);
    expect(memory.liveBytes).toBe(0);
    expect(memory.refusals).toEqual([]);
  });

  it('a buffer the device refuses is reported with its own message and does not count', async () => {
    const { device } = engine();
    const tooLarge = device.limits.maxBufferSize + 4;
    const { memory } = await DeviceMemoryTracker.measure(device, async () => {
      device.createBuffer({ label: 'small', size: 64, usage: storage() });
      device.createBuffer({ label: 'huge', size: tooLarge, usage: storage() });
    });
    expect(memory.peakBytes).toBe(64);
    expect(memory.refusals).toHaveLength(1);
    expect(memory.refusals[0]).toMatchObject({ kind: 'validation', attempted: 'createBuffer huge' });
    expect(memory.refusals[0].message.length).toBeGreaterThan(10);
    // The device is unharmed and the tracker is gone.
    const after = device.createBuffer({ label: 'after', size: 16, usage: storage() });
    expect(Object.prototype.hasOwnProperty.call(device, 'createBuffer')).toBe(false);
    after.destroy();
  });

  it('captures a binding the device refuses, and nothing when it accepts', async () => {
    const { device } = engine();
    const module = device.createShaderModule({ code: '@group(0) @binding(0) var<storage, read_write> x: array<f32>; @compute @workgroup_size(1) fn main() { x[0] = 1.0; }' });
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const buffer = device.createBuffer({ size: 16, usage: storage() });
    const ok = await captureDeviceErrors(device, 'bind', () =>
      device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer } }] }),
    );
    expect(ok.refusal).toBeNull();
    const bad = await captureDeviceErrors(device, 'bind a uniform buffer as storage', () => {
      const uniform = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM });
      return device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: uniform } }] });
    });
    expect(bad.refusal).toMatchObject({ kind: 'validation', attempted: 'bind a uniform buffer as storage' });
    buffer.destroy();
  });

  it('nested trackers see the same buffers and the same refusals', async () => {
    const { device } = engine();
    const outer = DeviceMemoryTracker.install(device);
    try {
      device.createBuffer({ label: 'outer-only', size: 256, usage: storage() }).destroy();
      const { memory: inner } = await DeviceMemoryTracker.measure(device, async () => {
        device.createBuffer({ label: 'both', size: 512, usage: storage() }).destroy();
        device.createBuffer({ label: 'refused', size: device.limits.maxBufferSize + 4, usage: storage() });
      });
      const seen = await outer.report();
      expect(inner.allocations.map((a) => a.label)).toEqual(['both', 'refused']);
      expect(seen.allocations.map((a) => a.label)).toEqual(['outer-only', 'both', 'refused']);
      expect(inner.refusals).toHaveLength(1);
      expect(seen.refusals).toHaveLength(1);
      expect(seen.peakBytes).toBe(512);
    } finally {
      outer.stop();
    }
    expect(Object.prototype.hasOwnProperty.call(device, 'createBuffer')).toBe(false);
  });
});
