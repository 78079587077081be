import { AppError } from '../src/shared/errors';
import type { EngineContext } from '../src/engine/device-info';
import type { FlashTiling, FlashVariantChoice } from '../src/engine/attention/flash-tiling';
import { runAttentionForward, type ForwardResult } from '../src/engine/attention/run-attention';
import { median } from '../src/engine/timing';
import { SeededRandom, normalFloat32 } from '../src/engine/reference/random';

/** Fewest timed samples per kernel and size; each size also gets a warm-up run first. */
export const MIN_ATTENTION_SAMPLES = 5;

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
  /** Every timed sample in ms, after one warm-up run (standard null where refused). */
  samples: { naive: number[] | null; flash: number[] };
  /** naiveMs / flashMs; null where standard was refused. */
  speedup: number | null;
  /** The flash configuration that ran. */
  flashConfig: FlashTiling;
}

/** "median (min–max, n=…)" of a sample list. */
export function spread(samples: readonly number[], median: number): string {
  return `${median.toFixed(1)} ms (${Math.min(...samples).toFixed(1)}–${Math.max(...samples).toFixed(1)}, n=${samples.length})`;
}

/**
 * Both forward kernels on standard-normal Q, K, V at d = 64, one head, not causal, for each N:
 * at every size one warm-up run of each, then `repeats` (at least MIN_ATTENTION_SAMPLES) timed
 * runs each, standard and flash interleaved so that a change in the machine's load hits both.
 */
export async function attentionSweep(engine: EngineContext, ns: number[], repeats: number, log: (line: string) => void, variant: FlashVariantChoice = 'auto'): Promise<AttentionRow[]> {
  const rows: AttentionRow[] = [];
  const d = 64;
  const rounds = Math.max(MIN_ATTENTION_SAMPLES, repeats);
  for (const n of ns) {
    const shape = { batchHeads: 1, n, d, causal: false };
    const random = new SeededRandom(n);
    const inputs = { q: normalFloat32(random, n * d), k: normalFloat32(random, n * d), v: normalFloat32(random, n * d) };
    let naive: ForwardResult | null = null;
    let naiveRefused: string | undefined;
    let flash: ForwardResult | null = null;
    const naiveSamples: number[] = [];
    const flashSamples: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // The first round warms each kernel up (pipelines compiled, caches filled) before its sample.
      const timing = { warmup: round === 0 ? 1 : 0, repeats: 1 };
      if (naiveRefused === undefined) {
        try {
          naive = await runAttentionForward(engine, 'standard', inputs, shape, { timing });
          naiveSamples.push(...(naive.timing?.samplesMs ?? []));
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'gpu-limit')) throw error;
          naiveRefused = error.message;
        }
      }
      flash = await runAttentionForward(engine, 'flash', inputs, shape, { timing, variant });
      flashSamples.push(...(flash.timing?.samplesMs ?? []));
    }
    if (!flash?.timing || !flash.flash || flashSamples.length < rounds) throw new Error('flash run returned no timing or configuration');
    const naiveMs = naive && naiveSamples.length > 0 ? median(naiveSamples) : null;
    const flashMs = median(flashSamples);
    const row: AttentionRow = {
      n,
      d,
      heads: 1,
      causal: false,
      naiveMs,
      flashMs,
      naiveBytes: naive?.peakBytes ?? null,
      flashBytes: flash.peakBytes,
      naiveExtraBytes: naive?.extraBytes ?? null,
      flashExtraBytes: flash.extraBytes,
      ...(naiveRefused ? { naiveRefused } : {}),
      flashKernel: flash.kernel,
      method: flash.timing.method,
      samples: { naive: naive ? naiveSamples : null, flash: flashSamples },
      speedup: naiveMs === null ? null : naiveMs / flashMs,
      flashConfig: flash.flash,
    };
    rows.push(row);
    const standardText = naiveMs === null ? `refused (${naiveRefused})` : spread(naiveSamples, naiveMs);
    log(`attention n=${n}: standard ${standardText}, flash ${spread(flashSamples, flashMs)}${row.speedup === null ? '' : `, ${row.speedup.toFixed(2)}×`}`);
  }
  return rows;
}
