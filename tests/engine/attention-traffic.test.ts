import { describe, expect, it } from 'vitest';
import type { DeviceInfo } from '../../src/engine';
import { flashTiling } from '../../src/engine/attention/flash-tiling';
import { flashBackwardTraffic, flashForwardTraffic, standardBackwardTraffic, standardForwardTraffic } from '../../src/engine/attention/traffic';

// The tiling the engine picks from an adapter's limits, and what the traffic model says of it.

/** A typical discrete GPU as WebGPU reports it: 32 KiB workgroup storage, 256 invocations, subgroups. */
const discreteGpu: DeviceInfo = {
  name: 'discrete GPU',
  vendor: 'nvidia',
  architecture: 'hopper',
  isFallback: false,
  backend: 'webgpu',
  timestampQuery: true,
  subgroups: true,
  limits: { maxStorageBufferBindingSize: 2 ** 31, maxBufferSize: 2 ** 31, maxComputeWorkgroupStorageSize: 32768, maxComputeInvocationsPerWorkgroup: 256 },
};

describe('flash tiling and modelled traffic', () => {
  it("on a discrete GPU 'auto' picks the gpu variant with 128 query rows and 64-key tiles at d = 64, subgroups on", () => {
    const tiling = flashTiling(discreteGpu, 64, 'auto', 'f32');
    expect(tiling).toMatchObject({ variant: 'gpu', precision: 'f32', rowsPerWorkgroup: 128, keysPerTile: 64, subgroups: true, unrolled: false });
    expect(tiling.workgroupBytes).toBe(2 * 64 * 64 * 4);
  });

  it('with that tiling flash moves fewer modelled bytes than standard for N ≥ 1024, d = 64, f32 and f16, causal or not', () => {
    for (const precision of ['f32', 'f16'] as const) {
      const tiling = flashTiling(discreteGpu, 64, 'auto', precision);
      const bytes = precision === 'f16' ? 2 : 4;
      for (const n of [1024, 2048, 4096, 8192, 16384]) {
        for (const causal of [false, true]) {
          const shape = { batchHeads: 1, n, d: 64, causal };
          const forward = flashForwardTraffic(shape, tiling.rowsPerWorkgroup, bytes);
          expect(forward, `forward N=${n} ${precision} causal=${causal}`).toBeLessThan(standardForwardTraffic(shape));
          const backward = flashBackwardTraffic(shape, flashTiling(discreteGpu, 64, 'auto', precision, 'backward').rowsPerWorkgroup, bytes);
          expect(backward, `backward N=${n} ${precision} causal=${causal}`).toBeLessThan(standardBackwardTraffic(shape));
        }
      }
      // Not causal: K and V are read N/128 times, 2·64·N²/128 = N² elements against standard's 4N² floats.
      const shape = { batchHeads: 1, n: 4096, d: 64, causal: false };
      expect(flashForwardTraffic(shape, tiling.rowsPerWorkgroup, bytes) / standardForwardTraffic(shape)).toBeLessThan(precision === 'f32' ? 0.27 : 0.14);
    }
  });

  it('the model is not rigged: the 16-row tiling the engine used to pick would move more bytes than standard', () => {
    const shape = { batchHeads: 1, n: 4096, d: 64, causal: false };
    expect(flashForwardTraffic(shape, 16) / standardForwardTraffic(shape)).toBeGreaterThan(1.9);
  });

  it('tiles are sized from the adapter: larger workgroup storage, larger K/V tiles, always within the limit', () => {
    const small = { ...discreteGpu, limits: { ...discreteGpu.limits, maxComputeWorkgroupStorageSize: 16384, maxComputeInvocationsPerWorkgroup: 128 } };
    expect(flashTiling(small, 64, 'gpu', 'f32')).toMatchObject({ rowsPerWorkgroup: 128, keysPerTile: 32 });
    expect(flashTiling({ ...small, limits: { ...small.limits, maxComputeInvocationsPerWorkgroup: 64 } }, 64, 'gpu', 'f32').rowsPerWorkgroup).toBe(64);
    for (const info of [discreteGpu, small]) {
      for (const variant of ['gpu', 'fallback'] as const) {
        for (const pass of ['forward', 'backward'] as const) {
          for (let d = 1; d <= 128; d++) {
            const tiling = flashTiling(info, d, variant, 'f32', pass);
            expect(tiling.workgroupBytes).toBeLessThanOrEqual(info.limits.maxComputeWorkgroupStorageSize);
            expect(tiling.rowsPerWorkgroup).toBeLessThanOrEqual(info.limits.maxComputeInvocationsPerWorkgroup);
            expect(tiling.keysPerTile % tiling.keysPerBlock).toBe(0);
          }
        }
      }
    }
  });

  it('the software adapter gets the fallback variant, unrolled, without subgroups', () => {
    const swiftShader = { ...discreteGpu, name: 'SwiftShader', isFallback: true };
    expect(flashTiling(swiftShader, 64, 'auto', 'f32')).toMatchObject({ variant: 'fallback', unrolled: true, subgroups: false });
    expect(() => flashTiling(swiftShader, 64, 'tiled' as 'gpu', 'f32')).toThrow(/unknown flash variant 'tiled'/);
    expect(() => flashTiling(swiftShader, 7, 'gpu', 'f16')).toThrow(/head size must be even/);
  });
});
