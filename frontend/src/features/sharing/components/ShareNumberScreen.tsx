import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import { isApiError } from '@/lib/api-client';
import { useDebounced } from '@/lib/use-debounced';
import { useDocumentTitle } from '@/lib/use-document-title';
import { qrUrl, useWhatsAppLink } from '../api/link';

/** A QR code and wa.me link guests scan or tap to write to the hotel on WhatsApp. */
export function ShareNumberScreen() {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState('');
  const prefill = useDebounced(text.trim(), 400);
  const link = useWhatsAppLink(prefill);
  const [copied, setCopied] = useState(false);
  useDocumentTitle(t('settings.share'));

  const notConnected = isApiError(link.error) && link.error.code === 'channel_not_connected';

  const copy = async () => {
    if (!link.data) return;
    try {
      await navigator.clipboard.writeText(link.data.url);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  return (
    <div className="stack">
      <h1 className="page__title">{t('settings.share')}</h1>
      <p className="muted">{t('share.intro')}</p>
      {link.isPending ? (
        <Spinner />
      ) : notConnected ? (
        <div className="empty-state">
          <p>{t('share.notConnected')}</p>
          <Link to="/settings/channels" className="button button--small">
            {t('share.connect')}
          </Link>
        </div>
      ) : link.isError ? (
        <QueryError error={link.error} onRetry={() => void link.refetch()} />
      ) : (
        <div className="card share">
          <div className="share__qr">
            <img
              src={qrUrl('svg', prefill)}
              alt={t('share.qrAlt', { number: link.data.display_phone_number })}
              width={220}
              height={220}
              data-testid="qr-image"
            />
          </div>
          <div className="share__info stack">
            <p className="share__number">{link.data.display_phone_number}</p>
            <div className="field">
              <label htmlFor={`${id}-text`}>{t('share.prefill')}</label>
              <input
                id={`${id}-text`}
                className="input"
                value={text}
                maxLength={500}
                placeholder={t('share.prefillPlaceholder')}
                onChange={(event) => {
                  setText(event.target.value);
                  setCopied(false);
                }}
              />
              <p className="field__hint">{t('share.prefillHint')}</p>
            </div>
            <div className="field">
              <label htmlFor={`${id}-url`}>{t('share.link')}</label>
              <div className="input-group">
                <input id={`${id}-url`} className="input" readOnly value={link.data.url} data-testid="share-url" />
                <button type="button" className="button" onClick={() => void copy()}>
                  {copied ? t('share.copied') : t('share.copy')}
                </button>
              </div>
            </div>
            <div className="actions actions--start">
              <a className="button button--small" href={qrUrl('svg', prefill)} download="whatsapp-qr.svg">
                {t('share.downloadSvg')}
              </a>
              <a className="button button--small" href={qrUrl('png', prefill)} download="whatsapp-qr.png">
                {t('share.downloadPng')}
              </a>
              <a className="button button--small button--ghost" href={link.data.url} target="_blank" rel="noreferrer">
                {t('share.open')}
              </a>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
