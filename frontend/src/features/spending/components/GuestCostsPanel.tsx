import { useTranslation } from 'react-i18next';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import { formatMoney } from '@/lib/format';
import { useLocaleContext } from '@/lib/use-locale';
import { useGuestCosts } from '../api/spending';

/** What the guest's messages cost: in total, and per booking (the linked one marked). */
export function GuestCostsPanel({ guestId, currentBookingId }: { guestId: string; currentBookingId?: string | null }) {
  const { t } = useTranslation();
  const { locale } = useLocaleContext();
  const costs = useGuestCosts(guestId);
  return (
    <section className="sidebar__section" aria-labelledby="sidebar-costs" data-testid="guest-costs">
      <h3 id="sidebar-costs" className="sidebar__heading">
        {t('spending.guestCosts')}
      </h3>
      {costs.isPending ? (
        <Spinner />
      ) : costs.isError ? (
        <QueryError error={costs.error} onRetry={() => void costs.refetch()} />
      ) : (
        <dl className="details">
          <div className="details__row">
            <dt>{t('spending.total')}</dt>
            <dd data-testid="guest-cost-total">
              {formatMoney(costs.data.total.amount, costs.data.currency, locale)}{' '}
              <span className="muted">{t('spending.messages', { count: costs.data.total.messages })}</span>
            </dd>
          </div>
          {costs.data.bookings.map((booking) => (
            <div key={booking.booking_id} className="details__row" data-testid="booking-cost">
              <dt>
                {booking.external_ref}
                {booking.booking_id === currentBookingId ? ` (${t('spending.linked')})` : ''}
              </dt>
              <dd>{formatMoney(booking.amount, costs.data.currency, locale)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
