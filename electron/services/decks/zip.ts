import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { DecompressionBudget, formatBytes, importLimits, invalid, tooLarge } from './limits';

export interface ZipLimits {
  totalUncompressedBytes: number;
  compressionRatio: number;
  entries: number;
}

/** One entry as the central directory declares it. */
export interface ZipEntry {
  name: string;
  /** Bytes stored in the archive. */
  compressedSize: number;
  /** Bytes once inflated (what the budget is charged). */
  size: number;
  method: number;
  crc: number;
  /** Where the entry's data starts (past its local header). */
  dataOffset: number;
}

/** A zip entry name is safe when it is relative, has no `..` segment and no drive or NUL. */
function checkEntryName(name: string): void {
  if (name.length === 0 || name.length > 1024) throw invalid('zip-path', `zip entry has an unusable name`, { entry: name.slice(0, 80) });
  const parts = name.split(/[\\/]/);
  if (name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name) || name.includes('\0') || parts.includes('..')) {
    throw invalid('zip-path', `zip entry '${name.slice(0, 80)}' points outside the archive`, { entry: name.slice(0, 80) });
  }
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

const damaged = (why: string) => invalid('not-zip', `the zip archive is damaged or truncated (${why})`);

/**
 * A zip read lazily and within bounds. The central directory is read and checked first: names
 * must stay inside the archive, duplicates are refused (a second `collection.anki2` could smuggle
 * other content past a check), declared sizes must add up to less than the limits (a zip bomb is
 * refused before anything is inflated). An entry is inflated only when asked for, into a buffer
 * capped at its declared size, charged to the import's decompression budget, and its CRC-32 must
 * match: a flipped bit is "damaged", never a silently different deck.
 */
export class ZipArchive {
  readonly entries = new Map<string, ZipEntry>();

