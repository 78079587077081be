// Test helper: an Anki package whose note type asks the answer typed (`{{type:chinese}}`), has a
// second template, and whose CSS names two of the package's media files: a font
// (`url(_hand.woff2)`, KaTeX's Fraktur, easy to tell apart on screen) and a background
// (`url("bg.svg")`). Built from the vocabulary fixture's collection, three of its notes kept with
// Korean answers. Used by the unit tests and tests/e2e/type-answer.spec.ts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { unzipSync, zipSync } from 'fflate';

export const typingDeck = '타자 연습';
export const typingNotetype = 'Vocab (typed)';
export const typingCss = `@font-face { font-family: Hand; src: url(_hand.woff2) format('woff2'); }
.card { font-family: Hand, serif; background: #fffbe6 url("bg.svg") repeat; color: #222; }
.prompt { font-size: 40px; padding: 12px 0; }
.meaning { font-size: 28px; }
.nightMode .prompt { color: #ffd54f; }`;
export const typingWords = [
  { english: 'memory bandwidth', korean: '메모리 대역폭' },
  { english: 'bank conflict', korean: '뱅크 충돌' },
  { english: 'warp', korean: '워프' },
];
/** Stripes: the background shows whether the CSS reached the deck's file. */
export const stripesSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24"><rect width="24" height="24" fill="#fffbe6"/><rect width="12" height="24" fill="#ffe082"/></svg>';

export function typingFont(): Uint8Array {
  const katex = createRequire(join(process.cwd(), 'package.json')).resolve('katex/package.json');
  return new Uint8Array(readFileSync(join(katex, '..', 'dist', 'fonts', 'KaTeX_Fraktur-Regular.woff2')));
}

export function typingPackage(): Uint8Array {
  const source = resolve(process.cwd(), '../shared/fixtures/anki/mujing-basic_word.apkg');
  const files: Record<string, Uint8Array> = unzipSync(new Uint8Array(readFileSync(source)));
  const db = new Database(Buffer.from(files['collection.anki21']));
  const models = JSON.parse(db.prepare('SELECT models FROM col').pluck().get() as string) as Record<string, Record<string, unknown> & { tmpls: Record<string, unknown>[] }>;
  for (const model of Object.values(models)) {
    model.name = typingNotetype;
    model.css = typingCss;
    const [first] = model.tmpls;
    model.tmpls = [
      { ...first, name: 'Type', ord: 0, qfmt: '<div class="prompt">{{english}}</div>\n{{type:chinese}}', afmt: '{{FrontSide}}\n\n<hr id=answer>\n\n<div class="meaning">{{chinese}}</div>' },
      { ...first, name: 'Reverse', ord: 1, qfmt: '<div class="prompt">{{chinese}}</div>', afmt: '{{FrontSide}}<hr id=answer>{{english}}' },
    ];
  }
  db.prepare('UPDATE col SET models = ?').run(JSON.stringify(models));
  const decks = JSON.parse(db.prepare('SELECT decks FROM col').pluck().get() as string) as Record<string, { name: string }>;
  for (const deck of Object.values(decks)) if (deck.name !== 'Default') deck.name = typingDeck;
  db.prepare('UPDATE col SET decks = ?').run(JSON.stringify(decks));
  const kept = db.prepare('SELECT id, flds FROM notes ORDER BY id LIMIT 3').all() as { id: number; flds: string }[];
  db.prepare(`DELETE FROM notes WHERE id NOT IN (${kept.map((n) => n.id).join(',')})`).run();
  db.prepare(`DELETE FROM cards WHERE nid NOT IN (${kept.map((n) => n.id).join(',')})`).run();
  db.prepare('DELETE FROM revlog').run();
  kept.forEach((note, i) => {
    const fields = note.flds.split('\x1f');
    fields[1] = typingWords[i].english;
    fields[4] = typingWords[i].korean;
    db.prepare('UPDATE notes SET flds = ?, sfld = ? WHERE id = ?').run(fields.join('\x1f'), fields[0], note.id);
  });
  // The second template's cards, as Anki would have made them.
  db.prepare('INSERT INTO cards SELECT id + 1, nid, did, 1, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, data FROM cards').run();
  files['collection.anki21'] = new Uint8Array(db.serialize());
  db.close();
  delete files['collection.anki2'];
  files.media = new TextEncoder().encode(JSON.stringify({ 0: '_hand.woff2', 1: 'bg.svg' }));
  files['0'] = typingFont();
  files['1'] = new TextEncoder().encode(stripesSvg);
  return zipSync(files);
}
