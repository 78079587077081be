import { useMemo, useState, type RefObject } from 'react';
import type { ReviewCard } from '../../shared/contract';
import { useApp } from '../AppContext';
import { AnswerExtras } from '../answer-extras';
import { AnkiCard } from '../components/AnkiCard';

/**
 * A review card drawn by its Anki note type: the question, then the answer in its place (the
 * answer template brings the question back with `{{FrontSide}}`, as in Anki), with the answer
 * extras under it. What was typed into a `{{type:…}}` box is kept for the answer, which compares
 * it with the field; Enter in the box shows the answer.
 */
export function AnkiCardSides({ card, phase, answerRegion, reveal }: { card: ReviewCard; phase: string; answerRegion: RefObject<HTMLDivElement | null>; reveal: () => void }) {
  const { t } = useApp();
  const [typed, setTyped] = useState({ cardId: card.cardId, text: '' });
  const text = typed.cardId === card.cardId ? typed.text : '';
  const typeAnswer = useMemo(
    () => ({
      onChange: (value: string) => setTyped({ cardId: card.cardId, text: value }),
      onSubmit: (value: string) => {
        setTyped({ cardId: card.cardId, text: value });
        reveal();
      },
    }),
    [card.cardId, reveal],
  );
  if (!card.anki) return null;
  if (phase !== 'answer') {
    return (
      <AnkiCard key={`question-${card.cardId}`} view={card.anki} ord={card.ord} side="question" deck={card.deckName} tags={card.tags} testId="card-front" className="card-anki" typeAnswer={typeAnswer} />
    );
  }
  return (
    <div ref={answerRegion} className="card-back" data-testid="card-back" tabIndex={-1} aria-label={t('review.answer')}>
      <AnkiCard key={`answer-${card.cardId}`} view={card.anki} ord={card.ord} side="answer" deck={card.deckName} tags={card.tags} testId="anki-answer" className="card-anki" typed={text} />
      <AnswerExtras card={card} />
    </div>
  );
}