  constructor(
    private readonly bytes: Uint8Array,
    private readonly budget: DecompressionBudget = new DecompressionBudget(),
    limits: ZipLimits = importLimits,
  ) {
    if (bytes.length < 22 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw invalid('not-zip', 'the file is not a zip archive (or it is truncated)');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let end = -1;
    for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
      if (view.getUint32(at, true) === EOCD) {
        end = at;
        break;
      }
    }
    if (end < 0) throw damaged('no end of central directory');
    const count = view.getUint16(end + 10, true);
    const directorySize = view.getUint32(end + 12, true);
    const directoryOffset = view.getUint32(end + 16, true);
    if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 8, true) !== count) throw damaged('multi-part archives are not read');
    if (count > limits.entries) throw tooLarge(`the archive has ${count} entries`, { count, limit: limits.entries }, 'zip-entries');
    if (directoryOffset + directorySize > end) throw damaged('the central directory lies outside the file');
    let at = directoryOffset;
    let total = 0;
    for (let i = 0; i < count; i++) {
      if (at + 46 > end || view.getUint32(at, true) !== CENTRAL) throw damaged('a central directory record is missing');
      const flags = view.getUint16(at + 8, true);
      const method = view.getUint16(at + 10, true);
      const crc = view.getUint32(at + 16, true);
      const compressedSize = view.getUint32(at + 20, true);
      const size = view.getUint32(at + 24, true);
      const nameLength = view.getUint16(at + 28, true);
      const extraLength = view.getUint16(at + 30, true);
      const commentLength = view.getUint16(at + 32, true);
      const localOffset = view.getUint32(at + 42, true);
      if (at + 46 + nameLength > end) throw damaged('a central directory record is truncated');
      const nameBytes = bytes.subarray(at + 46, at + 46 + nameLength);
      const name = (flags & 0x800 ? utf8 : latin1).decode(nameBytes);
      at += 46 + nameLength + extraLength + commentLength;
      checkEntryName(name);
      if (this.entries.has(name)) throw invalid('zip-duplicate', `the archive holds '${name}' twice`, { entry: name });
      if (flags & 1) throw invalid('zip-compression', `zip entry '${name}' is encrypted`, { entry: name });
      if (method !== 0 && method !== 8) throw invalid('zip-compression', `zip entry '${name}' uses an unsupported compression method`, { entry: name });
      if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) throw damaged(`zip64 entry '${name.slice(0, 80)}'`);
      if (method === 0 && compressedSize !== size) throw invalid('not-zip', `zip entry '${name}' has inconsistent sizes`, { entry: name });
      total += size;
      // The local header repeats the name; its own lengths say where the data starts.
      if (localOffset + 30 > directoryOffset || view.getUint32(localOffset, true) !== LOCAL) throw damaged(`no local header for '${name.slice(0, 80)}'`);
      const localNameLength = view.getUint16(localOffset + 26, true);
      const dataOffset = localOffset + 30 + localNameLength + view.getUint16(localOffset + 28, true);
      if (localNameLength !== nameLength || !equalBytes(bytes.subarray(localOffset + 30, localOffset + 30 + nameLength), nameBytes)) {
        throw damaged(`the local and central names of '${name.slice(0, 80)}' differ`);
      }
      if (dataOffset + compressedSize > directoryOffset) throw damaged(`'${name.slice(0, 80)}' runs past the end of the data`);
      this.entries.set(name, { name, compressedSize, size, method, crc, dataOffset });
    }
    if (total > limits.totalUncompressedBytes) {
      throw tooLarge('the archive would expand beyond the size limit', { limit: formatBytes(limits.totalUncompressedBytes) }, 'zip-total');
    }
    for (const { name, size, compressedSize } of this.entries.values()) {
      if (size > 1024 * 1024 && size / Math.max(1, compressedSize) > limits.compressionRatio) {
        throw tooLarge(`zip entry '${name}' is compressed suspiciously well (a zip bomb?)`, { entry: name.slice(0, 80), limit: limits.compressionRatio }, 'zip-ratio');
      }
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The names of the archive's files (folders left out), in directory order. */
  names(): string[] {
    return [...this.entries.keys()].filter((name) => !name.endsWith('/'));
  }

  /**
   * One entry's bytes, in a buffer of its own (safe to transfer to another thread). `maxBytes`
   * refuses an entry that declares more than its part of the file may hold.
   */
  read(name: string, maxBytes = Infinity, reason = 'too-large', limitBytes = maxBytes): Uint8Array {
    const entry = this.entries.get(name);
    if (!entry) throw invalid('not-zip', `the archive has no entry '${name}'`, { entry: name });
    if (entry.size > maxBytes) throw tooLarge(`'${name}' declares ${entry.size} bytes`, { entry: name.slice(0, 80), file: name.slice(0, 80), size: formatBytes(entry.size), limit: formatBytes(limitBytes) }, reason);
    this.budget.spend(entry.size, name);
    const stored = this.bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
    let data: Uint8Array;
    if (entry.method === 0) data = stored.slice();
    else {
      try {
        const out = inflateRawSync(stored, { maxOutputLength: Math.max(1, entry.size) });
        data = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
      } catch (e) {
        throw invalid('not-zip', `zip entry '${name}' is damaged or truncated (${e instanceof Error ? e.message : String(e)})`, { entry: name.slice(0, 80) });
      }
    }
    if (data.length !== entry.size) throw invalid('not-zip', `zip entry '${name}' is damaged or truncated`, { entry: name.slice(0, 80) });
    if (crc32(data) !== entry.crc) throw invalid('zip-crc', `zip entry '${name}' is damaged (CRC-32 mismatch)`, { entry: name.slice(0, 80) });
    return data;
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** PNG, JPEG, GIF, WebP/RIFF, Ogg, MP3 (ID3), zstd: Anki names media entries by number, so look at the bytes. */
function isCompressedMedia(data: Uint8Array): boolean {
  const magic = [...data.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return /^(89504e47|ffd8ff|47494638|52494646|4f676753|494433|28b52ffd)/.test(magic);
}

/**
 * Writes a zip. Deflate runs in zlib (native, several times faster than a JS deflate on a
 * multi-megabyte collection); already-compressed media (images, audio) are stored as they are.
 * Plain zip: no zip64, so at most 65,535 entries and 4 GiB, far above what a deck needs.
 */
export function writeZip(files: Map<string, Uint8Array>): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of files) {
    const nameBytes = encoder.encode(name);
    const store = /\.(png|jpe?g|gif|webp|mp3|ogg|mp4|webm|zst)$/i.test(name) || data.length < 64 || isCompressedMedia(data);
    const body = store ? data : new Uint8Array(deflateRawSync(data, { level: 1 }));
    const method = store ? 0 : 8;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(nameBytes.length, 28);
    header.writeUInt32LE(offset, 42);
    parts.push(local, nameBytes, body);
    central.push(header, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.size, 8);
  end.writeUInt16LE(files.size, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, ...central, end]));
}
