import type { RowStorage } from './flash-storage.wgsl';

/**
 * What every flash pass shares (forward, backward dK/dV and dQ): the constants block, tile staging
 * into workgroup memory (gpu) or the rows' indices for reading storage directly (fallback), and
 * the walk over keys (or queries) in blocks, looped (gpu) or unrolled (fallback).
 */
export interface FlashKernelShape {
  headDim: number;
  storage: RowStorage;
  /** Invocations per workgroup. */
  invocations: number;
  /** Rows (query or key rows) each invocation owns, in registers; rows per workgroup = invocations × this. */
  rowsPerInvocation: number;
  /** Rows per staged tile. */
  keys: number;
  /** Rows per block of the tile walk (scores kept in registers); divides `keys`. */
  block: number;
  /** Fully unroll the tile walk, so that workgroup reads have constant indices (software adapters). */
  unroll: boolean;
  /** The adapter has 'subgroups': the forward rescales only when a subgroup's max rose. */
  subgroups: boolean;
  /**
   * K/V (Q/dO) tiles staged in workgroup memory by the whole workgroup (GPUs), or each
   * invocation reading the rows it walks straight from storage (SwiftShader, where both are
   * per-lane reads and the staging only adds copies and barriers).
   */
  staged: boolean;
  /**
   * False only for flash-exact's control arm: the forward keeps no rescale when the running max
   * rises (an approximation). Default true.
   */
  rescale?: boolean;
}

/** The module's head: extension, constants (INVOCATIONS, ROWS, KEYS, LANES, SCALE), `Params`, storage helpers. */
export function flashKernelPrelude(shape: FlashKernelShape): string {
  // String(Math.fround(x)) is the shortest decimal of that float32, so WGSL parses the same value.
  const scale = String(Math.fround(1 / Math.sqrt(shape.headDim)));
  return /* wgsl */ `${shape.subgroups ? 'enable subgroups;\n' : ''}
const INVOCATIONS: u32 = ${shape.invocations}u;
const ROWS: u32 = ${shape.invocations * shape.rowsPerInvocation}u;
const KEYS: u32 = ${shape.keys}u;
const LANES: u32 = ${shape.storage.lanes}u;
const SCALE: f32 = ${scale.includes('.') || scale.includes('e') ? scale : `${scale}.0`};

// Field order is the offset table FlashParamsLayout in FlashAttention.ts.
struct Params { n: u32, batchHeads: u32, causal: u32, pad0: u32 }
${shape.storage.helpers}`;
}

/**
 * Stages KEYS rows starting at `key0` of each `[tensor, tile]` pair into workgroup memory as
 * vec4<f32> (f16 storage unpacked once here). Rows past n repeat the last row; the walk masks them.
 * Needs `lane`, `n`, `headRow` and `key0` in scope.
 */
export function stageRowsWgsl(shape: FlashKernelShape, pairs: readonly [tensor: string, tile: string][], first = 'key0'): string {
  return /* wgsl */ `for (var index = lane; index < ${shape.unroll ? "KEYS" : "tileRows"} * LANES; index += INVOCATIONS) {
      let stagedRow = headRow + min(${first} + index / LANES, n - 1u);
      let part = index % LANES;
      ${pairs.map(([tensor, tile]) => `${tile}[index] = ${shape.storage.loadDynamic(tensor, 'stagedRow', 'part')};`).join('\n      ')}
    }`;
}

/** Offset in a tile (in vec4s) of row `j` of the block that starts at tile row `start`. */
function tileOffset(shape: FlashKernelShape, start: number | string, j: number): string {
  return typeof start === 'number' ? `${(start + j) * shape.storage.lanes}u` : `(${start} + ${j}u) * LANES`;
}

/** Tile row of row `j` of a block starting at `start`, as a u32 expression. */
function tileRow(start: number | string, j: number): string {
  return typeof start === 'number' ? `${start + j}u` : `${start} + ${j}u`;
}

/**
 * Visits every block of a staged tile: `body(start)` gets the block's first tile row (a number when
 * unrolled). The loop form stops at `tileRows` (in scope: the tile's rows before n or the causal
 * end, uniform across the workgroup), a bound the compiler cannot fold, so it keeps the loop
 * rather than unrolling whole tiles (which made SwiftShader's compile take minutes); rows past it
 * are all masked.
 */
export function tileWalkWgsl(shape: FlashKernelShape, body: (start: number | string) => string): string {
  if (shape.keys % shape.block !== 0) throw new Error(`flash kernel: block ${shape.block} does not divide the tile ${shape.keys}`);
  if (shape.unroll) return Array.from({ length: shape.keys / shape.block }, (_, b) => `{\n    ${body(b * shape.block)}\n    }`).join('\n    ');
  return /* wgsl */ `for (var j0 = 0u; j0 < tileRows; j0 += ${shape.block}u) {
      ${body('j0')}
    }`;
}

/** Per block of a tile: the row's offsets and whether each row is visible (`row < visible`). */
export interface TileBlock {
  /** Offset of row j in the tile, in vec4s. */
  offset(j: number): string;
  /** Tile row index of row j (u32). */
  row(j: number): string;
  count: number;
}

/** Walks a staged tile in blocks, giving each block's offsets to `body`. */
export function tileBlocksWgsl(shape: FlashKernelShape, body: (block: TileBlock) => string): string {
  return tileWalkWgsl(shape, (start) => body({ offset: (j) => tileOffset(shape, start, j), row: (j) => tileRow(start, j), count: shape.block }));
}

/** 0, 1, …, count − 1. */
export function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

/**
 * Unstaged walks: `blockRow<j>` = the absolute row of row j of the block, headRow + first + tile
 * row, clamped to the last row (masked anyway). Nothing when staged. Needs `headRow`, `n` and
 * `first` (key0 or query0) in scope.
 */
export function blockRowIndicesWgsl(shape: FlashKernelShape, block: TileBlock, first: string): string {
  if (shape.staged) return '';
  return range(block.count)
    .map((j) => `let blockRow${j} = headRow + min(${first} + ${block.row(j)}, n - 1u);`)
    .join('\n    ');
}

/**
 * Loads vec4 lane i of each row j of the block into `<prefix><j>_<i>`, for each
 * `[tensor, tile, prefix]`: from the staged tile, or (unstaged) from storage at `blockRow<j>`.
 */
export function blockRowsWgsl(shape: FlashKernelShape, block: TileBlock, sources: readonly [tensor: string, tile: string, prefix: string][]): string {
  const load = (tensor: string, tile: string, j: number, i: number) => (shape.staged ? `${tile}[${block.offset(j)} + ${i}u]` : shape.storage.load(tensor, `blockRow${j}`, i));
  return sources
    .flatMap(([tensor, tile, prefix]) => range(block.count).map((j) => shape.storage.each((i) => `let ${prefix}${j}_${i} = ${load(tensor, tile, j, i)};`, ' ')))
    .join('\n    ');
}

/** A scalar of row j of the block (L or D in the dK/dV pass): from its staged tile or from storage. */
export function blockScalarWgsl(shape: FlashKernelShape, block: TileBlock, j: number, tensor: string, tile: string): string {
  return shape.staged ? `${tile}[${block.row(j)}]` : `${tensor}[blockRow${j}]`;
}
