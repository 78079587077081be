import type { Handlers } from '../dispatch';
import type { ServiceContext } from '../context';
import type { DeckSummary, ImportPreview, ParsedArgs } from '../../../src/shared/contract';
import { AppError } from '../../../src/shared/errors';
import { learnAheadMs } from '../scheduler/queue';
import { currentQueue } from '../review/today';
import { deckDiagramSources, exportDeck, type ReadOptions } from './exchange';
import { importDeckFileIsolated, previewImportIsolated } from './exchange-isolated';
import { UploadStore } from './uploads';
import { withSubdecks } from './deck-ops';

type ImportArgs = ParsedArgs<'decks.importPreview'>;
type DeckMethods = 'decks.list' | 'decks.upload' | 'decks.importPreview' | 'decks.importApply' | 'decks.export' | 'decks.diagrams' | 'decks.notes' | 'decks.media';

function readOptions(args: ImportArgs, now: number, timeZone: string): ReadOptions {
  return { fileName: args.fileName, format: args.format, deckName: args.deckName, csv: args.csv, now, timeZone };
}

/**
 * Every deck with its size and its New / Learn / Due counts, its subdecks' included (as in Anki),
 * each counted as Today counts the whole collection (scheduler/queue.ts): learning cards due within the learn-ahead limit, reviews
 * due before the study day ends, new cards not yet studied; not suspended, not buried. As in
 * Anki's deck list, each deck's new and review counts stop at what today's limits still allow (its
 * preset's, and the collection's), so a collection of one deck shows exactly Today's counts.
 */
function listDecks(ctx: ServiceContext): DeckSummary[] {
  const now = ctx.now();
  const queue = currentQueue(ctx);
  return withSubdecks(ctx.store.decks.listWithSizes(now, queue.day.end, now + learnAheadMs)).map((r) => {
    // The deck's own preset limits (capped by the collection's), less what was answered in it
    // today, cap the deck with its subdecks, as a parent's limit caps its subtree in Anki.
    const left = queue.limits.deck(r.id);
    const learning = r.learning ?? 0;
    const review = Math.min(r.review ?? 0, left.review);
    return {
      id: r.id,
      name: r.name,
      notes: r.notes,
      cards: r.cards,
      due: learning + review,
      new: Math.min(r.new ?? 0, left.new),
      learning,
      review,
      builtIn: r.builtin_key !== null,
      presetId: r.preset_id,
    };
  });
}

/** Decks: the list with what is due, import (read in the parser worker), export, a deck's notes and media. */
export function deckHandlers(ctx: ServiceContext, uploads = new UploadStore(ctx.now)): Pick<Handlers, DeckMethods> {
  return {
    'decks.list': () => listDecks(ctx),
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
      const deck = ctx.store.decks.byName(args.deckName);
      return deck ? ctx.store.notes.previewsInDeck(deck.id, args.limit) : [];
    },
    'decks.media': (args) => {
      const file = ctx.store.media.byName(args.name);
      if (!file) throw new AppError('not-found', `no media file named '${args.name}'`, { name: args.name });
      return { mime: file.mime, data: Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength).toString('base64') };
    },
  };
}
