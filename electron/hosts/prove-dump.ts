/**
 * The engine's dumps, for checking the kernels from outside (numpy, another
 * implementation): raw little-endian float32 files and a meta.json. Runs in-process on Dawn.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../src/shared/errors';
import { decodeBothWays } from '../../src/engine/decode/decode';
import { runAttentionForward } from '../../src/engine/attention/run-attention';
import { runAttentionBackward } from '../../src/engine/attention/run-backward';
import { MAX_HEAD_DIM, type AttentionShape } from '../../src/engine/attention/shape';
import { FLASH_PRECISIONS, roundToHalf, type FlashPrecision } from '../../src/engine/attention/flash-storage.wgsl';
import { FLASH_VARIANT_CHOICES, type FlashVariantChoice } from '../../src/engine/attention/flash-tiling';
import { attentionInputs } from '../../src/experiments/attention-inputs';
import { createDawnEngine } from './dawn';

type Values = Record<string, string | boolean>;

/** Refuses any flag a command does not know: a misspelt option must not be silently ignored. */
export function assertKnownFlags(command: string, values: Values, known: readonly string[]): void {
  const unknown = Object.keys(values).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new AppError('invalid-args', `${command}: unknown option ${unknown.map((key) => `--${key}`).join(', ')} (known: ${known.map((key) => `--${key}`).join(' ')})`);
}

/** A flag that takes one of `choices` (default `fallback`). */
function choice<T extends string>(values: Values, key: string, choices: readonly T[], fallback: T): T {
  const raw = values[key];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !(choices as readonly string[]).includes(raw)) {
    throw new AppError('invalid-args', `--${key} must be one of ${choices.join(', ')}, got '${raw === true ? '' : raw}'`);
  }
  return raw as T;
}

/** A boolean flag: present (or 'true'/'false'). */
function flag(values: Values, key: string): boolean {
  const raw = values[key];
  if (raw === undefined || raw === false || raw === 'false') return false;
  if (raw === true || raw === 'true') return true;
  throw new AppError('invalid-args', `--${key} takes no value, got '${raw}'`);
}

