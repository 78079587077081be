import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { deckDiagramSources, exportDeck, importDeckFile, markdownExportParts, readMarkdownFolderImports } from '../../../electron/services/decks/exchange';
import { writeMarkdownFolder } from '../../../electron/services/decks/markdown/folder';
import { applyImport } from '../../../electron/services/decks/merge';
import type { ExchangeNote, ParsedImport } from '../../../electron/services/decks/types';
import { freshDatabase } from './support';

const DAY = 86_400_000;

function note(i: number, extra: Partial<ExchangeNote> = {}): ExchangeNote {
  return {
    guid: `kv-flash:q-${i}`,
    front: `KV-cache question ${i}: why is $O(L \\cdot d)$ per token?`,
    back: `Because **cached** keys.\n\n$$\\sum_i x_i$$\n\n\`\`\`mermaid\ngraph LR; A-->B\n\`\`\``,
    context: i % 2 ? 'Section context' : '',
    language: 'ko',
    translations: i === 0 ? { en: { front: 'Q en', back: 'A en', context: '' } } : null,
    tags: ['kv-cache', `n${i}`],
    experimentId: i === 0 ? 'kv-cache-speed' : null,
    experimentParams: i === 0 ? { tokens: 256 } : null,
    fields: null,
    ...extra,
  };
}

function seedDeck(db: Database.Database, count = 5): void {
  const parsed: ParsedImport = { format: 'proofdeck', deckName: 'KV Flash', description: 'd', notes: Array.from({ length: count }, (_, i) => note(i)), media: [], warnings: [], hasSchedule: false };
  applyImport(db, parsed, { default: 'keep-mine' });
  // give the first card a review history, as answering would
  const card = db.prepare("SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.guid = 'kv-flash:q-0'").pluck().get() as number;
  const now = Date.UTC(2026, 10, 1);
  db.prepare('UPDATE cards SET state = 2, due = ?, stability = 12.5, difficulty = 4.2, reps = 3, lapses = 1, scheduled_days = 12, last_review = ? WHERE id = ?').run(now + 12 * DAY, now, card);
  db.prepare(
    'INSERT INTO revlog (id, card_id, rating, state, due, stability, difficulty, elapsed_days, last_elapsed_days, scheduled_days, learning_steps, duration_ms) VALUES (?, ?, 3, 2, ?, 12.5, 4.2, 5, 2, 12, 0, 4000)',
  ).run(now, card, now + 12 * DAY);
}

const notesOf = (db: Database.Database) =>
  db.prepare('SELECT guid, front, back, context, language, translations, tags, experiment_id, experiment_params FROM notes ORDER BY guid').all();
const scheduleOf = (db: Database.Database) =>
  db.prepare('SELECT n.guid, c.state, c.due, c.stability, c.difficulty, c.reps, c.lapses, c.scheduled_days FROM cards c JOIN notes n ON n.id = c.note_id ORDER BY n.guid').all() as {
    guid: string;
    state: number;
    due: number;
    stability: number;
    difficulty: number;
    reps: number;
    lapses: number;
  }[];

