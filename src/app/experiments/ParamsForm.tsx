import type { ExperimentMeta } from '../../experiments/types';
import { useApp } from '../AppContext';

/** The experiment's adjustable parameters, within the bounds its schema enforces. */
export function ParamsForm({
  meta,
  values,
  onChange,
  disabled,
}: {
  meta: ExperimentMeta;
  values: Record<string, unknown>;
  onChange(values: Record<string, unknown>): void;
  disabled?: boolean;
}) {
  const { t, locale } = useApp();
  return (
    <fieldset className="experiment-params" disabled={disabled}>
      <legend>{t('experiments.params')}</legend>
      {meta.fields.map((field) => (
        <label key={field.key} className="experiment-param">
          <span>{field.label[locale]}</span>
          {field.kind === 'bool' ? (
            <input type="checkbox" name={field.key} checked={values[field.key] === true} onChange={(e) => onChange({ ...values, [field.key]: e.target.checked })} />
          ) : (
            <input
              type="number"
              name={field.key}
              min={field.min}
              max={field.max}
              step={field.step ?? 1}
              value={String(values[field.key] ?? '')}
              onChange={(e) => onChange({ ...values, [field.key]: e.target.value === '' ? '' : Number(e.target.value) })}
              // Clamped when the field is left, so typing "1024" is not cut short at "1".
              onBlur={(e) => {
                const n = Number(e.target.value);
                const fallback = (meta.params.parse({}) as Record<string, number>)[field.key];
                const value = Number.isFinite(n) && e.target.value !== '' ? n : fallback;
                onChange({ ...values, [field.key]: Math.min(field.max ?? value, Math.max(field.min ?? value, Math.round(value))) });
              }}
            />
          )}
        </label>
      ))}
      <button type="button" className="link-button" onClick={() => onChange(meta.params.parse({}) as Record<string, unknown>)}>
        {t('experiments.resetParams')}
      </button>
    </fieldset>
  );
}
