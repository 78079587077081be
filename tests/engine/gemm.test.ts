import { describe, expect, it } from 'vitest';
import { Gemm, GEMM_TILING_GPU, GEMM_TILING_SOFTWARE, MemoryMeter, readFloat32, submitAndWait, measureGemmGflops, type GemmShape, type GemmTiling } from '../../src/engine';
import { SeededRandom, normalFloat32 } from '../../src/engine/reference/random';
import { referenceGemm, relativeL2Error } from '../../src/engine/reference/gemm';
import { freshSeed, useDawnEngine } from './engine-fixture';

const engine = useDawnEngine();
const seed = freshSeed();
console.log(`gemm.test seed ${seed}`);

/** Both kernels run here whatever the adapter: the GPU's (tiles staged in workgroup memory) and the software adapter's (direct). */
const TILINGS: [string, GemmTiling][] = [
  ['gpu tiling', GEMM_TILING_GPU],
  ['software tiling', GEMM_TILING_SOFTWARE],
  ['staged 8×8', { ...GEMM_TILING_SOFTWARE, tileK: 16 }],
];

async function runGemm(shape: GemmShape, sizeA: number, sizeB: number, sizeC: number, tiling?: GemmTiling): Promise<number> {
  const random = new SeededRandom(seed + shape.m * 7 + shape.n * 13 + shape.k);
  const a = normalFloat32(random, sizeA);
  const b = normalFloat32(random, sizeB);
  const meter = new MemoryMeter(engine().device);
  const aBuffer = meter.upload('test.a', a);
  const bBuffer = meter.upload('test.b', b);
  const cBuffer = meter.createBuffer('test.c', sizeC * 4);
  const gemm = new Gemm(engine(), shape, { tiling });
  await submitAndWait(engine(), (encoder) => gemm.encode(encoder, { a: aBuffer, b: bBuffer, c: cBuffer }));
  const c = await readFloat32(engine(), cBuffer);
  gemm.dispose();
  meter.destroyAll();
  const expected = referenceGemm(a, b, shape);
  const offsetC = shape.offsetC ?? 0;
  const strideC = shape.strideC ?? shape.m * shape.n;
  const actual = new Float64Array(expected.length);
  for (let batch = 0; batch < (shape.batch ?? 1); batch++) {
    for (let index = 0; index < shape.m * shape.n; index++) actual[batch * shape.m * shape.n + index] = c[offsetC + batch * strideC + index];
  }
  return relativeL2Error(actual, expected);
}

describe('Gemm on Dawn', () => {
  const cases: [number, number, number][] = [[1, 1, 1], [7, 5, 3], [63, 65, 17], [65, 63, 129], [130, 1, 70], [1, 200, 33]];
  for (const [name, tiling] of TILINGS) {
    for (const [m, n, k] of cases) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          it(`${name}: ${m}×${k} · ${k}×${n} transposeA=${transposeA} transposeB=${transposeB} matches float64`, async () => {
            const error = await runGemm({ m, n, k, transposeA, transposeB, alpha: 0.75 }, m * k, k * n, m * n, tiling);
            expect(error).toBeLessThan(1e-6);
          });
        }
      }
    }

    it(`${name}: batched with strides and offsets leaves the gaps untouched and matches float64`, async () => {
      const shape: GemmShape = { m: 33, n: 19, k: 45, batch: 3, transposeB: true, strideA: 33 * 45 + 5, strideB: 19 * 45 + 2, strideC: 33 * 19 + 11, offsetA: 3, offsetB: 1, offsetC: 7 };
      const error = await runGemm(shape, 3 + 3 * (33 * 45 + 5), 1 + 3 * (19 * 45 + 2), 7 + 3 * (33 * 19 + 11), tiling);
      expect(error).toBeLessThan(1e-6);
    });
  }

  it('one row (the GEMV kernel) batched with strides, offsets and a transposed B matches float64', async () => {
    const shape: GemmShape = { m: 1, n: 70, k: 300, batch: 2, transposeB: true, strideA: 300 + 3, strideB: 70 * 300 + 5, strideC: 70 + 9, offsetA: 2, offsetB: 4, offsetC: 6, alpha: 1.5 };
    const error = await runGemm(shape, 2 + 2 * (300 + 3), 4 + 2 * (70 * 300 + 5), 6 + 2 * (70 + 9));
    expect(error).toBeLessThan(1e-6);
  });

  it('accumulate adds alpha·A·B to what C held, for the tiled and the one-row kernel', async () => {
    for (const m of [1, 37]) {
      const shape: GemmShape = { m, n: 45, k: 261, alpha: 0.5, accumulate: true };
      const random = new SeededRandom(seed + m);
      const a = normalFloat32(random, m * 261);
      const b = normalFloat32(random, 261 * 45);
      const before = normalFloat32(random, m * 45);
      const meter = new MemoryMeter(engine().device);
      const cBuffer = meter.upload('test.c', before);
      const gemm = new Gemm(engine(), shape);
      await submitAndWait(engine(), (encoder) => gemm.encode(encoder, { a: meter.upload('test.a', a), b: meter.upload('test.b', b), c: cBuffer }));
      const c = await readFloat32(engine(), cBuffer);
      gemm.dispose();
      meter.destroyAll();
      const product = referenceGemm(a, b, shape);
      const expected = product.map((value, index) => value + before[index]);
      expect(gemm.kernel).toBe(m === 1 ? 'gemv' : 'tiled');
      expect(relativeL2Error(Float64Array.from(c), expected)).toBeLessThan(1e-6);
    }
  });

  for (const [name, tiling] of TILINGS) {
    it(`a row computed alone (GEMV) is bit-identical to the same row of a many-row product (${name})`, async () => {
      // Cached decoding projects one row at a time, uncached decoding all rows at once: they must agree exactly.
      const [m, n, k] = [29, 83, 301];
      const random = new SeededRandom(seed + 99);
      const a = normalFloat32(random, m * k);
      const b = normalFloat32(random, k * n);
      const meter = new MemoryMeter(engine().device);
      const aBuffer = meter.upload('test.a', a);
      const bBuffer = meter.upload('test.b', b);
      const whole = meter.createBuffer('test.whole', m * n * 4);
      const single = meter.createBuffer('test.single', m * n * 4);
      const tiled = new Gemm(engine(), { m, n, k }, { tiling });
      const rows = Array.from({ length: m }, (_, row) => new Gemm(engine(), { m: 1, n, k, offsetA: row * k, offsetC: row * n }));
      await submitAndWait(engine(), (encoder) => {
        tiled.encode(encoder, { a: aBuffer, b: bBuffer, c: whole });
        for (const gemm of rows) gemm.encode(encoder, { a: aBuffer, b: bBuffer, c: single });
      });
      const expected = await readFloat32(engine(), whole);
      const actual = await readFloat32(engine(), single);
      for (const gemm of [tiled, ...rows]) gemm.dispose();
      meter.destroyAll();
      let differing = 0;
      for (let index = 0; index < m * n; index++) if (actual[index] !== expected[index]) differing++;
      expect(differing).toBe(0);
      expect(relativeL2Error(Float64Array.from(actual), referenceGemm(a, b, { m, n, k }))).toBeLessThan(1e-6);
    });
  }

  it('reports a positive throughput', async () => {
    const result = await measureGemmGflops(engine(), { m: 128, n: 128, k: 128 }, { repeats: 2 });
    console.log(`GEMM 128³: ${result.gflops.toFixed(3)} GFLOP/s (${result.method})`);
    expect(result.gflops).toBeGreaterThan(0);
  });
});
