import type { Notice } from '../AppContext';

interface NoticesProps {
  notices: (Notice & { id: number })[];
  dismiss(id: number): void;
  dismissLabel: string;
}

/** The notice area: info politely announced, errors as alerts; each can be dismissed, and may carry an action (Undo). */
export function Notices({ notices, dismiss, dismissLabel }: NoticesProps) {
  return (
    <div className="notices" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.kind ?? 'info'}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          {notice.action && (
            <button
              type="button"
              className="button button-ghost notice-action"
              data-testid="notice-action"
              onClick={() => {
                dismiss(notice.id);
                notice.action?.run();
              }}
            >
              {notice.action.label}
            </button>
          )}
          <button type="button" className="notice-dismiss" onClick={() => dismiss(notice.id)} aria-label={dismissLabel}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
