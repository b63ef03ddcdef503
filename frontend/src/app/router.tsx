import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import {
  ConversationRoute,
  InboxLayout,
  InboxPlaceholder,
} from '@/features/conversations/components/Inbox';
import { LoadingScreen } from '@/components/LoadingScreen';
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
const UsersScreen = lazy(() =>
  import('@/features/users/components/UsersScreen').then((m) => ({ default: m.UsersScreen })),
);
const AcceptInvitationScreen = lazy(() =>
  import('@/features/users/components/AcceptInvitationScreen').then((m) => ({ default: m.AcceptInvitationScreen })),
);
const SpendingScreen = lazy(() =>
  import('@/features/spending/components/SpendingScreen').then((m) => ({ default: m.SpendingScreen })),
);
const WebhooksScreen = lazy(() =>
  import('@/features/outgoing-webhooks/components/WebhooksScreen').then((m) => ({ default: m.WebhooksScreen })),
);
const SavedRepliesScreen = lazy(() =>
  import('@/features/saved-replies/components/SavedRepliesScreen').then((m) => ({ default: m.SavedRepliesScreen })),
);
const LabelsScreen = lazy(() =>
  import('@/features/labels/components/LabelsScreen').then((m) => ({ default: m.LabelsScreen })),
);
const AttentionScreen = lazy(() =>
  import('@/features/attention/components/AttentionScreen').then((m) => ({ default: m.AttentionScreen })),
);
const ShareNumberScreen = lazy(() =>
  import('@/features/sharing/components/ShareNumberScreen').then((m) => ({ default: m.ShareNumberScreen })),
);

export function AppRouter() {
  return (
    <BrowserRouter basename="/">
      <Routes>
        <Route path="/login" element={<LoginRoute />} />
        <Route
          path="/invitations/:token"
          element={
            <Suspense fallback={<LoadingScreen />}>
              <AcceptInvitationScreen />
            </Suspense>
          }
        />
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
          <Route path="attention" element={<AttentionScreen />} />
          <Route path="settings" element={<SettingsLayout />}>
            <Route index element={<Navigate to="channels" replace />} />
            <Route path="channels" element={<ChannelsScreen />} />
            <Route path="users" element={<UsersScreen />} />
            <Route path="api-keys" element={<ApiKeysScreen />} />
            <Route path="share" element={<ShareNumberScreen />} />
            <Route path="saved-replies" element={<SavedRepliesScreen />} />
            <Route path="labels" element={<LabelsScreen />} />
            <Route path="spending" element={<SpendingScreen />} />
            <Route path="webhooks" element={<WebhooksScreen />} />
          </Route>
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </BrowserRouter>
  );
}
