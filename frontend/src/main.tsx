import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppProvider } from '@/app/provider';
import { AppRouter } from '@/app/router';
import { createI18n, detectLanguage, syncDocumentLanguage } from '@/lib/i18n';
import { createQueryClient } from '@/lib/query-client';
import './styles.css';

const i18n = createI18n(detectLanguage());
syncDocumentLanguage(i18n);
const queryClient = createQueryClient();

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

createRoot(root).render(
  <StrictMode>
    <AppProvider queryClient={queryClient} i18n={i18n}>
      <AppRouter />
    </AppProvider>
  </StrictMode>,
);
