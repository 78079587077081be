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
export function onlineSoftmaxRaise(newMax: string, accumulator: SoftmaxAccumulator): string {
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
export function onlineSoftmaxStep(score: string, accumulator: SoftmaxAccumulator): string {
  return /* wgsl */ `${onlineSoftmaxRaise(score, accumulator)}
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

/** How a kernel's accumulator takes a block update, as WGSL statements. */
export interface BlockAccumulator {
  /**
   * acc = acc · `rescale` + Σ_j `probabilities[j]` · value row j; `rescale` null means 1 and an
   * empty list adds nothing.
   */
  update(rescale: string | null, probabilities: readonly string[]): string;
}

/**
 * The online softmax over a block of scores at once (the flash kernels' tile walks): the running
 * max is raised to the block's max once, so there is one rescale per block rather than one
 * conditional rescale per key, and each score costs exactly one exp. `visible[j]` (a WGSL bool)
 * masks score j out (causal mask, past n). `rescaleWhen`:
 * - 'always': rescale every block, branch-free (the factor is exp(0) = 1 where the max stayed).
 * - 'subgroup': only when some invocation of the subgroup raised its max (`subgroupAny`), a
 *   subgroup-uniform branch, so no invocation waits on another's divergent path.
 * Needs `runningMax` and `runningSum` + `suffix` in scope (one pair per query row an invocation
 * keeps); the block's probabilities are named `p<suffix>_<j>`.
 */
export function onlineSoftmaxBlock(scores: readonly string[], visible: readonly string[], accumulator: BlockAccumulator, rescaleWhen: 'always' | 'subgroup' | 'never', suffix = ''): string {
  const [runningMax, runningSum, blockMax, rescale] = ['runningMax', 'runningSum', 'blockMax', 'rescale'].map((name) => `${name}${suffix}`);
  const masked = scores.map((score, j) => `select(${SOFTMAX_EMPTY}, ${score}, ${visible[j]})`);
  const maximum = masked.reduce((left, right) => `max(${left}, ${right})`, runningMax);
  const names = scores.map((_, j) => `p${suffix}_${j}`);
  // A masked score gets probability 0 even while the running max is still empty (exp(0) would be 1).
  const probabilities = scores.map((score, j) => `let ${names[j]} = select(0.0, exp(${score} - ${blockMax}), ${visible[j]});`);
  const sum = names.join(' + ');
  if (rescaleWhen === 'never') {
    // flash-exact's control arm: what was summed under an older, smaller max keeps its too-large
    // weight exp(m_new − m_old): an approximation.
    return /* wgsl */ `let ${blockMax} = ${maximum};
    ${probabilities.join('\n    ')}
    ${runningSum} += ${sum};
    ${accumulator.update(null, names)}
    ${runningMax} = ${blockMax};`;
  }
  if (rescaleWhen === 'subgroup') {
    return /* wgsl */ `let ${blockMax} = ${maximum};
    if (subgroupAny(${blockMax} > ${runningMax})) {
      let ${rescale} = exp(${runningMax} - ${blockMax});
      ${runningSum} *= ${rescale};
      ${accumulator.update(rescale, [])}
    }
    ${probabilities.join('\n    ')}
    ${runningSum} += ${sum};
    ${accumulator.update(null, names)}
    ${runningMax} = ${blockMax};`;
  }
  return /* wgsl */ `let ${blockMax} = ${maximum};
    let ${rescale} = exp(${runningMax} - ${blockMax});
    ${probabilities.join('\n    ')}
    ${runningSum} = ${runningSum} * ${rescale} + ${sum};
    ${accumulator.update(rescale, names)}
    ${runningMax} = ${blockMax};`;
}
