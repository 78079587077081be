/**
 * WGSL pieces shared by the kernels that read the paged KV-cache (kv-pool.ts).
 *
 * A block-table entry packs the physical block as (slab << 24) | block-in-slab. Inside a block
 * the layout is [layer][token][K | V][kvHead][headDim], so one token's keys and values of one
 * layer are a contiguous row of ROW_WIDTH = 2 · KV_HEADS · HEAD_DIM floats (what the append copies
 * in one piece), and a key or value vector is HEAD_DIM contiguous floats.
 *
 * WGSL has no arrays of buffer bindings, so each slab is its own binding `slab0 … slabN−1`, and a
 * reader is generated once per slab; a `switch` on the entry's slab picks it once per key (or once
 * per block for the value sums), never per element.
 */

/** Highest slab index an entry can carry, and the largest block index inside a slab. */
export const SLAB_SHIFT = 24;
export const MAX_BLOCKS_PER_SLAB = 2 ** SLAB_SHIFT;

/** Packs a physical block's address as the kernels read it from the block table. */
export function packBlockEntry(slab: number, block: number): number {
  return ((slab << SLAB_SHIFT) | block) >>> 0;
}

/** Overrides and the block-table lookups every paged reader declares (binding given by the caller). */
export function blockTableWgsl(binding: number): string {
  return /* wgsl */ `
override BLOCK_TOKENS: u32;
override BLOCK_FLOATS: u32;
override LAYER_OFFSET: u32;
override TABLE_STRIDE: u32;
@group(0) @binding(${binding}) var<storage, read> blockTable: array<u32>;

fn blockEntry(block: u32) -> u32 {
  return blockTable[step.sequence * TABLE_STRIDE + block];
}

fn entrySlab(entry: u32) -> u32 {
  return entry >> ${SLAB_SHIFT}u;
}

/** Float index of token \`token\`'s row (keys first) of this layer inside the block \`entry\`. */
fn rowBase(entry: u32, token: u32) -> u32 {
  return (entry & ${MAX_BLOCKS_PER_SLAB - 1}u) * BLOCK_FLOATS + LAYER_OFFSET + token * (2u * KV_HEADS * HEAD_DIM);
}
`;
}

/** `slabs` read-only storage bindings named slab0 … from `firstBinding` on. */
export function slabBindingsWgsl(slabs: number, firstBinding: number): string {
  return Array.from({ length: slabs }, (_, slab) => `@group(0) @binding(${firstBinding + slab}) var<storage, read> slab${slab}: array<f32>;`).join('\n');
}

/**
 * One function per slab, `${name}_${slab}(params)`, whose body reads the slab through `SLAB`, and
 * a dispatcher `${name}(slab: u32, params)` that calls the right one.
 */
export function perSlabWgsl(slabs: number, name: string, params: string, argumentNames: string, returnType: string, body: string): string {
  const functions = Array.from({ length: slabs }, (_, slab) => `fn ${name}_${slab}(${params}) -> ${returnType} {\n${body.replaceAll('SLAB', `slab${slab}`)}\n}`);
  const cases = Array.from({ length: slabs }, (_, slab) => `    case ${slab}u: { result = ${name}_${slab}(${argumentNames}); }`);
  return `${functions.join('\n')}
fn ${name}(slab: u32, ${params}) -> ${returnType} {
  var result: ${returnType};
  switch slab {
${cases.join('\n')}
    default: { }
  }
  return result;
}`;
}

/** q · key for the key vector at float `base` of a slab (the same fma order as the contiguous kernels). */
export function keyDotWgsl(slabs: number): string {
  return perSlabWgsl(
    slabs,
    'keyDot',
    'base: u32, queryBase: u32',
    'base, queryBase',
    'f32',
    `  var dot = 0.0;
  for (var column = 0u; column < HEAD_DIM; column++) {
    dot = fma(q[queryBase + column], SLAB[base + column], dot);
  }
  return dot;`,
  );
}
