import { createHash } from 'node:crypto';
import { stringify as stringifyYaml } from 'yaml';
import { AppError } from '../../../../src/shared/errors';
import { parseMarkdownDeck, type NoteFields, type ParsedNote } from './parse';
import { isValidNoteId } from './syntax';
import { looksLikeCloze } from '../../../../src/shared/cloze';

/**
 * Writes notes in the clean DESIGN.md form, so that parsing the result gives the same notes back:
 * `## Q. … {#id}`, `A. …`, a ```prove``` block, and contexts as sections (notes that share a
 * context share a section) or, where a context cannot be a section, as a `<!-- context -->` block.
 */

export interface ExportDeckInfo {
  title: string;
  key: string;
  version?: number | null;
  tags?: string[];
  /** The primary language; defaults to the first note's. */
  language?: string;
  description?: string;
}

export interface ExportOptions {
  /** Write this translation instead of the primary fields (notes without it are left out). */
  language?: string;
}

/** Notes as a Markdown deck file (front matter + clean-form questions). */
export function exportMarkdownDeck(deck: ExportDeckInfo, notes: readonly ParsedNote[], options: ExportOptions = {}): string {
  const primary = deck.language ?? notes[0]?.language ?? 'en';
  const language = options.language ?? primary;
  const translation = language !== primary;
  const deckTags = deck.tags ?? [];

  const frontMatter: Record<string, unknown> = { title: deck.title, deck: deck.key };
  if (deck.version != null) frontMatter.version = deck.version;
  frontMatter.language = language;
  if (translation) frontMatter.translation_of = primary;
  if (deckTags.length > 0) frontMatter.tags = deckTags;
  if (deck.description) frontMatter.description = deck.description;

  const parts: string[] = [`---\n${stringifyYaml(frontMatter, { lineWidth: 0 }).trimEnd()}\n---`];
  let openSection: string | null = null;
  const sectionShaped = new Map<string, boolean>();
  for (const note of notes) {
    const fields: NoteFields | undefined = translation ? note.translations[language] : note;
    if (!fields) continue;
    let explicitContext = false;
    if (fields.context !== '' && fields.context !== openSection) {
      let shaped = sectionShaped.get(fields.context);
      if (shaped === undefined) {
        shaped = worksAsSection(fields.context);
        sectionShaped.set(fields.context, shaped);
      }
      if (shaped) {
        parts.push(fields.context);
        openSection = fields.context;
      } else {
        explicitContext = true;
      }
    } else if (fields.context === '' && openSection !== null) {
      explicitContext = true;
    }
    parts.push(questionBlock(deck.key, note, fields, translation ? language : primary, deckTags, translation, explicitContext));
  }
  return `${parts.join('\n\n')}\n`;
}

function questionBlock(
  deckKey: string,
  note: ParsedNote,
  fields: NoteFields,
  fileLanguage: string,
  deckTags: string[],
  translation: boolean,
  explicitContext: boolean,
): string {
  const { id, guid } = exportIdentity(deckKey, note.id, note.guid);
  const attributes = [`#${id}`];
  if (!translation) {
    if (guid !== `${deckKey}:${id}`) attributes.push(`guid=${JSON.stringify(guid)}`);
    const own = note.tags.filter((tag) => !deckTags.includes(tag));
    if (own.length > 0) attributes.push(`tags=${JSON.stringify(own.join(' '))}`);
    if (note.language !== fileLanguage) attributes.push(`lang=${JSON.stringify(note.language)}`);
    // A question with {{c1::…}} reads back as cloze by itself; any other kind is written out.
    const kind = note.kind ?? 'basic';
    if (kind !== (looksLikeCloze(note.front) ? 'cloze' : 'basic')) attributes.push(`kind=${JSON.stringify(kind)}`);
  }
  const singleLine = !fields.front.includes('\n') && !/#\s*$/.test(fields.front);
  const lines = [`## Q. ${singleLine ? `${fields.front} ` : ''}{${attributes.join(' ')}}`];
  if (!singleLine) lines.push('', fields.front);
  // An answer that opens with a block (list, fence, formula, table) starts on the line after "A.".
  const plainStart = !/^[\s`~#>|*+\-$<\d]/.test(fields.back);
  lines.push('', plainStart ? `A. ${fields.back}` : `A.\n${fields.back}`);
  if (note.experiment && !translation) {
    lines.push('', `\`\`\`prove ${note.experiment.id}`, JSON.stringify(note.experiment.params), '```');
  }
  if (explicitContext) lines.push('', '<!-- context -->', fields.context, '<!-- /context -->');
  return lines.join('\n');
}

/**
 * The deck as one Markdown file per language (`ko.md`, `en.md`): the primary file first, then
 * one per translation found in the notes. Pure; `writeMarkdownFolder` puts them on disk.
 */
export function exportMarkdownFiles(deck: ExportDeckInfo, notes: readonly ParsedNote[]): { name: string; language: string; text: string }[] {
  const primary = deck.language ?? notes[0]?.language ?? 'en';
  const languages = [primary, ...notes.flatMap((note) => Object.keys(note.translations))].filter((language, index, all) => all.indexOf(language) === index);
  return languages.map((language) => {
    if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) throw new AppError('invalid-args', `"${language}" is not a language code`);
    return { name: `${language}.md`, language, text: exportMarkdownDeck({ ...deck, language: primary }, notes, { language }) };
  });
}

/** The `{#id}` to write: the note's own id when it is valid and matches its guid's shape. */
function exportIdentity(deckKey: string, id: string, guid: string): { id: string; guid: string } {
  if (isValidNoteId(id)) return { id, guid };
  const fromGuid = guid.startsWith(`${deckKey}:`) ? guid.slice(deckKey.length + 1) : '';
  if (isValidNoteId(fromGuid)) return { id: fromGuid, guid };
  return { id: `n-${createHash('sha256').update(guid).digest('hex').slice(0, 16)}`, guid };
}

/** Id for a note that came from elsewhere (an Anki guid): `rest` of `${deckKey}:rest`, or a hash. */
export function noteIdFromGuid(deckKey: string, guid: string): string {
  return exportIdentity(deckKey, '', guid).id;
}

/**
 * Whether a context, written as a section followed by `## Q.` questions, parses back as itself.
 * Checked by parsing, so every rule of the parser (empty subsections, headings) is respected.
 */
function worksAsSection(context: string): boolean {
  if (!/^# \S/.test(context) || context.includes('<!-- context -->')) return false;
  try {
    const probe = parseMarkdownDeck(`${context}\n\n## Q. probe {#probe}\n\nA. probe\n`, { deckKey: 'probe' });
    return probe.notes.length === 1 && probe.notes[0].context === context;
  } catch {
    return false;
  }
}
