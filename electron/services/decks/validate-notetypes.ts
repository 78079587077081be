import type { ExchangeNotetype, ParsedImport } from './types';
import { invalid, tooLarge, utf8Bytes, type ImportLimits } from './limits';
import { notetypeKey } from './anki/notetypes';

/**
 * The note types of a parsed import, held to caps and checked value by value like its notes
 * (validate.ts): what the worker sends is re-checked before the database writer sees it, and
 * every note that names a note type names one the import carries, with fields to fill it.
 */

const MAX_NOTETYPES = 1_000;
const MAX_TEMPLATES = 100;
/** What the card renderer's CSS scoper reads (src/render/anki-css.ts, 512 Ki characters). */
const MAX_CSS_BYTES = 512 * 1024;
const MAX_TEMPLATE_BYTES = 256 * 1024;
const MAX_EXTRA_BYTES = 512 * 1024;

/** `import-invalid`, reason `notetype`: "the note type “{name}” cannot be used ({detail})". */
const bad = (name: string, detail: string) => invalid('notetype', `note type ${name.slice(0, 60)}: ${detail}`, { name: name.slice(0, 60), detail });
const isString = (value: unknown): value is string => typeof value === 'string';

/** One note type against the caps; throws `import-invalid` (reason `notetype`) or `import-too-large`. */
export function checkNotetype(notetype: ExchangeNotetype, limits: ImportLimits): void {
  if (typeof notetype !== 'object' || notetype === null) throw bad('?', 'not an object');
  if (!isString(notetype.name) || notetype.name.length > 1000) throw bad('?', 'its name is missing or too long');
  if (!Number.isSafeInteger(notetype.ankiId) || (notetype.kind !== 0 && notetype.kind !== 1)) throw bad(notetype.name, 'bad id or kind');
  if (!Array.isArray(notetype.fields) || !notetype.fields.every((f) => isString(f) && f.length <= 1000)) throw bad(notetype.name, 'bad field names');
  if (notetype.fields.length > limits.fieldsPerNote) {
    throw tooLarge(`note type ${notetype.name.slice(0, 60)} has ${notetype.fields.length} fields`, { note: notetype.name.slice(0, 60), count: notetype.fields.length, limit: limits.fieldsPerNote }, 'too-many-fields');
  }
  if (!Array.isArray(notetype.templates) || notetype.templates.length === 0 || notetype.templates.length > MAX_TEMPLATES) throw bad(notetype.name, 'no templates, or too many');
  for (const template of notetype.templates) {
    if (typeof template !== 'object' || template === null || ![template.name, template.front, template.back].every(isString)) throw bad(notetype.name, 'a template is malformed');
    if (utf8Bytes(template.front) + utf8Bytes(template.back) > MAX_TEMPLATE_BYTES) throw bad(notetype.name, 'a template is too large');
  }
  if (!isString(notetype.css) || utf8Bytes(notetype.css) > MAX_CSS_BYTES) throw bad(notetype.name, 'its CSS is missing or too large');
  if (notetype.extra !== null && (typeof notetype.extra !== 'object' || Array.isArray(notetype.extra) || utf8Bytes(JSON.stringify(notetype.extra)) > MAX_EXTRA_BYTES)) {
    throw bad(notetype.name, 'its settings are malformed or too large');
  }
  if (notetype.key !== notetypeKey(notetype)) throw bad(notetype.name, 'its key does not match its content');
}

/** Throws `import-invalid` or `import-too-large` when the note types or the notes' references to them are not sound. */
export function checkImportNotetypes(parsed: ParsedImport, limits: ImportLimits): void {
  const keys = new Map<string, ExchangeNotetype>();
  if (parsed.notetypes !== undefined) {
    if (!Array.isArray(parsed.notetypes) || parsed.notetypes.length > MAX_NOTETYPES) throw bad('?', 'the list is malformed or too long');
    for (const notetype of parsed.notetypes) {
      checkNotetype(notetype, limits);
      keys.set(notetype.key, notetype);
    }
  }
  for (const note of parsed.notes) {
    if (note.notetypeKey === undefined) continue;
    const notetype = keys.get(note.notetypeKey);
    if (!notetype || !note.fields) throw bad('?', `note ${String(note.guid).slice(0, 60)} names a note type the file does not carry`);
  }
}
