/**
 * The engine's dumps, for checking the kernels from outside (numpy, another
 * implementation): raw little-endian float32 files and a meta.json. Runs in-process on Dawn.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../src/shared/errors';
import { decodeBothWays } from '../../src/engine/decode/decode';
import { runAttentionForward } from '../../src/engine/attention/runAttention';
import { runAttentionBackward } from '../../src/engine/attention/runBackward';
import { MAX_HEAD_DIM, type AttentionShape } from '../../src/engine/attention/shape';
import { attentionInputs } from '../../src/experiments/attention-inputs';
import { createDawnEngine } from './dawn';

type Values = Record<string, string | boolean>;

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

/** `prove attention --n N --d D --heads H [--causal] --seed S --dump DIR [--backward]`. */
export async function dumpAttention(values: Values): Promise<void> {
  const n = integer(values, 'n');
  const d = integer(values, 'd');
  const heads = integer(values, 'heads', 1);
  const seed = integer(values, 'seed', 0);
  const causal = values.causal === true || values.causal === 'true';
  const backward = values.backward === true || values.backward === 'true';
  const dir = directory(values);
  if (n < 1 || d < 1 || d > MAX_HEAD_DIM || heads < 1) throw new AppError('invalid-args', `need n ≥ 1, 1 ≤ d ≤ ${MAX_HEAD_DIM}, heads ≥ 1`);
  const shape: AttentionShape = { batchHeads: heads, n, d, causal };
  // Q, K, V (then dO) standard normal from the seed, in that order: the same inputs the experiments use.
  const inputs = attentionInputs(shape, seed, backward);
  const engine = await createDawnEngine();
  try {
    const flash = await runAttentionForward(engine, 'flash', inputs, shape);
    const naive = await runAttentionForward(engine, 'standard', inputs, shape);
    writeFloat32(join(dir, 'q.f32'), inputs.q);
    writeFloat32(join(dir, 'k.f32'), inputs.k);
    writeFloat32(join(dir, 'v.f32'), inputs.v);
    writeFloat32(join(dir, 'o_flash.f32'), flash.o);
    writeFloat32(join(dir, 'o_naive.f32'), naive.o);
    writeFloat32(join(dir, 'lse.f32'), flash.lse);
    if (backward) {
      const gradients = await runAttentionBackward(engine, 'flash', inputs, shape);
      writeFloat32(join(dir, 'do.f32'), inputs.dO);
      writeFloat32(join(dir, 'dq_flash.f32'), gradients.dq);
      writeFloat32(join(dir, 'dk_flash.f32'), gradients.dk);
      writeFloat32(join(dir, 'dv_flash.f32'), gradients.dv);
    }
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ n, d, heads, causal, seed }));
    process.stdout.write(`${JSON.stringify({ n, d, heads, causal, seed, backward, device: engine.info.name, dir })}\n`);
  } finally {
    engine.close();
  }
}