describe('round trips', () => {
  it('ProofDeck → ProofDeck keeps notes, fields, tags, GUIDs, experiments and (when asked) the schedule', () => {
    const source = freshDatabase();
    seedDeck(source);
    const file = exportDeck(source, 'KV Flash', 'proofdeck', { includeSchedule: true });
    const target = freshDatabase();
    const { result } = importDeckFile(target, file.bytes, { fileName: file.fileName });
    expect(result).toMatchObject({ added: 5, reviews: 1 });
    expect(notesOf(target)).toEqual(notesOf(source));
    expect(scheduleOf(target)).toEqual(scheduleOf(source));
    // without the schedule (the default) the cards arrive new
    const plain = exportDeck(source, 'KV Flash', 'proofdeck');
    const other = freshDatabase();
    importDeckFile(other, plain.bytes, { fileName: plain.fileName });
    expect(notesOf(other)).toEqual(notesOf(source));
    expect(scheduleOf(other).every((c) => c.state === 0 && c.reps === 0)).toBe(true);
    expect(other.prepare('SELECT COUNT(*) FROM revlog').pluck().get()).toBe(0);
  });

  it('ProofDeck → .apkg → ProofDeck keeps notes, tags, GUIDs and the schedule', () => {
    const source = freshDatabase();
    seedDeck(source);
    const file = exportDeck(source, 'KV Flash', 'apkg', { includeSchedule: true });
    expect(file.mermaidNotes).toBe(5);
    const target = freshDatabase();
    const { result } = importDeckFile(target, file.bytes, { fileName: file.fileName });
    expect(result.added).toBe(5);
    expect(notesOf(target)).toEqual(notesOf(source));
    const [a, b] = [scheduleOf(source)[0], scheduleOf(target)[0]];
    expect(b).toMatchObject({ guid: a.guid, state: 2, reps: 3, lapses: 1, stability: 12.5, difficulty: 4.2 });
    expect(Math.abs(b.due - a.due)).toBeLessThan(DAY);
    expect(target.prepare('SELECT rating, duration_ms FROM revlog').all()).toEqual([{ rating: 3, duration_ms: 4000 }]);
    // re-importing the same export changes nothing
    expect(importDeckFile(target, file.bytes, { fileName: file.fileName }).result).toMatchObject({ added: 0, updated: 0, unchanged: 5 });
  });

  it('an .apkg note edited in Anki comes back as the edited HTML', () => {
    const source = freshDatabase();
    seedDeck(source, 1);
    const file = exportDeck(source, 'KV Flash', 'apkg');
    const dir = mkdtempSync(join(tmpdir(), 'pd-apkg-'));
    const files = unzipSync(file.bytes);
    writeFileSync(join(dir, 'c.anki2'), files['collection.anki2']);
    const anki = new Database(join(dir, 'c.anki2'));
    const flds = (anki.prepare('SELECT flds FROM notes').pluck().get() as string).split('\x1f');
    flds[0] = 'Edited in Anki';
    anki.prepare('UPDATE notes SET flds = ?').run(flds.join('\x1f'));
    anki.close();
    files['collection.anki2'] = new Uint8Array(readFileSync(join(dir, 'c.anki2')));
    importDeckFile(source, zipSync(files), { fileName: 'edited.apkg' });
    expect(source.prepare('SELECT front FROM notes').pluck().get()).toBe('Edited in Anki');
  });
});

describe('an exported .apkg is a valid Anki collection (read back with SQLite alone)', () => {
  it('has the schema 11 tables, note type JSON, \\x1f fields, checksums and card rows', () => {
    const source = freshDatabase();
    seedDeck(source, 3);
    const file = exportDeck(source, 'KV Flash', 'apkg');
    const files = unzipSync(file.bytes);
    expect(Object.keys(files).sort()).toEqual(['collection.anki2', 'media']);
    expect(JSON.parse(new TextDecoder().decode(files.media))).toEqual({});
    const dir = mkdtempSync(join(tmpdir(), 'pd-apkg-'));
    writeFileSync(join(dir, 'collection.anki2'), files['collection.anki2']);
    const anki = new Database(join(dir, 'collection.anki2'), { readonly: true });
    const tables = anki.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['cards', 'col', 'graves', 'notes', 'revlog']);
    const col = anki.prepare('SELECT ver, models, decks, dconf FROM col').get() as { ver: number; models: string; decks: string; dconf: string };
    expect(col.ver).toBe(11);
    const models = Object.values(JSON.parse(col.models)) as { id: number; name: string; flds: { name: string; ord: number }[]; tmpls: { qfmt: string; afmt: string }[] }[];
    expect(models).toHaveLength(1);
    expect(models[0].flds.map((f) => f.name)).toEqual(['Front', 'Back', 'Context', 'ProofDeck']);
    expect(models[0].tmpls[0].qfmt).toBe('{{Front}}');
    const decks = Object.values(JSON.parse(col.decks)) as { name: string; id: number }[];
    const deck = decks.find((d) => d.name === 'KV Flash')!;
    expect(deck).toBeDefined();
    const notes = anki.prepare('SELECT id, guid, mid, tags, flds, sfld, csum FROM notes ORDER BY guid').all() as {
      id: number; guid: string; mid: number; tags: string; flds: string; sfld: string; csum: number;
    }[];
    expect(notes.map((n) => n.guid)).toEqual(['kv-flash:q-0', 'kv-flash:q-1', 'kv-flash:q-2']);
    for (const n of notes) {
      const fields = n.flds.split('\x1f');
      expect(fields).toHaveLength(4);
      expect(n.mid).toBe(models[0].id);
      // math in Anki's delimiters, not KaTeX or dollars
      expect(fields[0]).toContain('\\(O(L \\cdot d)\\)');
      expect(fields[1]).toContain('\\[\\sum_i x_i\\]');
      expect(fields[1]).toContain('<pre class="mermaid">');
      const stripped = fields[0].replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').trim();
      expect(n.sfld).toBe(stripped);
      expect(n.csum).toBe(parseInt(createHash('sha1').update(stripped).digest('hex').slice(0, 8), 16));
      expect(n.tags.trim().split(' ')).toContain('kv-cache');
    }
    const cards = anki.prepare('SELECT nid, did, ord, type, queue FROM cards ORDER BY nid').all();
    expect(cards).toEqual(notes.map((n) => ({ nid: n.id, did: deck.id, ord: 0, type: 0, queue: 0 })).sort((a, b) => a.nid - b.nid));
    // a re-export keeps guids, note type and deck ids, so Anki updates instead of duplicating
    const again = unzipSync(exportDeck(source, 'KV Flash', 'apkg').bytes);
    writeFileSync(join(dir, 'again.anki2'), again['collection.anki2']);
    const second = new Database(join(dir, 'again.anki2'), { readonly: true });
    expect(second.prepare('SELECT guid, mid FROM notes ORDER BY guid').all()).toEqual(notes.map((n) => ({ guid: n.guid, mid: n.mid })));
  });
});

