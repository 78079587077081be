import { useEffect, useState, type KeyboardEvent } from 'react';
import type { AnkiNoteView, DeckSummary, NoteDetail } from '../../shared/contract';
import { cardLabel, clozeNumbers, nextClozeNumber, noteKinds, ordsRemovedByEdit, type NoteKind } from '../../shared/cloze';
import { catalog } from '../../experiments/catalog';
import { useApp } from '../AppContext';
import type { ScreenProps } from '../screen-types';
import { Markdown } from '../components/Markdown';
import { useKeydown } from '../keyboard';
import { AnkiFieldsEditor } from './AnkiFieldsEditor';

type Field = 'front' | 'back' | 'context';
type Translations = NonNullable<NoteDetail['translations']>;

interface Draft {
  deckId: number;
  front: string;
  back: string;
  context: string;
  /** The note in other languages; edited in place when the editor shows one of them. */
  translations: Translations;
  tags: string;
  experimentId: string;
  params: string;
  kind: NoteKind;
  /** A note drawn by its Anki note type: its fields, edited in place of front/back/context. */
  anki?: AnkiNoteView | null;
}

/**
 * Anki's Ctrl+Shift+C: wraps the selection of a textarea in the next cloze number
 * (`{{c3::selection}}`; with Alt, the last number used, so one card asks both) and returns the
 * new text with where the caret goes (inside the deletion when nothing was selected, after it
 * otherwise).
 */
function wrapInCloze(text: string, start: number, end: number, sameNumber: boolean): { text: string; caret: number } {
  const number = sameNumber ? Math.max(1, nextClozeNumber(text) - 1) : nextClozeNumber(text);
  const opening = `{{c${number}::`;
  const selected = text.slice(start, end);
  const wrapped = `${opening}${selected}}}`;
  return { text: text.slice(0, start) + wrapped + text.slice(end), caret: start + (selected ? wrapped.length : opening.length) };
}

/** The translations into the UI's languages, as notes.save takes them. */
function pickLocales(translations: Translations): Partial<Record<'ko' | 'en', Translations[string]>> {
  return Object.fromEntries(Object.entries(translations).filter(([locale]) => locale === 'ko' || locale === 'en'));
}

function toDraft(note: NoteDetail): Draft {
  return {
    deckId: note.deckId,
    front: note.front,
    back: note.back,
    context: note.context,
    translations: note.translations ?? {},
    tags: note.tags.join(' '),
    experimentId: note.experimentId ?? '',
    params: note.experimentParams ? JSON.stringify(note.experimentParams) : '',
    kind: note.kind,
    anki: note.anki ?? null,
  };
}

/**
 * Edits a note (or adds one) with a live preview beside each field: the same renderer as review,
 * so KaTeX and Mermaid show as they will on the card. Saving keeps every card's schedule.
 * Opened from review (`e`), `onClose` takes it back there instead of to Browse.
 */
