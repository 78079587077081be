import { z } from 'zod';
import { ankiCardOrdinals, compileAnkiTemplate } from '../../../src/shared/anki/template';
import { describeIssues } from '../../../src/shared/contract/issues';
import type { ExchangeCard, ExchangeNote, ExchangeNotetype } from './types';
import { importLimits, invalid } from './limits';
import { checkNotetype } from './validate-notetypes';

/**
 * The Anki note types of a `.proofdeck` file (`notetypes.json`, docs/proofdeck-format.md): the
 * fields, card templates and CSS that draw its notes, so a note of a shared Anki deck keeps its
 * look through ProofDeck → .proofdeck → ProofDeck. Held to the same bounds as an `.apkg`'s note
 * types (validate-notetypes.ts); templates and CSS stay as Anki wrote them and are sanitized where
 * they are drawn (src/render/anki-template.ts, anki-css.ts), as an `.apkg`'s are.
 *
 * The file is optional and a note's `notetype` key too: a reader that predates them ignores both
 * and draws such notes from their Markdown sides, as before.
 */

export const NOTETYPES_ENTRY = 'notetypes.json';

// Unknown keys are dropped, not refused: later versions may add optional ones (docs/proofdeck-format.md).
const Template = z.object({ name: z.string().max(1000), front: z.string().max(256 * 1024), back: z.string().max(256 * 1024) });

const Notetype = z.object({
  key: z.string().regex(/^[0-9a-f]{64}$/),
  ankiId: z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
  name: z.string().max(1000),
  kind: z.union([z.literal(0), z.literal(1)]),
  fields: z.array(z.string().max(1000)).max(importLimits.fieldsPerNote),
  templates: z.array(Template).min(1).max(100),
  css: z.string().max(512 * 1024),
  extra: z.record(z.string(), z.unknown()).nullable(),
});

/** At most this many note types in one file (as validate-notetypes.ts allows an import). */
export const NotetypeList = z.array(Notetype).max(1000);

/** A note type for `notetypes.json`. */
export function notetypeEntry(notetype: ExchangeNotetype): z.input<typeof Notetype> {
  return { key: notetype.key, ankiId: notetype.ankiId, name: notetype.name, kind: notetype.kind, fields: notetype.fields, templates: notetype.templates, css: notetype.css, extra: notetype.extra };
}

function refuse(name: string, detail: string): never {
  throw invalid('notetype', `note type ${name.slice(0, 60)}: ${detail}`, { name: name.slice(0, 60), detail });
}

/**
 * `notetypes.json` as parsed JSON, checked: its shape, each note type's bounds and key (which must
 * be the hash of its content), every note that names one naming one of the file with the same
 * fields. Throws `import-invalid` (reason `notetype`) on the first problem; nothing is kept.
 */
export function readNotetypes(raw: unknown, notes: readonly ExchangeNote[]): ExchangeNotetype[] {
  const parsed = NotetypeList.safeParse(raw);
  if (!parsed.success) refuse('(list)', describeIssues(parsed.error, { limit: 1, root: NOTETYPES_ENTRY }) || 'malformed');
  const byKey = new Map<string, ExchangeNotetype>();
  for (const entry of parsed.data) {
    const notetype: ExchangeNotetype = { ...entry, extra: entry.extra ?? null };
    // The same caps and key check as an .apkg's note types.
    checkNotetype(notetype, importLimits);
    if (byKey.has(entry.key)) refuse(entry.name, 'it is listed twice');
    byKey.set(entry.key, notetype);
  }
  for (const note of notes) {
    if (note.notetypeKey === undefined) continue;
    const notetype = byKey.get(note.notetypeKey);
    if (!notetype) refuse('?', `note ${note.guid.slice(0, 60)} names a note type the file does not carry`);
    const names = note.fields?.names;
    if (!names || names.length !== notetype.fields.length || names.some((name, i) => name !== notetype.fields[i])) refuse(notetype.name, `note ${note.guid.slice(0, 60)} does not have its fields`);
  }
  return [...byKey.values()];
}

/**
 * New cards for a note of a note type when the file carries no scheduling: the ones Anki's card
 * generation gives its fields (one per template that shows something, one per cloze number).
 */
export function newCardsOf(note: ExchangeNote, notetype: ExchangeNotetype, now: number): ExchangeCard[] {
  const values = note.fields?.values ?? [];
  const fields = new Map(notetype.fields.map((name, i) => [name, values[i] ?? '']));
  const ords = ankiCardOrdinals(notetype.templates.map(compileAnkiTemplate), fields, { cloze: notetype.kind === 1, hasTags: note.tags.length > 0 });
  return ords.map((ord) => ({ ord, due: now, stability: 0, difficulty: 0, elapsedDays: 0, scheduledDays: 0, learningSteps: 0, reps: 0, lapses: 0, state: 0, lastReview: null, suspended: false }));
}
