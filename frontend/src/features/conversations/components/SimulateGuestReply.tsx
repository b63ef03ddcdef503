import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '@/components/Dialog';
import { ErrorMessage } from '@/components/ErrorMessage';
import { useDemoAvailable, useSimulateGuestMessage } from '../api/demo';

/** Demo servers only: make the guest answer, to see the whole loop. */
export function SimulateGuestReply({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const available = useDemoAvailable();
  const simulate = useSimulateGuestMessage(conversationId);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');

  if (!available.data) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim() || t('demo.defaultText');
    simulate.mutate(value, {
      onSuccess: () => {
        setText('');
        setOpen(false);
      },
    });
  };

  return (
    <>
      <button
        type="button"
        className="button button--small button--ghost button--demo"
        onClick={() => setOpen(true)}
        title={t('demo.hint')}
      >
        {t('demo.simulate')}
      </button>
      {open && (
        <Dialog title={t('demo.simulate')} onClose={() => setOpen(false)}>
          <form className="stack" onSubmit={submit}>
            <p className="muted small">{t('demo.hint')}</p>
            {simulate.isError && <ErrorMessage error={simulate.error} />}
            <div className="field">
              <label htmlFor={`${id}-text`}>{t('demo.text')}</label>
              <input
                id={`${id}-text`}
                className="input"
                value={text}
                placeholder={t('demo.defaultText')}
                onChange={(event) => setText(event.target.value)}
              />
            </div>
            <div className="actions">
              <button type="submit" className="button button--primary" disabled={simulate.isPending}>
                {t('demo.send')}
              </button>
            </div>
          </form>
        </Dialog>
      )}
    </>
  );
}
