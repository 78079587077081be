/**
 * The online softmax (Milakov & Gimelshein; FlashAttention) as WGSL text, written once for every
 * kernel that keeps it: the forward row and tiled variants, the flash-decoding combine, and the
 * backward pass, which recomputes probabilities from the logsumexp the forward wrote.
 *
 * State: the running max m (`runningMax`) and the running sum l (`runningSum`) of exp(score − m)
 * over what has been seen, and the kernel's own output accumulator, which holds Σ exp(score − m)·v.
 * When m rises, l and the accumulator are rescaled by exp(m_old − m_new); at the end the output is
 * accumulator / l and the logsumexp L = m + log l. The kernels differ only in how their
 * accumulator is stored (named vec4 registers, a register array, one scalar), so that is the
 * parameter.
 */

/** How a kernel's output accumulator is rescaled and added to, as WGSL statements. */
export interface SoftmaxAccumulator {
  /** Statements multiplying the accumulator by the WGSL f32 expression `factor`. */
  rescale(factor: string): string;
  /** Statements adding `probability` times the value row to the accumulator. */
  add(probability: string): string;
}

/** A score no real score reaches: masked keys, and the running max before the first key. */
export const SOFTMAX_EMPTY = '-3.0e38';

/** Declares the running max and sum, empty. */
export const onlineSoftmaxStart = /* wgsl */ `var runningMax = ${SOFTMAX_EMPTY};
  var runningSum = 0.0;`;

/**
 * Raises the running max to `newMax` when that is larger, rescaling the sum and the accumulator.
 * Skipped when the max stays: the factor would be exp(0) = 1, and the skip saves a multiply per
 * accumulator element on most keys.
 */
export function onlineSoftmaxRaise(newMax: string, accumulator: SoftmaxAccumulator, rescale = true): string {
  // Without the rescale (the flash-exact experiment's control arm), terms added under an older,
  // smaller max keep their too-large weight: an approximation, wrong by exp(m_new − m_old).
  if (!rescale) return /* wgsl */ `if (${newMax} > runningMax) { runningMax = ${newMax}; }`;
  return /* wgsl */ `if (${newMax} > runningMax) {
    let rescale = exp(runningMax - ${newMax});
    runningSum *= rescale;
    ${accumulator.rescale('rescale')}
    runningMax = ${newMax};
  }`;
}

/** Probability of `score` under the current running max (call after raising the max past it). */
export function softmaxProbability(score: string): string {
  return `exp(${score} - runningMax)`;
}

/** Adds `probability` (from `softmaxProbability`) to the sum and the accumulator. */
export function onlineSoftmaxAdd(probability: string, accumulator: SoftmaxAccumulator): string {
  return /* wgsl */ `runningSum += ${probability};
    ${accumulator.add(probability)}`;
}

/** One score at a time: raise the max, then add its probability (forward rows, flash-decoding combine). */
export function onlineSoftmaxStep(score: string, accumulator: SoftmaxAccumulator, rescale = true): string {
  return /* wgsl */ `${onlineSoftmaxRaise(score, accumulator, rescale)}
    {
      let probability = ${softmaxProbability(score)};
      ${onlineSoftmaxAdd('probability', accumulator)}
    }`;
}

/** The factor that turns the accumulator into the output: 1 / l. */
export const softmaxNormaliser = '1.0 / runningSum';

/** The logsumexp L = m + log l the forward writes for the backward pass. */
export const softmaxLogSumExp = 'runningMax + log(runningSum)';

/** A probability recomputed from its score and the row's logsumexp (backward pass): exp(score − L). */
export function softmaxFromLogSumExp(score: string, logSumExp: string): string {
  return `exp(${score} - ${logSumExp})`;
}
