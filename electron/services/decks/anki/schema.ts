import type { AnkiCollection } from '../../store/anki/collection';
import { formatBytes, importLimits, invalid, tooLarge } from '../limits';

/**
 * What an Anki collection must look like before ProofDeck reads a row of it. SQLite computes
 * some values as they are read: a generated column (`GENERATED ALWAYS AS (printf('%.*c',
 * 300000000, 'x'))`), a view standing in for a table, a virtual table's module. Anki writes none
 * of these, so a collection with any of them is refused outright; then the size of every value
 * ProofDeck will read is measured in SQL (`octet_length`, without handing the value to
 * JavaScript) and each table's row count is checked, so no oversized row is ever materialised.
 */

const KiB = 1024;
const number = 32;

interface TableRule {
  /** Columns ProofDeck reads, with the most bytes a value may have. */
  columns: Record<string, number>;
  /** Most rows. */
  rows: number;
}

const legacyTables: Record<string, TableRule> = {
  col: { columns: { crt: number, models: importLimits.manifestBytes, decks: importLimits.manifestBytes }, rows: 16 },
  notes: { columns: { id: number, guid: 200, mid: number, tags: 64 * KiB, flds: importLimits.noteBytes }, rows: importLimits.notes },
  cards: {
    columns: { id: number, nid: number, did: number, ord: number, type: number, queue: number, due: number, ivl: number, factor: number, reps: number, lapses: number, odue: number, odid: number, data: 64 * KiB },
    rows: importLimits.cards,
  },
  revlog: { columns: { id: number, cid: number, ease: number, ivl: number, time: number, type: number }, rows: importLimits.reviews },
};

/** Schema 18 (Anki 2.1.28+) keeps note types and decks in tables of their own. */
const schema18Tables: Record<string, TableRule> = {
  notetypes: { columns: { id: number, name: KiB, config: 1024 * KiB }, rows: 10_000 },
  fields: { columns: { ntid: number, ord: number, name: KiB }, rows: 100_000 },
  templates: { columns: { ntid: number, ord: number, name: KiB, config: 1024 * KiB }, rows: 100_000 },
  decks: { columns: { id: number, name: 4 * KiB }, rows: 100_000 },
};

/** `kind`: view, trigger, generated-column, hidden-column, virtual-table (each its own translated reason). */
const schemaError = (what: string, kind: string, name: string, message: string) => invalid(`anki-${kind}`, `${what}: ${message}`, { file: what, name: name.slice(0, 80) });

/**
 * Checks a collection's schema and the size of everything that will be read. Returns whether it
 * has schema 18's tables. Throws `import-invalid` (anki-schema) or `import-too-large`.
 */
export function checkCollectionSchema(db: AnkiCollection, what: string): { schema18: boolean } {
  const objects = db.schemaObjects();
  for (const object of objects) {
    if (object.type === 'view' || object.type === 'trigger') {
      throw schemaError(what, object.type, String(object.name), `the collection holds a ${object.type} (${String(object.name).slice(0, 60)}), which Anki never writes`);
    }
  }
  const tables = new Map(objects.filter((o) => o.type === 'table').map((o) => [String(o.name).toLowerCase(), o]));
  for (const table of Object.keys(legacyTables)) {
    if (!tables.has(table)) throw invalid('not-anki', `${what} is an SQLite database but not an Anki collection (no '${table}' table)`, { file: what });
  }
  const schema18 = tables.has('notetypes');
  const rules = schema18 ? { ...legacyTables, ...schema18Tables } : legacyTables;
  for (const [table, rule] of Object.entries(rules)) {
    const object = tables.get(table);
    if (!object) throw invalid('not-anki', `${what} has a '${table === 'decks' ? 'notetypes' : 'decks'}' table but no '${table}' table`, { file: what });
    if (/^\s*create\s+virtual\b/i.test(object.sql ?? '')) {
      throw schemaError(what, 'virtual-table', table, `'${table}' is a virtual table, which Anki never writes`);
    }
    checkColumns(db, table, rule, what);
  }
  for (const [table, rule] of Object.entries(rules)) checkSizes(db, table, rule, what);
  return { schema18 };
}

/** Every column stored (no generated or hidden ones), and every column ProofDeck reads present. */
function checkColumns(db: AnkiCollection, table: string, rule: TableRule, what: string): void {
  const columns = db.columnsOf(table);
  for (const column of columns) {
    // hidden: 1 a virtual table's hidden column, 2 generated VIRTUAL, 3 generated STORED.
    if (column.hidden !== 0) {
      const kind = column.hidden === 1 ? 'hidden' : 'generated';
      throw schemaError(what, `${kind}-column`, `${table}.${String(column.name)}`, `${table}.${column.name} is a ${kind} column, which Anki never writes`);
    }
  }
  const names = new Set(columns.map((c) => String(c.name).toLowerCase()));
  for (const column of Object.keys(rule.columns)) {
    if (!names.has(column.toLowerCase())) throw invalid('not-anki', `${what}: the '${table}' table has no '${column}' column`, { file: what });
  }
}

/** Row count and the largest value of each column read, in one pass that returns only numbers. */
function checkSizes(db: AnkiCollection, table: string, rule: TableRule, what: string): void {
  const columns = Object.keys(rule.columns);
  const { rows, largest: sizes } = db.sizes(table, columns);
  if (rows > rule.rows) {
    const reason = table === 'notes' ? 'too-many-notes' : table === 'cards' ? 'too-many-cards' : table === 'revlog' ? 'too-many-reviews' : 'anki-too-many-rows';
    throw tooLarge(`${what}: the '${table}' table has ${rows} rows; the limit is ${rule.rows}`, { table, count: rows, limit: rule.rows }, reason);
  }
  columns.forEach((column, index) => {
    const largest = sizes[index];
    const limit = rule.columns[column];
    if (largest <= limit) return;
    const key = table === 'notes' || table === 'cards' || table === 'revlog' ? 'id' : table === 'col' ? 'rowid' : Object.keys(rule.columns)[0];
    const where = db.firstOver(table, key, column, limit);
    throw tooLarge(
      `${what}: ${table}.${column} of row ${String(where)} is ${largest} bytes; the limit is ${limit}`,
      { column: `${table}.${column}`, row: String(where).slice(0, 40), note: String(where).slice(0, 40), size: formatBytes(largest), limit: formatBytes(limit) },
      table === 'notes' && column === 'flds' ? 'note-too-large' : 'anki-value-too-large',
    );
  });
}
