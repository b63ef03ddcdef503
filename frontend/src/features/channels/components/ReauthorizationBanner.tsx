import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useChannels } from '../api/channels';

/** Shown above the inbox while a channel waits for a new authorisation (its sends are paused). */
export function ReauthorizationBanner() {
  const { t, i18n } = useTranslation();
  const channels = useChannels();
  const broken = (channels.data ?? []).filter((channel) => channel.status === 'needs_reauthorization');
  if (broken.length === 0) return null;
  const names = broken.map((channel) => t(`channels.${channel.channel}`));
  let list: string;
  try {
    list = new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(names);
  } catch {
    list = names.join(', ');
  }
  return (
    <div className="notice-banner" role="status" data-testid="channel-banner">
      <span>{t('channelBanner.reauth', { count: broken.length, channels: list })}</span>
      <Link to="/settings/channels">{t('channelBanner.link')}</Link>
    </div>
  );
}
