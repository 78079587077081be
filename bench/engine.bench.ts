/**
 * `npm run bench:engine [-- --json] [--ns 256,512,…] [--tokens 32,…,256] [--repeats R] [--variant gpu|fallback|auto]`:
 * the engine's figures on one adapter in one run. With --json: ONE JSON object
 * {"device", "gemmGflops", "gemm": {"gflops","ms","samples","tiling"}, "attention": [{"n","d","heads","causal","naiveMs","flashMs",
 *  "naiveBytes","flashBytes","samples":{"naive","flash"},"speedup","flashConfig",…}…],
 *  "decode": [{"tokens","cacheMsPerToken","noCacheMsPerToken",…}…], …}; progress goes to stderr.
 * GEMM and attention take at least 5 timed samples after a warm-up at every size.
 * The device is requested with WebGPU's DEFAULT limits (128 MiB per storage binding), so the
 * standard kernel's N×N score buffer is refused at a moderate N (naiveMs null) while flash runs.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createDefaultLimitsDawnEngine } from './engine-device';
import { decodeSweep } from './engine-decode';
import { attentionSweep } from './engine-attention';
import { defaultDecoderConfig } from '../src/engine/transformer/DecoderConfig';
import { measureGemmGflops } from '../src/engine/gemm/Gemm';
import { deviceRoofline } from '../src/engine/roofline/roofline';
import { FLASH_VARIANT_CHOICES, type FlashVariantChoice } from '../src/engine/attention/flash-tiling';
import { MIN_ATTENTION_SAMPLES, spread } from './engine-attention';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    ns: { type: 'string' },
    tokens: { type: 'string' },
    repeats: { type: 'string' },
    variant: { type: 'string' },
    'skip-attention': { type: 'boolean' },
    'skip-decode': { type: 'boolean' },
  },
});
const list = (text: string | undefined, fallback: number[]) => (text ? text.split(',').map(Number) : fallback);
const ns = list(values.ns, [256, 512, 1024, 2048, 4096, 6144]);
const lengths = list(values.tokens, [32, 64, 128, 256]);
// Every timed figure is a median of at least 5 repeats after a warm-up (timeGpu enforces the floor).
const repeats = Math.max(5, Number(values.repeats ?? 5));
const variant = values.variant ?? 'auto';
if (!FLASH_VARIANT_CHOICES.includes(variant as FlashVariantChoice)) throw new Error(`bench:engine: --variant must be one of ${FLASH_VARIANT_CHOICES.join(', ')}, got '${variant}'`);
const log = (line: string) => process.stderr.write(`${line}\n`);

const started = performance.now();
const loadAtStart = loadavg();
const engine = await createDefaultLimitsDawnEngine();
try {
  log(`device: ${engine.info.name} (${engine.info.isFallback ? 'software fallback' : 'hardware'}), maxStorageBufferBindingSize ${engine.info.limits.maxStorageBufferBindingSize}`);
  const gemm = await measureGemmGflops(engine, { m: 384, n: 384, k: 384 }, { warmup: 1, repeats: Math.max(MIN_ATTENTION_SAMPLES, repeats) });
  log(`gemm 384³: ${gemm.gflops.toFixed(3)} GFLOP/s, ${spread(gemm.samplesMs, gemm.ms)} (${gemm.method})`);
  const roofs = await deviceRoofline(engine);
  log(`roofline: stream copy ${roofs.bandwidthGBs.toFixed(2)} GB/s, FMA ${roofs.computeGflops.toFixed(2)} GFLOP/s`);
  const attention = values['skip-attention'] ? [] : await attentionSweep(engine, ns, repeats, log, variant as FlashVariantChoice);
  const decode = values['skip-decode'] ? null : await decodeSweep(engine, lengths, repeats, log);
  const result = {
    device: engine.info,
    gemmGflops: gemm.gflops,
    gemm: { size: 384, gflops: gemm.gflops, ms: gemm.ms, samples: gemm.samplesMs, tiling: gemm.tiling },
    roofline: { bandwidthGBs: roofs.bandwidthGBs, computeGflops: roofs.computeGflops, samples: roofs.samples },
    attention,
    decode: decode?.rows ?? [],
    decodeDetails: decode && {
      model: defaultDecoderConfig,
      promptTokens: decode.promptTokens,
      cachedRepeats: decode.cachedRepeats,
      noCacheRuns: 1,
      tokensMatch: decode.tokensMatch,
      maxLogitDifference: decode.maxLogitDifference,
      lastTokenMs: decode.lastTokenMs,
      timing: 'wall clock per token, submit → logits read back; a length T is the first T tokens of the longest run',
    },
    notes: [
      'device requested with WebGPU default limits (128 MiB per storage binding) so that standard attention is refused at a moderate N',
      'timings are medians of at least 5 samples after a warm-up (attention: standard and flash interleaved); GPU timestamps when the adapter offers timestamp-query',
    ],
    totalSeconds: (performance.now() - started) / 1000,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', loadAverageStart: loadAtStart, loadAverageEnd: loadavg() },
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    const ms = (value: number | null) => (value === null ? 'refused' : value.toFixed(2));
    const mib = (bytes: number | null) => (bytes === null ? '-' : (bytes / 2 ** 20).toFixed(2));
    console.log(`device  ${engine.info.name}${engine.info.isFallback ? ' (software fallback)' : ''}; GEMM ${gemm.gflops.toFixed(3)} GFLOP/s`);
    console.log(`roofline  stream copy ${roofs.bandwidthGBs.toFixed(2)} GB/s, FMA ${roofs.computeGflops.toFixed(2)} GFLOP/s`);
    console.log('\nattention (d = 64)\n   n  heads causal    naive ms    flash ms  speedup  naive MiB  flash MiB');
    for (const row of attention) {
      const speedup = row.speedup === null ? '-' : `${row.speedup.toFixed(2)}×`;
      console.log(`${String(row.n).padStart(5)} ${String(row.heads).padStart(6)} ${String(row.causal).padStart(6)} ${ms(row.naiveMs).padStart(11)} ${ms(row.flashMs).padStart(11)} ${speedup.padStart(8)} ${mib(row.naiveBytes).padStart(10)} ${mib(row.flashBytes).padStart(10)}`);
    }
    const config = attention[0]?.flashConfig;
    if (config) console.log(`flash ${config.variant} ${config.precision}: ${config.rowsPerWorkgroup} rows/workgroup, ${config.keysPerTile} keys/tile, ${config.keysPerBlock} keys/block${config.unrolled ? ', unrolled' : ''}${config.subgroups ? ', subgroups' : ''}`);
    if (decode) {
      console.log('\ndecode (ms per token)\ntokens   cache  cache+flash  no cache  speedup');
      for (const row of decode.rows) {
        console.log(`${String(row.tokens).padStart(6)} ${row.cacheMsPerToken.toFixed(2).padStart(7)} ${row.cacheFlashMsPerToken.toFixed(2).padStart(12)} ${row.noCacheMsPerToken.toFixed(2).padStart(9)} ${row.speedup.toFixed(1).padStart(8)}×`);
      }
      console.log(`tokens identical: ${decode.tokensMatch}; max |logit difference| ${decode.maxLogitDifference.toExponential(2)}`);
    }
    console.log(`\n${result.totalSeconds.toFixed(0)} s; load average (1, 5, 15 min) ${result.machine.loadAverageStart.map((x) => x.toFixed(2)).join(' ')} at start, ${result.machine.loadAverageEnd.map((x) => x.toFixed(2)).join(' ')} at end; ${result.notes.join('; ')}`);
  }
} finally {
  engine.close();
}
