import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Rule, RuleIn } from '@/lib/api-types';
import { me } from '@/testing/fixtures';
import { jsonResponse, mockFetch, problem } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { placeholders, template } from '@/testing/template-fixtures';
import { RuleEditor } from './RuleEditor';

const manager = { ...me, role: 'manager' as const };

function rule(overrides: Partial<Rule> = {}): Rule {
  return {
    id: 'r1',
    name: 'Pre-arrival',
    active: true,
    trigger: 'before_check_in',
    offset_days: 2,
    offset_hours: 0,
    send_time: '10:00',
    conditions: { sources: null, min_nights: null, languages: null },
    channel_order: ['whatsapp', 'sms'],
    content: {
      default: { email_subject: null, email_body: null, sms_text: 'Hello !' },
      whatsapp_template_id: 'tpl1',
      translations: { fr: { email_subject: null, email_body: null, sms_text: 'Bonjour !' } },
    },
    marketing: false,
    created_at: '2026-11-20T10:00:00Z',
    updated_at: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}

function routes(extra: Record<string, Parameters<typeof mockFetch>[0][string]> = {}) {
  return mockFetch({
    'GET /api/v1/whatsapp/templates': () =>
      jsonResponse(200, [template(), template({ id: 'tpl2', name: 'draft_one', status: 'draft' })]),
    'GET /api/v1/whatsapp/placeholders': () => jsonResponse(200, placeholders),
    'POST /api/v1/sms/segments': (request) => {
      const text = (request.body as { text: string }).text;
      return jsonResponse(200, { characters: text.length, encoding: 'GSM-7', units: text.length, segments: 1, remaining_in_segment: 160 - text.length });
    },
    'GET /api/v1/bookings': () => jsonResponse(200, { items: [], next_cursor: null }),
    'GET /api/v1/planned-sends': () => jsonResponse(200, { items: [], next_cursor: null }),
    ...extra,
  });
}

const orderShown = () => screen.getAllByTestId('channel-order-item').map((item) => item.getAttribute('data-channel'));

/** The texts an element points to with aria-describedby. */
function describedText(element: HTMLElement): string {
  return (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' | ');
}

describe('RuleEditor', () => {
  it('edits the channel order (move, remove, add) and sends it in that order', async () => {
    const user = userEvent.setup();
    const { requests } = routes({
      'POST /api/v1/scheduled-messages': (request) => jsonResponse(201, { ...rule(), ...(request.body as RuleIn), id: 'r9' }),
    });
    renderWithProviders(<RuleEditor />, { me: manager });

    expect(orderShown()).toEqual(['whatsapp', 'sms']);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Move WhatsApp up' }).disabled).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Move SMS up' }));
    expect(orderShown()).toEqual(['sms', 'whatsapp']);

    await user.selectOptions(screen.getByLabelText('Channel to add'), 'email');
    await user.click(screen.getByRole('button', { name: 'Add channel' }));
    expect(orderShown()).toEqual(['sms', 'whatsapp', 'email']);
    // Only the channels not in the list can be added.
    expect(within(screen.getByLabelText('Channel to add')).getAllByRole('option').map((option) => option.textContent)).toEqual(['Airbnb']);

    await user.click(screen.getByRole('button', { name: 'Move WhatsApp down' }));
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Move WhatsApp down' }).disabled).toBe(true);
    expect(orderShown()).toEqual(['sms', 'email', 'whatsapp']);

    await user.click(screen.getByRole('button', { name: 'Remove WhatsApp' }));
    expect(orderShown()).toEqual(['sms', 'email']);
    // Without WhatsApp, no template to choose.
    expect(screen.queryByLabelText('WhatsApp template')).toBeNull();

    await user.type(screen.getByLabelText('Name'), 'Welcome');
    await user.type(screen.getByLabelText('SMS text'), 'Welcome');
    await user.click(screen.getByRole('button', { name: 'Create' }));

    await waitFor(() => expect(requests.some((request) => request.method === 'POST' && request.url.pathname === '/api/v1/scheduled-messages')).toBe(true));
    const sent = requests.find((request) => request.url.pathname === '/api/v1/scheduled-messages')!.body as RuleIn;
    expect(sent.channel_order).toEqual(['sms', 'email']);
    expect(sent.content.whatsapp_template_id).toBeNull();
    expect(sent.content.default).toEqual({ email_subject: null, email_body: null, sms_text: 'Welcome' });
    expect(sent).toMatchObject({ name: 'Welcome', trigger: 'before_check_in', offset_days: 1, send_time: '10:00' });
  });

  it('inserts a placeholder at the cursor of the last text field used, per language', async () => {
    const user = userEvent.setup();
    routes();
    renderWithProviders(<RuleEditor rule={rule()} />, { me: manager });
    await screen.findAllByRole('option', { name: /^Guest's first name/ });

    const sms = screen.getByLabelText<HTMLTextAreaElement>('SMS text');
    await user.click(sms);
    sms.setSelectionRange(5, 5); // between "Hello" and " !"
    await user.selectOptions(screen.getByLabelText('Placeholder'), 'guest.first_name');
    await user.click(screen.getByRole('button', { name: 'Insert' }));
    expect(sms.value).toBe('Hello{{ guest.first_name }} !');
    // The caret lands after the placeholder, in the field.
    expect(document.activeElement).toBe(sms);
    expect(sms.selectionStart).toBe('Hello{{ guest.first_name }}'.length);

    // The e-mail subject, once used, receives the next one (at its end).
    await user.type(screen.getByLabelText('E-mail subject'), 'Your stay at ');
    await user.selectOptions(screen.getByLabelText('Placeholder'), 'property.name');
    await user.click(screen.getByRole('button', { name: 'Insert' }));
    expect(screen.getByLabelText<HTMLInputElement>('E-mail subject').value).toBe('Your stay at {{ property.name }}');

    // The French version has its own texts.
    await user.click(screen.getByRole('tab', { name: 'French' }));
    const frSms = screen.getByLabelText<HTMLTextAreaElement>('SMS text');
    expect(frSms.value).toBe('Bonjour !');
    await user.click(frSms);
    frSms.setSelectionRange(7, 7);
    await user.selectOptions(screen.getByLabelText('Placeholder'), 'guest.first_name');
    await user.click(screen.getByRole('button', { name: 'Insert' }));
    expect(frSms.value).toBe('Bonjour{{ guest.first_name }} !');
    await user.click(screen.getByRole('tab', { name: 'Default' }));
    expect(screen.getByLabelText<HTMLTextAreaElement>('SMS text').value).toBe('Hello{{ guest.first_name }} !');
  });

  it('shows each 422 problem next to its field, in its language tab, and the rest on top', async () => {
    const user = userEvent.setup();
    routes({
      'PUT /api/v1/scheduled-messages/r1': () =>
        problem(422, {
          code: 'validation_error',
          detail: 'The scheduled message has problems.',
          errors: [
            { field: 'send_time', code: 'hours_with_time', message: 'A send time goes with a number of days, not hours.' },
            { field: 'content.default.sms_text', code: 'unknown_placeholder', message: '{{ guest.nope }} is not a placeholder we know.' },
            { field: 'content.translations.fr.sms_text', code: 'string_too_long', message: 'String should have at most 1600 characters' },
            { field: 'content.whatsapp_template_id', code: 'required', message: 'WhatsApp sends need an approved template.' },
            { field: 'something_else', code: 'odd', message: 'Something else is wrong.' },
          ],
        }),
    });
    renderWithProviders(<RuleEditor rule={rule()} />, { me: manager });

    await user.clear(screen.getByLabelText('Hours'));
    await user.type(screen.getByLabelText('Hours'), '3');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    const sendTime = screen.getByLabelText('Send time (optional)');
    await waitFor(() => expect(describedText(sendTime)).toContain('A send time goes with a number of days, not hours.'));
    expect(sendTime.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('problems-send_time').closest('.field')).toBe(sendTime.closest('.field'));

    const sms = screen.getByLabelText('SMS text');
    expect(describedText(sms)).toContain('{{ guest.nope }} is not a placeholder we know.');
    expect(describedText(screen.getByLabelText('WhatsApp template'))).toContain('WhatsApp sends need an approved template.');
    expect(screen.getByTestId('general-problems').textContent).toBe('Something else is wrong.');
    // The French tab says it has a problem; its field shows it once opened.
    const frTab = screen.getByRole('tab', { name: /French/ });
    expect(within(frTab).getByLabelText('1 problem')).toBeTruthy();
    expect(screen.queryByText('String should have at most 1600 characters')).toBeNull();
    await user.click(frTab);
    expect(describedText(screen.getByLabelText('SMS text'))).toContain('String should have at most 1600 characters');
  });

  it('counts the SMS parts of the text and summarises the timing', async () => {
    const user = userEvent.setup();
    routes();
    renderWithProviders(<RuleEditor rule={rule()} />, { me: manager });
    expect(screen.getByTestId('rule-summary').textContent).toBe('Sends: 2 days before check-in at 10:00');
    await waitFor(() => expect(screen.getByTestId('sms-segments').textContent).toBe('7 characters · GSM-7 · 1 SMS'));

    await user.selectOptions(screen.getByLabelText('Moment'), 'after_check_out');
    await user.clear(screen.getByLabelText('Send time (optional)'));
    await user.clear(screen.getByLabelText('Days'));
    await user.type(screen.getByLabelText('Days'), '1');
    await user.type(screen.getByLabelText('Hours'), '{backspace}3');
    expect(screen.getByTestId('rule-summary').textContent).toBe('Sends: 1 day 3 hours after check-out');
  });
});
