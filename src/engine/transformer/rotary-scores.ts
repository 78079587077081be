import type { EngineContext } from '../device-info';
import { MemoryMeter } from '../memory';
import { computePipeline, uniformBuffer } from '../pipelines';
import { readFloat32 } from '../readback';
import { ComputeKernel } from './ComputeKernel';
import { pairScoresWgsl } from './pair-scores.wgsl';
import { rotaryWgsl } from './rotary.wgsl';
import { stepParamsWords } from './step-params';

/** Word offsets of WGSL `struct Params` in pair-scores.wgsl.ts. */
const PairScoresParamsLayout = { rows: 0, words: 4 } as const;

export interface RotaryScoresInput {
  heads: number;
  headDim: number;
  /** [rows][q | k | v][heads][headDim]: the fused projection rows the decoder's rotary kernel reads. */
  qkv: Float32Array;
  rows: number;
  /** Position of row 0; row r sits at start + r. */
  start: number;
  /** Rotation tables [positions][headDim/2] (rotaryTables); identity tables (cos 1, sin 0) rotate nothing. */
  cos: Float32Array;
  sin: Float32Array;
}

export interface RotaryScoresResult {
  /** Rotated queries [rows][heads][headDim] and keys [rows][heads][headDim] as the device wrote them. */
  q: Float32Array;
  k: Float32Array;
  /** [heads][rows][rows]: query row m · key row n. */
  scores: Float32Array;
}

/**
 * Rotates a block of q|k|v rows at positions start … start + rows − 1 with the decoder's own
 * rotary kernel (rotary.wgsl.ts, one key/value head per query head) and scores every query row
 * against every key row of the block on the device (pair-scores.wgsl.ts).
 */
export async function rotaryScores(engine: EngineContext, input: RotaryScoresInput): Promise<RotaryScoresResult> {
  const { heads, headDim, rows, start } = input;
  const width = 3 * heads * headDim;
  const half = headDim / 2;
  if (!Number.isInteger(half) || half < 1) throw new Error(`rotaryScores: headDim ${headDim} must be even`);
  if (input.qkv.length !== rows * width) throw new Error(`rotaryScores: ${input.qkv.length} values are not ${rows} rows of ${width}`);
  if ((start + rows) * half > input.cos.length || input.cos.length !== input.sin.length) throw new Error(`rotaryScores: the tables do not reach position ${start + rows - 1}`);
  const { device } = engine;
  const meter = new MemoryMeter(device);
  const step = uniformBuffer(device, 'RotaryScores.step', stepParamsWords(rows, start).buffer);
  const words = new Uint32Array(PairScoresParamsLayout.words);
  words[PairScoresParamsLayout.rows] = rows;
  const params = uniformBuffer(device, 'RotaryScores.params', words.buffer);
  try {
    const qkv = meter.upload('RotaryScores.qkv', input.qkv);
    const cos = meter.upload('RotaryScores.cos', input.cos);
    const sin = meter.upload('RotaryScores.sin', input.sin);
    const q = meter.createBuffer('RotaryScores.q', rows * heads * headDim * 4);
    const kv = meter.createBuffer('RotaryScores.kv', rows * 2 * heads * headDim * 4);
    const scores = meter.createBuffer('RotaryScores.scores', heads * rows * rows * 4);
    const constants = { HEADS: heads, KV_HEADS: heads, HEAD_DIM: headDim };
    const rotary = new ComputeKernel(engine, 'RotaryScores.rotary', rotaryWgsl, constants, [step /* step */, qkv /* qkv */, cos /* cosTable */, sin /* sinTable */, q /* q */, kv /* newKv */]);
    const pipeline = computePipeline(device, 'RotaryScores.pairScores', pairScoresWgsl, { HEADS: heads, HEAD_DIM: headDim });
    const bindGroup = device.createBindGroup({
      label: 'RotaryScores.pairScores.bindGroup',
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: params } }, // params
        { binding: 1, resource: { buffer: q } }, // q
        { binding: 2, resource: { buffer: kv } }, // kv
        { binding: 3, resource: { buffer: scores } }, // scores
      ],
    });
    const encoder = device.createCommandEncoder({ label: 'RotaryScores' });
    rotary.encode(encoder, rows);
    const pass = encoder.beginComputePass({ label: 'RotaryScores.pairScores' });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(Math.ceil(rows / 64), rows, heads);
    pass.end();
    device.queue.submit([encoder.finish()]);
    const rotatedQ = await readFloat32(engine, q);
    const rotatedKv = await readFloat32(engine, kv);
    const k = new Float32Array(rows * heads * headDim);
    for (let row = 0; row < rows; row++) k.set(rotatedKv.subarray(row * 2 * heads * headDim, (row * 2 + 1) * heads * headDim), row * heads * headDim);
    return { q: rotatedQ, k, scores: await readFloat32(engine, scores) };
  } finally {
    step.destroy();
    params.destroy();
    meter.destroyAll();
  }
}
