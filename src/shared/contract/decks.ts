import { z } from 'zod';
import { method } from './define';
import { AnkiNoteView } from './anki-card';

/** A deck of the list. Its sizes and counts include its subdecks' (`name::…`), as Anki's deck list counts them. */
export const DeckSummary = z.object({
  id: z.number().int(),
  /** The full name; `::` nests (`Parent::Child`). */
  name: z.string(),
  notes: z.number().int().nonnegative(),
  cards: z.number().int().nonnegative(),
  /** learning + review: the deck's cards due today that are not new. */
  due: z.number().int().nonnegative(),
  /** As Today counts them, for this deck and its subdecks: new cards within today's new-card limit, */
  new: z.number().int().nonnegative(),
  /** learning cards due within the learn-ahead limit, */
  learning: z.number().int().nonnegative(),
  /** and reviews due today within today's review limit. */
  review: z.number().int().nonnegative(),
  /** True for decks shipped with the app (updated by stable id on upgrade). */
  builtIn: z.boolean(),
  /** The options preset the deck uses (presets.ts). */
  presetId: z.number().int(),
});
export type DeckSummary = z.infer<typeof DeckSummary>;

/** Largest deck file accepted for import (bytes of the file itself). */
export const maxImportBytes = 64 * 1024 * 1024;
/** Raw bytes per upload chunk; the UI shows progress chunk by chunk. */
export const uploadChunkBytes = 1024 * 1024;

export const ImportFormat = z.enum(['proofdeck', 'apkg', 'csv', 'md']);
export type ImportFormat = z.infer<typeof ImportFormat>;
export const ExportFormat = z.enum(['proofdeck', 'apkg', 'md']);
export type ExportFormat = z.infer<typeof ExportFormat>;

const UploadId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/);

/** Which CSV column holds what (0-based). */
export const CsvMapping = z
  .object({
    front: z.number().int().min(0).max(999),
    back: z.number().int().min(0).max(999),
    context: z.number().int().min(0).max(999).nullable().optional(),
    tags: z.number().int().min(0).max(999).nullable().optional(),
    guid: z.number().int().min(0).max(999).nullable().optional(),
  })
  .strict();
export type CsvMapping = z.infer<typeof CsvMapping>;

const ImportOptions = {
  uploadId: UploadId,
  fileName: z.string().min(1).max(255),
  format: ImportFormat.optional(),
  deckName: z.string().trim().min(1).max(200).optional(),
  csv: z
    .object({ mapping: CsvMapping.optional(), delimiter: z.enum([',', '\t', ';']).optional(), hasHeader: z.boolean().optional() })
    .strict()
    .optional(),
};

export const ImportWarning = z.object({
  code: z.enum(['html-sanitized', 'media-missing', 'media-skipped', 'notetype-fields', 'notetype-templates', 'cloze-kept', 'mermaid-source']),
  count: z.number().int().nonnegative(),
  examples: z.array(z.string()),
});
export type ImportWarning = z.infer<typeof ImportWarning>;

export const ImportConflict = z.object({
  guid: z.string(),
  localFront: z.string(),
  localBack: z.string(),
  incomingFront: z.string(),
  incomingBack: z.string(),
});
export type ImportConflict = z.infer<typeof ImportConflict>;

const MediaCounts = z.object({ added: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });

