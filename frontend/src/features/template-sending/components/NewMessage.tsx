import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Spinner } from '@/components/LoadingScreen';

const NewMessageDialog = lazy(() => import('./NewMessageDialog'));

/** "New message" in the inbox header: write to a guest with an approved template. */
export function NewMessageButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button button--primary button--small" onClick={() => setOpen(true)}>
        {t('newMessage.button')}
      </button>
      {open && (
        <Suspense fallback={<Spinner />}>
          <NewMessageDialog onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
