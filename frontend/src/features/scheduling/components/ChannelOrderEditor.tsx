import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Channel } from '@/lib/api-types';
import { addChannel, missingChannels, moveChannel, removeChannel } from '../utils/rule-draft';

interface Props {
  value: Channel[];
  onChange: (order: Channel[]) => void;
  describedBy?: string;
}

/** The channels to try, in order: the first one that can reach the guest is used. */
export function ChannelOrderEditor({ value, onChange, describedBy }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const missing = missingChannels(value);
  const [toAdd, setToAdd] = useState<Channel | ''>('');
  const chosen = toAdd && missing.includes(toAdd) ? toAdd : (missing[0] ?? '');

  return (
    <div className="channel-order" aria-describedby={describedBy}>
      {value.length === 0 ? (
        <p className="muted small">{t('scheduling.channels.none')}</p>
      ) : (
        <ol className="channel-order__list" aria-label={t('scheduling.channels.order')}>
          {value.map((channel, index) => {
            const name = t(`channels.${channel}`);
            return (
              <li key={channel} className="channel-order__item" data-testid="channel-order-item" data-channel={channel}>
                <span className="channel-order__rank" aria-hidden="true">
                  {index + 1}
                </span>
                <span className={`badge badge--channel badge--${channel}`}>{name}</span>
                <span className="channel-order__actions">
                  <button
                    type="button"
                    className="button button--small button--ghost"
                    disabled={index === 0}
                    aria-label={t('scheduling.channels.moveUp', { channel: name })}
                    onClick={() => onChange(moveChannel(value, index, -1))}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="button button--small button--ghost"
                    disabled={index === value.length - 1}
                    aria-label={t('scheduling.channels.moveDown', { channel: name })}
                    onClick={() => onChange(moveChannel(value, index, 1))}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="button button--small button--ghost button--danger-text"
                    aria-label={t('scheduling.channels.remove', { channel: name })}
                    onClick={() => onChange(removeChannel(value, channel))}
                  >
                    ✕
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {missing.length > 0 && (
        <div className="inserter">
          <label htmlFor={`${id}-add`} className="visually-hidden">
            {t('scheduling.channels.toAdd')}
          </label>
          <select
            id={`${id}-add`}
            className="select select--compact"
            value={chosen}
            onChange={(event) => setToAdd(event.target.value as Channel)}
          >
            {missing.map((channel) => (
              <option key={channel} value={channel}>
                {t(`channels.${channel}`)}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              if (chosen) onChange(addChannel(value, chosen));
              setToAdd('');
            }}
          >
            {t('scheduling.channels.add')}
          </button>
        </div>
      )}
    </div>
  );
}
