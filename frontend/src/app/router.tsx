import { lazy } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import {
  ConversationRoute,
  InboxLayout,
  InboxPlaceholder,
} from '@/features/conversations/components/Inbox';
import { AppLayout } from './routes/app-layout';
import { LoginRoute } from './routes/login';
import { SettingsLayout } from './routes/settings-layout';

// Everything but the inbox loads on first visit (route-level code splitting).
const TemplatesList = lazy(() =>
  import('@/features/templates/components/TemplatesList').then((m) => ({ default: m.TemplatesList })),
);
const TemplateEditorScreen = lazy(() =>
  import('@/features/templates/components/TemplateEditorScreen').then((m) => ({ default: m.TemplateEditorScreen })),
);
const InsightsScreen = lazy(() =>
  import('@/features/insights/components/InsightsScreen').then((m) => ({ default: m.InsightsScreen })),
);
const ChannelsScreen = lazy(() =>
  import('@/features/channels/components/ChannelsScreen').then((m) => ({ default: m.ChannelsScreen })),
);
const ApiKeysScreen = lazy(() =>
  import('@/features/api-keys/components/ApiKeysScreen').then((m) => ({ default: m.ApiKeysScreen })),
);
const RulesList = lazy(() =>
  import('@/features/scheduling/components/RulesList').then((m) => ({ default: m.RulesList })),
);
const RuleEditorScreen = lazy(() =>
  import('@/features/scheduling/components/RuleEditorScreen').then((m) => ({ default: m.RuleEditorScreen })),
);
const PlannedSendsScreen = lazy(() =>
  import('@/features/scheduling/components/PlannedSendsScreen').then((m) => ({ default: m.PlannedSendsScreen })),
);
const ShareNumberScreen = lazy(() =>
  import('@/features/sharing/components/ShareNumberScreen').then((m) => ({ default: m.ShareNumberScreen })),
);

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
          <Route path="templates" element={<TemplatesList />} />
          <Route path="templates/new" element={<TemplateEditorScreen />} />
          <Route path="templates/:id" element={<TemplateEditorScreen />} />
          <Route path="scheduled-messages" element={<RulesList />} />
          <Route path="scheduled-messages/new" element={<RuleEditorScreen />} />
          <Route path="scheduled-messages/:id" element={<RuleEditorScreen />} />
          <Route path="planned-sends" element={<PlannedSendsScreen />} />
          <Route path="insights" element={<InsightsScreen />} />
          <Route path="settings" element={<SettingsLayout />}>
            <Route index element={<Navigate to="channels" replace />} />
            <Route path="channels" element={<ChannelsScreen />} />
            <Route path="api-keys" element={<ApiKeysScreen />} />
            <Route path="share" element={<ShareNumberScreen />} />
          </Route>
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </BrowserRouter>
  );
}
