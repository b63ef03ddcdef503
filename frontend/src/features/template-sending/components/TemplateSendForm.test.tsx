import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { TemplateSendRequest } from '@/lib/api-types';
import { message } from '@/testing/fixtures';
import { jsonResponse, mockFetch, problem } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { template } from '@/testing/template-fixtures';
import TemplateComposer from './TemplateComposer';

const templates = [
  template(),
  template({ id: 'draft1', name: 'draft_one', status: 'draft' }),
  template({ id: 'tpl2', name: 'spa_offer', category: 'MARKETING', body: 'Relax at our spa, {{1}}!', body_variables: [{ index: 1, placeholder: 'guest.first_name', example: 'Camille' }] }),
];

function previewFor(request: TemplateSendRequest) {
  const overrides = request.overrides;
  return {
    text: 'server text',
    parameters: { header: null, body: [overrides['1'] ?? 'Marie', overrides['2'] ?? 'Friday 27 November'], buttons: [] },
    cost: { amount: '0.0250', currency: 'USD', category: 'utility', free: false, reason: null },
  };
}

describe('TemplateComposer', () => {
  it('offers approved templates only, prefills values from the preview, sends edits as overrides', async () => {
    const user = userEvent.setup();
    const onSent = vi.fn();
    const { requests } = mockFetch({
      'GET /api/v1/whatsapp/templates': () => jsonResponse(200, templates),
      'POST /api/v1/conversations/c1/template-preview': (request) =>
        jsonResponse(200, previewFor(request.body as TemplateSendRequest)),
      'POST /api/v1/conversations/c1/template-messages': () =>
        jsonResponse(202, message({ id: 'm7', kind: 'template', direction: 'outbound', status: 'queued' })),
    });
    renderWithProviders(<TemplateComposer conversationId="c1" onSent={onSent} onClose={() => {}} />);

    const radios = await screen.findAllByRole('radio');
    expect(radios.map((radio) => radio.closest('label')?.querySelector('.template-choice__name')?.textContent)).toEqual([
      'arrival_info',
      'spa_offer',
    ]);
    await user.click(screen.getByRole('radio', { name: /arrival_info/ }));

    // Prefilled with what the server would send to this guest.
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>('template-value-1').value).toBe('Marie'));
    expect(screen.getByTestId<HTMLInputElement>('template-value-2').value).toBe('Friday 27 November');
    expect(screen.getByTestId('bubble-body').textContent).toBe('Hello Marie, see you on Friday 27 November!');
    expect(screen.getByTestId('bubble-footer').textContent).toBe('Hôtel du Lac');
    expect(screen.getByTestId('template-cost').textContent).toBe('Estimated cost: $0.025 (utility)');

    const second = screen.getByTestId<HTMLInputElement>('template-value-2');
    await user.clear(second);
    await user.type(second, 'tomorrow');
    // The bubble follows at once; the preview is asked again with the override.
    expect(screen.getByTestId('bubble-body').textContent).toBe('Hello Marie, see you on tomorrow!');
    await waitFor(() =>
      expect(
        requests.some(
          (request) =>
            request.url.pathname.endsWith('/template-preview') &&
            JSON.stringify((request.body as TemplateSendRequest).overrides) === JSON.stringify({ '2': 'tomorrow' }),
        ),
      ).toBe(true),
    );

    await user.click(screen.getByRole('button', { name: 'Send template' }));
    await waitFor(() => expect(onSent).toHaveBeenCalledWith(expect.objectContaining({ id: 'm7' })));
    const sent = requests.find((request) => request.url.pathname.endsWith('/template-messages'));
    expect(sent?.body).toEqual({ template_id: 'tpl1', overrides: { '2': 'tomorrow' } });
    expect(requests.find((request) => request.url.pathname.endsWith('/template-preview'))?.body).toEqual({
      template_id: 'tpl1',
      overrides: {},
    });
  });

  it('explains a refused preview in the UI language and keeps the form', async () => {
    const user = userEvent.setup();
    mockFetch({
      'GET /api/v1/whatsapp/templates': () => jsonResponse(200, templates),
      'POST /api/v1/conversations/c1/template-preview': () =>
        problem(422, { code: 'template_parameter_missing', detail: 'Variable {{2}} has no value for this guest.' }),
    });
    renderWithProviders(<TemplateComposer conversationId="c1" onSent={() => {}} onClose={() => {}} />, {
      language: 'fr',
    });

    await user.click(await screen.findByRole('radio', { name: /arrival_info/ }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Une variable de ce modèle n’a pas de valeur : complétez-la.');
    expect(within(screen.getByRole('form')).getByRole('button', { name: 'Envoyer le modèle' })).toBeTruthy();
  });
});
