import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { message } from '@/testing/fixtures';
import { mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { MessageBubble } from './MessageBubble';

const outbound = { direction: 'outbound' as const, author: { type: 'user' as const, id: 'u1', name: 'Anna' } };

describe('MessageBubble', () => {
  it('shows a message waiting for its channel as paused, with the reason', () => {
    mockFetch({});
    renderWithProviders(
      <ul>
        <MessageBubble
          message={message({
            ...outbound,
            channel: 'airbnb',
            body: 'À demain !',
            status: 'queued',
            error_code: 'channel_paused',
            error_reason: 'Airbnb must be authorised again; the message goes out once it is.',
          })}
        />
      </ul>,
    );
    expect(screen.getByTestId('message-paused').textContent).toBe(
      'Paused — Airbnb must be authorised again; the message goes out once it is.',
    );
    expect(screen.getByTestId('message-status').textContent).toBe('Queued');
    expect(screen.queryByTestId('send-another-way')).toBeNull();
  });

  it('says "Paused" in its own words when the server gives no reason', () => {
    mockFetch({});
    renderWithProviders(
      <ul>
        <MessageBubble message={message({ ...outbound, status: 'queued', error_code: 'channel_paused', error_reason: null })} />
      </ul>,
      { language: 'fr' },
    );
    expect(screen.getByTestId('message-paused').textContent).toBe(
      'En pause — L’envoi est en pause sur ce canal jusqu’à sa reconnexion.',
    );
  });

  it('shows why a message failed and suggests sending it another way', () => {
    mockFetch({});
    renderWithProviders(
      <ul>
        <MessageBubble
          message={message({ ...outbound, channel: 'sms', status: 'failed', error_code: '30006', error_reason: 'Landline or unreachable carrier' })}
        />
      </ul>,
    );
    expect(screen.getByTestId('message-error').textContent).toBe('Failed: Landline or unreachable carrier');
    expect(screen.getByTestId('send-another-way').textContent).toBe(
      'Send another way: choose another channel below, or a WhatsApp template.',
    );
    expect(screen.queryByTestId('message-paused')).toBeNull();
  });

  it('does not call a queued message without error paused', () => {
    mockFetch({});
    renderWithProviders(
      <ul>
        <MessageBubble message={message({ ...outbound, status: 'queued' })} />
      </ul>,
    );
    expect(screen.queryByTestId('message-paused')).toBeNull();
  });
});
