// Bundled by esbuild into the page of engine-chromium.spec.ts: runs both forward kernels on the
// browser's own WebGPU and compares them with the float64 reference, in the page.
import { acquireEngine, runAttentionForward, type AttentionShape, type FlashVariant } from '../../../src/engine';
import { referenceAttentionForward } from '../../../src/engine/reference/attention';
import { relativeL2Error } from '../../../src/engine/reference/gemm';
import { SeededRandom, normalFloat32 } from '../../../src/engine/reference/random';

interface CaseResult {
  kernel: string;
  outputError: number;
  lseError: number;
}

async function runEngineCheck(seed: number, shapes: AttentionShape[]): Promise<{ device: unknown; cases: (AttentionShape & CaseResult)[] }> {
  const engine = await acquireEngine((globalThis as unknown as { navigator: { gpu?: GPU } }).navigator.gpu);
  const cases: (AttentionShape & CaseResult)[] = [];
  try {
    for (const shape of shapes) {
      const random = new SeededRandom(seed + shape.n);
      const count = shape.batchHeads * shape.n * shape.d;
      const q = normalFloat32(random, count);
      const k = normalFloat32(random, count);
      const v = normalFloat32(random, count);
      const reference = referenceAttentionForward(q, k, v, shape);
      const runs: [('standard' | 'flash'), FlashVariant | undefined][] = [['standard', undefined], ['flash', 'gpu'], ['flash', 'fallback']];
      for (const [kernel, variant] of runs) {
        const result = await runAttentionForward(engine, kernel, { q, k, v }, shape, variant ? { variant } : {});
        cases.push({ ...shape, kernel: result.kernel, outputError: relativeL2Error(result.o, reference.o), lseError: relativeL2Error(result.lse, reference.lse) });
      }
    }
    return { device: engine.info, cases };
  } finally {
    engine.device.destroy();
  }
}

(globalThis as unknown as { runEngineCheck: typeof runEngineCheck }).runEngineCheck = runEngineCheck;