/** What an import would do, computed before anything is written. */
export const ImportPreview = z.object({
  format: ImportFormat,
  deckName: z.string(),
  deckExists: z.boolean(),
  notes: z.number().int(),
  /** Cards the file's notes make (one per cloze number, two for a reversed note…). */
  cards: z.number().int().optional(),
  /** Cards this import would create: the added notes' cards and new cloze numbers of updated notes. */
  cardsAdded: z.number().int().optional(),
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  conflicts: z.number().int(),
  /** Cards the updates would remove with their review history (a cloze number gone from a note). */
  cardsRemoved: z.number().int().optional(),
  /** The first conflicts (up to 500), for the per-note choice. */
  conflictNotes: z.array(ImportConflict),
  media: MediaCounts,
  hasSchedule: z.boolean(),
  warnings: z.array(ImportWarning),
  /** CSV only: the first rows, for the column-mapping step. */
  csvSample: z.array(z.array(z.string())).optional(),
  /** The first notes as they will be stored (Markdown), for the preview to render as cards. */
  samples: z.array(z.object({ front: z.string(), back: z.string(), kind: z.enum(['basic', 'reversed', 'cloze']).optional(), anki: AnkiNoteView.optional() })).optional(),
  /** Which field of the file goes where (Anki's note fields, a Markdown file's sections). */
  fieldMapping: z.array(z.object({ from: z.string(), to: z.enum(['front', 'back', 'context', 'tags', 'guid']) })).optional(),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const ConflictChoices = z
  .object({
    default: z.enum(['keep-mine', 'take-theirs']),
    takeTheirs: z.array(z.string().max(200)).max(100_000).optional(),
    keepMine: z.array(z.string().max(200)).max(100_000).optional(),
  })
  .strict();
export type ConflictChoices = z.infer<typeof ConflictChoices>;

export const ImportResult = z.object({
  deckName: z.string(),
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  conflictsKept: z.number().int(),
  conflictsTaken: z.number().int(),
  media: MediaCounts,
  reviews: z.number().int(),
  /** Cards of updated notes added (a new cloze number, a note made reversed) and removed with their history (a cloze number gone). */
  cardsAdded: z.number().int().optional(),
  cardsRemoved: z.number().int().optional(),
  warnings: z.array(ImportWarning),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const ExportedDeck = z.object({
  fileName: z.string(),
  mime: z.string(),
  /** The file, base64-encoded. */
  data: z.string(),
  notes: z.number().int(),
  /** Notes whose Mermaid diagrams went to Anki as source in a <pre> block. */
  mermaidNotes: z.number().int(),
});
export type ExportedDeck = z.infer<typeof ExportedDeck>;

export const DeckNotePreview = z.object({ guid: z.string(), front: z.string(), back: z.string(), tags: z.array(z.string()) });
export type DeckNotePreview = z.infer<typeof DeckNotePreview>;

export const deckContract = {
  'decks.list': method(z.object({}).strict(), z.array(DeckSummary)),
  /**
   * One chunk of a file to import (base64 of at most `uploadChunkBytes`), sent in order. Both the
   * Electron UI and the browser UI upload this way, so both show the same progress bar.
   */
  'decks.upload': method(
    z
      .object({
        uploadId: UploadId,
        offset: z.number().int().min(0).max(maxImportBytes),
        total: z.number().int().min(1).max(maxImportBytes),
        data: z.string().max(Math.ceil((uploadChunkBytes * 4) / 3) + 4),
      })
      .strict(),
    z.object({ received: z.number().int() }),
  ),
  /** Reads an uploaded file and says what importing it would do. Writes nothing. */
  'decks.importPreview': method(z.object(ImportOptions).strict(), ImportPreview),
  /** Imports an uploaded file in one transaction; conflicts follow `choices`. */
  'decks.importApply': method(z.object({ ...ImportOptions, choices: ConflictChoices }).strict(), ImportResult),
  'decks.export': method(
    z
      .object({
        deckName: z.string().min(1).max(200),
        format: ExportFormat,
        includeSchedule: z.boolean().default(false),
        /** Mermaid diagrams the UI rendered to SVG (from `decks.diagrams`): .apkg exports them as images. */
        diagrams: z.array(z.object({ source: z.string().max(50_000), svg: z.string().max(2_000_000) }).strict()).max(500).optional(),
      })
      .strict(),
    ExportedDeck,
  ),
  /** The Mermaid sources in a deck's notes, for the UI to render before an .apkg export. */
  'decks.diagrams': method(z.object({ deckName: z.string().min(1).max(200) }).strict(), z.array(z.string())),
  /** A few notes of a deck as stored (Markdown/sanitized HTML; the UI sanitizes again before showing). */
  'decks.notes': method(z.object({ deckName: z.string().min(1).max(200), limit: z.number().int().min(1).max(100).default(20) }).strict(), z.array(DeckNotePreview)),
  /** A media file by name, for showing imported images. */
  'decks.media': method(z.object({ name: z.string().min(1).max(255) }).strict(), z.object({ mime: z.string(), data: z.string() })),
};
