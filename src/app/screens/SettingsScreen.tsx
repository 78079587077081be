import { useApp } from '../AppContext';
import { settingsSections } from '../settings-sections';

/** Settings: one panel per registered section (src/app/settings-sections.tsx). */
export function SettingsScreen() {
  const { t } = useApp();
  return (
    <section className="screen screen-settings" aria-labelledby="settings-title">
      <header className="screen-header">
        <h1 id="settings-title">{t('settings.title')}</h1>
      </header>
      {settingsSections.map(({ id, title, Component }) => (
        <section key={id} className="panel settings-section" aria-labelledby={`settings-${id}`} data-testid={`settings-${id}`}>
          <h2 id={`settings-${id}`}>{t(title)}</h2>
          <Component />
        </section>
      ))}
    </section>
  );
}
