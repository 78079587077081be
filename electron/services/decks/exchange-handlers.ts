import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import type { ImportPreview, ParsedArgs } from '../../../src/shared/contract';
import { AppError } from '../../../src/shared/errors';
import { deckDiagramSources, exportDeck, type ReadOptions } from './exchange';
import { importDeckFileIsolated, previewImportIsolated } from './exchange-isolated';
import { splitTags } from './merge';
import { UploadStore } from './uploads';

type ImportArgs = ParsedArgs<'decks.importPreview'>;

function readOptions(args: ImportArgs, now: number, timeZone: string): ReadOptions {
  return { fileName: args.fileName, format: args.format, deckName: args.deckName, csv: args.csv, now, timeZone };
}

/** The deck-exchange methods of the contract (decks.list lives with the review screens). */
export function deckExchangeHandlers(
  ctx: ServiceContext,
  uploads = new UploadStore(ctx.now),
): Pick<Handlers, 'decks.upload' | 'decks.importPreview' | 'decks.importApply' | 'decks.export' | 'decks.diagrams' | 'decks.notes' | 'decks.media'> {
  return {
    'decks.upload': (args) => ({ received: uploads.put(args.uploadId, args.offset, args.total, args.data) }),
    // Both read the file in the parser worker (isolated-parse.ts): while a file is read, every
    // other call keeps being answered; the database is written only with what passed validation.
    'decks.importPreview': (args): Promise<ImportPreview> => previewImportIsolated(ctx.db, uploads.get(args.uploadId), readOptions(args, ctx.now(), ctx.timeZone)),
    'decks.importApply': async (args) => {
      const { result, parsed } = await importDeckFileIsolated(ctx.db, uploads.get(args.uploadId), readOptions(args, ctx.now(), ctx.timeZone), args.choices);
      uploads.delete(args.uploadId);
      return { ...result, warnings: parsed.warnings };
    },
    'decks.export': (args) => {
      const file = exportDeck(ctx.db, args.deckName, args.format, {
        includeSchedule: args.includeSchedule,
        now: ctx.now(),
        diagrams: args.diagrams,
        // Anki counts review days as the user's study days do.
        rolloverHour: ctx.settings.get().dayStartHour,
        timeZone: ctx.timeZone,
      });
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
