import type { DeviceInfo } from '../device-info';
import { assertPrecisionSupports, type FlashPrecision } from './flash-storage.wgsl';

/**
 * 'gpu': the kernel for real GPUs, one query row per invocation, 64–128 per workgroup, K/V tiles
 * in workgroup memory as large as the adapter allows, walked in 4-key blocks (subgroup-uniform
 * rescale where the device has subgroups). 'fallback': the same algorithm shaped for SwiftShader,
 * up to 16 rows per invocation reading K/V straight from storage in small unrolled steps. Both are
 * tested against the float64 reference; 'auto' picks by the adapter.
 */
export type FlashVariant = 'gpu' | 'fallback';
export type FlashVariantChoice = FlashVariant | 'auto';

/** Every variant a caller may name. */
export const FLASH_VARIANT_CHOICES: readonly FlashVariantChoice[] = ['gpu', 'fallback', 'auto'];

/** gpu: query rows per workgroup (fewer only where the adapter allows fewer invocations). */
export const FLASH_GPU_ROWS = 128;
/** gpu: most keys per K/V tile, and keys per block of the tile walk (scores held in registers). */
export const FLASH_GPU_MAX_KEYS = 64;
export const FLASH_GPU_BLOCK = 4;
/**
 * fallback, measured on SwiftShader (README): invocations per workgroup, rows each invocation
 * owns, and most keys per step (one unrolled block). SwiftShader reads memory lane by lane
 * (workgroup or storage alike), so the kernel does best when each vec4 it reads feeds several
 * rows, and staging in workgroup memory would only add copies and barriers.
 */
export const FLASH_FALLBACK_INVOCATIONS = 4;
export const FLASH_FALLBACK_MAX_ROWS_PER_INVOCATION = 16;
export const FLASH_FALLBACK_MAX_KEYS = 4;
/**
 * fallback budgets that keep SwiftShader's compile time bounded (it grows faster than the code;
 * measured at load ≈ 5: forward d = 64 about 11 s, backward passes 10–25 s): vec4s held in
 * registers (rows per invocation × vec4s per row) and vec4s of the unrolled step (rows × keys ×
 * vec4s per row), and query–key pairs per unrolled step. The backward holds four registers per
 * row, not two, and does twice the work per pair, so it gets a quarter.
 */
export const FLASH_FALLBACK_BUDGETS = {
  forward: { registerVec4: 256, unrolledVec4: 512, pairs: 64 },
  backward: { registerVec4: 64, unrolledVec4: 128, pairs: 16 },
} as const;

/** Which pass the tiles are for: the forward (K, V tiles) or the backward (Q, dO tiles with L, D; or K, V). */
export type FlashPass = 'forward' | 'backward';

/** The configuration a flash pass runs with, as reported by prove and the benchmark. */
export interface FlashTiling {
  variant: FlashVariant;
  precision: FlashPrecision;
  /** Rows per workgroup (queries; keys in the backward's dK/dV pass), Br = invocations × rowsPerInvocation. */
  rowsPerWorkgroup: number;
  /** Invocations per workgroup. */
  invocations: number;
  /** Rows each invocation holds in registers. */
  rowsPerInvocation: number;
  /** Keys per K/V tile staged in workgroup memory, Bc (fallback: keys per unrolled step). */
  keysPerTile: number;
  /** Keys per block of the tile walk: one max and one rescale per block. */
  keysPerBlock: number;
  /** Workgroup memory the K and V tiles take, bytes (0 when not staged). */
  workgroupBytes: number;
  /** Subgroup operations compiled in. */
  subgroups: boolean;
  /** Tile walk fully unrolled. */
  unrolled: boolean;
  /** K/V tiles staged in workgroup memory (gpu); the fallback reads each block's rows from storage. */
  staged: boolean;
}

/** 'auto' → 'fallback' on a software adapter, 'gpu' otherwise. */
export function resolveFlashVariant(info: DeviceInfo, choice: FlashVariantChoice): FlashVariant {
  if (!FLASH_VARIANT_CHOICES.includes(choice)) throw new Error(`unknown flash variant '${String(choice)}' (gpu, fallback or auto)`);
  if (choice !== 'auto') return choice;
  return info.isFallback ? 'fallback' : 'gpu';
}

/**
 * Tile sizes from the adapter's limits (the engine's device is created with the adapter's
 * maxComputeWorkgroupStorageSize and invocations, not WebGPU's defaults). Each staged row takes
 * two vec4<f32> tiles of d (K and V, or Q and dO), plus L and D in the backward.
 */
export function flashTiling(info: DeviceInfo, headDim: number, choice: FlashVariantChoice, precision: FlashPrecision, pass: FlashPass = 'forward'): FlashTiling {
  assertPrecisionSupports(precision, headDim);
  const variant = resolveFlashVariant(info, choice);
  const { maxComputeInvocationsPerWorkgroup: invocations, maxComputeWorkgroupStorageSize: storage } = info.limits;
  const lanes = Math.ceil(headDim / 4);
  const perRow = 2 * lanes * 16 + (pass === 'backward' ? 8 : 0);
  const fitting = Math.floor(storage / perRow);
  const tiles = (invocationCount: number, rowsPerInvocation: number, maxKeys: number, maxBlock: number, staged: boolean, subgroups: boolean): FlashTiling => {
    const block = Math.max(1, Math.min(maxBlock, maxKeys, staged ? fitting : maxKeys));
    const keys = staged ? Math.floor(Math.min(maxKeys, fitting) / block) * block : maxKeys;
    return {
      variant,
      precision,
      rowsPerWorkgroup: invocationCount * rowsPerInvocation,
      invocations: invocationCount,
      rowsPerInvocation,
      keysPerTile: keys,
      keysPerBlock: block,
      workgroupBytes: staged ? keys * perRow : 0,
      subgroups,
      unrolled: !staged,
      staged,
    };
  };
  if (variant === 'gpu') {
    const rows = invocations >= FLASH_GPU_ROWS ? FLASH_GPU_ROWS : invocations >= 64 ? 64 : invocations;
    return tiles(rows, 1, FLASH_GPU_MAX_KEYS, FLASH_GPU_BLOCK, true, pass === 'forward' && info.subgroups === true);
  }
  const budget = FLASH_FALLBACK_BUDGETS[pass];
  const perInvocation = Math.max(1, Math.min(FLASH_FALLBACK_MAX_ROWS_PER_INVOCATION, Math.floor(budget.registerVec4 / lanes)));
  // The per-pair work (a score, an exp, the backward's dS) does not shrink with d, so small heads
  // are bounded by query–key pairs per step too: at d = 6 the backward with 16 rows × 4 keys took
  // SwiftShader's compiler past 5 GiB and minutes before it was killed; 16 × 1 compiles in seconds.
  const keys = Math.max(1, Math.min(FLASH_FALLBACK_MAX_KEYS, Math.floor(budget.unrolledVec4 / (perInvocation * lanes)), Math.floor(budget.pairs / perInvocation)));
  return tiles(Math.min(FLASH_FALLBACK_INVOCATIONS, invocations), perInvocation, keys, keys, false, false);
}
