import { useCallback, useEffect, useState } from 'react';
import type { DeckSummary, EasyDay, Preset, PresetConfig } from '../../shared/contract';
import { useApp } from '../AppContext';
import { EasyDaysEditor } from './EasyDaysEditor';
import { presetLabel } from './PresetPicker';
import './presets.css';

interface Form {
  name: string;
  newPerDay: string;
  reviewsPerDay: string;
  learningSteps: string;
  relearningSteps: string;
  desiredRetention: string;
  maximumInterval: string;
  buryNew: boolean;
  buryReviews: boolean;
  easyDays: EasyDay[];
}

const toForm = (p: Preset): Form => ({
  name: p.name,
  newPerDay: String(p.config.newPerDay),
  reviewsPerDay: String(p.config.reviewsPerDay),
  learningSteps: p.config.learningSteps.join(' '),
  relearningSteps: p.config.relearningSteps.join(' '),
  desiredRetention: String(p.config.desiredRetention),
  maximumInterval: String(p.config.maximumInterval),
  buryNew: p.config.buryNew,
  buryReviews: p.config.buryReviews,
  easyDays: [...p.config.easyDays],
});

const toConfig = (f: Form): Partial<PresetConfig> => ({
  newPerDay: Number(f.newPerDay),
  reviewsPerDay: Number(f.reviewsPerDay),
  learningSteps: f.learningSteps.split(/\s+/).filter(Boolean),
  relearningSteps: f.relearningSteps.split(/\s+/).filter(Boolean),
  desiredRetention: Number(f.desiredRetention),
  maximumInterval: Number(f.maximumInterval),
  buryNew: f.buryNew,
  buryReviews: f.buryReviews,
  easyDays: f.easyDays,
});

/**
 * Option presets as Anki's deck options: pick one, add, clone, rename, delete, change its daily
 * limits, steps, retention, bury rules, maximum interval and easy days, fit its FSRS weights to
 * its decks' reviews. The collection's load-balancing switch sits above them.
 */
