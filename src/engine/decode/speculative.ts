import type { DecoderModel } from '../transformer/DecoderModel';
import { argmax } from './sampling';

export interface SpeculativeOptions {
  prompt: readonly number[];
  /** Tokens to generate (the first comes from the target's prefill). */
  tokens: number;
  /** Draft tokens proposed per iteration (γ). */
  draftLength: number;
  /** Cache sequences of the target and the draft (they may be one model: the target drafting for itself). */
  targetSequence?: number;
  draftSequence?: number;
  signal?: AbortSignal;
}

/** One iteration: the draft proposes, the target verifies in one forward over the cache. */
export interface SpeculativeIteration {
  proposed: number;
  accepted: number;
  /** Proposals the target judged: the accepted ones and the first rejected one (those after it were never in question). */
  judged: number;
  /** Tokens the iteration added (accepted + the target's own). */
  emitted: number;
  /** Wall time of the whole iteration (draft steps + verification), and of its verification alone. */
  ms: number;
  verifyMs: number;
}

export interface SpeculativeRun {
  tokens: number[];
  /** Wall time of the prompt's prefill on both models (the first token). */
  prefillMs: number;
  iterations: SpeculativeIteration[];
  /** Forwards of the draft model after its prefill. */
  draftForwards: number;
}

/**
 * Greedy speculative decoding (Leviathan et al., 2023, with argmax in place of sampling): per
 * iteration the draft proposes up to γ tokens one step at a time, then the target scores the last
 * accepted token and the proposals in one forward over its KV-cache (`forwardRows`); proposals are
 * accepted while they equal the target's argmax, and the target's argmax at the first mismatch (or
 * after the last proposal) is added too. Both caches are rolled back by starting the next forward at
 * the first position they do not hold correctly, so the output is the target's greedy decode.
 */
export async function decodeSpeculative(target: DecoderModel, draft: DecoderModel, options: SpeculativeOptions): Promise<SpeculativeRun> {
  const { prompt, tokens, draftLength } = options;
  const targetSequence = options.targetSequence ?? 0;
  const draftSequence = options.draftSequence ?? 0;
  if (prompt.length < 1 || tokens < 1 || !Number.isInteger(draftLength) || draftLength < 1) throw new Error('decodeSpeculative: needs a prompt, tokens ≥ 1 and a draft length ≥ 1');
  if (target === draft && targetSequence === draftSequence) throw new Error('decodeSpeculative: a model drafting for itself needs its own cache sequence');
  for (const model of [target, draft]) {
    if (prompt.length + tokens > model.config.maxPositions) throw new Error(`decodeSpeculative: ${prompt.length} + ${tokens} positions exceed maxPositions ${model.config.maxPositions}`);
  }
  const started = performance.now();
  const sequence = [...prompt];
  sequence.push(argmax(await target.forward(prompt, 0, targetSequence)));
  await draft.forward(prompt, 0, draftSequence);
  const run: SpeculativeRun = { tokens: [], prefillMs: performance.now() - started, iterations: [], draftForwards: 0 };
  // Positions 0 … valid − 1 of each cache hold the keys and values of `sequence`.
  let targetValid = prompt.length;
  let draftValid = prompt.length;
  while (sequence.length - prompt.length < tokens) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('decodeSpeculative: aborted');
    const iterationStart = performance.now();
    const length = sequence.length;
    const proposals: number[] = [];
    const budget = Math.min(draftLength, tokens - (length - prompt.length) - 1);
    let context = sequence;
    for (let index = 0; index < budget; index++) {
      // One-token steps only: after a fully accepted iteration the draft first catches up on the
      // proposal it never ran, so every draft forward costs the same.
      let logits: Float32Array | null = null;
      for (; draftValid < context.length; draftValid++) {
        logits = await draft.forward([context[draftValid]], draftValid, draftSequence);
        run.draftForwards++;
      }
      proposals.push(argmax(logits!));
      context = [...context, proposals[index]];
    }
    const verifyStart = performance.now();
    const feed = [...sequence.slice(targetValid), ...proposals];
    const rows = await target.forwardRows(feed, targetValid, targetSequence);
    const verifyMs = performance.now() - verifyStart;
    const vocab = target.config.vocab;
    const first = length - 1 - targetValid;
    const predicted = (index: number) => argmax(rows.subarray((first + index) * vocab, (first + index + 1) * vocab));
    let accepted = 0;
    while (accepted < proposals.length && predicted(accepted) === proposals[accepted]) accepted++;
    sequence.push(...proposals.slice(0, accepted), predicted(accepted));
    targetValid = sequence.length - 1;
    draftValid = Math.min(draftValid, length + accepted);
    run.iterations.push({ proposed: proposals.length, accepted, judged: Math.min(proposals.length, accepted + 1), emitted: accepted + 1, ms: performance.now() - iterationStart, verifyMs });
  }
  run.tokens = sequence.slice(prompt.length, prompt.length + tokens);
  return run;
}
