import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { AppProvider } from '@/app/provider';
import type { Me } from '@/lib/api-types';
import { meQueryKey } from '@/lib/auth';
import { createI18n, type Language } from '@/lib/i18n';
import { me as defaultMe } from './fixtures';

interface Options {
  route?: string;
  path?: string;
  language?: Language;
  me?: Me | null;
}

/** Renders inside the real providers (react-query, i18n, router), signed in by default. */
export function renderWithProviders(ui: ReactElement, options: Options = {}) {
  const { route = '/', path = '*', language = 'en', me = defaultMe } = options;
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } },
  });
  queryClient.setQueryData(meQueryKey, me);
  const i18n = createI18n(language);
  const result = render(
    <AppProvider queryClient={queryClient} i18n={i18n}>
      <MemoryRouter initialEntries={[route]}>
        <Routes>
          <Route path={path} element={ui} />
        </Routes>
      </MemoryRouter>
    </AppProvider>,
  );
  return { ...result, queryClient, i18n };
}