export function PresetSettings() {
  const { api, t, settings, updateSettings, notify, showError } = useApp();
  const [presets, setPresets] = useState<Preset[] | null>(null);
  const [decks, setDecks] = useState<DeckSummary[]>([]);
  const [selected, setSelected] = useState(1);
  const [form, setForm] = useState<Form | null>(null);
  const [newName, setNewName] = useState('');
  const [optimizing, setOptimizing] = useState(false);

  const reload = useCallback(
    async (select?: number) => {
      const [list, deckList] = await Promise.all([api['presets.list']({}), api['decks.list']({})]);
      setPresets(list);
      setDecks(deckList);
      const id = select ?? selected;
      const current = list.find((p) => p.id === id) ?? list[0];
      setSelected(current.id);
      setForm(toForm(current));
    },
    [api, selected],
  );
  // The Default preset is the settings' options: reread when they change.
  const [initial] = useState(() => reload);
  useEffect(() => {
    initial().catch(showError);
  }, [initial, settings, showError]);

  if (!presets || !form) return <div aria-busy="true" />;
  const preset = presets.find((p) => p.id === selected)!;
  const deckNames = preset.deckIds.map((id) => decks.find((d) => d.id === id)?.name).filter(Boolean);

  const run = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (e) {
      showError(e);
    }
  };
  const create = (from?: number) =>
    run(async () => {
      const made = await api['presets.create']({ name: newName, ...(from ? { from } : {}) });
      setNewName('');
      notify({ text: t('presets.created', { name: made.name }) });
      await reload(made.id);
    });
  const save = () =>
    run(async () => {
      const saved = await api['presets.update']({ id: preset.id, ...(form.name !== preset.name ? { name: form.name } : {}), config: toConfig(form) });
      notify({ text: t('presets.saved', { name: saved.name }) });
      // Default's options are the settings': the Scheduling section shows them at once.
      if (preset.id === 1) await updateSettings({});
      await reload(saved.id);
    });
  const remove = () =>
    run(async () => {
      const { decks: moved } = await api['presets.delete']({ id: preset.id });
      notify({ text: t('presets.deleted', { name: preset.name, count: moved }) });
      await reload(1);
    });
  const optimize = () =>
    run(async () => {
      setOptimizing(true);
      try {
        await api['optimizer.run']({ reschedule: false, presetId: preset.id });
        await reload(preset.id);
      } finally {
        setOptimizing(false);
      }
    });

  const field = (key: 'newPerDay' | 'reviewsPerDay' | 'desiredRetention' | 'maximumInterval', label: Parameters<typeof t>[0], attrs: { min: number; max: number; step?: number }) => (
    <>
      <label htmlFor={`preset-${key}`}>{t(label)}</label>
      <input id={`preset-${key}`} type="number" {...attrs} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} data-testid={`preset-${key}`} />
    </>
  );
  const steps = (key: 'learningSteps' | 'relearningSteps', label: Parameters<typeof t>[0]) => (
    <>
      <label htmlFor={`preset-${key}`}>{t(label)}</label>
      <input id={`preset-${key}`} type="text" value={form[key]} placeholder={t('library.settings.stepsHint')} onChange={(e) => setForm({ ...form, [key]: e.target.value })} data-testid={`preset-${key}`} />
    </>
  );
  const check = (key: 'buryNew' | 'buryReviews', label: Parameters<typeof t>[0]) => (
    <>
      <label htmlFor={`preset-${key}`}>{t(label)}</label>
      <input id={`preset-${key}`} type="checkbox" checked={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.checked })} data-testid={`preset-${key}`} />
    </>
  );

  return (
    <div className="presets" data-testid="presets">
      <label className="checkbox-line">
        <input
          type="checkbox"
          checked={settings.loadBalancing}
          onChange={(e) => void updateSettings({ loadBalancing: e.target.checked }).catch(showError)}
          data-testid="settings-load-balancing"
        />{' '}
        {t('presets.loadBalancing')}
      </label>
      <p className="muted">{t('presets.intro')}</p>
      <div className="presets-bar">
        <label htmlFor="preset-select">{t('presets.select')}</label>
        <select id="preset-select" value={selected} onChange={(e) => void reload(Number(e.target.value)).catch(showError)} data-testid="preset-select">
          {presets.map((p) => (
            <option key={p.id} value={p.id}>
              {presetLabel(p, t)} ({p.deckIds.length})
            </option>
          ))}
        </select>
        <input type="text" value={newName} placeholder={t('presets.newName')} aria-label={t('presets.newName')} onChange={(e) => setNewName(e.target.value)} data-testid="preset-new-name" />
        <button type="button" className="button" disabled={!newName.trim()} onClick={() => void create()} data-testid="preset-add">
          {t('presets.add')}
        </button>
        <button type="button" className="button" disabled={!newName.trim()} onClick={() => void create(preset.id)} data-testid="preset-clone">
          {t('presets.clone')}
        </button>
        <button type="button" className="button" disabled={preset.id === 1} onClick={() => void remove()} data-testid="preset-delete">
          {t('presets.delete')}
        </button>
      </div>
      <div className="settings-grid">
        <label htmlFor="preset-name">{t('presets.name')}</label>
        <input id="preset-name" type="text" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} data-testid="preset-name" />
        <span>{t('presets.usedBy')}</span>
        <span className="muted" data-testid="preset-decks" translate="no">
          {deckNames.length ? deckNames.join(', ') : t('presets.noDecks')}
        </span>
        {field('newPerDay', 'library.settings.newPerDay', { min: 0, max: 9999 })}
        {field('reviewsPerDay', 'library.settings.reviewsPerDay', { min: 0, max: 99999 })}
        {steps('learningSteps', 'library.settings.learningSteps')}
        {steps('relearningSteps', 'library.settings.relearningSteps')}
        {field('desiredRetention', 'library.settings.retention', { min: 0.7, max: 0.99, step: 0.01 })}
        {field('maximumInterval', 'presets.maxInterval', { min: 1, max: 36500 })}
        {check('buryNew', 'presets.buryNew')}
        {check('buryReviews', 'presets.buryReviews')}
        <span>{t('presets.weights')}</span>
        <span>
          <span className="muted" data-testid="preset-weights">
            {preset.config.fsrsWeights ? t('library.settings.weightsCustom') : t('library.settings.weightsDefault')}
          </span>{' '}
          <button type="button" className="button" disabled={optimizing} onClick={() => void optimize()} data-testid="preset-optimize">
            {t('presets.optimize')}
          </button>
        </span>
      </div>
      <EasyDaysEditor value={form.easyDays} onChange={(easyDays) => setForm({ ...form, easyDays })} />
      <button type="button" className="button button-primary" onClick={() => void save()} data-testid="preset-save">
        {t('presets.save')}
      </button>
    </div>
  );
}
