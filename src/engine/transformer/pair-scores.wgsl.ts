/**
 * Every query row against every key row of a block, per head: scores[h][m][n] = q[m][h] · k[n][h]
 * (no scale, no mask), reading q as the rotary kernel writes it, [rows][HEADS][HEAD_DIM], and the
 * keys from its K|V rows, [rows][K | V][HEADS][HEAD_DIM]. One invocation per (n, m, h).
 */
export const pairScoresWgsl = /* wgsl */ `
override HEADS: u32;
override HEAD_DIM: u32;

// Field order is PairScoresParamsLayout in rotary-scores.ts.
struct Params { rows: u32, pad0: u32, pad1: u32, pad2: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;
@group(0) @binding(2) var<storage, read> kv: array<f32>;
@group(0) @binding(3) var<storage, read_write> scores: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let n = id.x;
  let m = id.y;
  let head = id.z;
  if (n >= params.rows || m >= params.rows) { return; }
  let queryBase = (m * HEADS + head) * HEAD_DIM;
  let keyBase = n * 2u * HEADS * HEAD_DIM + head * HEAD_DIM;
  var dot = 0.0;
  for (var c = 0u; c < HEAD_DIM; c++) { dot = fma(q[queryBase + c], kv[keyBase + c], dot); }
  scores[(head * params.rows + m) * params.rows + n] = dot;
}
`;
