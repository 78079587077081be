export type { DeviceInfo, EngineContext } from './device-info';
export { acquireEngine, assertDeviceHealthy, describeDevice, watchDevice, type AcquireOptions } from './gpu';
export { MemoryMeter } from './memory';
export { readFloat32, submitAndWait } from './readback';
export { timeGpu, median, type GpuTiming, type TimingOptions } from './timing';
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
export { DecoderModel, type DecodeAttention } from './transformer/DecoderModel';
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
export { allocateKvCache, measureKvCacheMemory, type KvCacheBuffers, type KvCacheMemory, type KvCacheShape } from './decode/kvCache';
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
} from './attention/flashTiling';
export { FLASH_PRECISIONS, packHalves, roundToHalf, type FlashPrecision } from './attention/flashStorage.wgsl';
export { runAttentionForward, type AttentionKernel, type FlashRunOptions, type ForwardResult, type KernelReport } from './attention/runAttention';
export { assertBufferFits, squareMatrixBytes, tensorBytes } from './attention/limits';
export { attentionScale, MAX_HEAD_DIM, type AttentionShape } from './attention/shape';
export * from './attention/traffic';
export { SeededRandom, normalFloat32 } from './reference/random';
export { referenceGemm, relativeL2Error } from './reference/gemm';
export { referenceAttentionForward, referenceAttentionBackward } from './reference/attention';
export { FlashAttentionBackward, type AttentionGradientBuffers } from './attention/FlashAttentionBackward';
export { StandardAttentionBackward } from './attention/StandardAttentionBackward';
export { runAttentionBackward, type BackwardResult } from './attention/runBackward';
