import { crc32, deflateRawSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { importLimits, invalid, tooLarge } from './types';

export interface ZipLimits {
  totalUncompressedBytes: number;
  compressionRatio: number;
  entries: number;
}

interface EntryInfo {
  name: string;
  size: number;
  originalSize: number;
  compression: number;
}

/** A zip entry name is safe when it is relative, has no `..` segment and no drive or NUL. */
function checkEntryName(name: string): void {
  if (name.length === 0 || name.length > 1024) throw invalid('zip-path', `zip entry has an unusable name`, { entry: name.slice(0, 80) });
  const parts = name.split(/[\\/]/);
  if (name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name) || name.includes('\0') || parts.includes('..')) {
    throw invalid('zip-path', `zip entry '${name.slice(0, 80)}' points outside the archive`, { entry: name.slice(0, 80) });
  }
}

const ZIP_MAGIC = [0x50, 0x4b];

/**
 * Reads a zip safely. Every entry's declared sizes are checked before anything is inflated (so a
 * zip bomb costs nothing), names must stay inside the archive, duplicates are refused (a second
 * `collection.anki2` could smuggle other content past a check), and each inflated entry must have
 * exactly its declared size (fflate's output buffer is that size, so a lying header cannot grow it).
 */
export function readZip(bytes: Uint8Array, limits: ZipLimits = importLimits): Map<string, Uint8Array> {
  if (bytes.length < 22 || bytes[0] !== ZIP_MAGIC[0] || bytes[1] !== ZIP_MAGIC[1]) {
    throw invalid('not-zip', 'the file is not a zip archive (or it is truncated)');
  }
  const entries: EntryInfo[] = [];
  try {
    unzipSync(bytes, {
      filter: (file) => {
        entries.push({ ...file });
        return false;
      },
    });
  } catch (e) {
    throw invalid('not-zip', `the zip archive is damaged or truncated (${e instanceof Error ? e.message : String(e)})`);
  }
  if (entries.length > limits.entries) throw tooLarge(`the archive has ${entries.length} entries`, { entries: entries.length });
  const seen = new Set<string>();
  let total = 0;
  for (const entry of entries) {
    checkEntryName(entry.name);
    if (seen.has(entry.name)) throw invalid('zip-duplicate', `the archive holds '${entry.name}' twice`, { entry: entry.name });
    seen.add(entry.name);
    if (entry.compression !== 0 && entry.compression !== 8) {
      throw invalid('zip-compression', `zip entry '${entry.name}' uses an unsupported compression method`, { entry: entry.name });
    }
    if (entry.compression === 0 && entry.size !== entry.originalSize) {
      throw invalid('not-zip', `zip entry '${entry.name}' has inconsistent sizes`, { entry: entry.name });
    }
    total += entry.originalSize;
    if (total > limits.totalUncompressedBytes) throw tooLarge('the archive would expand beyond the size limit', { limitMiB: limits.totalUncompressedBytes >> 20 });
    if (entry.originalSize > 1024 * 1024 && entry.originalSize / Math.max(1, entry.size) > limits.compressionRatio) {
      throw tooLarge(`zip entry '${entry.name}' is compressed suspiciously well (a zip bomb?)`, { entry: entry.name });
    }
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw invalid('not-zip', `the zip archive is damaged or truncated (${e instanceof Error ? e.message : String(e)})`);
  }
  const result = new Map<string, Uint8Array>();
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    const data = files[entry.name];
    if (!data || data.length !== entry.originalSize) {
      throw invalid('not-zip', `zip entry '${entry.name}' is damaged or truncated`, { entry: entry.name });
    }
    result.set(entry.name, data);
  }
  return result;
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
