import type { TFunction } from 'i18next';
import type { BookingSummary, Channel, ConversationRow, MessageStatus } from '@/lib/api-types';

export function channelLabel(t: TFunction, channel: Channel): string {
  switch (channel) {
    case 'whatsapp':
      return t('channels.whatsapp');
    case 'sms':
      return t('channels.sms');
    case 'airbnb':
      return t('channels.airbnb');
    case 'email':
      return t('channels.email');
    default:
      return String(channel); // a channel added server-side before the UI knows it
  }
}

function humanize(value: string): string {
  const text = value.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function bookingSourceLabel(t: TFunction, source: string): string {
  switch (source) {
    case 'direct':
      return t('booking.source.direct');
    case 'airbnb':
      return t('booking.source.airbnb');
    case 'booking_com':
      return t('booking.source.booking_com');
    case 'expedia':
      return t('booking.source.expedia');
    default:
      return humanize(source);
  }
}

export function bookingStatusLabel(t: TFunction, status: BookingSummary['status']): string {
  switch (status) {
    case 'confirmed':
      return t('booking.status.confirmed');
    case 'cancelled':
      return t('booking.status.cancelled');
    case 'checked_in':
      return t('booking.status.checked_in');
    case 'checked_out':
      return t('booking.status.checked_out');
    default:
      return humanize(status);
  }
}

export function messageStatusLabel(t: TFunction, status: MessageStatus): string {
  return t(`message.status.${status}`);
}

/** Channels a conversation shows, in a stable order: its own, then any with a reply state. */
export function conversationChannels(row: ConversationRow): Channel[] {
  const seen = new Set<Channel>(row.channels);
  for (const channel of Object.keys(row.reply_state) as Channel[]) seen.add(channel);
  return [...seen];
}
