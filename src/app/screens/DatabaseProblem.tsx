import { useState } from 'react';
import type { AppInfo } from '../../shared/contract';
import { useApp } from '../AppContext';

interface DatabaseProblemProps {
  problem: NonNullable<AppInfo['databaseProblem']>;
  reload(): Promise<void>;
}

/**
 * The database cannot be used. Damaged or from a newer app: say so, never overwrite it, offer to
 * move it aside. Read-only or on a full disk: say where, and try again once the user has fixed it.
 */
export function DatabaseProblem({ problem, reload }: DatabaseProblemProps) {
  const { api, t, showError, notify } = useApp();
  const [working, setWorking] = useState(false);
  const movable = problem.code === 'db-corrupt' || problem.code === 'db-newer';
  const act = async () => {
    setWorking(true);
    try {
      if (movable) {
        const { movedTo } = await api['app.resetDatabase']({ confirm: true });
        notify({ text: t('app.database.movedTo', { path: movedTo }) });
      }
      await reload();
    } catch (error) {
      showError(error);
    } finally {
      setWorking(false);
    }
  };
  return (
    <div className="splash">
      <section className="panel database-problem" role="alert" aria-labelledby="database-problem-title" data-testid="database-problem" data-problem={problem.code}>
        <h1 id="database-problem-title">{t('app.database.title')}</h1>
        <p>{t(`errors.${problem.code}`, { path: problem.path })}</p>
        <p>{t(movable ? 'app.database.body' : 'app.database.fixBody')}</p>
        <p className="path">{t('app.database.path', { path: problem.path })}</p>
        <button type="button" className="button button-primary" autoFocus disabled={working} onClick={() => void act()} data-testid={movable ? 'reset-database' : 'retry-database'}>
          {t(movable ? 'app.database.reset' : 'app.retry')}
        </button>
      </section>
    </div>
  );
}
