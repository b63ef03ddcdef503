import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '@/components/Dialog';
import { ErrorMessage } from '@/components/ErrorMessage';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import type { Booking, ConversationRow } from '@/lib/api-types';
import { useDebounced } from '@/lib/use-debounced';
import { useBookingSearch, useGuestBookings, useLinkBooking } from '../api/guests-and-bookings';
import { bookingParts } from './BookingDetails';

interface Props {
  conversation: ConversationRow;
  onClose: () => void;
}

/** Search a booking (name, reference, code…) and link the conversation to it. */
export function LinkBookingDialog({ conversation, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 300);
  const search = useBookingSearch(query);
  const guestBookings = useGuestBookings(conversation.guest.id);
  const link = useLinkBooking(conversation.id);

  const searching = query.length > 0;
  const source = searching ? search : guestBookings;
  const items: Booking[] = source.data?.items ?? [];

  return (
    <Dialog title={t('linkBooking.title')} onClose={onClose}>
      <div className="field">
        <label htmlFor={`${id}-q`}>{t('linkBooking.search')}</label>
        <input
          id={`${id}-q`}
          className="input"
          type="search"
          value={q}
          placeholder={t('linkBooking.placeholder')}
          onChange={(event) => setQ(event.target.value)}
        />
      </div>
      <p className="muted small">
        {searching ? t('linkBooking.results') : t('linkBooking.guestBookings', { name: conversation.guest.display_name })}
      </p>
      {link.isError && <ErrorMessage error={link.error} />}
      {source.isPending && (searching || !source.isFetched) ? (
        <Spinner />
      ) : source.isError ? (
        <QueryError error={source.error} onRetry={() => void source.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted">{searching ? t('linkBooking.noResults') : t('linkBooking.noGuestBookings')}</p>
      ) : (
        <ul className="pick-list" aria-label={t('linkBooking.results')}>
          {items.map((booking) => (
            <li key={booking.id}>
              <button
                type="button"
                className="pick-list__item"
                disabled={link.isPending || booking.id === conversation.booking?.id}
                onClick={() => link.mutate(booking.id, { onSuccess: onClose })}
              >
                <span className="pick-list__title">{booking.guest.display_name}</span>
                <span className="pick-list__meta">{bookingParts(t, booking, i18n.language).join(' · ')}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
