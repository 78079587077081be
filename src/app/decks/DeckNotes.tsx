import { useEffect, useState } from 'react';
import type { DeckNotePreview } from '../../shared/contract';
import { useApp } from '../AppContext';
import { Markdown } from '../components/Markdown';

/** The first notes of a deck, rendered as cards are (sanitized, media resolved), to check an import. */
export function DeckNotes({ deckName }: { deckName: string }) {
  const { api, showError } = useApp();
  const [notes, setNotes] = useState<DeckNotePreview[] | null>(null);
  useEffect(() => {
    api['decks.notes']({ deckName, limit: 20 }).then(setNotes, showError);
  }, [api, deckName, showError]);
  if (!notes) return <div aria-busy="true" />;
  return (
    <ol className="decks-notes" data-testid="deck-notes">
      {notes.map((note) => (
        <li key={note.guid} data-testid="deck-note">
          <Markdown source={note.front} className="decks-note-front" />
          <Markdown source={note.back} className="decks-note-back" />
        </li>
      ))}
    </ol>
  );
}
