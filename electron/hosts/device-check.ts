/**
 * `npm run device-check -- --out DIR [--quick]`: the engine's figures and every experiment on this
 * machine's GPU in one process, as JSON files in DIR:
 *   device.json      the adapter Dawn picked (name, vendor, fallback or not, limits)
 *   roofline.json    stream-copy bandwidth, FMA and GEMM throughput (≥ 5 timed repeats each)
 *   attention.json   standard vs flash forward over N (d = 64, one head; warm-up + ≥ 5 repeats)
 *   <experiment>.json one per experiment, as `npm run prove -- <id> --json` prints it
 *   summary.json     outcome per experiment, wall time, and any failure
 * It picks the NVIDIA Vulkan driver when its manifest exists (the device machines'), else whatever
 * VK_DRIVER_FILES / VK_ICD_FILENAMES name, else SwiftShader. `--pack DIR` instead writes a
 * self-contained folder for a machine without Node (see scripts/device-pack.mjs).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const nvidiaIcd = '/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json';

const { values } = parseArgs({ options: { out: { type: 'string' }, quick: { type: 'boolean' }, only: { type: 'string' } }, strict: true });
if (!values.out) {
  process.stderr.write('usage: npm run device-check -- --out DIR [--quick] [--only id,id]\n');
  process.exit(2);
}
const out = values.out;
mkdirSync(out, { recursive: true });
// The loader reads the environment when Dawn loads: choose the driver first.
if (!process.env.VK_DRIVER_FILES && !process.env.VK_ICD_FILENAMES && existsSync(nvidiaIcd)) process.env.VK_DRIVER_FILES = nvidiaIcd;

const { createDawnEngine } = await import('./dawn');
const { deviceRoofline } = await import('../../src/engine/roofline/roofline');
const { attentionSweep } = await import('../../bench/engine-attention');
const { registry } = await import('../../src/experiments/registry');
const { jsonResult } = await import('./prove-format');

const started = performance.now();
const log = (line: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
const write = (name: string, value: unknown) => writeFileSync(join(out, name), `${JSON.stringify(value, null, 2)}\n`);

const engine = await createDawnEngine();
const summary: { device: string; isFallback: boolean; experiments: Record<string, string>; failures: Record<string, string>; seconds: number } = {
  device: engine.info.name,
  isFallback: engine.info.isFallback,
  experiments: {},
  failures: {},
  seconds: 0,
};
try {
  log(`device: ${engine.info.name} (${engine.info.isFallback ? 'SOFTWARE fallback: these are not a GPU’s figures' : 'hardware'})`);
  write('device.json', engine.info);
  const roofline = await deviceRoofline(engine);
  log(`roofline: ${roofline.bandwidthGBs.toFixed(1)} GB/s, FMA ${roofline.computeGflops.toFixed(1)} GFLOP/s, GEMM ${roofline.gemmGflops.toFixed(1)} GFLOP/s`);
  write('roofline.json', roofline);
  const ns = values.quick ? [256, 512] : engine.info.isFallback ? [1024, 2048, 4096] : [1024, 2048, 4096, 8192, 16384];
  write('attention.json', await attentionSweep(engine, ns, 5, log));
  // Larger sizes where a GPU makes them quick; the defaults elsewhere.
  // (A 253-key cache is too short for flash-decoding's splits to pay off even on a GPU.)
  const gpuParams: Record<string, Record<string, unknown>> =
    values.quick || engine.info.isFallback
      ? {}
      : {
          'flash-vs-naive': { maxN: 4096, repeats: 10 },
          'kv-flash-synergy': { promptTokens: 1024, heads: 16 },
          'kv-cache-speed': { tokens: 512 },
          // Weights and caches past a GPU's last-level cache, so that reading them is what costs.
          'prefill-decode-batching': { dim: 8192, maxBatch: 256, promptTokens: 512, repeats: 10 },
          'gqa-mqa': { tokens: 2048, heads: 16, groupedKvHeads: 4, headDim: 128, layers: 4, repeats: 10 },
        };
  const only = values.only?.split(',');
  for (const [id, experiment] of registry) {
    if (only && !only.includes(id)) continue;
    log(`experiment ${id}`);
    try {
      const params = experiment.params.parse(gpuParams[id] ?? {});
      const result = await experiment.run(engine, params as never, () => {}, new AbortController().signal);
      write(`${id}.json`, jsonResult(result));
      summary.experiments[id] = result.verdict.outcome;
      log(`  ${result.verdict.outcome}: ${result.verdict.summary.en}`);
    } catch (error) {
      summary.failures[id] = error instanceof Error ? error.message : String(error);
      log(`  FAILED: ${summary.failures[id]}`);
    }
  }
} finally {
  summary.seconds = (performance.now() - started) / 1000;
  write('summary.json', summary);
  engine.close();
}
log(`done in ${summary.seconds.toFixed(0)} s → ${out}`);
process.exit(Object.keys(summary.failures).length ? 1 : 0);
