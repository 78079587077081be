import { decodeWithCache, seededPrompt, type DecodeRun } from '../engine/decode/decode';
import { decodeSpeculative, type SpeculativeRun } from '../engine/decode/speculative';
import { SeededRandom } from '../engine/reference/random';
import { median } from '../engine/timing';
import { resolveDecoderConfig } from '../engine/transformer/DecoderConfig';
import { DecoderModel } from '../engine/transformer/DecoderModel';
import { createDecoderWeights, type DecoderWeights } from '../engine/transformer/DecoderWeights';
import { pValue } from './checks';
import { speculativeDecodingMeta, type SpeculativeDecodingParams } from './speculative-decoding.meta';
import { compareSamples } from './statistics';
import { both, finish, guarded, joinContext, num, softwareGpuContext, throwIfAborted } from './support';
import type { Experiment, Localized, Series } from './types';
import { judge, measured, modelled, type Check, type Outcome } from './verdict';

/** "Several tokens per run of the target": at least this many on average. */
export const TOKENS_PER_FORWARD_BAR = 1.5;
/** At most this many counts as one token per run (no gain from the draft). */
const ONE_TOKEN_BAR = 1.1;
/** The device verifies γ + 1 tokens "for about the cost of one" when one forward over them takes at most this many single steps. */
export const CHEAP_VERIFY_BAR = 1.5;
const PROMPT_TOKENS = 8;
/** A narrow decoder: a step then costs its dispatches, not its arithmetic, as a small model's does on a GPU. */
const TARGET_SHAPE = { dModel: 32, hidden: 64, heads: 2, kvHeads: 2, headDim: 16 } as const;

type DraftId = 'self' | 'early-exit' | 'noisy' | 'unrelated';

interface Draft {
  id: DraftId;
  label: Localized;
  run: SpeculativeRun;
}

/** What a draft showed, against the target decoding alone. */
interface DraftMeasures {
  id: DraftId;
  label: Localized;
  tokensMatch: boolean;
  alpha: number;
  tokensPerTargetForward: number;
  /** ms per token of each iteration (its time ÷ the tokens it added). */
  msPerToken: number[];
  meanMsPerToken: number;
  iterations: number;
  /** A draft step ÷ a target step, and one verification ÷ a target step (medians). */
  draftCost: number;
  verifyCost: number;
}

function measure(draft: Draft, baseline: DecodeRun, stepMs: number): DraftMeasures {
  const { run } = draft;
  const judged = run.iterations.reduce((sum, i) => sum + i.judged, 0);
  const accepted = run.iterations.reduce((sum, i) => sum + i.accepted, 0);
  const emitted = run.iterations.reduce((sum, i) => sum + i.emitted, 0);
  const drafting = run.iterations.filter((i) => i.proposed > 0).map((i) => (i.ms - i.verifyMs) / i.proposed);
  return {
    id: draft.id,
    label: draft.label,
    tokensMatch: run.tokens.length === baseline.tokens.length && run.tokens.every((token, index) => token === baseline.tokens[index]),
    // α: the share of judged proposals the target accepted (Leviathan et al.'s per-token acceptance).
    alpha: judged ? accepted / judged : 0,
    tokensPerTargetForward: emitted / run.iterations.length,
    msPerToken: run.iterations.map((i) => i.ms / i.emitted),
    meanMsPerToken: run.iterations.reduce((sum, i) => sum + i.ms, 0) / emitted,
    iterations: run.iterations.length,
    draftCost: drafting.length ? median(drafting) / stepMs : 0,
    verifyCost: median(run.iterations.map((i) => i.verifyMs)) / stepMs,
  };
}

/** Tokens a run of the target yields on average, E[N] = (1 − α^(γ+1)) / (1 − α) (Leviathan et al., §3.1): a model. */
export function expectedTokens(alpha: number, gamma: number): number {
  return alpha >= 1 ? gamma + 1 : (1 - alpha ** (gamma + 1)) / (1 - alpha);
}

