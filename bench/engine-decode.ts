import type { EngineContext } from '../src/engine/device-info';
import { decodeWithCache, decodeWithoutCache, seededPrompt, type DecodeRun } from '../src/engine/decode/decode';
import type { KvPoolStats } from '../src/engine/decode/kv-pool';
import { median } from '../src/engine/timing';
import { DecoderModel } from '../src/engine/transformer/DecoderModel';

export interface DecodeRow {
  tokens: number;
  /** Mean ms per token over the first `tokens` tokens (prefill included), median over the cached repeats. */
  cacheMsPerToken: number;
  /** The same with flash-decoding over the cache. */
  cacheFlashMsPerToken: number;
  /** The same with the contiguous control (the whole length reserved up front; same kernels). */
  cacheContiguousMsPerToken: number;
  noCacheMsPerToken: number;
  /** noCacheMsPerToken / cacheMsPerToken. */
  speedup: number;
  /** Cached decodes behind each cached median. */
  samples: number;
  /**
   * The forward that produces token T, timed `samples` times each way: the cached step (one per
   * cached decode) and the full forward over the T − 1 + prompt tokens (the uncached decode's, and
   * repeats of it).
   */
  tokenT: { cacheMs: number; noCacheMs: number; speedup: number; samples: number };
}

export interface DecodeSweep {
  rows: DecodeRow[];
  promptTokens: number;
  cachedRepeats: number;
  tokensMatch: boolean;
  maxLogitDifference: number;
  /** Ms per token at the last position, each way (the per-token cost the position has reached). */
  lastTokenMs: { cache: number; noCache: number };
  /** The cache's device bytes after the longest cached decode: paged and the contiguous control. */
  cacheMemory: { paged: KvPoolStats; contiguous: KvPoolStats };
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Decodes the longest length once without the cache and `repeats` times with it (single-query
 * and flash-decoding attention, and the contiguous control); a length T's figures are the first T
 * tokens of those runs, which are exactly what decoding T tokens does (greedy, same prompt and
 * weights). The uncached forward of each length's last token is repeated to `repeats` samples.
 */
export async function decodeSweep(engine: EngineContext, lengths: number[], repeats: number, log: (line: string) => void): Promise<DecodeSweep> {
  const longest = Math.max(...lengths);
  const promptTokens = 8;
  const model = new DecoderModel(engine, { maxPositions: promptTokens + longest });
  const control = new DecoderModel(engine, { maxPositions: promptTokens + longest }, { cache: { layout: 'contiguous' } });
  try {
    const prompt = seededPrompt(1, promptTokens, model.config.vocab);
    for (const each of [model, control]) {
      await each.forward(prompt, 0);
      await each.forward([prompt[0]], promptTokens);
    }
    const options = { prompt, tokens: longest };
    const cached: DecodeRun[] = [];
    const flash: DecodeRun[] = [];
    const contiguous: DecodeRun[] = [];
    let pagedMemory: KvPoolStats | null = null;
    for (let repeat = 0; repeat < repeats; repeat++) {
      model.attention = 'naive';
      cached.push(await decodeWithCache(model, options));
      pagedMemory = model.cacheStats();
      model.attention = 'flash';
      flash.push(await decodeWithCache(model, options));
      contiguous.push(await decodeWithCache(control, options));
      log(`decode: cached run ${repeat + 1}/${repeats}: ${(cached[repeat].totalMs / longest).toFixed(2)} ms/token (flash-decoding ${(flash[repeat].totalMs / longest).toFixed(2)}, contiguous cache ${(contiguous[repeat].totalMs / longest).toFixed(2)})`);
    }
    const contiguousMemory = control.cacheStats();
    log(`decode: KV-cache after ${promptTokens + longest - 1} tokens: paged ${pagedMemory!.allocatedBytes} B allocated in ${pagedMemory!.slabBytes.length} slabs for ${pagedMemory!.usedBytes} B used; contiguous ${contiguousMemory.allocatedBytes} B allocated`);
    model.attention = 'naive';
    const uncached = await decodeWithoutCache(model, {
      ...options,
      onToken: (index, _token, ms) => {
        if ((index + 1) % 64 === 0) log(`decode: no cache, token ${index + 1}/${longest}: ${ms.toFixed(1)} ms`);
      },
    });
    // More timed repeats of the uncached forward at each length's last token (the decode above is the first).
    const sequence = [...prompt, ...uncached.tokens];
    const noCacheAt = new Map(lengths.map((tokens) => [tokens, [uncached.msPerToken[tokens - 1]]]));
    for (let repeat = 1; repeat < repeats; repeat++) {
      for (const tokens of lengths) {
        const started = performance.now();
        await model.forward(sequence.slice(0, promptTokens + tokens - 1), 0);
        noCacheAt.get(tokens)!.push(performance.now() - started);
      }
    }
    let maxLogitDifference = 0;
    for (let index = 0; index < uncached.logits.length; index++) maxLogitDifference = Math.max(maxLogitDifference, Math.abs(uncached.logits[index] - cached[0].logits[index]));
    const rows = lengths.map((tokens) => {
      const cacheMsPerToken = median(cached.map((run) => mean(run.msPerToken.slice(0, tokens))));
      const noCacheMsPerToken = mean(uncached.msPerToken.slice(0, tokens));
      return {
        tokens,
        cacheMsPerToken,
        cacheFlashMsPerToken: median(flash.map((run) => mean(run.msPerToken.slice(0, tokens)))),
        cacheContiguousMsPerToken: median(contiguous.map((run) => mean(run.msPerToken.slice(0, tokens)))),
        noCacheMsPerToken,
        speedup: noCacheMsPerToken / cacheMsPerToken,
        samples: repeats,
        tokenT: {
          cacheMs: median(cached.map((run) => run.msPerToken[tokens - 1])),
          noCacheMs: median(noCacheAt.get(tokens)!),
          speedup: median(noCacheAt.get(tokens)!) / median(cached.map((run) => run.msPerToken[tokens - 1])),
          samples: Math.min(cached.length, noCacheAt.get(tokens)!.length),
        },
      };
    });
    return {
      rows,
      promptTokens,
      cachedRepeats: repeats,
      tokensMatch: uncached.tokens.every((token, index) => token === cached[0].tokens[index] && token === flash[0].tokens[index] && token === contiguous[0].tokens[index]),
      maxLogitDifference,
      lastTokenMs: {
        cache: median(cached.map((run) => run.msPerToken[longest - 1])),
        noCache: uncached.msPerToken[longest - 1],
      },
      cacheMemory: { paged: pagedMemory!, contiguous: contiguousMemory },
    };
  } finally {
    model.dispose();
    control.dispose();
  }
}
