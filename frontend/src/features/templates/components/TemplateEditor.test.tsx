import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { TemplateIn } from '@/lib/api-types';
import { jsonResponse, mockFetch, problem } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { placeholders, template } from '@/testing/template-fixtures';
import { TemplateEditor } from './TemplateEditor';
import { TemplatesList } from './TemplatesList';

const body = () => screen.getByLabelText<HTMLTextAreaElement>('Message');

async function insert(user: ReturnType<typeof userEvent.setup>, description: string) {
  const select = screen.getByLabelText<HTMLSelectElement>('Variable to insert');
  await user.selectOptions(select, within(select).getByRole('option', { name: new RegExp(`^${description}`) }));
  await user.click(screen.getByRole('button', { name: 'Insert variable' }));
}

/** The problems list an input points to with aria-describedby. */
function describedText(element: HTMLElement): string {
  return (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' | ');
}

describe('TemplateEditor', () => {
  it('numbers inserted variables in order, maps each to its placeholder and previews the examples', async () => {
    const user = userEvent.setup();
    mockFetch({
      'GET /api/v1/whatsapp/placeholders': () => jsonResponse(200, placeholders),
      'POST /api/v1/whatsapp/templates/validate': () => jsonResponse(200, { problems: [] }),
    });
    renderWithProviders(<TemplateEditor />);
    await screen.findAllByRole('option', { name: /^Guest's first name/ });

    await user.type(body(), 'Hello');
    await insert(user, "Guest's first name");
    await user.type(body(), ', see you on');
    await insert(user, 'Check-in date');

    expect(body().value).toBe('Hello {{1}}, see you on {{2}}');
    const rows = screen.getAllByTestId('body-variable');
    expect(rows.map((row) => row.querySelector('code')?.textContent)).toEqual([
      '{{1}}',
      '{{2}}',
    ]);
    expect(within(rows[0]!).getByLabelText<HTMLSelectElement>('What {{1}} shows').value).toBe('guest.first_name');
    expect(within(rows[0]!).getByLabelText<HTMLInputElement>('Example for {{1}}').value).toBe('Camille');
    expect(within(rows[1]!).getByLabelText<HTMLSelectElement>('What {{2}} shows').value).toBe('booking.check_in');
    expect(screen.getByTestId('bubble-body').textContent).toBe('Hello Camille, see you on Monday 14 December');

    // Deleting {{1}} from the text drops its mapping; the next insert is {{3}}.
    await user.clear(body());
    await user.type(body(), 'See you on {{{{2}}');
    expect(screen.getAllByTestId('body-variable')).toHaveLength(1);
    await insert(user, 'Property name');
    expect(body().value).toBe('See you on {{2}} {{3}}');
  });

  it('shows each problem from /validate next to its field, and the rest at the top', async () => {
    const user = userEvent.setup();
    const validated: TemplateIn[] = [];
    mockFetch({
      'GET /api/v1/whatsapp/placeholders': () => jsonResponse(200, placeholders),
      'POST /api/v1/whatsapp/templates/validate': (request) => {
        validated.push(request.body as TemplateIn);
        return jsonResponse(200, {
          problems: [
            { field: 'name', code: 'name_format', message: 'Use lowercase letters, digits and underscores.' },
            { field: 'body_variables[1]', code: 'example_missing', message: 'Give an example for {{2}}.' },
            { field: 'buttons[0]', code: 'button_text_missing', message: 'A button needs a text.' },
            { field: 'language', code: 'unsupported', message: 'Meta does not support this language.' },
            { field: 'components', code: 'too_long', message: 'The whole message is too long.' },
          ],
        });
      },
    });
    renderWithProviders(<TemplateEditor />);
    await screen.findAllByRole('option', { name: /^Guest's first name/ });

    await user.type(screen.getByLabelText('Name'), 'Arrival Info');
    await user.type(body(), 'Hi {{{{1}} {{{{2}}');
    await user.click(screen.getByRole('button', { name: 'Add a quick reply' }));

    await waitFor(() => expect(describedText(screen.getByLabelText('Name'))).toContain('Use lowercase letters'), {
      timeout: 3000,
    });
    // The request carries the draft as typed (debounced, so not once per key).
    expect(validated.length).toBeLessThan(5);
    expect(validated.at(-1)).toMatchObject({ name: 'Arrival Info', body: 'Hi {{1}} {{2}}', header_text: null });

    const rows = screen.getAllByTestId('body-variable');
    expect(within(rows[1]!).getByText('Give an example for {{2}}.')).toBeTruthy();
    expect(within(rows[0]!).queryByText('Give an example for {{2}}.')).toBeNull();
    expect(describedText(within(rows[1]!).getByLabelText('Example for {{2}}'))).toContain('Give an example');
    expect(within(screen.getByTestId('button-row')).getByText('A button needs a text.')).toBeTruthy();
    expect(describedText(screen.getByLabelText('Language'))).toContain('Meta does not support this language.');
    expect(screen.getByTestId('general-problems').textContent).toContain('The whole message is too long.');
    expect(screen.getByTestId('general-problems').textContent).not.toContain('lowercase');
  });

  it('saves a new template, then submits it to the submit endpoint', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'GET /api/v1/whatsapp/placeholders': () => jsonResponse(200, placeholders),
      'POST /api/v1/whatsapp/templates/validate': () => jsonResponse(200, { problems: [] }),
      'POST /api/v1/whatsapp/templates': (request) =>
        jsonResponse(201, template({ ...(request.body as TemplateIn), id: 't9', status: 'draft' })),
      'POST /api/v1/whatsapp/templates/t9/submit': () => jsonResponse(200, template({ id: 't9', status: 'pending' })),
    });
    renderWithProviders(<TemplateEditor />);

    await user.type(screen.getByLabelText('Name'), 'late_checkout');
    await user.selectOptions(screen.getByLabelText('Category'), 'MARKETING');
    await user.type(body(), 'Stay longer?');
    await user.click(screen.getByRole('button', { name: 'Submit for approval' }));

    await screen.findByText(/Submitted/);
    const writes = requests.filter((request) => request.method !== 'GET' && !request.url.pathname.endsWith('/validate'));
    expect(writes.map((request) => `${request.method} ${request.url.pathname}`)).toEqual([
      'POST /api/v1/whatsapp/templates',
      'POST /api/v1/whatsapp/templates/t9/submit',
    ]);
    expect(writes[0]?.body).toEqual({
      name: 'late_checkout',
      language: 'en',
      category: 'MARKETING',
      header_text: null,
      body: 'Stay longer?',
      footer: null,
      buttons: [],
      body_variables: [],
      header_variable: null,
    });
  });

  it('submits a saved template without saving it again, and shows the API field errors of a refused save', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'GET /api/v1/whatsapp/placeholders': () => jsonResponse(200, placeholders),
      'POST /api/v1/whatsapp/templates/validate': () => jsonResponse(200, { problems: [] }),
      'POST /api/v1/whatsapp/templates/tpl1/submit': () => jsonResponse(200, template({ status: 'pending' })),
      'PUT /api/v1/whatsapp/templates/tpl1': () =>
        problem(422, {
          code: 'validation_error',
          detail: 'The request has invalid fields.',
          errors: [{ field: 'footer', code: 'too_long', message: 'The footer is limited to 60 characters.' }],
        }),
    });
    renderWithProviders(
      <TemplateEditor
        template={template({
          status: 'rejected',
          rejection_reason: 'INVALID_FORMAT',
          rejection_recommendation: 'Do not start the body with a variable.',
        })}
      />,
    );

    expect(screen.getByTestId('rejection').textContent).toContain('INVALID_FORMAT');
    expect(screen.getByTestId('rejection').textContent).toContain('Do not start the body with a variable.');

    await user.click(screen.getByRole('button', { name: 'Submit for approval' }));
    await screen.findByText(/Submitted/);
    expect(requests.filter((request) => request.method === 'PUT')).toHaveLength(0);
    expect(requests.some((request) => request.url.pathname === '/api/v1/whatsapp/templates/tpl1/submit')).toBe(true);

    await user.type(screen.getByLabelText('Footer (optional)'), ' and more');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() =>
      expect(describedText(screen.getByLabelText('Footer (optional)'))).toContain('limited to 60 characters'),
    );
  });
});

