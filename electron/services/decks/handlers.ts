import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import type { DeckSummary, ImportPreview, ParsedArgs } from '../../../src/shared/contract';
import { AppError } from '../../../src/shared/errors';
import { deckDiagramSources, exportDeck, type ReadOptions } from './exchange';
import { importDeckFileIsolated, previewImportIsolated } from './exchange-isolated';
import { splitTags } from './merge';
import { UploadStore } from './uploads';
import { studyDay } from '../scheduler/study-day';

type ImportArgs = ParsedArgs<'decks.importPreview'>;

function readOptions(args: ImportArgs, now: number): ReadOptions {
  return { fileName: args.fileName, format: args.format, deckName: args.deckName, csv: args.csv, now };
}

interface DeckRow {
  id: number;
  name: string;
  builtin_key: string | null;
  notes: number;
  cards: number;
  due: number | null;
}

/** Every deck with its size and what is due in it today (learning due now, reviews due today; no limits). */
function listDecks(ctx: ServiceContext): DeckSummary[] {
  const now = ctx.now();
  const { end } = studyDay(now, ctx.settings.get().dayStartHour, ctx.timeZone);
  const rows = ctx.sql.all<DeckRow>(
    `SELECT d.id, d.name, d.builtin_key,
       (SELECT COUNT(*) FROM notes WHERE deck_id = d.id) AS notes,
       COUNT(c.id) AS cards,
       SUM(c.suspended = 0 AND (c.buried_until IS NULL OR c.buried_until <= @now)
           AND ((c.state IN (1, 3) AND c.due <= @now) OR (c.state = 2 AND c.due < @end))) AS due
     FROM decks d LEFT JOIN notes n ON n.deck_id = d.id LEFT JOIN cards c ON c.note_id = n.id
     GROUP BY d.id ORDER BY d.name`,
    { now, end },
  );
  return rows.map((r) => ({ id: r.id, name: r.name, notes: r.notes, cards: r.cards, due: r.due ?? 0, builtIn: r.builtin_key !== null }));
}

type DeckMethods = 'decks.list' | 'decks.upload' | 'decks.importPreview' | 'decks.importApply' | 'decks.export' | 'decks.diagrams' | 'decks.notes' | 'decks.media';

/** Decks: the list with what is due, import (read in the parser worker), export, a deck's notes and media. */
export function deckHandlers(ctx: ServiceContext, uploads = new UploadStore(ctx.now)): Pick<Handlers, DeckMethods> {
  return {
    'decks.list': () => listDecks(ctx),
    'decks.upload': (args) => ({ received: uploads.put(args.uploadId, args.offset, args.total, args.data) }),
    // Both read the file in the parser worker (isolated-parse.ts): while a file is read, every
    // other call keeps being answered; the database is written only with what passed validation.
    'decks.importPreview': (args): Promise<ImportPreview> => previewImportIsolated(ctx.db, uploads.get(args.uploadId), readOptions(args, ctx.now())),
    'decks.importApply': async (args) => {
      const { result, parsed } = await importDeckFileIsolated(ctx.db, uploads.get(args.uploadId), readOptions(args, ctx.now()), args.choices);
      uploads.delete(args.uploadId);
      return { ...result, warnings: parsed.warnings };
    },
    'decks.export': (args) => {
      const file = exportDeck(ctx.db, args.deckName, args.format, { includeSchedule: args.includeSchedule, now: ctx.now(), diagrams: args.diagrams });
      return { fileName: file.fileName, mime: file.mime, data: Buffer.from(file.bytes).toString('base64'), notes: file.notes, mermaidNotes: file.mermaidNotes };
    },
    'decks.diagrams': (args) => deckDiagramSources(ctx.db, args.deckName),
    'decks.notes': (args) => {
      const rows = ctx.db
        .prepare('SELECT n.guid, n.front, n.back, n.tags FROM notes n JOIN decks d ON d.id = n.deck_id WHERE d.name = ? ORDER BY n.id LIMIT ?')
        .all(args.deckName, args.limit) as { guid: string; front: string; back: string; tags: string }[];
      return rows.map((row) => ({ guid: row.guid, front: row.front, back: row.back, tags: splitTags(row.tags) }));
    },
    'decks.media': (args) => {
      const row = ctx.db.prepare('SELECT mime, data FROM media WHERE name = ?').get(args.name) as { mime: string; data: Buffer } | undefined;
      if (!row) throw new AppError('not-found', `no media file named '${args.name}'`, { name: args.name });
      return { mime: row.mime, data: row.data.toString('base64') };
    },
  };
}
