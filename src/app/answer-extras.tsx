import { Component as ReactComponent, Suspense, lazy, type ComponentType, type ReactNode } from 'react';
import type { ReviewCard } from '../shared/contract';

// Prove it brings the chart library: loaded apart from the first card, and fetched in the
// background soon after start so the first answer does not wait for it.
const loadProveIt = () => import('./experiments/ProveItPanel').then((m) => ({ default: m.ProveItPanel }));
const ProveItPanel = lazy(loadProveIt);
// Not sooner than a few seconds: parsing it (with ECharts) would compete with showing the first card.
if (typeof window !== 'undefined') window.setTimeout(() => void loadProveIt().catch(() => undefined), 4000);

/** What an answer-view extension receives. The API, language and theme come from `useApp()`. */
export interface AnswerExtraProps {
  /** The card whose answer is showing (experimentId / experimentParams from its ```prove block). */
  card: ReviewCard;
}

/**
 * A panel shown under the answer of a card (the Prove it evidence lives here). It
 * renders nothing when it does not apply to the card. It may listen to keys of its own
 * (e.g. `p`), but must leave the review keys alone: Space, Enter, 1–4, u, Ctrl+Z, s, @, b, -,
 * Escape, g, ?.
 */
export interface AnswerExtra {
  id: string;
  Component: ComponentType<AnswerExtraProps>;
}

/**
 * The extensions of the answer view, in display order. To add one, import its component and add
 * one line, e.g. `{ id: 'prove-it', Component: ProveItPanel },` (src/app/experiments/** is yours).
 */
export const answerExtras: AnswerExtra[] = [{ id: 'prove-it', Component: ProveItPanel }];

/** The slot in the answer view where every registered extra renders. */
export function AnswerExtras({ card }: AnswerExtraProps) {
  if (answerExtras.length === 0) return null;
  return (
    <div className="answer-extras">
      {answerExtras.map(({ id, Component }) => (
        <section key={id} className="answer-extra" data-extra={id}>
          <ExtraBoundary key={card.cardId}>
            <Suspense fallback={null}>
              <Component card={card} />
            </Suspense>
          </ExtraBoundary>
        </section>
      ))}
    </div>
  );
}

/** A failing extra hides itself instead of taking the answer (and the review keys) down with it. */
class ExtraBoundary extends ReactComponent<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override componentDidCatch(error: unknown): void {
    console.error('answer extra failed', error);
  }
  override render(): ReactNode {
    return this.state.failed ? null : this.props.children;
  }
}
