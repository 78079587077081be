import { Decompress, decompress } from 'fzstd';
import { AppError } from '../../../../src/shared/errors';
import { DecompressionBudget, formatBytes, invalid, tooLarge } from '../limits';

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

/** What a zstd frame's header says, and where the frame ends. */
interface ZstdFrameInfo {
  /** Declared content size, or null when the writer streamed it. */
  size: number | null;
}

const BLOCK_MAX = 128 * 1024;
const WINDOW_MAX_LOG = 27;

/**
 * Walks the frame's header and block headers without decompressing anything: the data must be
 * exactly one zstd frame (a second frame could declare any size of its own), with a window of at
 * most 128 MiB and blocks no larger than the format allows.
 */
function inspectFrame(data: Uint8Array, what: string): ZstdFrameInfo {
  const damaged = (why: string) => invalid('zstd', `${what} is damaged (${why})`, { file: what.slice(0, 80) });
  if (data.length < 6 || data[0] !== 0x28 || data[1] !== 0xb5 || data[2] !== 0x2f || data[3] !== 0xfd) {
    throw invalid('zstd', `${what} is not zstd-compressed data`, { file: what.slice(0, 80) });
  }
  const descriptor = data[4];
  if (descriptor & 0x08) throw damaged('reserved bit set');
  const sizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const checksum = (descriptor >> 2) & 1;
  let at = 5;
  if (!singleSegment) {
    const log = 10 + (data[at] >> 3);
    if (log > WINDOW_MAX_LOG) throw tooLarge(`${what} asks for a ${2 ** log}-byte window`, { file: what.slice(0, 80), limit: '128 MiB' }, 'zstd-window');
    at++;
  }
  at += [0, 1, 2, 4][descriptor & 3];
  const sizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][sizeFlag];
  if (at + sizeBytes > data.length) throw damaged('truncated header');
  let size: number | null = null;
  if (sizeBytes > 0) {
    size = 0;
    for (let i = sizeBytes - 1; i >= 0; i--) size = size * 256 + data[at + i];
    if (sizeBytes === 2) size += 256;
  }
  at += sizeBytes;
  for (let last = false; !last; ) {
    if (at + 3 > data.length) throw damaged('truncated block');
    const header = data[at] | (data[at + 1] << 8) | (data[at + 2] << 16);
    last = (header & 1) === 1;
    const type = (header >> 1) & 3;
    const blockSize = header >>> 3;
    if (type === 3) throw damaged('reserved block type');
    if (blockSize > BLOCK_MAX) throw damaged('oversized block');
    at += 3 + (type === 1 ? 1 : blockSize);
  }
  at += checksum ? 4 : 0;
  if (at > data.length) throw damaged('truncated frame');
  if (at !== data.length) throw damaged('data after the frame');
  return { size };
}

/**
 * Decompresses one zstd frame (Anki writes exactly one per file). A frame that declares its size
 * (Anki's writer usually does) gets a buffer of exactly that size, after the size is checked
 * against the frame's cap and charged to the import's budget: a frame that lies about its size
 * fails instead of growing memory. A frame without a declared size is decompressed as a stream
 * that stops at whichever of the two comes first.
 */
export function zstdDecompress(data: Uint8Array, what: string, bounds: ZstdBounds): Uint8Array {
  const { size } = inspectFrame(data, what);
  if (size === null) return zstdStream(data, what, bounds);
  if (size > bounds.maxBytes) overLimit(what, size, bounds);
  bounds.budget?.spend(size, what);
  if (size === 0) return new Uint8Array(0);
  let result: Uint8Array;
  try {
    // fzstd allocates the declared size itself (handing it a buffer costs a string conversion of
    // the whole buffer in its `w == 1` test); the frame was checked to be the only one.
    result = decompress(data);
  } catch (e) {
    throw invalid('zstd', `${what} is damaged (${e instanceof Error ? e.message : String(e)})`, { file: what.slice(0, 80) });
  }
  if (result.length !== size) throw invalid('zstd', `${what} is damaged (size mismatch)`, { file: what.slice(0, 80) });
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
