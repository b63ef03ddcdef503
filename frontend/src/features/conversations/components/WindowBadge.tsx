import { useTranslation } from 'react-i18next';
import type { ReplyWindow } from '@/lib/api-types';
import { describeReplyWindow, formatReplyWindow } from '../utils/reply-window';

/** WhatsApp's 24-hour customer-service window: "open · 3 h left" / "closed". */
export function WindowBadge({ window, now }: { window: ReplyWindow | undefined; now: Date }) {
  const { t } = useTranslation();
  const state = describeReplyWindow(window, now);
  const label = formatReplyWindow(t, window, now);
  const closingSoon = state.state === 'open' && state.minutesLeft !== null;
  const tone = state.state === 'closed' ? 'closed' : closingSoon ? 'warning' : 'open';
  return (
    <span
      className={`badge badge--window badge--window-${tone}`}
      data-testid="window-badge"
      title={t('window.label', { state: label })}
    >
      <span className="visually-hidden">{t('window.label', { state: '' })}</span>
      {label}
    </span>
  );
}
