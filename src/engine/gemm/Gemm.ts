import type { DeviceInfo, EngineContext } from '../device-info';
import { computePipeline, uniformBuffer } from '../pipelines';
import { MemoryMeter } from '../memory';
import { timeGpu, type TimingOptions } from '../timing';
import { gemmDirectWgsl, gemmWgsl, type GemmKernelShape } from './gemm.wgsl';
import { gemvWgsl } from './gemv.wgsl';

/**
 * How the GEMM tiles C: invocations per workgroup along rows and columns, the block of C each
 * keeps in registers (multiples of 4), and the depth staged per step.
 */
export type GemmTiling = GemmKernelShape;

/** For GPUs: 256 invocations of 4×4, 64×64 C tiles; A and B tiles take 2 × 16 × 64 × 4 B = 8 KiB. */
export const GEMM_TILING_GPU: GemmTiling = { workgroupRows: 16, workgroupCols: 16, rowsPerInvocation: 4, colsPerInvocation: 4, tileK: 16 };
/**
 * For software adapters: 64 invocations of 8×8, 64×64 C tiles, no workgroup memory
 * (`gemmDirectWgsl`). SwiftShader runs four invocations per SIMD vector and reads memory lane by
 * lane, workgroup memory as much as storage, so what pays is work per read: an 8×8 block does 64
 * multiply-adds per 16 reads, and staging tiles in workgroup memory only adds copies and barriers.
 * Measured at 384³ (interleaved, README): about 1.8× the staged 8×8 kernel, which was about 2× the
 * staged 4×4 one.
 */
export const GEMM_TILING_SOFTWARE: GemmTiling = { workgroupRows: 8, workgroupCols: 8, rowsPerInvocation: 8, colsPerInvocation: 8, tileK: 0 };

/** Invocations per workgroup of the M = 1 kernel (one output column each) and the depth of A it stages per step. */
export const GEMV_TILING = { workgroup: 64, tileK: 256 } as const;

/** The tiling for this engine's adapter, within its invocation limit. */
export function gemmTiling(info: DeviceInfo): GemmTiling {
  if (info.isFallback || info.limits.maxComputeInvocationsPerWorkgroup < 256) return GEMM_TILING_SOFTWARE;
  return GEMM_TILING_GPU;
}

/**
 * Word offsets of WGSL `struct Params` in gemm.wgsl.ts (all 4-byte fields, declared in this order).
 */
const GemmParamsLayout = {
  m: 0,
  n: 1,
  k: 2,
  transposeA: 3,
  strideA: 4,
  strideB: 5,
  strideC: 6,
  transposeB: 7,
  offsetA: 8,
  offsetB: 9,
  offsetC: 10,
  alpha: 11,
  accumulate: 12,
  words: 16,
} as const;

/** Shape of one batched product; strides and offsets count float elements. */
export interface GemmShape {
  m: number;
  n: number;
  k: number;
  batch?: number;
  /** A is stored k×m and read transposed. */
  transposeA?: boolean;
  /** B is stored n×k and read transposed (QKᵀ without a transpose copy). */
  transposeB?: boolean;
  alpha?: number;
  /** C += alpha · op(A) · op(B) instead of C = … (beta = 1: a residual connection without a separate add). */
  accumulate?: boolean;
  /** Elements between consecutive batch matrices; default: packed (m·k, k·n, m·n). */
  strideA?: number;
  strideB?: number;
  strideC?: number;
  offsetA?: number;
  offsetB?: number;
  offsetC?: number;
}

export interface GemmBuffers {
  /** Bound to WGSL `a` (read-only storage). */
  a: GPUBuffer;
  /** Bound to WGSL `b` (read-only storage). */
  b: GPUBuffer;
  /** Bound to WGSL `c` (read-write storage); must differ from a and b. */
  c: GPUBuffer;
}

/**
 * The engine's one matrix multiply: C[b] = alpha · op(A[b]) · op(B[b]) (+ C[b] when accumulating)
 * for b < batch, float32, row-major. Standard attention, every projection of the transformer
 * (prefill and one-token decode steps alike) and the benchmark all use it, so the baseline is as
 * fast as the engine can make a GEMM. M = 1 runs a GEMV kernel (gemv.wgsl.ts) instead of the
 * tiled one, which would compute a whole tile of rows for the one; both sum each element of C in
 * the same order, so a row comes out the same either way.
 */
export class Gemm {
  readonly shape: Required<GemmShape>;
  private readonly pipeline: GPUComputePipeline;
  private readonly params: GPUBuffer;
  readonly tiling: GemmTiling;
  /** Which kernel runs: the tiled GEMM, or the GEMV when M = 1. */
  readonly kernel: 'tiled' | 'gemv';
  private readonly tileM: number;
  /** Bind groups by (a, b, c): a decoder encodes each projection once per layer and step over the same few buffers. */
  private readonly bindGroups = new WeakMap<GPUBuffer, WeakMap<GPUBuffer, WeakMap<GPUBuffer, GPUBindGroup>>>();
  private readonly tileN: number;

