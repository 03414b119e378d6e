import type { JSX } from 'react';
import { noticeCodeHint, useNoticeStore } from '../../stores/notice-store';

/**
 * Failed requests, each with its detail, until the user dismisses them; a strip above the panels,
 * covering none of them. The service's error code is no words for the user: it is kept in the
 * notice's tooltip, for support.
 */
export function NoticeList(): JSX.Element | null {
  const notices = useNoticeStore((s) => s.notices);
  const dismiss = useNoticeStore((s) => s.dismiss);
  if (notices.length === 0) return null;

  return (
    <div className="notices" aria-live="assertive">
      {notices.map((n) => (
        <div key={n.id} className="notice" role="alert" data-testid="error-notice" data-code={n.code} title={noticeCodeHint(n)}>
          <div className="notice-text">
            <strong>{n.titles[0]} failed</strong>
            <p>{n.message}</p>
            {n.titles.length > 1 ? <p className="muted">Also failed: {n.titles.slice(1).map(lowerFirst).join('; ')}</p> : null}
            {n.detail ? <pre className="detail">{n.detail}</pre> : null}
          </div>
          <button type="button" className="icon" data-testid="error-notice-dismiss" title="Dismiss" onClick={() => dismiss(n.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