function integer(values: Values, key: string, fallback?: number): number {
  const raw = values[key];
  if (raw === undefined || raw === true) {
    if (fallback !== undefined) return fallback;
    throw new AppError('invalid-args', `--${key} N is required`);
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new AppError('invalid-args', `--${key} must be a non-negative integer, got '${String(raw)}'`);
  return value;
}

function directory(values: Values): string {
  const dir = values.dump;
  if (typeof dir !== 'string') throw new AppError('invalid-args', '--dump DIR is required');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes a Float32Array as little-endian bytes whatever the host's byte order. */
export function writeFloat32(file: string, data: Float32Array): void {
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  writeFileSync(file, bytes);
}

/** `prove decode --tokens T --seed S --dump DIR`: decodes T tokens with and without the cache. */
export async function dumpDecode(values: Values): Promise<void> {
  const tokens = integer(values, 'tokens');
  const seed = integer(values, 'seed', 0);
  const dir = directory(values);
  if (tokens < 1 || tokens > 4096) throw new AppError('invalid-args', '--tokens must be between 1 and 4096');
  const engine = await createDawnEngine();
  try {
    const run = await decodeBothWays(engine, { tokens, seed });
    writeFileSync(join(dir, 'tokens_cache.json'), JSON.stringify(run.tokensCache));
    writeFileSync(join(dir, 'tokens_nocache.json'), JSON.stringify(run.tokensNoCache));
    writeFloat32(join(dir, 'logits_cache.f32'), run.logitsCache);
    writeFloat32(join(dir, 'logits_nocache.f32'), run.logitsNoCache);
    process.stdout.write(
      `${JSON.stringify({ tokens, seed, vocab: run.config.vocab, tokensMatch: run.tokensMatch, maxLogitDifference: run.maxLogitDifference, cacheMsPerToken: run.cacheMsPerToken, noCacheMsPerToken: run.noCacheMsPerToken })}\n`,
    );
  } finally {
    engine.close();
  }
}

/** The flags `prove attention` takes. */
export const ATTENTION_FLAGS = ['n', 'd', 'heads', 'causal', 'seed', 'dump', 'backward', 'variant', 'precision'] as const;

/**
 * `prove attention --n N --d D --heads H [--causal] --seed S --dump DIR [--backward]
 * [--variant gpu|fallback|auto] [--precision f32|f16]`. With f16 the inputs are rounded to half
 * before anything runs, and the dumped q/k/v (and do) are those rounded values, so a float64
 * reference computed from the dump checks the kernel, not the rounding; the standard kernel runs
 * on the same values. meta.json names the configuration that ran.
 */
export async function dumpAttention(values: Values): Promise<void> {
  assertKnownFlags('attention', values, ATTENTION_FLAGS);
  const n = integer(values, 'n');
  const d = integer(values, 'd');
  const heads = integer(values, 'heads', 1);
  const seed = integer(values, 'seed', 0);
  const causal = flag(values, 'causal');
  const backward = flag(values, 'backward');
  const variant = choice<FlashVariantChoice>(values, 'variant', FLASH_VARIANT_CHOICES, 'auto');
  const precision = choice<FlashPrecision>(values, 'precision', FLASH_PRECISIONS, 'f32');
  if (n < 1 || d < 1 || d > MAX_HEAD_DIM || heads < 1) throw new AppError('invalid-args', `need n ≥ 1, 1 ≤ d ≤ ${MAX_HEAD_DIM}, heads ≥ 1`);
  if (precision === 'f16' && d % 2 !== 0) throw new AppError('invalid-args', `--precision f16 packs two halves per 32-bit word: --d must be even, got ${d}`);
  const dir = directory(values);
  const shape: AttentionShape = { batchHeads: heads, n, d, causal };
  // Q, K, V (then dO) standard normal from the seed, in that order: the same inputs the experiments use.
  const drawn = attentionInputs(shape, seed, backward);
  const inputs = precision === 'f16' ? { q: roundToHalf(drawn.q), k: roundToHalf(drawn.k), v: roundToHalf(drawn.v), dO: roundToHalf(drawn.dO) } : drawn;
  const engine = await createDawnEngine();
  try {
    const flash = await runAttentionForward(engine, 'flash', inputs, shape, { variant, precision });
    const naive = await runAttentionForward(engine, 'standard', inputs, shape);
    writeFloat32(join(dir, 'q.f32'), inputs.q);
    writeFloat32(join(dir, 'k.f32'), inputs.k);
    writeFloat32(join(dir, 'v.f32'), inputs.v);
    writeFloat32(join(dir, 'o_flash.f32'), flash.o);
    writeFloat32(join(dir, 'o_naive.f32'), naive.o);
    writeFloat32(join(dir, 'lse.f32'), flash.lse);
    const tiling = flash.flash;
    if (!tiling) throw new Error('flash run reported no configuration');
    let backwardTiling: typeof tiling | undefined;
    if (backward) {
      const gradients = await runAttentionBackward(engine, 'flash', inputs, shape, { variant, precision });
      backwardTiling = gradients.flash;
      writeFloat32(join(dir, 'do.f32'), inputs.dO);
      writeFloat32(join(dir, 'dq_flash.f32'), gradients.dq);
      writeFloat32(join(dir, 'dk_flash.f32'), gradients.dk);
      writeFloat32(join(dir, 'dv_flash.f32'), gradients.dv);
    }
    const meta = {
      n,
      d,
      heads,
      causal,
      seed,
      backward,
      variant: tiling.variant,
      precision: tiling.precision,
      rowsPerWorkgroup: tiling.rowsPerWorkgroup,
      keysPerTile: tiling.keysPerTile,
      keysPerBlock: tiling.keysPerBlock,
      subgroups: tiling.subgroups,
      adapter: engine.info.name,
      isFallbackAdapter: engine.info.isFallback,
      ...(backwardTiling ? { backwardRowsPerWorkgroup: backwardTiling.rowsPerWorkgroup, backwardKeysPerTile: backwardTiling.keysPerTile } : {}),
    };
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
    process.stdout.write(`${JSON.stringify({ ...meta, dir })}\n`);
  } finally {
    engine.close();
  }
}
