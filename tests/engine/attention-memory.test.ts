import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { runAttentionForward, type AttentionShape } from '../../src/engine';
import { referenceAttentionForward } from '../../src/engine/reference/attention';
import { relativeL2Error } from '../../src/engine/reference/gemm';
import { SeededRandom, normalFloat32 } from '../../src/engine/reference/random';
import { createDawnEngine } from '../../electron/hosts/dawn';
import { freshSeed, useDawnEngine } from './engine-fixture';

const engine = useDawnEngine();
const seed = freshSeed();
console.log(`attention-memory.test seed ${seed}`);

function inputs(shape: AttentionShape): { q: Float32Array; k: Float32Array; v: Float32Array } {
  const random = new SeededRandom(seed + shape.n);
  const count = shape.batchHeads * shape.n * shape.d;
  return { q: normalFloat32(random, count), k: normalFloat32(random, count), v: normalFloat32(random, count) };
}

describe('attention memory and device limits', () => {
  it("refuses standard attention past the device's binding limit, naming it, and the device keeps working", async () => {
    const limit = Math.min(engine().info.limits.maxStorageBufferBindingSize, engine().info.limits.maxBufferSize);
    // The smallest N whose N×N float32 score matrix no longer fits one binding.
    const n = Math.floor(Math.sqrt(limit / 4)) + 1;
    const shape: AttentionShape = { batchHeads: 1, n, d: 4, causal: false };
    const error = await runAttentionForward(engine(), 'standard', inputs(shape), shape).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('gpu-limit');
    // The device's own refusal of the N×N score buffer, captured, not a prediction.
    expect(appError.params).toMatchObject({ needed: n * n * 4, attempted: expect.stringContaining('StandardAttention.scores') });
    expect(appError.message).toContain(String(appError.params?.deviceMessage));
    expect(String(appError.params?.deviceMessage)).toContain(String(n * n * 4));

    const small: AttentionShape = { batchHeads: 1, n: 33, d: 16, causal: true };
    const data = inputs(small);
    const result = await runAttentionForward(engine(), 'standard', data, small);
    expect(relativeL2Error(result.o, referenceAttentionForward(data.q, data.k, data.v, small).o)).toBeLessThan(1e-5);
  });

  it('on a device with WebGPU default limits, flash runs exactly where standard attention is refused', async () => {
    const limited = await createDawnEngine({ limits: 'default' });
    try {
      expect(limited.info.limits.maxStorageBufferBindingSize).toBe(128 * 2 ** 20);
      // 129 heads × 512² × 4 B = 129 MiB of scores > 128 MiB.
      const shape: AttentionShape = { batchHeads: 129, n: 512, d: 4, causal: true };
      const data = inputs(shape);
      await expect(runAttentionForward(limited, 'standard', data, shape)).rejects.toMatchObject({ code: 'gpu-limit', params: { needed: 129 * 512 * 512 * 4, deviceMessage: expect.stringMatching(/binding|size/i) } });
      const flash = await runAttentionForward(limited, 'flash', data, shape);
      const reference = referenceAttentionForward(data.q, data.k, data.v, shape);
      expect(relativeL2Error(flash.o, reference.o)).toBeLessThan(1e-5);
      expect(relativeL2Error(flash.lse, reference.lse)).toBeLessThan(1e-5);
    } finally {
      limited.close();
    }
  }, 600_000);

  it('flash needs extra device memory linear in N, standard quadratic (measured peaks)', async () => {
    const peaks: Record<string, number[]> = { standard: [], flash: [] };
    const extra: Record<string, number[]> = { standard: [], flash: [] };
    const sizes = [128, 256, 512];
    for (const n of sizes) {
      const shape: AttentionShape = { batchHeads: 1, n, d: 32, causal: false };
      const data = inputs(shape);
      for (const kernel of ['standard', 'flash'] as const) {
        const result = await runAttentionForward(engine(), kernel, data, shape);
        peaks[kernel].push(result.peakBytes);
        extra[kernel].push(result.extraBytes);
      }
    }
    console.log(`N ${sizes.join('/')}: standard peak ${peaks.standard.join('/')} B (extra ${extra.standard.join('/')}), flash peak ${peaks.flash.join('/')} B (extra ${extra.flash.join('/')})`);
    // Beyond Q, K, V, O, flash holds L (4·N bytes) and standard S, P and L (8·N² + 4·N), each plus
    // the same few uniform buffers whatever N is: every tracked allocation is accounted for.
    const flashOverhead = extra.flash.map((bytes, i) => bytes - 4 * sizes[i]);
    const standardOverhead = extra.standard.map((bytes, i) => bytes - 8 * sizes[i] ** 2 - 4 * sizes[i]);
    expect(new Set(flashOverhead).size).toBe(1);
    expect(new Set(standardOverhead).size).toBe(1);
    expect(flashOverhead[0]).toBeLessThan(256);
    expect(standardOverhead[0]).toBeLessThan(256);
  });
});
