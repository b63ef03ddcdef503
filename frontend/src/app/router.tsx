import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import {
  ConversationRoute,
  InboxLayout,
  InboxPlaceholder,
} from '@/features/conversations/components/Inbox';
import { AppLayout } from './routes/app-layout';
import { LoginRoute } from './routes/login';

export function AppRouter() {
  return (
    <BrowserRouter basename="/">
      <Routes>
        <Route path="/login" element={<LoginRoute />} />
        <Route element={<AppLayout />}>
          <Route element={<InboxLayout />}>
            <Route index element={<InboxPlaceholder />} />
            <Route path="conversations/:id" element={<ConversationRoute />} />
          </Route>
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </BrowserRouter>
  );
}
