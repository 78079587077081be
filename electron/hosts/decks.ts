import { existsSync, readFileSync, writeFileSync, statSync, mkdirSync } from 'node:fs';
import { dirname, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createServices, type Services } from '../services';
import { storageError } from '../services/store/storage-errors';
import { exportDeck, fileTooLarge, markdownExportParts, type ExportFormat } from '../services/decks/exchange';
import { importDeckFileIsolated, importFolderIsolated, previewFolderIsolated, previewImportIsolated } from '../services/decks/exchange-isolated';
import { stopParser } from '../services/decks/isolated-parse';
import { writeMarkdownFolder } from '../services/decks/markdown/folder';
import { listDeckCounts } from '../services/decks/deck-read';
import { importLimits } from '../services/decks/limits';
import { AppError } from '../../src/shared/errors';
import { createTranslator, importErrorText } from '../../src/shared/i18n';
import { terminalLocale } from './locale';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const usage = `usage:
  npm run decks -- import FILE|FOLDER [--data DIR] [--json] [--deck NAME] [--dry-run] [--take-theirs]
  npm run decks -- export --deck NAME --format proofdeck|apkg|md --out PATH|FOLDER/ [--schedule] [--data DIR]
  npm run decks -- list [--data DIR] [--json]
  npm run decks -- move-aside [--data DIR]   (a damaged or newer database: renamed, never deleted)`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      data: { type: 'string', default: resolve(repoRoot, '.data/web') },
      json: { type: 'boolean', default: false },
      deck: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      schedule: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      'take-theirs': { type: 'boolean', default: false },
    },
  });
  const [command, file] = positionals;
  if (!command || !['import', 'export', 'list', 'move-aside'].includes(command)) {
    console.error(usage);
    return 2;
  }
  const dataDir = resolve(values.data);
  const print = (value: unknown, text: string) => console.log(values.json ? JSON.stringify(value, null, 2) : text);
  let services: Services | null = null;
  try {
    // Takes the data folder (one writer at a time); another ProofDeck holding it is named.
    services = createServices({ dataDir, lock: 'cli' });
    const problem = services.databaseProblem;
    if (command === 'move-aside') {
      if (!problem || (problem.code !== 'db-corrupt' && problem.code !== 'db-newer')) {
        console.error(createTranslator(terminalLocale())('app.database.cliHealthy', { path: services.file }));
        return problem ? 1 : 2;
      }
      const { movedTo } = services.handlers['app.resetDatabase']({ confirm: true }, { emit: () => undefined }) as { movedTo: string };
      print({ movedTo }, createTranslator(terminalLocale())('app.database.movedTo', { path: movedTo }));
      return 0;
    }
    const db = services.db;
    if (!db) throw new AppError(problem?.code ?? 'db-corrupt', problem?.message ?? 'database unavailable', { path: problem?.path ?? services.file });
    if (command === 'list') {
      const decks = listDeckCounts(db);
      print(decks, decks.map((d) => `${d.name}\t${d.notes} notes\t${d.cards} cards\t${d.revlog} reviews`).join('\n') || '(no decks)');
      return 0;
    }
    if (command === 'import') {
      if (!file) throw new AppError('invalid-args', 'import needs a FILE', { detail: 'import needs a FILE' });
      const path = resolve(file);
      const choices = { default: values['take-theirs'] ? ('take-theirs' as const) : ('keep-mine' as const) };
      // Files and folders are read in the parser worker (memory and time bounded); only what
      // passed validation is written, each deck in one transaction.
      if (statSync(path).isDirectory()) {
        if (values['dry-run']) {
          const previews = await previewFolderIsolated(db, path);
          print(
            previews.map(({ plan, cards }) => ({ deckName: plan.deckName, ...plan.counts, cards, media: plan.media })),
            previews.map(({ plan }) => `${plan.deckName}: would add ${plan.counts.added} (${plan.counts.cardsAdded} cards), update ${plan.counts.updated}, leave ${plan.counts.unchanged} unchanged, ${plan.counts.conflicts} conflicts`).join('\n'),
          );
          return 0;
        }
        const results = await importFolderIsolated(db, path, choices);
        print(results, results.map((r) => `${r.deckName}: added ${r.added}, updated ${r.updated}, unchanged ${r.unchanged}, conflicts kept ${r.conflictsKept}`).join('\n'));
        return 0;
      }
      const size = statSync(path).size;
      if (size > importLimits.fileBytes) throw fileTooLarge(size);
      const bytes = new Uint8Array(readFileSync(path));
      const options = { fileName: basename(path), deckName: values.deck };
      if (values['dry-run']) {
        const preview = await previewImportIsolated(db, bytes, options);
        const { csvSample: _sample, conflictNotes: _conflicts, ...summary } = preview;
        print(
          summary,
          `${preview.deckName}: would add ${preview.added} notes (${preview.cardsAdded ?? 0} new cards), update ${preview.updated}, leave ${preview.unchanged} unchanged, ${preview.conflicts} conflicts`,
        );
        return 0;
      }
      const { result, parsed } = await importDeckFileIsolated(db, bytes, options, choices);
      const warnings = parsed.warnings.map((w) => `  warning: ${w.code} ×${w.count} (${w.examples.join(', ')})`).join('\n');
      print(
        { ...result, warnings: parsed.warnings },
        `${result.deckName}: added ${result.added}, updated ${result.updated}, unchanged ${result.unchanged}, conflicts kept ${result.conflictsKept}, taken ${result.conflictsTaken}; media +${result.media.added}; reviews ${result.reviews}${result.cardsAdded || result.cardsRemoved ? `; cards of updated notes +${result.cardsAdded} −${result.cardsRemoved}` : ''}${warnings ? `\n${warnings}` : ''}`,
      );
      return 0;
    }
    const format = values.format as ExportFormat | undefined;
    if (!values.deck || !values.out || !format || !['proofdeck', 'apkg', 'md'].includes(format)) {
      console.error(usage);
      return 2;
    }
    const out = resolve(values.out);
    if (format === 'md' && (values.out.endsWith('/') || (existsSync(out) && statSync(out).isDirectory()))) {
      // A folder: one <language>.md per language of the deck (translations as sibling files).
      const { info, notes } = markdownExportParts(db, values.deck);
      mkdirSync(out, { recursive: true });
      const written = writeMarkdownFolder(out, info, notes);
      print({ folder: out, files: written, notes: notes.length }, `wrote ${written.length} files to ${out} (${notes.length} notes)`);
      return 0;
    }
    const exported = exportDeck(db, values.deck, format, { includeSchedule: values.schedule });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, exported.bytes);
    print({ file: out, notes: exported.notes, bytes: exported.bytes.length, mermaidNotes: exported.mermaidNotes }, `wrote ${out} (${exported.notes} notes, ${exported.bytes.length} bytes)`);
    return 0;
  } catch (caught) {
    // A full disk or a read-only folder met while importing is the storage's error, not the file's.
    const e = caught instanceof AppError ? caught : (storageError(caught, services?.file ?? dataDir) ?? caught);
    const t = createTranslator(terminalLocale());
    const code = e instanceof AppError ? e.code : 'internal';
    if (values.json) console.log(JSON.stringify({ error: { code, message: e instanceof Error ? e.message : String(e), params: e instanceof AppError ? e.params : undefined } }));
    console.error(e instanceof AppError ? importErrorText(t, e) : `${t('errors.internal')} ${e instanceof Error ? e.message : String(e)}`);
    if (code === 'db-corrupt' || code === 'db-newer') {
      console.error(t('app.database.path', { path: services?.file ?? dataDir }));
      console.error(t('app.database.cliMoveAside', { command: `npm run decks -- move-aside --data ${dataDir}` }));
    }
    return 1;
  } finally {
    stopParser();
    services?.close();
  }
}

process.exitCode = await main();
