import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ErrorMessage';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import type { ConversationRow } from '@/lib/api-types';
import { useSlots } from '@/lib/slots';
import { useGuest, useGuestBookings, useLinkBooking } from '../api/guests-and-bookings';
import { BookingDetails } from './BookingDetails';

interface Props {
  conversation: ConversationRow;
  onClose: () => void;
  onLinkBooking: () => void;
}

function languageName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Who the guest is and their stays: the linked booking first, then the others. */
export function GuestSidebar({ conversation, onClose, onLinkBooking }: Props) {
  const { t, i18n } = useTranslation();
  const guestQuery = useGuest(conversation.guest.id);
  const bookings = useGuestBookings(conversation.guest.id);
  const link = useLinkBooking(conversation.id);
  const { GuestPanels } = useSlots();
  // The row already carries the guest: show it while the full profile loads.
  const guest = guestQuery.data ?? conversation.guest;
  const current = conversation.booking;
  const others = (bookings.data?.items ?? []).filter((booking) => booking.id !== current?.id);

  return (
    <aside className="sidebar" aria-label={t('sidebar.label')} data-testid="guest-sidebar">
      <header className="sidebar__header">
        <h2 className="sidebar__title">{t('sidebar.title')}</h2>
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={onClose}
          aria-label={t('sidebar.close')}
          title={t('sidebar.close')}
        >
          <span aria-hidden="true">×</span>
        </button>
      </header>

      <section className="sidebar__section" aria-labelledby="sidebar-guest">
        <h3 id="sidebar-guest" className="sidebar__heading">
          {t('sidebar.guest')}
        </h3>
        {guestQuery.isError && <QueryError error={guestQuery.error} />}
        <p className="sidebar__name">{guest.display_name}</p>
        <dl className="details">
          <div className="details__row">
            <dt>{t('sidebar.phone')}</dt>
            <dd>{guest.phone ? <a href={`tel:${guest.phone}`}>{guest.phone}</a> : <span className="muted">—</span>}</dd>
          </div>
          <div className="details__row">
            <dt>{t('sidebar.email')}</dt>
            <dd>
              {guest.email ? <a href={`mailto:${guest.email}`}>{guest.email}</a> : <span className="muted">—</span>}
            </dd>
          </div>
          <div className="details__row">
            <dt>{t('sidebar.language')}</dt>
            <dd>{guest.language ? languageName(guest.language, i18n.language) : <span className="muted">—</span>}</dd>
          </div>
        </dl>
      </section>

      <section className="sidebar__section" aria-labelledby="sidebar-current">
        <h3 id="sidebar-current" className="sidebar__heading">
          {t('sidebar.currentBooking')}
        </h3>
        {link.isError && <ErrorMessage error={link.error} />}
        {current ? (
          <div data-testid="current-booking">
            <BookingDetails booking={current} />
            <div className="actions actions--start">
              <button type="button" className="button button--small" onClick={onLinkBooking}>
                {t('linkBooking.change')}
              </button>
              <button
                type="button"
                className="button button--small button--ghost"
                disabled={link.isPending}
                onClick={() => link.mutate(null)}
              >
                {t('linkBooking.unlink')}
              </button>
            </div>
          </div>
        ) : (
          <div>
            <p className="muted">{t('booking.none')}</p>
            <button type="button" className="button button--small" onClick={onLinkBooking}>
              {t('linkBooking.action')}
            </button>
          </div>
        )}
      </section>

      <section className="sidebar__section" aria-labelledby="sidebar-others">
        <h3 id="sidebar-others" className="sidebar__heading">
          {t('sidebar.otherBookings')}
        </h3>
        {bookings.isPending ? (
          <Spinner />
        ) : bookings.isError ? (
          <QueryError error={bookings.error} onRetry={() => void bookings.refetch()} />
        ) : others.length === 0 ? (
          <p className="muted">{t('sidebar.noOtherBookings')}</p>
        ) : (
          <ul className="sidebar__bookings">
            {others.map((booking) => (
              <li key={booking.id} className="sidebar__booking" data-testid="other-booking">
                <BookingDetails booking={booking} />
                <button
                  type="button"
                  className="button button--small button--ghost"
                  disabled={link.isPending}
                  onClick={() => link.mutate(booking.id)}
                >
                  {t('sidebar.linkThis')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      {GuestPanels && (
        <GuestPanels guestId={conversation.guest.id} guestName={guest.display_name} currentBookingId={current?.id ?? null} />
      )}
    </aside>
  );
}
