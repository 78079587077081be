import type { FlashPrecision, FlashVariant } from '../../src/engine';

/** One forced flash configuration under test. */
export interface FlashRun {
  variant: FlashVariant;
  precision: FlashPrecision;
}

/** Unit roundoff of IEEE half: 11 significant bits, so rounding to nearest errs by at most 2⁻¹¹ relative. */
export const HALF_UNIT_ROUNDOFF = 2 ** -11;

/**
 * Bars for f16 storage against the float64 reference of the UNROUNDED inputs (the arithmetic is
 * f32, so the storage rounding dominates). Rounding to nearest perturbs each stored element by a
 * relative error uniform in [−u, u] (rms u/√3), independently. V's rounding moves O by about u/√3
 * relative (O is a convex combination of V rows). A score q·k/√d of standard-normal rows gets
 * error Σ_c q_c k_c (δq_c + δk_c)/√d with rms u·√(2/3) ≈ 0.82u whatever d, and moves P, hence O
 * and L, by about as much. Together ≈ u rms; the bar is 4u (four times the expected error, and
 * still 250 times above the f32 kernels' ~1e-7 so a broken unpack fails it). The gradients go
 * through two such products (dO·v and q·k) and the difference dP − D, which cancels: 8u.
 */
export const F16_OUTPUT_BAR = 4 * HALF_UNIT_ROUNDOFF;
export const F16_GRADIENT_BAR = 8 * HALF_UNIT_ROUNDOFF;

/** Root-mean-square absolute difference (for L, whose entries may sit near 0). */
export function rmsError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < expected.length; index++) sum += (actual[index] - expected[index]) ** 2;
  return Math.sqrt(sum / Math.max(1, expected.length));
}
