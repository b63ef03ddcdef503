// The app composes features: the conversation's composer shows the
// template-sending feature's picker through the slots context.
import { QueryClient } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { conversationKeys } from '@/features/conversations/api/keys';
import { Composer } from '@/features/conversations/components/Composer';
import TemplateComposer from '@/features/template-sending/components/TemplateComposer';
import type { Message, Page } from '@/lib/api-types';
import { meQueryKey } from '@/lib/auth';
import { createI18n } from '@/lib/i18n';
import { SlotsProvider } from '@/lib/slots';
import { conversation, me, message } from '@/testing/fixtures';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { template } from '@/testing/template-fixtures';
import { AppProvider } from './provider';

const closed = conversation({
  reply_state: {
    whatsapp: {
      state: 'closed',
      open_until: null,
      code: 'whatsapp_window_closed',
      reason: 'The 24-hour window closed 3 hours ago.',
    },
  },
  channels: ['whatsapp'],
});

describe('Composer with the template picker', () => {
  it('offers a template when the WhatsApp window is closed, and shows the sent template in the thread', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'GET /api/v1/whatsapp/templates': () => jsonResponse(200, [template()]),
      'POST /api/v1/conversations/c1/template-preview': () =>
        jsonResponse(200, {
          text: 'Hello Marie, see you on Friday!',
          parameters: { header: null, body: ['Marie', 'Friday'], buttons: [] },
          cost: { amount: '0', currency: 'EUR', category: 'utility', free: true, reason: 'Free within the service window' },
        }),
      'POST /api/v1/conversations/c1/template-messages': () =>
        jsonResponse(202, message({ id: 'sent1', kind: 'template', direction: 'outbound', status: 'queued', body: 'Hello Marie' })),
      'GET /api/v1/conversations': () => jsonResponse(200, { items: [], next_cursor: null }),
      'GET /api/v1/conversations/c1': () => jsonResponse(200, closed),
    });
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity } } });
    queryClient.setQueryData(meQueryKey, me);
    const thread: { pages: Page<Message>[]; pageParams: unknown[] } = {
      pages: [{ items: [message()], next_cursor: null }],
      pageParams: [null],
    };
    queryClient.setQueryData(conversationKeys.messages('c1'), thread);

    render(
      <AppProvider queryClient={queryClient} i18n={createI18n('en')}>
        <MemoryRouter>
          <SlotsProvider slots={{ TemplateComposer }}>
            <Composer conversation={closed} />
          </SlotsProvider>
        </MemoryRouter>
      </AppProvider>,
    );

    // The closed channel says why, in our words (by code), not the server's.
    const option = screen.getAllByRole<HTMLOptionElement>('option').find((item) => item.value === 'whatsapp');
    expect(option?.textContent).toBe(
      'WhatsApp — The 24-hour WhatsApp window has closed. Send an approved template instead.',
    );
    await user.click(screen.getByRole('button', { name: 'Choose a template' }));
    await user.click(await screen.findByRole('radio', { name: /arrival_info/ }));
    expect(await screen.findByText('Free: Free within the service window')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Send template' }));

    // Back to the normal composer, with the message in the thread cache.
    await screen.findByLabelText('Message');
    const cached = queryClient.getQueryData<typeof thread>(conversationKeys.messages('c1'));
    expect(cached?.pages[0]?.items.map((item) => item.id)).toEqual(['m1', 'sent1']);
    await waitFor(() =>
      expect(requests.filter((request) => request.method === 'POST').map((request) => request.url.pathname)).toContain(
        '/api/v1/conversations/c1/template-messages',
      ),
    );
  });
});
