import { createHash } from 'node:crypto';
import type { ExchangeNote } from '../types';
import { parseJsonBounded } from '../json-bounded';
import { toNoteKind } from '../../../../src/shared/cloze';

/**
 * Name of the hidden field that carries a ProofDeck note's Markdown source through Anki. Anki
 * shows fields as HTML, so the Markdown (and math, experiment links, translations) would be lost
 * on the way back; this field keeps it, with a hash of the HTML fields as exported. If the user
 * edits the note in Anki, the hash no longer matches and the edited HTML is imported instead.
 */
export const PROOFDECK_FIELD = 'ProofDeck';

export interface Carried {
  v: 1;
  html: string;
  /** A fingerprint per visible field, so a note edited in Anki keeps the Markdown of the fields it did not touch (absent before). */
  fieldHtml?: string[];
  front: string;
  back: string;
  context: string;
  language: string | null;
  translations: ExchangeNote['translations'];
  experimentId: string | null;
  experimentParams: Record<string, unknown> | null;
  fields: ExchangeNote['fields'];
  /** Absent in files exported before note kinds. */
  kind?: ExchangeNote['kind'];
}

export function htmlFingerprint(values: string[]): string {
  return createHash('sha1').update(values.join('\x1f')).digest('hex');
}

/** One field's fingerprint (short: it only tells an edited field from an untouched one). */
export function fieldFingerprint(value: string): string {
  return createHash('sha1').update(value).digest('hex').slice(0, 16);
}

/** The hidden field's value: base64 JSON, so Anki's HTML editor has nothing to rewrite. */
export function carryProofdeckNote(note: ExchangeNote, visibleValues: string[]): string {
  const carried: Carried = {
    v: 1,
    html: htmlFingerprint(visibleValues),
    fieldHtml: visibleValues.map(fieldFingerprint),
    front: note.front,
    back: note.back,
    context: note.context,
    language: note.language,
    translations: note.translations,
    experimentId: note.experimentId,
    experimentParams: note.experimentParams,
    fields: note.fields,
    kind: note.kind ?? 'basic',
  };
  return Buffer.from(JSON.stringify(carried), 'utf8').toString('base64');
}

/** What the hidden field carries, when a note has it and it reads as ProofDeck wrote it; null otherwise. */
export function readCarried(names: string[], values: string[]): Carried | null {
  const index = names.indexOf(PROOFDECK_FIELD);
  if (index < 0 || typeof values[index] !== 'string') return null;
  try {
    const text = Buffer.from(values[index].trim(), 'base64').toString('utf8');
    const carried = parseJsonBounded(text, 'the ProofDeck field', 100_000) as Carried;
    if (carried?.v !== 1 || typeof carried.html !== 'string') return null;
    if (typeof carried.front !== 'string' || typeof carried.back !== 'string' || typeof carried.context !== 'string') return null;
    return carried;
  } catch {
    return null;
  }
}

/** The ProofDeck note an Anki note carries, when it has the field and was not edited in Anki since. */
export function restoreProofdeckNote(names: string[], values: string[], guid: string, tags: string[]): ExchangeNote | null {
  const index = names.indexOf(PROOFDECK_FIELD);
  const carried = readCarried(names, values);
  if (!carried || carried.html !== htmlFingerprint(values.filter((_, i) => i !== index))) return null;
  try {
    return {
      guid,
      front: carried.front,
      back: carried.back,
      context: carried.context,
      language: typeof carried.language === 'string' ? carried.language : null,
      translations: carried.translations && typeof carried.translations === 'object' ? carried.translations : null,
      tags,
      experimentId: typeof carried.experimentId === 'string' ? carried.experimentId : null,
      experimentParams: carried.experimentParams && typeof carried.experimentParams === 'object' ? carried.experimentParams : null,
      fields: carried.fields ?? null,
      ...(carried.kind !== undefined ? { kind: toNoteKind(carried.kind) } : {}),
    };
  } catch {
    return null;
  }
}
