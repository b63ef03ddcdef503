import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '@/components/Dialog';
import { ErrorMessage } from '@/components/ErrorMessage';
import { useSession } from '@/lib/auth';
import { useEraseGuest, useExportGuest } from '../api/consent';

/** The word typed to confirm an erasure: the API checks the same word. */
export const ERASE_WORD = 'ERASE';

function EraseDialog({ guestId, name, onClose }: { guestId: string; name: string; onClose: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const erase = useEraseGuest(guestId);
  const [typed, setTyped] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (typed !== ERASE_WORD) return;
    erase.mutate(typed);
  };
  return (
    <Dialog title={t('consent.eraseTitle', { name })} onClose={onClose}>
      {erase.isSuccess ? (
        <div className="stack" role="status" data-testid="erase-done">
          <p>{t('consent.erased', { count: erase.data.messages_redacted })}</p>
          <div className="actions">
            <button type="button" className="button button--primary" onClick={onClose}>
              {t('app.close')}
            </button>
          </div>
        </div>
      ) : (
        <form className="stack" onSubmit={submit}>
          <p>{t('consent.eraseExplain')}</p>
          <p>
            <strong>{t('consent.eraseIrreversible')}</strong>
          </p>
          {erase.isError && <ErrorMessage error={erase.error} />}
          <div className="field">
            <label htmlFor={`${id}-confirm`}>{t('consent.eraseType', { word: ERASE_WORD })}</label>
            <input
              id={`${id}-confirm`}
              className="input"
              value={typed}
              autoComplete="off"
              onChange={(event) => setTyped(event.target.value)}
            />
          </div>
          <div className="actions">
            <button type="button" className="button button--ghost" onClick={onClose}>
              {t('app.cancel')}
            </button>
            <button
              type="submit"
              className="button button--danger"
              disabled={typed !== ERASE_WORD || erase.isPending}
            >
              {t('consent.eraseConfirm')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

/** Right of access (export) and erasure; erasure only for owners. */
export function GuestPrivacyActions({ guestId, name }: { guestId: string; name: string }) {
  const { t } = useTranslation();
  const me = useSession();
  const exporter = useExportGuest(guestId);
  const [erasing, setErasing] = useState(false);
  const canExport = me.role === 'owner' || me.role === 'manager';
  if (!canExport) return null;
  return (
    <section className="sidebar__section" aria-label={t('consent.privacy')}>
      <h3 className="sidebar__heading">{t('consent.privacy')}</h3>
      {exporter.isError && <ErrorMessage error={exporter.error} />}
      <div className="actions actions--start">
        <button
          type="button"
          className="button button--small"
          disabled={exporter.isPending}
          onClick={() => exporter.mutate()}
        >
          {t('consent.export')}
        </button>
        {me.role === 'owner' && (
          <button type="button" className="button button--small button--danger" onClick={() => setErasing(true)}>
            {t('consent.erase')}
          </button>
        )}
      </div>
      {erasing && <EraseDialog guestId={guestId} name={name} onClose={() => setErasing(false)} />}
    </section>
  );
}