export function NoteEditor({ params, onClose }: ScreenProps & { onClose?(saved: boolean): void }) {
  const { api, t, locale, navigate, showError, undo } = useApp();
  const noteId = typeof params.noteId === 'number' ? params.noteId : null;
  const [decks, setDecks] = useState<DeckSummary[]>([]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState<NoteDetail | null>(null);
  const [jsonError, setJsonError] = useState(false);
  /** Which version of the fields is being edited: the note's own, or its translation into a UI language. */
  const [edition, setEdition] = useState<'original' | 'ko' | 'en'>('original');

  useEffect(() => {
    void api['decks.list']({}).then(setDecks, showError);
    if (noteId !== null)
      api['notes.get']({ noteId }).then((note) => {
        setSaved(note);
        setDraft(toDraft(note));
        // The note as the review shows it: in the UI language where it has a translation.
        const translated = note.language !== locale && note.translations?.[locale]?.front;
        setEdition(translated ? locale : 'original');
      }, showError);
    // The language is read once, when the note is opened.
  }, [api, noteId, showError]);
  useEffect(() => {
    if (noteId === null && !draft && decks.length)
      setDraft({ deckId: decks[0].id, front: '', back: '', context: '', translations: {}, tags: '', experimentId: '', params: '', kind: 'basic' });
  }, [noteId, draft, decks]);
  // Cards this edit would remove (a cloze number deleted, a reversed note made basic): said before saving.
  const removedOrds = draft && saved ? ordsRemovedByEdit(saved.cards.map((c) => c.ord), { kind: draft.kind, front: draft.front, previousKind: saved.kind }) : [];
  const labels = (kind: NoteKind, ords: number[]) => ords.map((ord) => cardLabel(kind, ord) ?? String(ord + 1)).join(', ');

  const back = (saved = false) => (onClose ? onClose(saved) : navigate('browse'));
  const save = async () => {
    if (!draft) return;
    let experimentParams: Record<string, unknown> | null = null;
    if (draft.experimentId && draft.params.trim()) {
      try {
        experimentParams = JSON.parse(draft.params) as Record<string, unknown>;
        setJsonError(false);
      } catch {
        setJsonError(true);
        return;
      }
    }
    try {
      const result = await api['notes.save']({
        ...(noteId !== null ? { noteId } : {}),
        kind: draft.kind,
        deckId: draft.deckId,
        front: draft.front,
        back: draft.back,
        context: draft.context,
        tags: draft.tags.split(/\s+/).filter(Boolean),
        experimentId: draft.experimentId || null,
        experimentParams,
        ...(noteId !== null && Object.keys(draft.translations).length ? { translations: pickLocales(draft.translations) } : {}),
        ...(noteId !== null && draft.anki ? { ankiFields: draft.anki.fields } : {}),
      });
      const removed = result.removed ?? [];
      const deckName = decks.find((d) => d.id === draft.deckId)?.name ?? '';
      undo.offer(
        removed.length
          ? t('library.editor.removed', { list: labels(saved?.kind ?? draft.kind, removed) })
          : noteId === null
            ? t('library.editor.added', { count: result.cardIds.length, deck: deckName })
            : t('library.editor.saved'),
      );
      back(true);
    } catch (e) {
      showError(e);
    }
  };

  useKeydown((event) => {
    if (event.key === 's' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void save();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      back();
    }
  });

  if (!draft) return <section className="screen screen-editor" aria-busy="true" />;
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const valueOf = (key: Field): string => (edition === 'original' ? draft[key] : (draft.translations[edition]?.[key] ?? ''));
  /** Sets a field of the version being edited (with `also`, other draft fields in the same update). */
  const setField = (key: Field, value: string, also: Partial<Draft> = {}) => {
    if (edition === 'original') set({ [key]: value, ...also });
    else set({ translations: { ...draft.translations, [edition]: { ...draft.translations[edition], [key]: value } }, ...also });
  };
  const languages = (['ko', 'en'] as const).filter((l) => l !== saved?.language && draft.translations[l]);
  const onFrontKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!(event.ctrlKey || event.metaKey) || !event.shiftKey || event.code !== 'KeyC') return;
    event.preventDefault();
    const area = event.currentTarget;
    const next = wrapInCloze(area.value, area.selectionStart, area.selectionEnd, event.altKey);
    // Deletions only make cards on a cloze note, so the shortcut makes the note one.
    setField('front', next.text, { kind: 'cloze' });
    requestAnimationFrame(() => area.setSelectionRange(next.caret, next.caret));
  };
  const clozes = clozeNumbers(draft.front);
  const field = (key: Field, label: Parameters<typeof t>[0], rows: number) => (
    <div className="editor-field">
      <label htmlFor={`editor-${key}`}>{label === undefined ? '' : t(label)}</label>
      <div className="editor-split">
        <textarea
          id={`editor-${key}`}
          rows={rows}
          value={valueOf(key)}
          onChange={(e) => setField(key, e.target.value)}
          lang={edition === 'original' ? (saved?.language ?? undefined) : edition}
          onKeyDown={key === 'front' ? onFrontKey : undefined}
          data-testid={`editor-${key}`}
          spellCheck={false}
        />
        <div className="editor-preview" aria-label={t('library.editor.preview')}>
          <Markdown source={valueOf(key)} testId={`editor-preview-${key}`} />
        </div>
      </div>
    </div>
  );

  return (
    <section className="screen screen-editor" aria-labelledby="editor-title">
      <header className="screen-header">
        <h1 id="editor-title">{noteId === null ? t('library.editor.new') : t('library.editor.title')}</h1>
        <p className="muted">{t('library.editor.keys')}</p>
      </header>
      <div className="editor-meta">
        <label>
          {t('library.editor.deck')}
          <select value={draft.deckId} onChange={(e) => set({ deckId: Number(e.target.value) })} data-testid="editor-deck">
            {decks.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('library.editor.kind')}
          <select value={draft.kind} onChange={(e) => set({ kind: e.target.value as NoteKind })} data-testid="editor-kind" disabled={!!draft.anki}>
            {noteKinds.map((kind) => (
              <option key={kind} value={kind}>
                {t(`library.editor.kind.${kind}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('library.editor.tags')}
          <input type="text" value={draft.tags} onChange={(e) => set({ tags: e.target.value })} data-testid="editor-tags" />
        </label>
        <label>
          {t('library.editor.experiment')}
          <select value={draft.experimentId} onChange={(e) => set({ experimentId: e.target.value })} data-testid="editor-experiment">
            <option value="">{t('library.editor.noExperiment')}</option>
            {catalog.map((meta) => (
              <option key={meta.id} value={meta.id}>
                {meta.title[locale]} ({meta.id})
              </option>
            ))}
          </select>
        </label>
        {draft.experimentId && (
          <label>
            {t('library.editor.params')}
            <input type="text" value={draft.params} placeholder="{}" onChange={(e) => set({ params: e.target.value })} aria-invalid={jsonError || undefined} data-testid="editor-params" />
            {jsonError && <span className="field-error">{t('library.editor.badJson')}</span>}
          </label>
        )}
      </div>
      {languages.length > 0 && (
        <div className="editor-languages" role="radiogroup" aria-label={t('library.editor.language')} data-testid="editor-languages">
          <span className="muted">{t('library.editor.language')}</span>
          {[['original', saved?.language ? t(`library.editor.lang.${saved.language === 'ko' ? 'ko' : 'en'}`) : t('library.editor.lang.original')] as const, ...languages.map((l) => [l, t(`library.editor.lang.${l}`)] as const)].map(
            ([value, label]) => (
              <label key={value} className={`editor-language${edition === value ? ' active' : ''}`}>
                <input type="radio" name="editor-edition" value={value} checked={edition === value} onChange={() => setEdition(value)} data-testid={`editor-edition-${value}`} />
                {label}
                {value === 'original' ? ` (${t('library.editor.lang.originalTag')})` : ` (${t('library.editor.lang.translationTag')})`}
              </label>
            ),
          )}
        </div>
      )}
      {draft.kind === 'cloze' && (
        <p className="muted editor-cloze-hint" data-testid="editor-cloze-hint">
          {t('library.editor.clozeHint')}{' '}
          {clozes.length ? t('library.editor.clozeCards', { list: clozes.map((n) => `c${n}`).join(', ') }) : t('library.editor.clozeNone')}
        </p>
      )}
      {draft.anki && <AnkiFieldsEditor view={draft.anki} ords={saved?.cards.map((c) => c.ord) ?? [0]} onChange={(anki) => set({ anki })} />}
      {!draft.anki && field('front', draft.kind === 'cloze' ? 'library.editor.clozeText' : 'library.editor.front', 4)}
      {removedOrds.length > 0 && saved && (
        <p className="field-error" role="alert" data-testid="editor-removes">
          {t('library.editor.removes', { list: labels(saved.kind, removedOrds) })}
        </p>
      )}
      {!draft.anki && field('back', draft.kind === 'cloze' ? 'library.editor.clozeExtra' : 'library.editor.back', 8)}
      {!draft.anki && field('context', 'library.editor.context', 5)}
      <div className="editor-actions">
        <button type="button" className="button button-primary" onClick={() => void save()} data-testid="editor-save">
          {t('library.editor.save')}
        </button>
        <button type="button" className="button" onClick={() => back()}>
          {t('library.editor.cancel')}
        </button>
      </div>
    </section>
  );
}
