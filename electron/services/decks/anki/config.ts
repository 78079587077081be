import type { AnkiCollection } from '../../store/anki/collection';
import { parseJsonBounded } from '../json-bounded';
import type { CollectionConfig } from '../../../../src/shared/anki/collection-config';

/**
 * The few collection config keys that decide how a package's scheduling reads (scheduler version
 * and day timing: src/shared/anki/collection-config.ts). A schema-11 collection keeps its config
 * as JSON in `col.conf`; from schema 14 Anki keeps it in the `config` table, one JSON value per
 * key (storage/config/mod.rs), and leaves `col.conf` empty. Only these keys are read, each held
 * to a small size in SQL before it is handed to JavaScript; a value that is not JSON is left out,
 * as Anki falls back to its default for a key it cannot read.
 */
const KEYS = ['schedVer', 'sched2021', 'rollover', 'creationOffset'] as const;
const VALUE_BYTES = 1024;
const CONF_BYTES = 1024 * 1024;

const hasColumn = (db: AnkiCollection, table: string, column: string) => db.columnsOf(table).some((info) => info.name.toLowerCase() === column.toLowerCase());

function parsed(text: string, what: string): unknown {
  try {
    return parseJsonBounded(text, what, 10_000);
  } catch {
    return undefined;
  }
}

/** Reads the keys above from a collection opened by `openCollection`; missing ones are absent. */
export function readCollectionConfig(db: AnkiCollection): CollectionConfig {
  const config: CollectionConfig = {};
  if (db.hasTable('config') && hasColumn(db, 'config', 'KEY') && hasColumn(db, 'config', 'val')) {
    const rows = db.configValues(KEYS, VALUE_BYTES);
    for (const row of rows) {
      const value = parsed(String(row.value), `config ${row.key}`);
      if (value !== undefined) config[row.key] = value;
    }
    if (rows.length > 0) return config;
  }
  if (!hasColumn(db, 'col', 'conf')) return config;
  const text = db.colConf(CONF_BYTES);
  if (typeof text !== 'string' || text === '') return config;
  const conf = parsed(text, "the collection's config");
  if (!conf || typeof conf !== 'object' || Array.isArray(conf)) return config;
  for (const key of KEYS) if (key in conf) config[key] = (conf as Record<string, unknown>)[key];
  return config;
}