/** The claim's test on one draft: the target's tokens, several tokens per target run, and faster than the target alone. */
function claimTest(arm: DraftMeasures, baselineMs: number[], verify: { ratio: number }): Check[] {
  const perForward: Outcome = arm.tokensPerTargetForward >= TOKENS_PER_FORWARD_BAR ? 'holds' : arm.tokensPerTargetForward <= ONE_TOKEN_BAR ? 'does-not-hold' : 'not-shown';
  const speed = compareSamples(arm.msPerToken, baselineMs);
  const cheap = verify.ratio <= CHEAP_VERIFY_BAR;
  const faster: Outcome = speed.direction === 'smaller' ? 'holds' : cheap && speed.direction === 'larger' ? 'does-not-hold' : 'not-shown';
  const speedRatio = speed.ratio;
  const fasterObserved =
    faster === 'holds'
      ? both(`${arm.label.ko}: 토큰당 ${num(arm.meanMsPerToken)} ms, 목표 모델만으로는 ${num(median(baselineMs))} ms — ${num(speedRatio)}배 빠름(${pValue(speed.pSmaller)}).`, `${arm.label.en}: ${num(arm.meanMsPerToken)} ms per token against ${num(median(baselineMs))} ms for the target alone — ${num(speedRatio)}× faster (${pValue(speed.pSmaller)}).`)
      : faster === 'does-not-hold'
        ? both(`${arm.label.ko}: 토큰당 ${num(arm.meanMsPerToken)} ms로 목표 모델만(${num(median(baselineMs))} ms)보다 느림(${pValue(speed.pLarger)}).`, `${arm.label.en}: ${num(arm.meanMsPerToken)} ms per token, slower than the target alone (${num(median(baselineMs))} ms; ${pValue(speed.pLarger)}).`)
        : cheap
          ? both(`${arm.label.ko}: 목표 모델만과의 차이(${num(speedRatio)}배)가 측정 흔들림 안이라 판별되지 않음(${pValue(speed.pSmaller)}).`, `${arm.label.en}: ${num(speedRatio)}× against the target alone, within the noise of this run (${pValue(speed.pSmaller)}).`)
          : both(
              `이 장치에서는 토큰 여러 개를 한 번에 검증하는 목표 모델의 실행이 한 토큰 단계의 ${num(verify.ratio)}배 걸렸습니다(측정): 계산이 병목이라 검증이 공짜가 아니므로, 수락률이 허락하는 속도 향상을 보여 줄 수 없습니다(기준 ${CHEAP_VERIFY_BAR}배 이하). 측정된 속도 비는 ${num(speedRatio)}배입니다.`,
              `On this device one target run verifying several tokens took ${num(verify.ratio)}× a one-token step (measured): compute is the bottleneck, so verification is not free and the speed-up the acceptance rate allows cannot show (it takes ${CHEAP_VERIFY_BAR}× or less). Measured speed ratio: ${num(speedRatio)}×.`,
            );
  return [
    {
      id: 'same-output',
      claim: both(`${arm.label.ko}: 목표 모델만으로 탐욕적 디코딩한 토큰과 같다`, `${arm.label.en}: the tokens are the target's own greedy decode`),
      outcome: arm.tokensMatch ? 'holds' : 'does-not-hold',
      observed: both(`${arm.label.ko}: 토큰 ${arm.tokensMatch ? '모두 일치' : '불일치'}.`, `${arm.label.en}: tokens ${arm.tokensMatch ? 'identical' : 'differ'}.`),
      evidence: [measured('same-output.tokens', both('목표 모델만의 토큰과 일치', "Tokens identical to the target's alone"), arm.tokensMatch, '')],
    },
    {
      id: 'tokens-per-run',
      claim: both(`${arm.label.ko}: 목표 모델의 한 번의 실행이 토큰 ${TOKENS_PER_FORWARD_BAR}개 이상을 낸다`, `${arm.label.en}: each run of the target yields ${TOKENS_PER_FORWARD_BAR} tokens or more`),
      outcome: perForward,
      observed: both(
        `${arm.label.ko}: 수락률 ${num(arm.alpha)}, 목표 모델 실행 ${arm.iterations}번에 평균 ${num(arm.tokensPerTargetForward)}토큰.`,
        `${arm.label.en}: acceptance rate ${num(arm.alpha)}, ${num(arm.tokensPerTargetForward)} tokens per target run over ${arm.iterations} runs.`,
      ),
      evidence: [
        measured('tokens-per-run.mean', both('목표 모델 실행당 토큰 수', 'Tokens per target run'), arm.tokensPerTargetForward, ''),
        measured('tokens-per-run.alpha', both('수락률 α', 'Acceptance rate α'), arm.alpha, '', false),
      ],
    },
    {
      id: 'faster',
      claim: both(`${arm.label.ko}: 목표 모델만으로 디코딩하는 것보다 빠르다`, `${arm.label.en}: decoding is faster than with the target alone`),
      outcome: faster,
      observed: fasterObserved,
      evidence: [
        measured('faster.ratio', both('목표 모델만 ÷ 추측 디코딩 토큰당 시간', 'Target alone ÷ speculative time per token'), speedRatio, '×', faster !== 'not-shown'),
        measured('faster.verifyCost', both('γ+1 토큰 검증 ÷ 한 토큰 단계 (측정)', 'Verifying γ+1 tokens ÷ one-token step (measured)'), verify.ratio, '×', faster === 'not-shown' && !cheap),
        measured('faster.p', both('유의확률 p (Mann–Whitney)', 'p-value (Mann–Whitney)'), faster === 'does-not-hold' ? speed.pLarger : speed.pSmaller, 'p', faster !== 'not-shown'),
      ],
    },
  ];
}

