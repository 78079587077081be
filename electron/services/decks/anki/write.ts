import { createHash } from 'node:crypto';
import { createAnkiCollection } from '../../store/anki/writer';
import type { ExchangeNote, ExchangeNotetype } from '../types';
import type { DeckForExport } from '../deck-read';
import { presetToDconf } from './deck-config';
import { defaultPresetConfig } from '../../../../src/shared/contract/presets';
import { diagramKey, markdownToAnkiHtml, stripHtmlKeepMedia } from './html';
import { carryProofdeckNote, PROOFDECK_FIELD } from './proofdeck-field';
import { writeZip } from '../zip';
import { ownNoteFields } from './export-fields';
import { ankiModelJson } from './notetypes';
import { ankiCardColumns, ankiReviewRow, exportConf, exportTiming } from './export-schedule';
import { localTimeZone } from '../../scheduler/study-day';
import { cardOrdinals, type NoteKind } from '../../../../src/shared/cloze';

/**
 * Anki's system tags: a learner's own marks on a note. A deck shared without scheduling leaves
 * them out, as Anki's export does (import_export/gather.rs `remove_system_tags`, case-insensitive).
 */
const systemTags = new Set(['marked', 'leech']);
const isSystemTag = (tag: string) => systemTags.has(tag.toLowerCase());

/** A stable positive id from a string: the same deck or note type gets the same id in every export. */
function stableId(text: string): number {
  return parseInt(createHash('sha1').update(text).digest('hex').slice(0, 11), 16) + 1;
}

/** Anki's duplicate-check checksum: first 8 hex digits of the SHA-1 of the stripped first field. */
export function fieldChecksum(firstField: string): number {
  return parseInt(createHash('sha1').update(stripHtmlKeepMedia(firstField)).digest('hex').slice(0, 8), 16);
}

interface Notetype {
  id: number;
  name: string;
  fields: string[];
  kind: NoteKind;
}

const CSS =
  '.card { font-family: arial; font-size: 20px; text-align: center; color: black; background-color: white; }\n.context { font-size: 16px; text-align: left; color: #555; }\n.cloze { font-weight: bold; color: blue; }\n';

/** Field names of the note types ProofDeck writes for its own notes (no Anki fields), per kind. */
const ownFields: Record<NoteKind, { name: string; fields: string[] }> = {
  basic: { name: 'ProofDeck', fields: ['Front', 'Back', 'Context'] },
  reversed: { name: 'ProofDeck (and reversed card)', fields: ['Front', 'Back', 'Context'] },
  cloze: { name: 'ProofDeck Cloze', fields: ['Text', 'Back Extra', 'Context'] },
};

const shown = (name: string) => `{{#${name}}}<div class="field">{{${name}}}</div>{{/${name}}}`;

/**
 * The templates of a note type: basic asks the first field; reversed adds a second card asking
 * the second field and answering the first; cloze is Anki's `{{cloze:Text}}` on both sides.
 */
function templates(notetype: Notetype): Record<string, unknown>[] {
  const visible = notetype.fields.filter((f) => f !== PROOFDECK_FIELD);
  const [first, ...rest] = visible;
  const template = (ord: number, qfmt: string, afmt: string) => ({ name: `Card ${ord + 1}`, ord, qfmt, afmt, did: null, bqfmt: '', bafmt: '' });
  if (notetype.kind === 'cloze') {
    return [template(0, `{{cloze:${first}}}`, `{{cloze:${first}}}\n\n<hr id=answer>\n\n${rest.map(shown).join('\n')}`)];
  }
  const cards = [template(0, `{{${first}}}`, `{{FrontSide}}\n\n<hr id=answer>\n\n${rest.map(shown).join('\n')}`)];
  if (notetype.kind === 'reversed' && rest.length) {
    const [second, ...others] = rest;
    cards.push(template(1, `{{${second}}}`, `{{FrontSide}}\n\n<hr id=answer>\n\n${[first, ...others].map(shown).join('\n')}`));
  }
  return cards;
}

function modelJson(notetype: Notetype, deckId: number, now: number): Record<string, unknown> {
  const tmpls = templates(notetype);
  return {
    id: notetype.id,
    name: notetype.name,
    // Anki's model type: 0 standard, 1 cloze
    type: notetype.kind === 'cloze' ? 1 : 0,
    mod: now,
    usn: -1,
    sortf: 0,
    did: deckId,
    tmpls,
    flds: notetype.fields.map((name, ord) => ({ name, ord, sticky: false, rtl: false, font: 'Arial', size: 20, media: [] })),
    css: CSS,
    latexPre: '\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n',
    latexPost: '\\end{document}',
    tags: [],
    vers: [],
    // Which fields a standard template needs to make a card; cloze note types have none.
    ...(notetype.kind === 'cloze' ? {} : { req: tmpls.map((_, ord) => [ord, 'any', [ord]]) }),
  };
}

