import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { acquireEngine, MemoryMeter, timeGpu } from '../../src/engine';
import { useDawnEngine } from './engine-fixture';

const engine = useDawnEngine();

describe('acquiring the engine', () => {
  it('reports a missing WebGPU as gpu-unavailable with the reason, not a crash', async () => {
    await expect(acquireEngine(undefined)).rejects.toMatchObject({ code: 'gpu-unavailable', params: { reason: 'no navigator.gpu' } });
    // A browser whose WebGPU finds no adapter (blocklisted driver, headless without a GPU).
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    const error = await acquireEngine(noAdapter).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('gpu-unavailable');
  });

  it("describes Dawn's SwiftShader adapter as a software fallback with raised limits and timestamps", () => {
    const { info, device } = engine();
    console.log(`device: ${JSON.stringify(info)}`);
    expect(info.isFallback).toBe(true);
    expect(info.name).toMatch(/swiftshader/i);
    expect(info.timestampQuery).toBe(device.features.has('timestamp-query'));
    // Raised past WebGPU's defaults (128 MiB, 16 KiB) to what the adapter offers.
    expect(info.limits.maxStorageBufferBindingSize).toBeGreaterThan(128 * 2 ** 20);
    expect(device.limits.maxStorageBufferBindingSize).toBe(info.limits.maxStorageBufferBindingSize);
    expect(device.limits.maxComputeWorkgroupStorageSize).toBeGreaterThan(16 * 1024);
  });

  it('MemoryMeter counts live and peak bytes as buffers come and go', () => {
    const meter = new MemoryMeter(engine().device);
    const first = meter.createBuffer('test.first', 1000);
    const second = meter.createBuffer('test.second', 6);
    expect(meter.allocatedBytes).toBe(1000 + 8);
    meter.destroy(first);
    expect(meter.allocatedBytes).toBe(8);
    expect(meter.peakBytes).toBe(1008);
    meter.resetPeak();
    expect(meter.peakBytes).toBe(8);
    meter.destroy(second);
    expect(meter.allocatedBytes).toBe(0);
  });

  it('timeGpu returns the median of its samples', async () => {
    const timing = await timeGpu(engine(), (encoder) => encoder.beginComputePass().end(), { warmup: 1, repeats: 5 });
    expect(timing.samplesMs).toHaveLength(5);
    const sorted = [...timing.samplesMs].sort((a, b) => a - b);
    expect(timing.medianMs).toBe(sorted[2]);
    expect(['timestamp', 'wall']).toContain(timing.method);
  });
});
