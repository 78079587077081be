import { z } from 'zod';

/**
 * A note drawn by its Anki note type (migration 007): what the card renderer needs to draw any of
 * its cards as Anki does (src/render/anki-template.ts), with the note type's CSS scoped to the
 * card. Fields are the note's HTML as stored (sanitized on import; the renderer sanitizes the
 * card again).
 */
export const AnkiNoteView = z.object({
  /** A class name for the card root, one per note type: its CSS is scoped to it. */
  scope: z.string().regex(/^[A-Za-z_][\w-]*$/),
  /** The note type's name (Anki's `{{Type}}`). */
  name: z.string(),
  /** A cloze note type: card n asks cloze n + 1, always with the first template. */
  cloze: z.boolean(),
  templates: z.array(z.object({ name: z.string(), front: z.string(), back: z.string() })),
  css: z.string(),
  /** The note's fields in the note type's order. */
  fields: z.array(z.object({ name: z.string(), value: z.string() })),
});
export type AnkiNoteView = z.infer<typeof AnkiNoteView>;

/** A class name for a note type's cards, from its key (letters, digits and dashes). */
export function ankiScope(key: string): string {
  return `anki-nt-${key.replace(/[^A-Za-z0-9]/g, '').slice(0, 16)}`;
}