export interface ApkgExportOptions {
  includeSchedule?: boolean;
  now?: number;
  /** The user's day-start hour and time zone: Anki's day numbers are counted with them. Default 4, the machine's zone. */
  rolloverHour?: number;
  timeZone?: string;
  /** Mermaid diagrams rendered to SVG by the UI: exported as images instead of their source. */
  diagrams?: { source: string; svg: string }[];
}

export interface ApkgExportResult {
  bytes: Uint8Array;
  /** Notes with Mermaid diagrams that had no SVG, exported as their source in a <pre> block. */
  mermaidNotes: number;
}

/** Writes a deck as an Anki package (legacy collection.anki2 + JSON media map). */
export function writeApkg(deck: DeckForExport, options: ApkgExportOptions = {}): ApkgExportResult {
  const now = options.now ?? Date.now();
  const nowSeconds = Math.floor(now / 1000);
  const withSchedule = options.includeSchedule ?? false;
  // Day numbers count from the collection's creation day, so it is the study day of the earliest due date.
  const timing = exportTiming(withSchedule ? deck.notes.flatMap((note) => note.cards ?? []) : [], {
    now,
    rolloverHour: options.rolloverHour ?? 4,
    timeZone: options.timeZone ?? localTimeZone(),
  });
  const crt = timing.crt;
  const db = createAnkiCollection();
  try {
    const deckId = stableId(`deck:${deck.name}`);
    const notetypes = new Map<string, Notetype>();
    const notetypeOf = (note: ExchangeNote): Notetype => {
      const kind = note.kind ?? 'basic';
      const name = note.fields ? note.fields.notetype : ownFields[kind].name;
      const fields = [...(note.fields ? note.fields.names : ownFields[kind].fields), PROOFDECK_FIELD];
      // Basic keys stay as before note kinds, so re-exports keep their note type ids.
      const key = JSON.stringify(kind === 'basic' ? [name, fields] : [name, fields, kind]);
      let notetype = notetypes.get(key);
      if (!notetype) {
        const sameName = [...notetypes.values()].some((n) => n.name === name);
        notetype = { id: stableId(`notetype:${key}`), name: sameName ? `${name} (${notetypes.size + 1})` : name, fields, kind };
        notetypes.set(key, notetype);
      }
      return notetype;
    };
    const kept = new Map((deck.notetypes ?? []).map((notetype) => [notetype.key, notetype]));
    const keptModels = new Map<string, { id: number; notetype: ExchangeNotetype }>();
    // The id Anki knows the note type by; a second version of it (another CSS) in the same deck gets one of its own.
    const keptModelId = (notetype: ExchangeNotetype): number => {
      let model = keptModels.get(notetype.key);
      if (!model) {
        const taken = [...keptModels.values()].some((m) => m.id === notetype.ankiId);
        model = { id: taken ? stableId(`notetype:${notetype.key}`) : notetype.ankiId, notetype };
        keptModels.set(notetype.key, model);
      }
      return model.id;
    };
    let mermaidNotes = 0;
    const diagramNames = new Map<string, string>();
    const diagramFiles = new Map<string, Uint8Array>();
    for (const diagram of options.diagrams ?? []) {
      if (!/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(diagram.svg)) continue;
      const key = diagramKey(diagram.source);
      const name = `proofdeck-diagram-${key.slice(0, 16)}.svg`;
      diagramNames.set(key, name);
      diagramFiles.set(name, new TextEncoder().encode(diagram.svg));
    }
    let nextId = now;
    let position = 0;
    db.transaction(() => {
      for (const note of deck.notes) {
        // A note of a kept Anki note type goes back in it, fields as they are; any other as ProofDeck's own, with the hidden field.
        const keptType = note.notetypeKey !== undefined && note.fields ? kept.get(note.notetypeKey) : undefined;
        let modelId: number;
        let values: string[];
        let sortIndex = 0;
        let ords: number[];
        if (keptType) {
          const fields = note.fields!;
          modelId = keptModelId(keptType);
          values = keptType.fields.map((name) => fields.values[fields.names.indexOf(name)] ?? '');
          const sortf = keptType.extra?.sortf;
          if (typeof sortf === 'number' && Number.isInteger(sortf) && sortf >= 0 && sortf < values.length) sortIndex = sortf;
          // The cards the note has here: one per template (or cloze number) Anki made.
          ords = [...new Set((note.cards ?? []).map((c) => c.ord))].sort((a, b) => a - b);
          if (!ords.length) ords = [0];
        } else {
          const notetype = notetypeOf(note);
          let visible: string[];
          let mermaid = false;
          const render = (text: string) => {
            const result = markdownToAnkiHtml(text, diagramNames);
            mermaid ||= result.mermaid;
            return result.html;
          };
          if (note.fields) visible = note.fields.values.map((v) => v);
          else visible = ownNoteFields(note, render);
          if (mermaid) mermaidNotes++;
          modelId = notetype.id;
          values = [...visible, carryProofdeckNote(note, visible)];
          // One card per card the note type makes (per cloze number, or both sides). Extra cards of a basic note stay in ProofDeck.
          ords = cardOrdinals(notetype.kind, note.front);
        }
        const noteId = nextId++;
        const sortField = stripHtmlKeepMedia(values[sortIndex] ?? '');
        db.addNote({
          id: noteId,
          guid: note.guid,
          mid: modelId,
          mod: nowSeconds,
          tags: ` ${(withSchedule ? note.tags : note.tags.filter((tag) => !isSystemTag(tag))).join(' ')} `.replace(/^ +$/, ''),
          flds: values.join('\x1f'),
          sfld: sortField,
          csum: fieldChecksum(values[0] ?? ''),
        });
        const cardIds = new Map<number, number>();
        for (const ord of ords) {
          const card = note.cards?.find((c) => c.ord === ord);
          const cardId = nextId++;
          cardIds.set(ord, cardId);
          db.addCard({ id: cardId, nid: noteId, did: deckId, ord, mod: nowSeconds, ...ankiCardColumns(card, position++, timing.clock, now, withSchedule) });
        }
        if (withSchedule) {
          for (const review of note.reviews ?? []) {
            const cardId = cardIds.get(review.ord);
            if (cardId !== undefined) db.addReview(ankiReviewRow(review, cardId));
          }
        }
      }
    });
    const models: Record<string, unknown> = {};
    for (const notetype of notetypes.values()) models[String(notetype.id)] = modelJson(notetype, deckId, nowSeconds);
    for (const { id, notetype } of keptModels.values()) models[String(id)] = ankiModelJson(notetype, id, deckId, nowSeconds);
    // The deck's options preset goes out as its deck options (Default as Anki's Default, id 1).
    const confId = deck.preset && deck.preset.name !== 'Default' ? 2 : 1;
    const deckJson = (id: number, name: string, conf = 1) => ({
      id, name, desc: '', mod: nowSeconds, usn: -1, collapsed: false, browserCollapsed: false, dyn: 0, conf, extendNew: 0, extendRev: 0,
      newToday: [0, 0], revToday: [0, 0], lrnToday: [0, 0], timeToday: [0, 0],
    });
    const decks = { '1': deckJson(1, 'Default'), [String(deckId)]: { ...deckJson(deckId, deck.name, confId), desc: deck.description } };
    const dconf: Record<string, unknown> = { '1': presetToDconf(1, confId === 1 && deck.preset ? deck.preset : { name: 'Default', config: defaultPresetConfig }, 0) };
    if (confId === 2 && deck.preset) dconf['2'] = presetToDconf(2, deck.preset, nowSeconds);
    const conf = exportConf(timing, deckId, position + 1);
    db.setCol({ crt, mod: now, scm: now, conf: JSON.stringify(conf), models: JSON.stringify(models), decks: JSON.stringify(decks), dconf: JSON.stringify(dconf) });
    const files = new Map<string, Uint8Array>();
    files.set('collection.anki2', db.serialize());
    const mediaMap: Record<string, string> = {};
    const used = new Set(db.fieldTexts().join('\x1f').match(/proofdeck-diagram-[0-9a-f]{16}\.svg/g) ?? []);
    const media = [...deck.media.map((file) => ({ name: file.name, data: file.data })), ...[...diagramFiles].filter(([name]) => used.has(name)).map(([name, data]) => ({ name, data }))];
    media.forEach((file, index) => {
      mediaMap[String(index)] = file.name;
      files.set(String(index), file.data);
    });
    files.set('media', new TextEncoder().encode(JSON.stringify(mediaMap)));
    return { bytes: writeZip(files), mermaidNotes };
  } finally {
    db.close();
  }
}
