import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { Dialog } from '@/components/Dialog';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import { formatStay } from '@/lib/format';
import { useDebounced } from '@/lib/use-debounced';
import { type Recipient, useRecipientSearch } from '../api/templates';
import { TemplateSendForm } from './TemplateSendForm';

/** Find the guest (by name, phone, e-mail or booking), then send them a template. */
export default function NewMessageDialog({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 300);
  const search = useRecipientSearch(query);
  const [recipient, setRecipient] = useState<Recipient | null>(null);

  return (
    <Dialog title={t('newMessage.title')} onClose={onClose} wide>
      {recipient ? (
        <div className="stack">
          <p className="recipient">
            {t('newMessage.to', { name: recipient.guest.display_name })}
            {recipient.guest.phone && <span className="muted"> · {recipient.guest.phone}</span>}{' '}
            <button type="button" className="link-button" onClick={() => setRecipient(null)}>
              {t('newMessage.changeRecipient')}
            </button>
          </p>
          {!recipient.guest.phone && <p className="alert alert--error">{t('codes.guest_has_no_phone')}</p>}
          <TemplateSendForm
            target={{ kind: 'guest', id: recipient.guest.id }}
            onSent={(message) => {
              onClose();
              navigate(`/conversations/${encodeURIComponent(message.conversation_id)}`);
            }}
            onCancel={onClose}
          />
        </div>
      ) : (
        <div className="stack">
          <div className="field">
            <label htmlFor={`${id}-q`}>{t('newMessage.search')}</label>
            <input
              id={`${id}-q`}
              className="input"
              type="search"
              value={q}
              placeholder={t('newMessage.placeholder')}
              onChange={(event) => setQ(event.target.value)}
            />
          </div>
          {query.length === 0 ? (
            <p className="muted">{t('newMessage.hint')}</p>
          ) : search.isPending ? (
            <Spinner />
          ) : search.isError ? (
            <QueryError error={search.error} onRetry={() => void search.refetch()} />
          ) : search.data.length === 0 ? (
            <p className="muted">{t('newMessage.noResults')}</p>
          ) : (
            <ul className="pick-list" aria-label={t('newMessage.results')}>
              {search.data.map((result) => (
                <li key={`${result.guest.id}-${result.booking?.id ?? 'guest'}`}>
                  <button type="button" className="pick-list__item" onClick={() => setRecipient(result)}>
                    <span className="pick-list__title">{result.guest.display_name}</span>
                    <span className="pick-list__meta">
                      {[
                        result.guest.phone,
                        result.guest.email,
                        result.booking &&
                          `${result.booking.external_ref ?? ''} ${formatStay(result.booking.check_in, result.booking.check_out, i18n.language)}`.trim(),
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Dialog>
  );
}