/** Adds seeded noise of `share` of each weight's size to every weight of a one-layer draft. */
function noisyCopy(weights: DecoderWeights, share: number, seed: number): DecoderWeights {
  const random = new SeededRandom(seed);
  const noisy = (values: Float32Array) => values.map((x) => x + share * Math.abs(x) * random.nextNormal());
  const layer = weights.layers[0];
  return {
    embedding: noisy(weights.embedding),
    finalNorm: weights.finalNorm,
    unembedding: noisy(weights.unembedding),
    layers: [{ attentionNorm: layer.attentionNorm, qkv: noisy(layer.qkv), output: noisy(layer.output), mlpNorm: layer.mlpNorm, gateUp: noisy(layer.gateUp), down: noisy(layer.down) }],
  };
}

/**
 * Decodes one prompt greedily with the target alone, then speculatively with four drafts of
 * controlled quality — the target itself, its first layer (a smaller model sharing its weights), a
 * noisy copy of that, and an unrelated one-layer model (the control) — and measures the tokens,
 * the acceptance rate and the time per token of each, and what verifying γ + 1 tokens costs.
 */
export const speculativeDecoding: Experiment<SpeculativeDecodingParams> = {
  ...speculativeDecodingMeta,
  async run(engine, params, progress, signal) {
    const startedAt = Date.now();
    const gamma = params.draftLength;
    const targetConfig = resolveDecoderConfig({ ...TARGET_SHAPE, layers: params.layers, maxPositions: PROMPT_TOKENS + params.tokens + 1, seed: params.seed });
    const weights = createDecoderWeights(targetConfig);
    // Later layers refine what the first computed, as in a trained model's easy tokens: their output
    // and down projections are scaled down, so the first layer alone predicts the target well.
    for (const layer of weights.layers.slice(1)) {
      layer.output = layer.output.map((x) => x * (params.refinement / 100));
      layer.down = layer.down.map((x) => x * (params.refinement / 100));
    }
    const draftConfig = { ...targetConfig, layers: 1 };
    const firstLayer: DecoderWeights = { ...weights, layers: weights.layers.slice(0, 1) };
    const models: DecoderModel[] = [];
    const make = (config: typeof targetConfig, options: ConstructorParameters<typeof DecoderModel>[2]) => {
      const model = new DecoderModel(engine, config, options);
      models.push(model);
      return model;
    };
    const drafts: Draft[] = [];
    let baseline: DecodeRun | null = null;
    const verifyRatios: number[] = [];
    try {
      await guarded(signal, async () => {
        progress(0.02, 'building the target and its drafts');
        const target = make(targetConfig, { weights, cache: { maxSequences: 2 } });
        const plan: { id: DraftId; label: Localized; model: DecoderModel; sequence: number }[] = [
          { id: 'self', label: both('초안 = 목표 모델 자신', 'draft = the target itself'), model: target, sequence: 1 },
          { id: 'early-exit', label: both('초안 = 목표의 첫 레이어(가중치 공유)', "draft = the target's first layer (shared weights)"), model: make(draftConfig, { weights: firstLayer }), sequence: 0 },
          { id: 'noisy', label: both(`초안 = 첫 레이어에 잡음 ${params.noise}%`, `draft = the first layer with ${params.noise}% noise`), model: make(draftConfig, { weights: noisyCopy(firstLayer, params.noise / 100, params.seed + 1) }), sequence: 0 },
          { id: 'unrelated', label: both('초안 = 무관한 1레이어 모델', 'draft = an unrelated one-layer model'), model: make({ ...draftConfig, seed: params.seed + 1000 }, {}), sequence: 0 },
        ];
        const prompt = seededPrompt(params.seed, PROMPT_TOKENS, targetConfig.vocab);
        // Warm-up: compiles every pipeline and row count the timed runs use.
        await decodeWithCache(target, { prompt, tokens: 3 });
        for (const draft of plan) await decodeSpeculative(target, draft.model, { prompt, tokens: gamma + 2, draftLength: gamma, draftSequence: draft.sequence, signal });
        progress(0.15, 'the target alone');
        baseline = await decodeWithCache(target, { prompt, tokens: params.tokens, signal });
        for (const [index, draft] of plan.entries()) {
          throwIfAborted(signal);
          progress(0.25 + (0.6 * index) / plan.length, `speculative: ${draft.label.en}`);
          drafts.push({ id: draft.id, label: draft.label, run: await decodeSpeculative(target, draft.model, { prompt, tokens: params.tokens, draftLength: gamma, draftSequence: draft.sequence, signal }) });
        }
        // What one forward over γ + 1 tokens costs against a one-token step, at the same position.
        progress(0.9, 'the cost of verifying γ + 1 tokens');
        const sequence = [...prompt, ...(baseline as DecodeRun).tokens];
        const at = PROMPT_TOKENS + params.tokens - gamma - 1;
        for (let repeat = 0; repeat < 5; repeat++) {
          const one = performance.now();
          await target.forward(sequence.slice(at, at + 1), at);
          const stepMs = performance.now() - one;
          const many = performance.now();
          await target.forwardRows(sequence.slice(at, at + gamma + 1), at);
          verifyRatios.push((performance.now() - many) / stepMs);
        }
      });
    } finally {
      for (const model of models) model.dispose();
    }
    progress(1, 'done');
    const base = baseline as unknown as DecodeRun;
    const baselineMs = base.msPerToken.slice(1);
    const stepMs = median(baselineMs);
    const measures = drafts.map((draft) => measure(draft, base, stepMs));
    const byId = (id: DraftId) => measures.find((m) => m.id === id)!;
    const good = byId('early-exit');
    const unrelated = byId('unrelated');
    const verify = { ratio: median(verifyRatios) };
    const speedup = (arm: DraftMeasures) => (baselineMs.reduce((a, b) => a + b, 0) / baselineMs.length) / arm.meanMsPerToken;
    const predicted = (alpha: number, arm: DraftMeasures) => expectedTokens(alpha, gamma) / (gamma * arm.draftCost + arm.verifyCost);
    const { verdict, control } = judge({
      checks: claimTest(good, baselineMs, verify),
      control: { description: both('대조군: 목표와 무관한 1레이어 모델을 초안으로(수락률 ≈ 0)', 'Control: an unrelated one-layer model as the draft (acceptance ≈ 0)'), checks: claimTest(unrelated, baselineMs, verify) },
      model: measures.map((m) => modelled(`model.speedup.${m.id}`, both(`${m.label.ko}: 공식 속도 향상 E[N]/(γc + v) (측정한 α, c, v로)`, `${m.label.en}: speed-up by the formula E[N]/(γc + v) (from the measured α, c, v)`), predicted(m.alpha, m), '×')),
      summary: both(
        `측정(목표 ${params.layers}레이어, 토큰 ${params.tokens}개, γ=${gamma}): 목표 모델만 토큰당 ${num(stepMs)} ms. ${measures.map((m) => `${m.label.ko}: 수락률 ${num(m.alpha, 2)}, 실행당 ${num(m.tokensPerTargetForward, 2)}토큰, ${num(speedup(m), 2)}배, 토큰 ${m.tokensMatch ? '일치' : '불일치'}`).join('; ')}. γ+1 토큰 검증은 한 단계의 ${num(verify.ratio)}배.`,
        `Measured (a ${params.layers}-layer target, ${params.tokens} tokens, γ=${gamma}): the target alone took ${num(stepMs)} ms per token. ${measures.map((m) => `${m.label.en}: acceptance ${num(m.alpha, 2)}, ${num(m.tokensPerTargetForward, 2)} tokens per target run, ${num(speedup(m), 2)}×, tokens ${m.tokensMatch ? 'identical' : 'differ'}`).join('; ')}. Verifying γ+1 tokens took ${num(verify.ratio)}× a step.`,
      ),
      meaning: {
        holds: both(
          '카드의 답이 이 기기에서 확인되었습니다: 초안이 무엇이든 출력은 목표 모델의 것과 같고, 목표를 잘 흉내 내는 초안은 목표 모델의 한 번의 실행으로 여러 토큰을 얻어 더 빠릅니다. 무관한 초안은 실행당 한 토큰뿐이라 초안을 돌린 만큼 느려집니다.',
          "The card's answer is confirmed on this device: whatever the draft, the output is the target's, and a draft that imitates the target gets several tokens per run of the target and is faster. An unrelated draft gets one token per run and only adds its own cost.",
        ),
        'does-not-hold': both('이 실행에서 측정된 수치가 주장과 어긋납니다. 아래 항목에서 어느 부분인지 확인하세요.', 'A number measured in this run contradicts the claim: see which check below.'),
        'not-shown': both(
          '출력이 같고 수락률만큼 목표 모델의 실행당 토큰이 늘어나는 것은 측정되었지만, 이 장치에서는 여러 토큰을 한 번에 검증하는 비용이 한 토큰 단계보다 훨씬 커서(계산 병목, 측정값 참조) 속도 향상을 보여 줄 수 없습니다. 디코드가 메모리 병목인 실제 GPU에서 실행해 보세요.',
          "The identical output and the tokens per target run growing with the acceptance rate were measured, but on this device verifying several tokens at once costs far more than a one-token step (compute-bound; see the measurement), so the speed-up cannot show. Run it on a real GPU, where decoding is memory-bound.",
        ),
      },
    });
    const sorted = [...measures].sort((a, b) => a.alpha - b.alpha);
    // The one-layer drafts cost the same, so their speed-ups lie on one curve; the target drafting
    // for itself costs a whole step per proposal and is drawn apart.
    const oneLayer = sorted.filter((m) => m.id !== 'self');
    const self = byId('self');
    const alphas = Array.from({ length: 21 }, (_, i) => i / 20);
    const series: Series[] = [
      { id: 'speedup-measured', label: both('측정: 1레이어 초안들 (같은 비용)', 'Measured: the one-layer drafts (same cost)'), x: oneLayer.map((m) => m.alpha), y: oneLayer.map(speedup) },
      { id: 'speedup-self', label: both('측정: 초안 = 목표 자신 (한 단계 비용)', 'Measured: draft = the target itself (a full step each)'), x: [self.alpha], y: [speedup(self)] },
      { id: 'speedup-model', label: both(`공식 (모델, 첫 레이어 초안의 c=${num(good.draftCost, 2)}, v=${num(good.verifyCost, 2)})`, `Formula (model, the first-layer draft's c=${num(good.draftCost, 2)}, v=${num(good.verifyCost, 2)})`), x: alphas, y: alphas.map((a) => predicted(a, good)) },
      { id: 'tokens-measured', label: both('측정: 목표 실행당 토큰', 'Measured: tokens per target run'), x: sorted.map((m) => m.alpha), y: sorted.map((m) => m.tokensPerTargetForward) },
      { id: 'tokens-model', label: both(`공식 E[N] = (1 − α^(γ+1))/(1 − α) (모델)`, 'Formula E[N] = (1 − α^(γ+1))/(1 − α) (model)'), x: alphas, y: alphas.map((a) => expectedTokens(a, gamma)) },
    ];
    return finish(
      {
        experimentId: speculativeDecodingMeta.id,
        params,
        device: engine.info,
        metrics: {
          targetMsPerToken: stepMs,
          verifyCost: verify.ratio,
          ...Object.fromEntries(measures.flatMap((m) => [[`${m.id}Alpha`, m.alpha], [`${m.id}TokensPerRun`, m.tokensPerTargetForward], [`${m.id}Speedup`, speedup(m)], [`${m.id}TokensMatch`, m.tokensMatch]])),
          draftLength: gamma,
        },
        table: {
          columns: [
            both('초안', 'Draft'),
            both('수락률 α', 'Acceptance α'),
            both('목표 실행당 토큰', 'Tokens per target run'),
            both('목표 실행 수', 'Target runs'),
            both('토큰당 ms', 'ms per token'),
            both('속도 향상 (측정)', 'Speed-up (measured)'),
            both('초안 비용 c (측정)', 'Draft cost c (measured)'),
            both('토큰 일치', 'Tokens identical'),
          ],
          rows: [
            ['target alone', null, 1, baselineMs.length, stepMs, 1, null, 'yes'],
            ...measures.map((m) => [m.label.en, m.alpha, m.tokensPerTargetForward, m.iterations, m.meanMsPerToken, speedup(m), m.draftCost, m.tokensMatch ? 'yes' : 'no']),
          ],
        },
        series,
        charts: [
          {
            id: 'speedup',
            title: both('수락률에 따른 속도 향상', 'Speed-up vs acceptance rate'),
            xLabel: both('수락률 α', 'Acceptance rate α'),
            yLabel: both('목표 모델만 대비 속도 향상 (배)', 'Speed-up over the target alone (×)'),
            series: ['speedup-measured', 'speedup-self', 'speedup-model'],
          },
          {
            id: 'tokens-per-run',
            title: both(`목표 모델 실행당 토큰 (γ = ${gamma})`, `Tokens per run of the target (γ = ${gamma})`),
            xLabel: both('수락률 α', 'Acceptance rate α'),
            yLabel: both('토큰', 'Tokens'),
            series: ['tokens-measured', 'tokens-model'],
          },
        ],
        verdict,
        control,
        context: joinContext(
          both(
            `목표 모델은 ${params.layers}레이어 디코더이고, 첫 레이어 뒤 레이어들의 출력 투영을 ${params.refinement}%로 줄여 학습된 모델처럼 뒤 레이어가 앞의 결과를 조금씩 다듬게 했습니다(모델). 그래서 첫 레이어만 쓰는 초안(가중치를 공유하는 작은 모델: 자기 추측 디코딩)이 목표를 잘 흉내 냅니다. 검증은 목표 모델이 캐시 위에서 γ+1 토큰을 한 번에 처리하는 실행이고, 거부된 위치부터는 다음 실행이 캐시를 덮어씁니다. 시간은 프롬프트 처리 뒤 토큰당 벽시계 시간이며, c는 초안 한 단계 ÷ 목표 한 단계, v는 γ+1 토큰 검증 ÷ 목표 한 단계(측정)입니다.`,
            `The target is a ${params.layers}-layer decoder whose layers after the first have their output projections scaled to ${params.refinement}%, so that, as in a trained model, the later layers refine what the first computed (a model). A draft using only the first layer (a smaller model sharing the target's weights: self-speculative decoding) then imitates the target well. Verification is one run of the target over γ+1 tokens on its cache; from a rejected position on, the next run overwrites the cache. Times are wall clock per token after the prompt; c is a draft step ÷ a target step and v verifying γ+1 tokens ÷ a target step (measured).`,
          ),
          engine.info.isFallback ? softwareGpuContext : undefined,
        ),
      },
      startedAt,
    );
  },
};
