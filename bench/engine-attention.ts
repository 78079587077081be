import { AppError } from '../src/shared/errors';
import type { EngineContext } from '../src/engine/device-info';
import { runAttentionForward } from '../src/engine/attention/runAttention';
import { SeededRandom, normalFloat32 } from '../src/engine/reference/random';

export interface AttentionRow {
  n: number;
  d: number;
  heads: number;
  causal: boolean;
  /** Median ms of the standard (S, softmax, PV) kernel; null where the device refused its N×N buffers. */
  naiveMs: number | null;
  flashMs: number;
  /** Peak device bytes of the run (inputs, outputs, intermediates); null where refused. */
  naiveBytes: number | null;
  flashBytes: number;
  /** Bytes beyond inputs and outputs: standard S and P (N²), flash the logsumexp (N). */
  naiveExtraBytes: number | null;
  flashExtraBytes: number;
  /** Why standard attention did not run (the limit and the bytes it needed). */
  naiveRefused?: string;
  flashKernel: string;
  method: string;
}

/**
 * Both forward kernels on standard-normal Q, K, V at d = 64, one head, not causal, for each N.
 * Small N: warm-up and `repeats` timed runs; from N = 2048 on, where one run takes seconds on the
 * software adapter, a single run after the smaller sizes have compiled the pipelines.
 */
export async function attentionSweep(engine: EngineContext, ns: number[], repeats: number, log: (line: string) => void): Promise<AttentionRow[]> {
  const rows: AttentionRow[] = [];
  const d = 64;
  for (const n of ns) {
    const shape = { batchHeads: 1, n, d, causal: false };
    const random = new SeededRandom(n);
    const inputs = { q: normalFloat32(random, n * d), k: normalFloat32(random, n * d), v: normalFloat32(random, n * d) };
    const timing = n >= 2048 ? { warmup: 0, repeats: 1 } : { warmup: 1, repeats };
    let naive: Awaited<ReturnType<typeof runAttentionForward>> | null = null;
    let naiveRefused: string | undefined;
    try {
      naive = await runAttentionForward(engine, 'standard', inputs, shape, { timing });
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'gpu-limit')) throw error;
      naiveRefused = error.message;
    }
    const flash = await runAttentionForward(engine, 'flash', inputs, shape, { timing });
    const row: AttentionRow = {
      n,
      d,
      heads: 1,
      causal: false,
      naiveMs: naive?.timing?.medianMs ?? null,
      flashMs: flash.timing?.medianMs ?? Number.NaN,
      naiveBytes: naive?.peakBytes ?? null,
      flashBytes: flash.peakBytes,
      naiveExtraBytes: naive?.extraBytes ?? null,
      flashExtraBytes: flash.extraBytes,
      ...(naiveRefused ? { naiveRefused } : {}),
      flashKernel: flash.kernel,
      method: flash.timing?.method ?? 'none',
    };
    rows.push(row);
    log(`attention n=${n}: standard ${row.naiveMs === null ? `refused (${naiveRefused})` : `${row.naiveMs.toFixed(1)} ms`}, flash ${row.flashMs.toFixed(1)} ms`);
  }
  return rows;
}
