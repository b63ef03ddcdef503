import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { BookingSummary } from '@/lib/api-types';
import { formatStay } from '@/lib/format';
import { bookingSourceLabel, bookingStatusLabel } from '../utils/labels';

type BookingLike = BookingSummary & { party_size?: number | null };

/** "Ref. PMS-1001 · Nov 27 – 30 · Room 12 · Direct · Confirmed" */
export function bookingParts(t: TFunction, booking: BookingLike, locale: string): string[] {
  return [
    booking.external_ref && t('booking.ref', { ref: booking.external_ref }),
    formatStay(booking.check_in, booking.check_out, locale),
    booking.room && t('booking.room', { room: booking.room }),
    booking.source && bookingSourceLabel(t, booking.source),
    booking.confirmation_code && t('booking.confirmation', { code: booking.confirmation_code }),
    booking.status && bookingStatusLabel(t, booking.status),
  ].filter((part): part is string => Boolean(part));
}

/** A booking as a small definition list (sidebar, pickers). */
export function BookingDetails({ booking }: { booking: BookingLike }) {
  const { t, i18n } = useTranslation();
  const rows: [string, string][] = [
    [t('booking.stay'), formatStay(booking.check_in, booking.check_out, i18n.language)],
    ...(booking.room ? [[t('booking.roomLabel'), booking.room] as [string, string]] : []),
    ...(booking.source ? [[t('booking.sourceLabel'), bookingSourceLabel(t, booking.source)] as [string, string]] : []),
    [t('booking.statusLabel'), bookingStatusLabel(t, booking.status)],
    ...(booking.confirmation_code
      ? [[t('booking.confirmationLabel'), booking.confirmation_code] as [string, string]]
      : []),
    ...(booking.external_ref ? [[t('booking.refLabel'), booking.external_ref] as [string, string]] : []),
    ...(booking.party_size ? [[t('booking.partySize'), String(booking.party_size)] as [string, string]] : []),
  ];
  return (
    <dl className="details">
      {rows.map(([term, value]) => (
        <div key={term} className="details__row">
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
