import { useState } from 'react';
import type { AppInfo } from '../../shared/contract';
import { useApp } from '../AppContext';

interface DatabaseProblemProps {
  problem: NonNullable<AppInfo['databaseProblem']>;
  reload(): Promise<void>;
}

/** A corrupt or newer database: say what is wrong, never overwrite, offer to move it aside. */
export function DatabaseProblem({ problem, reload }: DatabaseProblemProps) {
  const { api, t, showError, notify } = useApp();
  const [working, setWorking] = useState(false);
  const reset = async () => {
    setWorking(true);
    try {
      const { movedTo } = await api['app.resetDatabase']({ confirm: true });
      notify({ text: t('app.database.movedTo', { path: movedTo }) });
      await reload();
    } catch (error) {
      showError(error);
    } finally {
      setWorking(false);
    }
  };
  return (
    <div className="splash">
      <section className="panel database-problem" role="alert" aria-labelledby="database-problem-title" data-testid="database-problem">
        <h1 id="database-problem-title">{t('app.database.title')}</h1>
        <p>{t(problem.code === 'db-corrupt' ? 'errors.db-corrupt' : 'errors.db-newer')}</p>
        <p>{t('app.database.body')}</p>
        <p className="path">{t('app.database.path', { path: problem.path })}</p>
        <button type="button" className="button button-primary" autoFocus disabled={working} onClick={() => void reset()} data-testid="reset-database">
          {t('app.database.reset')}
        </button>
      </section>
    </div>
  );
}
