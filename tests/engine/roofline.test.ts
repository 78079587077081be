import { describe, expect, it } from 'vitest';
import { deviceRoofline, placeOnRoofline } from '../../src/engine/roofline/roofline';
import { useDawnEngine } from './engine-fixture';

const engine = useDawnEngine();

describe("the device's roofline", () => {
  it('measures bandwidth, FMA throughput and the GEMM from timed kernels, once per device', async () => {
    const roofline = await deviceRoofline(engine());
    console.log(`roofline: ${roofline.bandwidthGBs.toFixed(2)} GB/s, FMA ${roofline.computeGflops.toFixed(2)} GFLOP/s, GEMM ${roofline.gemmGflops.toFixed(2)} GFLOP/s (${roofline.method})`);
    expect(roofline.device).toBe(engine().info.name);
    for (const samples of Object.values(roofline.samples)) {
      expect(samples.length).toBeGreaterThanOrEqual(5);
      expect(samples.every((ms) => ms > 0)).toBe(true);
    }
    // A CPU running a software GPU copies at least 0.1 GB/s and computes at least 0.05 GFLOP/s.
    expect(roofline.bandwidthGBs).toBeGreaterThan(0.1);
    expect(roofline.computeGflops).toBeGreaterThan(0.05);
    expect(roofline.gemmGflops).toBeGreaterThan(0.05);
    // Kept: the second call is the same measurement, not a new one.
    expect(await deviceRoofline(engine())).toBe(roofline);
  });

  it('places a pass under the memory roof below the ridge point and under the compute roof above it', () => {
    const roofs = { bandwidthGBs: 100, computeGflops: 1000 };
    // Intensity 1 FLOP/B: roof = 100 GFLOP/s (memory); 1e9 FLOP in 20 ms = 50 GFLOP/s = half the roof.
    expect(placeOnRoofline(roofs, { flops: 1e9, bytes: 1e9, ms: 20 })).toMatchObject({ intensity: 1, bound: 'memory', gflops: 50, gbs: 50, roofShare: 0.5 });
    // Intensity 100: roof = 1000 GFLOP/s (compute).
    expect(placeOnRoofline(roofs, { flops: 1e11, bytes: 1e9, ms: 200 })).toMatchObject({ bound: 'compute', gflops: 500, roofShare: 0.5 });
  });
});
