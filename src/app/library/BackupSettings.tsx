import { useCallback, useEffect, useState } from 'react';
import type { BackupInfo } from '../../shared/contract';
import { useApp } from '../AppContext';

/** The backup folder, the list of backups, "back up now" and restore (after a confirmation). */
export function BackupSettings() {
  const { api, t, locale, settings, updateSettings, notify, showError } = useApp();
  const [list, setList] = useState<{ dir: string; backups: BackupInfo[] } | null>(null);
  const [folder, setFolder] = useState(settings.backupDir ?? '');
  const [confirming, setConfirming] = useState<string | null>(null);
  const refresh = useCallback(() => api['backups.list']({}).then(setList, showError), [api, showError]);
  useEffect(() => void refresh(), [refresh]);

  const create = async () => {
    try {
      const made = await api['backups.create']({});
      notify({ text: t('library.backups.created', { name: made.name }) });
      await refresh();
    } catch (e) {
      showError(e);
    }
  };
  const restore = async (name: string) => {
    setConfirming(null);
    try {
      const { safetyBackup } = await api['backups.restore']({ name, confirm: true });
      notify({ text: t('library.backups.restored', { name: safetyBackup }) });
      await refresh();
    } catch (e) {
      showError(e);
    }
  };

  return (
    <div>
      <p className="muted">{t('library.backups.auto')}</p>
      <div className="settings-grid">
        <label htmlFor="backup-folder">{t('library.backups.folder')}</label>
        <input
          id="backup-folder"
          type="text"
          translate="no"
          value={folder}
          placeholder={list?.dir ?? t('library.backups.folderHint')}
          onChange={(e) => setFolder(e.target.value)}
          onBlur={() => void updateSettings({ backupDir: folder.trim() || null }).then(refresh, showError)}
          data-testid="settings-backup-folder"
        />
      </div>
      <button type="button" className="button" onClick={() => void create()} data-testid="backup-create">
        {t('library.backups.create')}
      </button>
      {list && list.backups.length === 0 && <p className="muted">{t('library.backups.none')}</p>}
      <ul className="backup-list" data-testid="backup-list">
        {list?.backups.map((b) => (
          <li key={b.name}>
            <span>{new Date(b.createdAt).toLocaleString(locale)}</span>
            <span className="muted">
              {t.has(`library.backups.reason.${b.reason}`) ? t.dynamic(`library.backups.reason.${b.reason}`) : b.reason} · {(b.bytes / 1024).toFixed(0)} KiB
            </span>
            {confirming === b.name ? (
              <span role="alertdialog" aria-label={t('library.backups.confirm', { name: b.name })}>
                {t('library.backups.confirm', { name: b.name })}{' '}
                <button type="button" className="button button-primary small" autoFocus onClick={() => void restore(b.name)} data-testid="backup-confirm">
                  {t('library.backups.restore')}
                </button>{' '}
                <button type="button" className="button small" onClick={() => setConfirming(null)}>
                  {t('library.editor.cancel')}
                </button>
              </span>
            ) : (
              <button type="button" className="button small" onClick={() => setConfirming(b.name)} data-testid="backup-restore">
                {t('library.backups.restore')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
