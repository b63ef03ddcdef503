import { useTranslation } from 'react-i18next';
import type { Channel } from '@/lib/api-types';
import { channelLabel } from '../utils/labels';

export function ChannelBadge({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge--channel badge--${channel}`} data-channel={channel}>
      {channelLabel(t, channel)}
    </span>
  );
}
