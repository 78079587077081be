/**
 * How the flash kernels read and write rows of [batchHeads][n][d] tensors, generated per head
 * size and storage precision so that every kernel holds a row as ceil(d/4) named vec4<f32>
 * registers (dynamically indexed private arrays are slow on SwiftShader, GPU.md) and computes
 * in f32 whatever the storage:
 *
 * - f32, d a multiple of 4: `array<vec4<f32>>`, one load per vec4.
 * - f32, other d: `array<f32>`, the last vec4 zero-padded (its padding multiplies zeros only).
 * - f16: halves packed two to a `u32` (`vec2<u32>` per vec4 when d is a multiple of 4) and
 *   unpacked with WGSL's core `unpack2x16float`, which every adapter has; the 'shader-f16'
 *   feature is not needed. d must be even so that a row starts on a word.
 */

export type FlashPrecision = 'f32' | 'f16';

/** Every storage precision the flash kernels accept. */
export const FLASH_PRECISIONS: readonly FlashPrecision[] = ['f32', 'f16'];

/** Bytes one stored element takes. */
export function precisionBytes(precision: FlashPrecision): number {
  return precision === 'f16' ? 2 : 4;
}

/** Throws a clear error for an unknown precision, or a head size the precision cannot store. */
export function assertPrecisionSupports(precision: FlashPrecision, headDim: number): void {
  if (!FLASH_PRECISIONS.includes(precision)) throw new Error(`unknown storage precision '${String(precision)}' (f32 or f16)`);
  if (precision === 'f16' && headDim % 2 !== 0) {
    throw new Error(`flash attention: f16 storage packs two halves per 32-bit word, so the head size must be even (got d=${headDim})`);
  }
}

/** Repeats `make(i)` for each vec4 lane of a row, joined by `separator`. */
export type Vec4Lanes = (make: (index: number) => string, separator?: string) => string;

export interface RowStorage {
  /** vec4 lanes per row: ceil(d/4). */
  lanes: number;
  each: Vec4Lanes;
  /** WGSL element type of an input tensor's storage array. */
  inputType: string;
  /** Helper functions the loads need (declare once per module). */
  helpers: string;
  /** Expression: vec4 lane `lane` (f32) of row `row` (an absolute row index, head·n + row) of input `name`. */
  load(name: string, row: string, lane: number): string;
  /** The same with a run-time lane index `lane` (a u32 expression; tile staging). */
  loadDynamic(name: string, row: string, lane: string): string;
  /** WGSL element type of an f32 output tensor's storage array. */
  outputType: string;
  /** Statements storing the vec4 `value` as lane `lane` of row `row` of f32 output `name`. */
  store(name: string, row: string, lane: number, value: string): string;
}

/** The row access for head size `headDim` with inputs stored in `precision` (outputs are f32). */
export function rowStorage(headDim: number, precision: FlashPrecision): RowStorage {
  assertPrecisionSupports(precision, headDim);
  const lanes = Math.ceil(headDim / 4);
  const each: Vec4Lanes = (make, separator = '\n  ') => Array.from({ length: lanes }, (_, index) => make(index)).join(separator);
  const whole = headDim % 4 === 0;
  /** Components of lane `lane` that hold data (the last lane of an odd-sized row holds fewer). */
  const width = (lane: number) => Math.min(4, headDim - 4 * lane);
  const pad = (parts: string[]) => `vec4<f32>(${[...parts, ...Array(4 - parts.length).fill('0.0')].join(', ')})`;

  let inputType: string;
  let load: RowStorage['load'];
  let loadDynamic: RowStorage['loadDynamic'];
  let helpers = '';
  if (precision === 'f32') {
    inputType = whole ? 'vec4<f32>' : 'f32';
    load = whole
      ? (name, row, lane) => `${name}[(${row}) * ${lanes}u + ${lane}u]`
      : (name, row, lane) => pad(Array.from({ length: width(lane) }, (_, c) => `${name}[(${row}) * ${headDim}u + ${4 * lane + c}u]`));
    // Past the row's end the read lands in the next row (or is clamped by robustness) and is dropped.
    loadDynamic = whole
      ? (name, row, lane) => `${name}[(${row}) * ${lanes}u + ${lane}]`
      : (name, row, lane) =>
          `vec4<f32>(${[0, 1, 2, 3].map((c) => `select(0.0, ${name}[(${row}) * ${headDim}u + 4u * (${lane}) + ${c}u], 4u * (${lane}) + ${c}u < ${headDim}u)`).join(', ')})`;
  } else if (whole) {
    inputType = 'vec2<u32>';
    helpers = 'fn unpackHalf4(words: vec2<u32>) -> vec4<f32> { return vec4<f32>(unpack2x16float(words.x), unpack2x16float(words.y)); }';
    load = (name, row, lane) => `unpackHalf4(${name}[(${row}) * ${lanes}u + ${lane}u])`;
    loadDynamic = (name, row, lane) => `unpackHalf4(${name}[(${row}) * ${lanes}u + ${lane}])`;
  } else {
    const words = headDim / 2;
    inputType = 'u32';
    load = (name, row, lane) => {
      const first = `unpack2x16float(${name}[(${row}) * ${words}u + ${2 * lane}u])`;
      if (width(lane) <= 2) return `vec4<f32>(${first}, 0.0, 0.0)`;
      return `vec4<f32>(${first}, unpack2x16float(${name}[(${row}) * ${words}u + ${2 * lane + 1}u]))`;
    };
    loadDynamic = (name, row, lane) => {
      const word = (offset: number) => `unpack2x16float(${name}[(${row}) * ${words}u + 2u * (${lane}) + ${offset}u])`;
      return `vec4<f32>(${word(0)}, select(vec2<f32>(0.0), ${word(1)}, 4u * (${lane}) + 2u < ${headDim}u))`;
    };
  }
  const outputType = whole ? 'vec4<f32>' : 'f32';
  const components = ['x', 'y', 'z', 'w'];
  const store: RowStorage['store'] = whole
    ? (name, row, lane, value) => `${name}[(${row}) * ${lanes}u + ${lane}u] = ${value};`
    : (name, row, lane, value) => {
        const parts = Array.from({ length: width(lane) }, (_, c) => `${name}[(${row}) * ${headDim}u + ${4 * lane + c}u] = stored${lane}.${components[c]};`);
        return `{ let stored${lane} = ${value}; ${parts.join(' ')} }`;
      };
  return { lanes, each, inputType, helpers, load, loadDynamic, outputType, store };
}

/** Rounds a float32 to the nearest IEEE half (ties to even), as its 16 bits. */
export function toHalfBits(value: number): number {
  const scratch = new DataView(new ArrayBuffer(4));
  scratch.setFloat32(0, value);
  const bits = scratch.getUint32(0);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - halfExponent;
    let half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa rounds up into the exponent, to infinity at most: still correct.
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

/** The value of half bits `bits`, as a number. */
export function fromHalfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Packs float32 values into halves, two per u32 (element 2i in the low 16 bits), as the kernels read them. */
export function packHalves(values: Float32Array): Uint32Array {
  const words = new Uint32Array(Math.ceil(values.length / 2));
  for (let index = 0; index < values.length; index++) {
    words[index >> 1] |= toHalfBits(values[index]) << ((index & 1) * 16);
  }
  return words;
}

/** The values the device sees after `packHalves`: each element rounded to half. */
export function roundToHalf(values: Float32Array): Float32Array {
  return values.map((value) => fromHalfBits(toHalfBits(value)));
}
