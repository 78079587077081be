import { AppError, type ErrorParams } from '../../../src/shared/errors';

const KiB = 1024;
const MiB = 1024 * 1024;

/**
 * Every bound an untrusted deck file is held to (docs/import-limits.md lists them for users).
 * A file past one is refused with a reason that names the limit, before its rows reach the
 * database; the numbers are far above what real decks need and far below what hurts the app.
 */
export const importLimits = {
  /** Bytes of the file itself (the same as the contract's `maxImportBytes`). */
  fileBytes: 64 * MiB,
  /** Everything one import may decompress: zip entries, zstd collection, zstd media, together. */
  decompressedBytes: 384 * MiB,
  /** Sum of the declared uncompressed sizes of a zip's entries, checked before inflating any. */
  totalUncompressedBytes: 384 * MiB,
  /** Largest declared uncompressed/compressed ratio of any entry worth more than 1 MiB. */
  compressionRatio: 200,
  /** Entries in one zip. */
  entries: 20_000,
  /** An Anki collection (SQLite) once decompressed. */
  collectionBytes: 256 * MiB,
  /** All media files of one import, decompressed. */
  mediaBytes: 256 * MiB,
  /** One media file, decompressed. */
  mediaFileBytes: 64 * MiB,
  /** Anki's media list (zstd protobuf or JSON). */
  mediaMapBytes: 16 * MiB,
  /** A .proofdeck's manifest.json / notes.json. */
  manifestBytes: 16 * MiB,
  notesJsonBytes: 64 * MiB,
  /**
   * Values (objects, arrays, list items) one JSON document may hold: notes.json, and a tenth of
   * it for every other JSON an import reads. Parsing is native and cannot be stopped, so this
   * bound is what keeps it within the worker's heap (json-bounded.ts).
   */
  jsonValues: 6_000_000,
  notes: 200_000,
  /** Cards an import may create (cloze numbers, reversed sides, Anki templates), all notes together. */
  cards: 400_000,
  /** Cards one note may have: one per cloze number (c1…c100) or Anki template. */
  cardsPerNote: 100,
  /** Review-log rows one import may carry. */
  reviews: 1_000_000,
  /** One field (front, back, context, a translation's side, an Anki field, a CSV cell), UTF-8 bytes. */
  fieldBytes: 1 * MiB,
  /** Everything one note holds (fields, translations, tags, Anki fields, experiment params), UTF-8 bytes. */
  noteBytes: 4 * MiB,
  /** Fields of one note (Anki note types, CSV columns). */
  fieldsPerNote: 1000,
  tagsPerNote: 200,
  translationsPerNote: 50,
  /** A Markdown file, and front matter within it. */
  markdownBytes: 10 * MiB,
  frontMatterBytes: 64 * KiB,
  /** YAML aliases in one front matter (an alias bomb expands each one). */
  yamlAliases: 50,
  /** How deeply front matter may nest (indentation, `- ` runs and `[`/`{` together; see yaml-depth.ts). */
  yamlDepth: 64,
  /** Wall time of reading one file in the parser worker. */
  parseSeconds: 15,
  /** V8 heap of the parser worker; buffers are held to the byte budgets above. */
  parseHeapMiB: 512,
} as const;

export type ImportLimits = typeof importLimits;

/** Bytes as a user reads them in either language: "4 MiB", "1.5 MiB", "64 KiB", "200 bytes". */
export function formatBytes(bytes: number): string {
  const round = (value: number) => String(Math.round(value * 10) / 10);
  if (bytes >= MiB) return `${round(bytes / MiB)} MiB`;
  if (bytes >= KiB) return `${round(bytes / KiB)} KiB`;
  return `${bytes} bytes`;
}

/** `import-invalid` with a machine-readable reason the UI translates (`decks.reason.<reason>`). */
export function invalid(reason: string, message: string, params: ErrorParams = {}): AppError {
  return new AppError('import-invalid', message, { reason, detail: message, ...params });
}

/** `import-too-large`: a limit was reached; `reason` names which, `params` carry the numbers. */
export function tooLarge(message: string, params: ErrorParams = {}, reason = 'too-large'): AppError {
  return new AppError('import-too-large', message, { reason, detail: message, ...params });
}

export function unsupported(reason: string, message: string, params: ErrorParams = {}): AppError {
  return new AppError('import-unsupported', message, { reason, detail: message, ...params });
}

/**
 * Bytes one import may still decompress. Every inflate and zstd frame asks before allocating
 * (declared sizes) and while producing (streams), so a file of tiny entries that each declare a
 * little cannot add up to a lot.
 */
export class DecompressionBudget {
  private spent = 0;

  constructor(readonly limit: number = importLimits.decompressedBytes) {}

  get remaining(): number {
    return Math.max(0, this.limit - this.spent);
  }

  /** Reserves `bytes` for `what`, or refuses the file naming the budget. */
  spend(bytes: number, what: string): void {
    if (this.spent + bytes > this.limit) {
      throw tooLarge(`${what} would take the decompressed total past ${this.limit >> 20} MiB`, { file: what.slice(0, 80), limit: formatBytes(this.limit) }, 'decompressed-budget');
    }
    this.spent += bytes;
  }
}

/** UTF-8 length of a string, without encoding it. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
