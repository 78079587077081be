import { unzipSync, zipSync, type Zippable } from 'fflate';
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

/** Writes a zip; already-compressed media (images, audio) are stored rather than deflated again. */
export function writeZip(files: Map<string, Uint8Array>): Uint8Array {
  const zippable: Zippable = {};
  for (const [name, data] of files) {
    const stored = /\.(png|jpe?g|gif|webp|mp3|ogg|mp4|webm|zst)$/i.test(name);
    // Level 1: deck JSON and SQLite compress well already at the fastest level; export time matters more.
    zippable[name] = [data, { level: stored ? 0 : 1 }];
  }
  return zipSync(zippable);
}
