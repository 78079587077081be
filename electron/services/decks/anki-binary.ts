import { Decompress, decompress } from 'fzstd';
import { AppError } from '../../../src/shared/errors';
import { DecompressionBudget, formatBytes, invalid, tooLarge } from './limits';

/** What one zstd frame may expand to: its own cap (`reason` names it) and the import's budget. */
export interface ZstdBounds {
  maxBytes: number;
  reason: string;
  budget?: DecompressionBudget;
  /** The limit to name when `maxBytes` is what is left of it (a total across files). */
  limitBytes?: number;
}

function overLimit(what: string, size: number | null, bounds: ZstdBounds): never {
  const expands = size === null ? `expands beyond ${bounds.maxBytes} bytes` : `would expand to ${size} bytes`;
  throw tooLarge(`${what} ${expands}`, { file: what.slice(0, 80), ...(size === null ? {} : { size: formatBytes(size) }), limit: formatBytes(bounds.limitBytes ?? bounds.maxBytes) }, bounds.reason);
}

/**
 * Decompresses one zstd frame whose header declares its size (Anki's writer always does), into a
 * buffer of exactly that size: a frame that lies about its size fails instead of growing memory.
 * The declared size is checked against the frame's cap and charged to the import's budget before
 * the buffer exists; a frame without a declared size is decompressed as a stream that stops at
 * whichever of the two comes first.
 */
export function zstdDecompress(data: Uint8Array, what: string, bounds: ZstdBounds): Uint8Array {
  if (data.length < 6 || data[0] !== 0x28 || data[1] !== 0xb5 || data[2] !== 0x2f || data[3] !== 0xfd) {
    throw invalid('zstd', `${what} is not zstd-compressed data`, { file: what });
  }
  const descriptor = data[4];
  const sizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3];
  let offset = 5 + (singleSegment ? 0 : 1) + dictionaryBytes;
  const sizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][sizeFlag];
  if (!singleSegment && 10 + (data[5] >> 3) > 27) throw tooLarge(`${what} asks for a ${2 ** (10 + (data[5] >> 3))}-byte window`, { file: what.slice(0, 80), limit: '128 MiB' }, 'zstd-window');
  if (sizeBytes === 0) return zstdStream(data, what, bounds);
  if (offset + sizeBytes > data.length) throw invalid('zstd', `${what} is truncated`, { file: what });
  let size = 0;
  for (let i = sizeBytes - 1; i >= 0; i--) size = size * 256 + data[offset + i];
  if (sizeBytes === 2) size += 256;
  offset += sizeBytes;
  if (size > bounds.maxBytes) overLimit(what, size, bounds);
  bounds.budget?.spend(size, what);
  const out = new Uint8Array(size);
  let result: Uint8Array;
  try {
    result = decompress(data, out);
  } catch (e) {
    throw invalid('zstd', `${what} is damaged (${e instanceof Error ? e.message : String(e)})`, { file: what });
  }
  if (result.length !== size) throw invalid('zstd', `${what} is damaged (size mismatch)`, { file: what });
  return result;
}

/**
 * Anki's streaming writer leaves the size out of the frame header. Input goes in 1 KiB at a time:
 * one push can then yield at most a few MiB (a block is ≤ 128 KiB), so the running total stops a
 * bomb long before memory does.
 */
function zstdStream(data: Uint8Array, what: string, bounds: ZstdBounds): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let done = false;
  const stream = new Decompress((chunk, final) => {
    total += chunk.length;
    if (total > bounds.maxBytes) overLimit(what, null, bounds);
    bounds.budget?.spend(chunk.length, what);
    chunks.push(chunk);
    if (final) done = true;
  });
  try {
    const step = 1024;
    for (let offset = 0; offset < data.length; offset += step) {
      stream.push(data.subarray(offset, Math.min(data.length, offset + step)), offset + step >= data.length);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw invalid('zstd', `${what} is damaged (${e instanceof Error ? e.message : String(e)})`, { file: what });
  }
  if (!done && total === 0) throw invalid('zstd', `${what} is damaged or empty`, { file: what });
  const out = new Uint8Array(total);
  let position = 0;
  for (const chunk of chunks) {
    out.set(chunk, position);
    position += chunk.length;
  }
  return out;
}

/** A protobuf field as read by the minimal reader below. */
export interface ProtoField {
  field: number;
  /** varint value (wire type 0) */
  value?: number;
  /** length-delimited bytes (wire type 2) */
  bytes?: Uint8Array;
}

/**
 * Reads the top level of a protobuf message. Anki stores note type, template and media-map
 * settings as protobuf; only a few string and varint fields are needed, so a 40-line reader
 * beats generating code from Anki's .proto files.
 */
export function readProtobuf(data: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let offset = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (offset >= data.length) throw invalid('protobuf', 'a protobuf message is truncated');
      const byte = data[offset++];
      result += (byte & 0x7f) * scale;
      if (!(byte & 0x80)) return result;
      scale *= 128;
    }
    throw invalid('protobuf', 'a protobuf varint is too long');
  };
  while (offset < data.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) fields.push({ field, value: varint() });
    else if (wire === 2) {
      const length = varint();
      if (offset + length > data.length) throw invalid('protobuf', 'a protobuf message is truncated');
      fields.push({ field, bytes: data.subarray(offset, offset + length) });
      offset += length;
    } else if (wire === 1) offset += 8;
    else if (wire === 5) offset += 4;
    else throw invalid('protobuf', `unsupported protobuf wire type ${wire}`);
  }
  return fields;
}

const decoder = new TextDecoder();

export function protoString(fields: ProtoField[], field: number): string | undefined {
  const found = fields.find((f) => f.field === field && f.bytes);
  return found?.bytes ? decoder.decode(found.bytes) : undefined;
}

export function protoVarint(fields: ProtoField[], field: number): number | undefined {
  return fields.find((f) => f.field === field && f.value !== undefined)?.value;
}