describe('Markdown folder out and in', () => {
  it('keeps notes, GUIDs, tags, experiments and translations; re-import changes nothing', () => {
    const source = freshDatabase();
    seedDeck(source, 4);
    const dir = mkdtempSync(join(tmpdir(), 'pd-md-'));
    const { info, notes } = markdownExportParts(source, 'KV Flash');
    expect(writeMarkdownFolder(dir, info, notes).sort()).toEqual([join(dir, 'en.md'), join(dir, 'ko.md')]);
    const decks = readMarkdownFolderImports(dir);
    expect(decks).toHaveLength(1);
    const target = freshDatabase();
    expect(applyImport(target, decks[0], { default: 'keep-mine' }).added).toBe(4);
    expect(notesOf(target)).toEqual(notesOf(source));
    expect(applyImport(source, readMarkdownFolderImports(dir)[0], { default: 'keep-mine' })).toMatchObject({ added: 0, updated: 0, unchanged: 4 });
  });
});

describe('Mermaid diagrams in an .apkg export', () => {
  it('become SVG images when the UI rendered them, and stay as source otherwise', () => {
    const source = freshDatabase();
    seedDeck(source, 2);
    const sources = deckDiagramSources(source, 'KV Flash');
    expect(sources).toEqual(['graph LR; A-->B\n']);
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>';
    const file = exportDeck(source, 'KV Flash', 'apkg', { diagrams: [{ source: sources[0], svg }] });
    expect(file.mermaidNotes).toBe(0);
    const files = unzipSync(file.bytes);
    const media = JSON.parse(new TextDecoder().decode(files.media)) as Record<string, string>;
    const [index, name] = Object.entries(media)[0];
    expect(name).toMatch(/^proofdeck-diagram-[0-9a-f]{16}\.svg$/);
    expect(new TextDecoder().decode(files[index])).toBe(svg);
    const dir = mkdtempSync(join(tmpdir(), 'pd-apkg-'));
    writeFileSync(join(dir, 'c.anki2'), files['collection.anki2']);
    const anki = new Database(join(dir, 'c.anki2'), { readonly: true });
    const backs = (anki.prepare('SELECT flds FROM notes').pluck().all() as string[]).map((f) => f.split('\x1f')[1]);
    for (const back of backs) {
      expect(back).toContain(`<img src="${name}" alt="diagram">`);
      expect(back).not.toContain('class="mermaid"');
    }
    // and the ProofDeck field still brings the Markdown (with its mermaid fence) back
    const target = freshDatabase();
    importDeckFile(target, file.bytes, { fileName: 'd.apkg' });
    expect(target.prepare('SELECT back FROM notes ORDER BY guid').pluck().get()).toContain('```mermaid');
  });
});

