import { describe, expect, it } from 'vitest';
import { jsonResponse, mockFetch, problem } from '@/testing/mock-fetch';
import { api, ApiError, buildUrl } from './api-client';

describe('api client', () => {
  it('sends the gm_csrf cookie back as X-CSRF-Token on unsafe methods, with same-origin credentials', async () => {
    document.cookie = 'other=1';
    document.cookie = 'gm_csrf=tok%2Bwith%3Dchars';
    const { requests } = mockFetch({
      'POST /api/v1/conversations/c1/notes': () => jsonResponse(201, { id: 'n1' }),
    });

    const created = await api.post<{ id: string }>('/conversations/c1/notes', { body: 'hi' });

    expect(created).toEqual({ id: 'n1' });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.headers.get('X-CSRF-Token')).toBe('tok+with=chars');
    expect(request?.headers.get('Content-Type')).toBe('application/json');
    expect(request?.credentials).toBe('same-origin');
    expect(request?.body).toEqual({ body: 'hi' });
  });

  it('does not send the CSRF header on GET', async () => {
    document.cookie = 'gm_csrf=abc';
    const { requests } = mockFetch({ 'GET /api/v1/auth/me': () => jsonResponse(200, { ok: true }) });

    await api.get('/auth/me');

    expect(requests[0]?.headers.has('X-CSRF-Token')).toBe(false);
    expect(requests[0]?.credentials).toBe('same-origin');
  });

  it('turns a problem+json answer into an ApiError carrying detail, code and field errors', async () => {
    mockFetch({
      'POST /api/v1/conversations/c1/messages': () =>
        problem(409, {
          title: 'Conflict',
          detail: 'The WhatsApp window closed 2 hours ago; use a template.',
          code: 'whatsapp_window_closed',
          instance: '/api/v1/conversations/c1/messages',
          errors: [{ field: 'channel', code: 'closed', message: 'Window closed' }],
        }),
    });

    const error = await api
      .post('/conversations/c1/messages', { channel: 'whatsapp', body: 'x' })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(409);
    expect(apiError.code).toBe('whatsapp_window_closed');
    expect(apiError.detail).toBe('The WhatsApp window closed 2 hours ago; use a template.');
    expect(apiError.message).toBe(apiError.detail);
    expect(apiError.errors).toEqual([{ field: 'channel', code: 'closed', message: 'Window closed' }]);
  });

  it('falls back to the status line when the error body is not JSON', async () => {
    mockFetch({
      'GET /api/v1/conversations': () =>
        new Response('<html>bad gateway</html>', {
          status: 502,
          statusText: 'Bad Gateway',
          headers: { 'Content-Type': 'text/html' },
        }),
    });

    const error = (await api.get('/conversations').catch((caught: unknown) => caught)) as ApiError;

    expect(error.status).toBe(502);
    expect(error.detail).toBeNull();
    expect(error.title).toBe('Bad Gateway');
  });

  it('reports an unreachable server as status 0 / network_error', async () => {
    mockFetch({
      'GET /api/v1/auth/me': () => {
        throw new TypeError('Failed to fetch');
      },
    });

    const error = (await api.get('/auth/me').catch((caught: unknown) => caught)) as ApiError;

    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(0);
    expect(error.code).toBe('network_error');
  });

  it('resolves 204 No Content to undefined', async () => {
    mockFetch({ 'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }) });
    await expect(api.post('/auth/logout')).resolves.toBeUndefined();
  });

  it('drops empty query values when building URLs', () => {
    expect(buildUrl('/conversations', { status: 'open', unread: false, q: '', cursor: null, limit: 50 })).toBe(
      '/api/v1/conversations?status=open&limit=50',
    );
  });
});
