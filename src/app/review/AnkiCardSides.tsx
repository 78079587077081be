import type { RefObject } from 'react';
import type { ReviewCard } from '../../shared/contract';
import { useApp } from '../AppContext';
import { AnswerExtras } from '../answer-extras';
import { AnkiCard } from '../components/AnkiCard';

/**
 * A review card drawn by its Anki note type: the question, then the answer in its place (the
 * answer template brings the question back with `{{FrontSide}}`, as in Anki), with the answer
 * extras under it.
 */
export function AnkiCardSides({ card, phase, answerRegion }: { card: ReviewCard; phase: string; answerRegion: RefObject<HTMLDivElement | null> }) {
  const { t } = useApp();
  if (!card.anki) return null;
  if (phase !== 'answer') {
    return <AnkiCard key={`question-${card.cardId}`} view={card.anki} ord={card.ord} side="question" deck={card.deckName} tags={card.tags} testId="card-front" className="card-anki" />;
  }
  return (
    <div ref={answerRegion} className="card-back" data-testid="card-back" tabIndex={-1} aria-label={t('review.answer')}>
      <AnkiCard key={`answer-${card.cardId}`} view={card.anki} ord={card.ord} side="answer" deck={card.deckName} tags={card.tags} testId="anki-answer" className="card-anki" />
      <AnswerExtras card={card} />
    </div>
  );
}
