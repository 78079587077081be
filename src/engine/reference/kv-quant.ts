import type { KvQuantBits, KvQuantScaling, KvQuantShape } from '../quant/kv-quant';

/**
 * Float64 references for the quantised KV-cache (quant/kv-quant.wgsl.ts, quant-attention.wgsl.ts):
 * the exact ranges each group is scaled by, the codes a given (scale, zero) gives, the cache the
 * device's codes stand for, and one decode step's attention.
 */

/** A float16 (its 16 bits) as a number. */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? Number.NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** (scale, zero) of a meta word written by pack2x16float: scale in the low half, zero in the high. */
export function unpackMeta(word: number): [number, number] {
  return [halfToNumber(word & 0xffff), halfToNumber(word >>> 16)];
}

/** Exact (scale, zero) of every group, before rounding to float16: keys [heads][groups][headDim], values [heads][tokens]. */
export function referenceRanges(keys: ArrayLike<number>, values: ArrayLike<number>, shape: KvQuantShape, bits: Exclude<KvQuantBits, 32>, scaling: KvQuantScaling): { keys: Float64Array; values: Float64Array } {
  const { heads, tokens, headDim, groupTokens } = shape;
  const levels = 2 ** bits - 1;
  const groups = Math.ceil(tokens / groupTokens);
  const keyRanges = new Float64Array(heads * groups * headDim * 2);
  const valueRanges = new Float64Array(heads * tokens * 2);
  const put = (target: Float64Array, slot: number, low: number, high: number) => {
    target[slot * 2] = (high - low) / levels;
    target[slot * 2 + 1] = low;
  };
  if (scaling === 'tensor') {
    const range = (data: ArrayLike<number>) => {
      let low = Infinity;
      let high = -Infinity;
      for (let index = 0; index < data.length; index++) {
        low = Math.min(low, data[index]);
        high = Math.max(high, data[index]);
      }
      return [low, high] as const;
    };
    const [kl, kh] = range(keys);
    const [vl, vh] = range(values);
    for (let slot = 0; slot < heads * groups * headDim; slot++) put(keyRanges, slot, kl, kh);
    for (let slot = 0; slot < heads * tokens; slot++) put(valueRanges, slot, vl, vh);
    return { keys: keyRanges, values: valueRanges };
  }
  for (let head = 0; head < heads; head++) {
    for (let group = 0; group < groups; group++) {
      for (let channel = 0; channel < headDim; channel++) {
        let low = Infinity;
        let high = -Infinity;
        for (let token = group * groupTokens; token < Math.min(tokens, (group + 1) * groupTokens); token++) {
          const x = keys[(head * tokens + token) * headDim + channel];
          low = Math.min(low, x);
          high = Math.max(high, x);
        }
        put(keyRanges, (head * groups + group) * headDim + channel, low, high);
      }
    }
    for (let token = 0; token < tokens; token++) {
      let low = Infinity;
      let high = -Infinity;
      for (let channel = 0; channel < headDim; channel++) {
        const x = values[(head * tokens + token) * headDim + channel];
        low = Math.min(low, x);
        high = Math.max(high, x);
      }
      put(valueRanges, head * tokens + token, low, high);
    }
  }
  return { keys: keyRanges, values: valueRanges };
}

/** The code of x under (scale, zero): round half to even of (x − zero) / scale, clamped to 0 … 2^bits − 1. */
export function referenceCode(x: number, scale: number, zero: number, bits: number): number {
  if (!(scale > 0)) return 0;
  const t = (x - zero) / scale;
  const floor = Math.floor(t);
  const rounded = t - floor === 0.5 ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(t);
  return Math.min(2 ** bits - 1, Math.max(0, rounded));
}

/** The float64 keys and values the device's codes and metadata stand for ([heads][tokens][headDim]). */
export function dequantizeKv(read: { keyCodes: Uint32Array; valueCodes: Uint32Array; keyMeta: Uint32Array; valueMeta: Uint32Array }, shape: KvQuantShape, bits: KvQuantBits): { keys: Float64Array; values: Float64Array } {
  const { heads, tokens, headDim, groupTokens } = shape;
  const perWord = 32 / bits;
  const words = Math.ceil(headDim / perWord);
  const groups = Math.ceil(tokens / groupTokens);
  const keys = new Float64Array(heads * tokens * headDim);
  const values = new Float64Array(heads * tokens * headDim);
  const asFloat = new Float32Array(1);
  const asWord = new Uint32Array(asFloat.buffer);
  for (let head = 0; head < heads; head++) {
    for (let token = 0; token < tokens; token++) {
      const row = head * tokens + token;
      for (let channel = 0; channel < headDim; channel++) {
        const at = row * words + Math.floor(channel / perWord);
        const index = row * headDim + channel;
        if (bits === 32) {
          asWord[0] = read.keyCodes[at];
          keys[index] = asFloat[0];
          asWord[0] = read.valueCodes[at];
          values[index] = asFloat[0];
          continue;
        }
        const shift = (channel % perWord) * bits;
        const mask = 2 ** bits - 1;
        const [ks, kz] = unpackMeta(read.keyMeta[(head * groups + Math.floor(token / groupTokens)) * headDim + channel]);
        const [vs, vz] = unpackMeta(read.valueMeta[row]);
        keys[index] = ((read.keyCodes[at] >>> shift) & mask) * ks + kz;
        values[index] = ((read.valueCodes[at] >>> shift) & mask) * vs + vz;
      }
    }
  }
  return { keys, values };
}

/** One decode step's attention in float64: query [heads][headDim] over keys and values [heads][tokens][headDim]. */
export function referenceDecodeAttention(query: ArrayLike<number>, keys: ArrayLike<number>, values: ArrayLike<number>, heads: number, tokens: number, headDim: number): Float64Array {
  const out = new Float64Array(heads * headDim);
  const scores = new Float64Array(tokens);
  const scale = 1 / Math.sqrt(headDim);
  for (let head = 0; head < heads; head++) {
    let max = -Infinity;
    for (let token = 0; token < tokens; token++) {
      let dot = 0;
      for (let channel = 0; channel < headDim; channel++) dot += query[head * headDim + channel] * keys[(head * tokens + token) * headDim + channel];
      scores[token] = dot * scale;
      max = Math.max(max, scores[token]);
    }
    let sum = 0;
    for (let token = 0; token < tokens; token++) {
      scores[token] = Math.exp(scores[token] - max);
      sum += scores[token];
    }
    for (let channel = 0; channel < headDim; channel++) {
      let acc = 0;
      for (let token = 0; token < tokens; token++) acc += scores[token] * values[(head * tokens + token) * headDim + channel];
      out[head * headDim + channel] = acc / sum;
    }
  }
  return out;
}
