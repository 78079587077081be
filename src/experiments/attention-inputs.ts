import { normalFloat32, SeededRandom } from '../engine/reference/random';
import type { AttentionShape } from '../engine/attention/shape';

/** Q, K, V (and dO) drawn from one seed, standard normal, layout [batchHeads][n][d] (as the CLI dump). */
export function attentionInputs(shape: AttentionShape, seed: number, withGradient = false) {
  const random = new SeededRandom(seed);
  const count = shape.batchHeads * shape.n * shape.d;
  const q = normalFloat32(random, count);
  const k = normalFloat32(random, count);
  const v = normalFloat32(random, count);
  const dO = withGradient ? normalFloat32(random, count) : new Float32Array(0);
  return { q, k, v, dO };
}

/** Relative L2 error ‖a − ref‖ / ‖ref‖ and max |a − ref|, in float64. */
export function compare(actual: ArrayLike<number>, reference: ArrayLike<number>): { relative: number; maxAbs: number } {
  let difference = 0;
  let norm = 0;
  let maxAbs = 0;
  for (let i = 0; i < reference.length; i++) {
    const delta = actual[i] - reference[i];
    difference += delta * delta;
    norm += reference[i] * reference[i];
    maxAbs = Math.max(maxAbs, Math.abs(delta));
  }
  return { relative: norm === 0 ? Math.sqrt(difference) : Math.sqrt(difference / norm), maxAbs };
}
