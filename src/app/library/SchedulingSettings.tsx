import { useEffect, useState } from 'react';
import type { OptimizeResult, Settings } from '../../shared/contract';
import { useApp } from '../AppContext';

interface Form {
  newPerDay: string;
  reviewsPerDay: string;
  desiredRetention: string;
  dayStartHour: string;
  learningSteps: string;
  relearningSteps: string;
  enableFuzz: boolean;
  burySiblings: boolean;
}

const toForm = (s: Settings): Form => ({
  newPerDay: String(s.newPerDay),
  reviewsPerDay: String(s.reviewsPerDay),
  desiredRetention: String(s.desiredRetention),
  dayStartHour: String(s.dayStartHour),
  learningSteps: s.learningSteps.join(' '),
  relearningSteps: s.relearningSteps.join(' '),
  enableFuzz: s.enableFuzz,
  burySiblings: s.burySiblings,
});

/** Daily limits, retention, day start, steps; and the FSRS optimizer with its progress and verdict. */
export function SchedulingSettings() {
  const { t, settings, updateSettings, notify, showError, client, api } = useApp();
  const [form, setForm] = useState<Form>(() => toForm(settings));
  const [progress, setProgress] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<OptimizeResult | null>(null);
  const [reschedule, setReschedule] = useState(false);
  useEffect(() => setForm(toForm(settings)), [settings]);
  useEffect(() => client.on('progress', (p) => p.jobId === 'optimizer' && setProgress(p.fraction)), [client]);

  // The API validates every field (bounds, step syntax) and answers with a readable error.
  const save = () =>
    updateSettings({
      newPerDay: Number(form.newPerDay),
      reviewsPerDay: Number(form.reviewsPerDay),
      desiredRetention: Number(form.desiredRetention),
      dayStartHour: Number(form.dayStartHour),
      learningSteps: form.learningSteps.split(/\s+/).filter(Boolean),
      relearningSteps: form.relearningSteps.split(/\s+/).filter(Boolean),
      enableFuzz: form.enableFuzz,
      burySiblings: form.burySiblings,
    }).then(() => notify({ text: t('settings.saved') }), showError);

  const optimize = async () => {
    setProgress(0);
    setOutcome(null);
    try {
      const result = await api['optimizer.run']({ reschedule });
      setOutcome(result);
      if (result.status === 'fitted' && result.adopted) await updateSettings({});
    } catch (e) {
      showError(e);
    } finally {
      setProgress(null);
    }
  };

  const number = (key: keyof Form, label: Parameters<typeof t>[0], attrs: { min: number; max: number; step?: number }) => (
    <>
      <label htmlFor={`sched-${key}`}>{t(label)}</label>
      <input id={`sched-${key}`} type="number" {...attrs} value={form[key] as string} onChange={(e) => setForm({ ...form, [key]: e.target.value })} data-testid={`settings-${key}`} />
    </>
  );
  const text = (key: 'learningSteps' | 'relearningSteps', label: Parameters<typeof t>[0]) => (
    <>
      <label htmlFor={`sched-${key}`}>{t(label)}</label>
      <input id={`sched-${key}`} type="text" value={form[key]} placeholder={t('library.settings.stepsHint')} onChange={(e) => setForm({ ...form, [key]: e.target.value })} data-testid={`settings-${key}`} />
    </>
  );
  const fixed = (x: number) => x.toFixed(4);

  return (
    <div>
      <div className="settings-grid">
        {number('newPerDay', 'library.settings.newPerDay', { min: 0, max: 9999 })}
        {number('reviewsPerDay', 'library.settings.reviewsPerDay', { min: 0, max: 99999 })}
        {number('desiredRetention', 'library.settings.retention', { min: 0.7, max: 0.99, step: 0.01 })}
        {number('dayStartHour', 'library.settings.dayStart', { min: 0, max: 23 })}
        {text('learningSteps', 'library.settings.learningSteps')}
        {text('relearningSteps', 'library.settings.relearningSteps')}
        <label htmlFor="sched-fuzz">{t('library.settings.fuzz')}</label>
        <input id="sched-fuzz" type="checkbox" checked={form.enableFuzz} onChange={(e) => setForm({ ...form, enableFuzz: e.target.checked })} />
        <label htmlFor="sched-bury">{t('library.settings.burySiblings')}</label>
        <input
          id="sched-bury"
          type="checkbox"
          checked={form.burySiblings}
          onChange={(e) => setForm({ ...form, burySiblings: e.target.checked })}
          data-testid="settings-bury-siblings"
        />
        <span>{t('library.settings.weights')}</span>
        <span className="muted" data-testid="settings-weights">
          {settings.fsrsWeights ? t('library.settings.weightsCustom') : t('library.settings.weightsDefault')}
        </span>
      </div>
      <button type="button" className="button button-primary" onClick={() => void save()} data-testid="settings-save-scheduling">
        {t('library.settings.save')}
      </button>

      <h3>{t('library.optimizer.title')}</h3>
      <label className="checkbox-line">
        <input type="checkbox" checked={reschedule} onChange={(e) => setReschedule(e.target.checked)} /> {t('library.optimizer.reschedule')}
      </label>
      <button type="button" className="button" disabled={progress !== null} onClick={() => void optimize()} data-testid="optimizer-run">
        {t('library.optimizer.run')}
      </button>
      {progress !== null && (
        <div className="optimizer-progress">
          <progress max={1} value={progress} aria-label={t('library.optimizer.running')} />
          <span>{t('library.optimizer.running')}</span>
        </div>
      )}
      {outcome && (
        <p className="optimizer-outcome" role="status" data-testid="optimizer-outcome">
          {outcome.status === 'too-short'
            ? t('library.optimizer.tooShort', { items: outcome.items, needed: outcome.needed })
            : outcome.adopted
              ? `${t('library.optimizer.adopted', { before: fixed(outcome.current.logLoss), after: fixed(outcome.fitted.logLoss), rmseBefore: fixed(outcome.current.rmse), rmseAfter: fixed(outcome.fitted.rmse), items: outcome.items })} ${outcome.rescheduled ? t('library.optimizer.rescheduled', { count: outcome.rescheduled }) : ''}`
              : t('library.optimizer.kept', { before: fixed(outcome.current.logLoss), after: fixed(outcome.fitted.logLoss) })}
        </p>
      )}
    </div>
  );
}
