import type { DeviceInfo, EngineContext } from '../device-info';
import { computePipeline, uniformBuffer } from '../pipelines';
import { MemoryMeter } from '../memory';
import { timeGpu, type TimingOptions } from '../timing';
import { gemmWgsl } from './gemm.wgsl';

/** How the GEMM tiles C: invocations per workgroup along rows and columns (each computes 4×4), and depth per step. */
export interface GemmTiling {
  workgroupRows: number;
  workgroupCols: number;
  /** Depth of the A and B tiles staged in workgroup memory per step. */
  tileK: number;
}

/** For GPUs: 256 invocations, 64×64 C tiles; A and B tiles take 2 × 16 × 64 × 4 B = 8 KiB. */
export const GEMM_TILING_GPU: GemmTiling = { workgroupRows: 16, workgroupCols: 16, tileK: 16 };
/**
 * For software adapters: 64 invocations, 32×32 C tiles. SwiftShader runs a workgroup's invocations
 * on CPU threads, and smaller workgroups measured faster there (512³: 3.0 s vs 4.2 s for 16×16).
 */
export const GEMM_TILING_SOFTWARE: GemmTiling = { workgroupRows: 8, workgroupCols: 8, tileK: 16 };

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
  words: 12,
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
 * The engine's one matrix multiply: C[b] = alpha · op(A[b]) · op(B[b]) for b < batch, float32,
 * row-major. Standard attention, the transformer's projections and the benchmark all use it, so
 * the baseline is as fast as the engine can make a GEMM.
 */
export class Gemm {
  readonly shape: Required<GemmShape>;
  private readonly pipeline: GPUComputePipeline;
  private readonly params: GPUBuffer;
  readonly tiling: GemmTiling;
  private readonly tileM: number;
  private readonly tileN: number;

  constructor(private readonly engine: EngineContext, shape: GemmShape) {
    const batch = shape.batch ?? 1;
    this.shape = {
      m: shape.m,
      n: shape.n,
      k: shape.k,
      batch,
      transposeA: shape.transposeA ?? false,
      transposeB: shape.transposeB ?? false,
      alpha: shape.alpha ?? 1,
      strideA: shape.strideA ?? shape.m * shape.k,
      strideB: shape.strideB ?? shape.k * shape.n,
      strideC: shape.strideC ?? shape.m * shape.n,
      offsetA: shape.offsetA ?? 0,
      offsetB: shape.offsetB ?? 0,
      offsetC: shape.offsetC ?? 0,
    };
    this.tiling = gemmTiling(engine.info);
    this.tileM = this.tiling.workgroupRows * 4;
    this.tileN = this.tiling.workgroupCols * 4;
    const maxGroups = engine.device.limits.maxComputeWorkgroupsPerDimension;
    if (batch > maxGroups || Math.ceil(shape.m / this.tileM) > maxGroups || Math.ceil(shape.n / this.tileN) > maxGroups) {
      throw new Error(`Gemm: ${shape.m}×${shape.n}×${batch} needs more than ${maxGroups} workgroups in one dimension`);
    }
    this.pipeline = computePipeline(engine.device, 'Gemm', gemmWgsl, {
      WORKGROUP_ROWS: this.tiling.workgroupRows,
      WORKGROUP_COLS: this.tiling.workgroupCols,
      TILE_K: this.tiling.tileK,
    });
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
    this.params = uniformBuffer(engine.device, 'Gemm.params', words);
  }

  /** Floating-point operations of one `encode` (a multiply and an add per term). */
  get flops(): number {
    return 2 * this.shape.m * this.shape.n * this.shape.k * this.shape.batch;
  }

  /** Records the product in its own compute pass of `encoder`. */
  encode(encoder: GPUCommandEncoder, buffers: GemmBuffers): void {
    if (this.shape.m === 0 || this.shape.n === 0 || this.shape.batch === 0) return;
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
    const pass = encoder.beginComputePass({ label: 'Gemm' });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(Math.ceil(this.shape.n / this.tileN), Math.ceil(this.shape.m / this.tileM), this.shape.batch);
    pass.end();
  }

  dispose(): void {
    this.params.destroy();
  }
}

/**
 * Measures the GEMM's throughput on an m×k by k×n product of random data: the figure the
 * benchmark prints next to attention timings (median of `repeats`).
 */
export async function measureGemmGflops(engine: EngineContext, size: { m: number; n: number; k: number }, options: TimingOptions = {}): Promise<{ gflops: number; ms: number; method: 'timestamp' | 'wall' }> {
  const meter = new MemoryMeter(engine.device);
  const random = (count: number): Float32Array => Float32Array.from({ length: count }, (_, index) => ((index * 2654435761) % 1000) / 500 - 1);
  const a = meter.upload('measureGemm.a', random(size.m * size.k));
  const b = meter.upload('measureGemm.b', random(size.k * size.n));
  const c = meter.createBuffer('measureGemm.c', size.m * size.n * 4);
  const gemm = new Gemm(engine, size);
  try {
    const timing = await timeGpu(engine, (encoder) => gemm.encode(encoder, { a, b, c }), { warmup: options.warmup ?? 1, repeats: options.repeats ?? 3 });
    return { gflops: gemm.flops / (timing.medianMs * 1e6), ms: timing.medianMs, method: timing.method };
  } finally {
    gemm.dispose();
    meter.destroyAll();
  }
}