describe('TemplatesList', () => {
  it('shows status badges, and the rejection reason with Meta’s recommendation', async () => {
    mockFetch({
      'GET /api/v1/whatsapp/templates': () =>
        jsonResponse(200, [
          template(),
          template({
            id: 't2',
            name: 'spa_offer',
            category: 'MARKETING',
            status: 'rejected',
            rejection_reason: 'PROMOTIONAL',
            rejection_recommendation: 'Use the marketing category.',
          }),
        ]),
    });
    renderWithProviders(<TemplatesList />);

    const rows = await screen.findAllByTestId('template-row');
    expect(rows.map((row) => within(row).getByTestId('template-status').textContent)).toEqual(['Approved', 'Rejected']);
    expect(rows[1]!.textContent).toContain('PROMOTIONAL');
    expect(rows[1]!.textContent).toContain('Use the marketing category.');
    expect(rows[0]!.textContent).not.toContain('Rejected by Meta');
  });

  it('says the screen is not available yet while the API answers 404', async () => {
    mockFetch({});
    renderWithProviders(<TemplatesList />, { language: 'fr' });
    expect((await screen.findByTestId('not-available')).textContent).toContain('Pas encore disponible');
  });

  it('does not call a saved template a copy of itself, but still flags another template’s name', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'GET /api/v1/whatsapp/placeholders': () => jsonResponse(200, placeholders),
      'GET /api/v1/whatsapp/templates': () => jsonResponse(200, [template()]),
      'POST /api/v1/whatsapp/templates/validate': (request) => {
        const draft = request.body as TemplateIn;
        return jsonResponse(200, {
          problems: [
            draft.name === 'arrival_info'
              ? { field: 'name', code: 'name_taken', message: "The property already has 'arrival_info' in en: choose another name." }
              : { field: 'name', code: 'name_taken', message: "The property already has 'checkout' in en: choose another name." },
            { field: 'body', code: 'duplicate_template', message: "'arrival_info' already has this text; Meta rejects copies of an existing template." },
          ],
        });
      },
    });
    renderWithProviders(<TemplateEditor template={template()} />);
    await waitFor(() => expect(requests.some((request) => request.url.pathname.endsWith('/validate'))).toBe(true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByText(/already has/)).toBeNull();

    await user.clear(screen.getByLabelText('Name'));
    await user.type(screen.getByLabelText('Name'), 'checkout');
    expect(await screen.findByText("The property already has 'checkout' in en: choose another name.")).toBeTruthy();
    expect(screen.queryByText(/Meta rejects copies/)).toBeNull();
  });
});
