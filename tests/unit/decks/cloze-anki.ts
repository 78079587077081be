// Test helper: an Anki legacy collection (schema 11) with a cloze note and reversed notes, built
// with SQLite the way Anki writes one (no fixture in ../shared/fixtures/anki has these note types).
import Database from 'better-sqlite3';
import { zipSync } from 'fflate';

const DAY_SECONDS = 86_400;
/** Collection creation time (col.crt), seconds. */
export const crt = Date.UTC(2026, 0, 1) / 1000;
/** The cloze note's c1 card: a review card due on day 300 of the collection, interval 20 days. */
export const c1Due = (crt + 300 * DAY_SECONDS) * 1000;
/** Its c2 card: in learning, due at this Unix time (seconds). */
export const c2DueSeconds = Date.UTC(2026, 10, 27, 3) / 1000;
/** Anki writes math as MathJax `\(…\)`; ProofDeck reads it as `$…$`. */
export const clozeText = '{{c1::Paris}} is the capital of {{c2::France::a country}}; its area is {{c1::\\(105\\,\\mathrm{km}^2\\)}}.';

const models = {
  '20': {
    id: 20,
    name: 'Cloze',
    type: 1,
    flds: [
      { name: 'Text', ord: 0 },
      { name: 'Back Extra', ord: 1 },
    ],
    tmpls: [{ name: 'Cloze', ord: 0, qfmt: '{{cloze:Text}}', afmt: '{{cloze:Text}}<br>\n{{Back Extra}}' }],
  },
  '21': {
    id: 21,
    name: 'Basic (and reversed card)',
    type: 0,
    flds: [
      { name: 'Front', ord: 0 },
      { name: 'Back', ord: 1 },
    ],
    tmpls: [
      { name: 'Card 1', ord: 0, qfmt: '{{Front}}', afmt: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}' },
      { name: 'Card 2', ord: 1, qfmt: '{{Back}}', afmt: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}' },
    ],
  },
  '22': {
    id: 22,
    name: 'Basic (optional reversed card)',
    type: 0,
    flds: [
      { name: 'Front', ord: 0 },
      { name: 'Back', ord: 1 },
      { name: 'Add Reverse', ord: 2 },
    ],
    tmpls: [
      { name: 'Card 1', ord: 0, qfmt: '{{Front}}', afmt: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}' },
      { name: 'Card 2', ord: 1, qfmt: '{{#Add Reverse}}{{Back}}{{/Add Reverse}}', afmt: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}' },
    ],
  },
};

/** The package: a cloze note (c1 review, c2 learning, 2 reviews of c1), a reversed note (ord 0 review, ord 1 new), an optional-reversed note without its reverse. */
export function clozeAnkiPackage(options: { clozeText?: string } = {}): Uint8Array {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE col (id integer primary key, crt integer, mod integer, scm integer, ver integer, dty integer, usn integer, ls integer, conf text, models text, decks text, dconf text, tags text);
    CREATE TABLE notes (id integer primary key, guid text, mid integer, mod integer, usn integer, tags text, flds text, sfld text, csum integer, flags integer, data text);
    CREATE TABLE cards (id integer primary key, nid integer, did integer, ord integer, mod integer, usn integer, type integer, queue integer, due integer, ivl integer, factor integer, reps integer, lapses integer, left integer, odue integer, odid integer, flags integer, data text);
    CREATE TABLE revlog (id integer primary key, cid integer, usn integer, ease integer, ivl integer, lastIvl integer, factor integer, time integer, type integer);`);
  db.prepare("INSERT INTO col VALUES (1, ?, 0, 0, 11, 0, 0, 0, '{}', ?, ?, '{}', '{}')").run(crt, JSON.stringify(models), JSON.stringify({ '5': { id: 5, name: 'Geography' } }));
  const note = db.prepare("INSERT INTO notes VALUES (?, ?, ?, 0, 0, ?, ?, '', 0, 0, '')");
  note.run(1, 'cloze-guid-1', 20, ' geo ', [options.clozeText ?? clozeText, 'Both <b>Paris</b> facts'].join('\x1f'));
  note.run(2, 'reversed-guid-2', 21, '', ['der Hund', 'the dog'].join('\x1f'));
  note.run(3, 'optional-guid-3', 22, '', ['die Katze', 'the cat', ''].join('\x1f'));
  const card = db.prepare("INSERT INTO cards VALUES (?, ?, 5, ?, 0, 0, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, '')");
  // id, nid, ord, type, queue, due, ivl, factor, reps, lapses
  card.run(101, 1, 0, 2, 2, 300, 20, 2300, 5, 1);
  card.run(102, 1, 1, 1, 1, c2DueSeconds, 0, 2500, 1, 0);
  card.run(201, 2, 0, 2, 2, 310, 30, 2500, 4, 0);
  card.run(202, 2, 1, 0, 0, 7, 0, 0, 0, 0);
  card.run(301, 3, 0, 0, 0, 8, 0, 0, 0, 0);
  const review = db.prepare('INSERT INTO revlog VALUES (?, ?, 0, ?, ?, 0, 2500, 6000, ?)');
  review.run(Date.UTC(2026, 8, 1), 101, 3, 5, 0);
  review.run(Date.UTC(2026, 9, 8), 101, 3, 20, 1);
  review.run(Date.UTC(2026, 10, 26), 102, 3, -600, 0);
  const collection = new Uint8Array(db.serialize());
  db.close();
  return zipSync({ 'collection.anki2': collection, media: new TextEncoder().encode('{}') });
}
