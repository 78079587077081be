export type { DeviceInfo, EngineContext } from './device-info';
export { acquireEngine, assertDeviceHealthy, describeDevice, watchDevice, type AcquireOptions } from './gpu';
export { MemoryMeter, DeviceMemoryTracker, captureDeviceErrors, type DeviceRefusal, type MemoryReport } from './memory';
export { readFloat32, submitAndWait } from './readback';
export { timeGpu, median, MIN_REPEATS, type GpuTiming, type TimingOptions } from './timing';
export { computePipeline, uniformBuffer } from './pipelines';
export {
  Gemm,
  measureGemmGflops,
  gemmTiling,
  GEMM_TILING_GPU,
  GEMM_TILING_SOFTWARE,
  type GemmTiling,
  type GemmBuffers,
  type GemmShape,
} from './gemm/Gemm';
// Decoder, KV-cache and flash-decoding (decoder engineer).
export { defaultDecoderConfig, resolveDecoderConfig, kvCacheBytes, qkvWidth, type DecoderConfig } from './transformer/DecoderConfig';
export { createDecoderWeights, rotaryTables, type DecoderWeights, type DecoderLayerWeights } from './transformer/DecoderWeights';
export { DecoderModel, type DecodeAttention, type DecoderModelOptions } from './transformer/DecoderModel';
export {
  decodeBothWays,
  decodeWithCache,
  decodeWithoutCache,
  seededPrompt,
  type DecodeBothWaysOptions,
  type DecodeBothWaysResult,
  type DecodeOptions,
  type DecodeRun,
} from './decode/decode';
export { fillKvCache, type KvFillPoint, type KvFillRequest, type KvFillResult } from './decode/kv-memory';
export { measureParallelSpeedup, type ParallelSpeedup } from './decode/parallelism';
export {
  KvCachePool,
  kvSlabBindings,
  kvTokenBytes,
  slabPlan,
  DEFAULT_BLOCK_TOKENS,
  type KvCacheLayout,
  type KvCacheShape,
  type KvPoolOptions,
  type KvPoolStats,
} from './decode/kv-pool';
export { argmax, createSampler, type SamplingOptions } from './decode/sampling';
export { cachedStepTrafficBytes, fullForwardTrafficBytes } from './decode/traffic';
export { referenceDecoderForward } from './reference/decoder';
export { StandardAttention, SOFTMAX_WORKGROUP_SIZE, type AttentionBuffers } from './attention/StandardAttention';
export { FlashAttention } from './attention/FlashAttention';
export {
  flashTiling,
  resolveFlashVariant,
  FLASH_VARIANT_CHOICES,
  type FlashPass,
  type FlashTiling,
  type FlashVariant,
  type FlashVariantChoice,
} from './attention/flash-tiling';
export { FLASH_PRECISIONS, packHalves, roundToHalf, type FlashPrecision } from './attention/flash-storage.wgsl';
export { runAttentionForward, refusedByDevice, type AttentionKernel, type FlashRunOptions, type ForwardResult, type KernelReport } from './attention/run-attention';
export { squareMatrixBytes, tensorBytes } from './attention/limits';
export { attentionScale, MAX_HEAD_DIM, type AttentionShape } from './attention/shape';
export * from './attention/traffic';
export { SeededRandom, normalFloat32 } from './reference/random';
export { referenceGemm, relativeL2Error } from './reference/gemm';
export { referenceAttentionForward, referenceAttentionBackward } from './reference/attention';
export { FlashAttentionBackward, type AttentionGradientBuffers } from './attention/FlashAttentionBackward';
export { StandardAttentionBackward } from './attention/StandardAttentionBackward';
export { runAttentionBackward, type BackwardResult } from './attention/run-backward';
export { deviceRoofline, keepRoofline, placeOnRoofline, type DeviceRoofline, type StoredRoofline } from './roofline/roofline';
export { probeAttention, type ProbeResult } from './attention/probe-attention';
export { standardPassCosts, flashForwardFlops, type PassCost } from './attention/costs';
// LLM-serving experiments: softmax forms, quantised KV-cache, rotary scores, speculative decoding, timed projections.
export { runSoftmaxForm, type SoftmaxForm, type SoftmaxFormResult } from './softmax/softmax-forms';
export { referenceSoftmax } from './reference/softmax';
export {
  quantizeKv,
  readQuantizedKv,
  quantizedDecodeAttention,
  codeWords,
  metaWords,
  type KvQuantBits,
  type KvQuantScaling,
  type KvQuantScheme,
  type KvQuantShape,
  type QuantizedKv,
} from './quant/kv-quant';
export { dequantizeKv, referenceDecodeAttention, referenceRanges, referenceCode, unpackMeta } from './reference/kv-quant';
export { rotaryScores, type RotaryScoresInput, type RotaryScoresResult } from './transformer/rotary-scores';
export { referenceRotate, referenceRotaryScores } from './reference/rotary';
export { decodeSpeculative, type SpeculativeOptions, type SpeculativeRun, type SpeculativeIteration } from './decode/speculative';
export { timeProjection, type ProjectionShape, type ProjectionTiming } from './roofline/projection';