  constructor(private readonly engine: EngineContext, shape: GemmShape, options: { tiling?: GemmTiling } = {}) {
    const batch = shape.batch ?? 1;
    this.shape = {
      m: shape.m,
      n: shape.n,
      k: shape.k,
      batch,
      transposeA: shape.transposeA ?? false,
      transposeB: shape.transposeB ?? false,
      alpha: shape.alpha ?? 1,
      accumulate: shape.accumulate ?? false,
      strideA: shape.strideA ?? shape.m * shape.k,
      strideB: shape.strideB ?? shape.k * shape.n,
      strideC: shape.strideC ?? shape.m * shape.n,
      offsetA: shape.offsetA ?? 0,
      offsetB: shape.offsetB ?? 0,
      offsetC: shape.offsetC ?? 0,
    };
    this.tiling = options.tiling ?? gemmTiling(engine.info);
    this.kernel = shape.m === 1 ? 'gemv' : 'tiled';
    this.tileM = this.kernel === 'gemv' ? 1 : this.tiling.workgroupRows * this.tiling.rowsPerInvocation;
    this.tileN = this.kernel === 'gemv' ? GEMV_TILING.workgroup : this.tiling.workgroupCols * this.tiling.colsPerInvocation;
    const maxGroups = engine.device.limits.maxComputeWorkgroupsPerDimension;
    if (batch > maxGroups || Math.ceil(shape.m / this.tileM) > maxGroups || Math.ceil(shape.n / this.tileN) > maxGroups) {
      throw new Error(`Gemm: ${shape.m}×${shape.n}×${batch} needs more than ${maxGroups} workgroups in one dimension`);
    }
    this.pipeline =
      this.kernel === 'gemv'
        ? computePipeline(engine.device, 'Gemm.gemv', gemvWgsl, { WORKGROUP: GEMV_TILING.workgroup, TILE_K: GEMV_TILING.tileK })
        : computePipeline(engine.device, 'Gemm', this.tiling.tileK === 0 ? gemmDirectWgsl(this.tiling) : gemmWgsl(this.tiling), {});
    const words = new ArrayBuffer(GemmParamsLayout.words * 4);
    const asUint = new Uint32Array(words);
    const s = this.shape;
    asUint[GemmParamsLayout.m] = s.m;
    asUint[GemmParamsLayout.n] = s.n;
    asUint[GemmParamsLayout.k] = s.k;
    asUint[GemmParamsLayout.transposeA] = s.transposeA ? 1 : 0;
    asUint[GemmParamsLayout.strideA] = s.strideA;
    asUint[GemmParamsLayout.strideB] = s.strideB;
    asUint[GemmParamsLayout.strideC] = s.strideC;
    asUint[GemmParamsLayout.transposeB] = s.transposeB ? 1 : 0;
    asUint[GemmParamsLayout.offsetA] = s.offsetA;
    asUint[GemmParamsLayout.offsetB] = s.offsetB;
    asUint[GemmParamsLayout.offsetC] = s.offsetC;
    new Float32Array(words)[GemmParamsLayout.alpha] = s.alpha;
    asUint[GemmParamsLayout.accumulate] = s.accumulate ? 1 : 0;
    this.params = uniformBuffer(engine.device, 'Gemm.params', words);
  }

  /** Floating-point operations of one `encode` (a multiply and an add per term, the accumulate's add not counted). */
  get flops(): number {
    return 2 * this.shape.m * this.shape.n * this.shape.k * this.shape.batch;
  }

  /** Records the product in its own compute pass of `encoder`. */
  encode(encoder: GPUCommandEncoder, buffers: GemmBuffers): void {
    if (this.shape.m === 0 || this.shape.n === 0 || this.shape.batch === 0) return;
    const pass = encoder.beginComputePass({ label: this.kernel === 'gemv' ? 'Gemm.gemv' : 'Gemm' });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup(buffers));
    pass.dispatchWorkgroups(Math.ceil(this.shape.n / this.tileN), Math.ceil(this.shape.m / this.tileM), this.shape.batch);
    pass.end();
  }

  /** Creates (and keeps) the binding of `buffers` now, where the device checks binding sizes. */
  prepare(buffers: GemmBuffers): void {
    this.bindGroup(buffers);
  }

  private bindGroup(buffers: GemmBuffers): GPUBindGroup {
    let byB = this.bindGroups.get(buffers.a);
    if (!byB) this.bindGroups.set(buffers.a, (byB = new WeakMap()));
    let byC = byB.get(buffers.b);
    if (!byC) byB.set(buffers.b, (byC = new WeakMap()));
    const cached = byC.get(buffers.c);
    if (cached) return cached;
    const bindGroup = this.engine.device.createBindGroup({
      label: 'Gemm.bindGroup',
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.params } }, // params
        { binding: 1, resource: { buffer: buffers.a } }, // a
        { binding: 2, resource: { buffer: buffers.b } }, // b
        { binding: 3, resource: { buffer: buffers.c } }, // c
      ],
    });
    byC.set(buffers.c, bindGroup);
    return bindGroup;
  }

  dispose(): void {
    this.params.destroy();
  }
}

/**
 * Measures the GEMM's throughput on an m×k by k×n product of random data: the figure the
 * benchmark prints next to attention timings (median of `repeats`, every sample returned).
 */
export async function measureGemmGflops(
  engine: EngineContext,
  size: { m: number; n: number; k: number },
  options: TimingOptions = {},
): Promise<{ gflops: number; ms: number; samplesMs: number[]; method: 'timestamp' | 'wall'; tiling: GemmTiling }> {
  const meter = new MemoryMeter(engine.device);
  const random = (count: number): Float32Array => Float32Array.from({ length: count }, (_, index) => ((index * 2654435761) % 1000) / 500 - 1);
  const a = meter.upload('measureGemm.a', random(size.m * size.k));
  const b = meter.upload('measureGemm.b', random(size.k * size.n));
  const c = meter.createBuffer('measureGemm.c', size.m * size.n * 4);
  const gemm = new Gemm(engine, size);
  try {
    const timing = await timeGpu(engine, (encoder) => gemm.encode(encoder, { a, b, c }), { warmup: options.warmup ?? 1, repeats: options.repeats });
    return { gflops: gemm.flops / (timing.medianMs * 1e6), ms: timing.medianMs, samplesMs: timing.samplesMs, method: timing.method, tiling: gemm.tiling };
  } finally {
    gemm.dispose();
    meter.destroyAll();
  }
}
