// Features never import each other. When one screen shows another feature's
// UI (the composer's template picker, the inbox's "New message" button), the
// app puts that component in this context and the host feature renders it.
import { type ComponentType, createContext, type ReactNode, useContext } from 'react';
import type { LabelTag, Message } from './api-types';

export interface TemplateComposerProps {
  conversationId: string;
  /** Called with the queued message once the template is accepted (202). */
  onSent: (message: Message) => void;
  onClose: () => void;
}

export interface SavedReplyPickerProps {
  conversationId: string;
  /** What follows the "/" typed in the composer, e.g. "wif". */
  query: string;
  /** The rendered text, to replace "/query" in the composer (still editable before sending). */
  onInsert: (text: string) => void;
  onDismiss: () => void;
  /** The picker handles ArrowUp/ArrowDown/Enter/Escape typed in the composer; true when it used the key. */
  registerKeys: (handler: ((key: string) => boolean) | null) => void;
}

export interface ConversationLabelsProps {
  conversationId: string;
  labels: LabelTag[];
}

export interface LabelFilterProps {
  value: string | null;
  onChange: (labelId: string | null) => void;
}

export interface GuestPanelsProps {
  guestId: string;
  guestName: string;
  /** The booking the conversation is about, if any (its costs are shown first). */
  currentBookingId: string | null;
}

export interface Slots {
  TemplateComposer?: ComponentType<TemplateComposerProps>;
  /** Actions at the top of the inbox list (e.g. "New message"). */
  InboxActions?: ComponentType;
  /** Notices across the top of the inbox (e.g. a channel that needs reconnecting). */
  InboxNotices?: ComponentType;
  /** The composer's "/" shortcut: a filtered list of saved replies. */
  SavedReplyPicker?: ComponentType<SavedReplyPickerProps>;
  /** Labels of a conversation with add/remove/create, in its header. */
  ConversationLabels?: ComponentType<ConversationLabelsProps>;
  /** The inbox list's label filter. */
  LabelFilter?: ComponentType<LabelFilterProps>;
  /** Panels at the foot of the guest sidebar: costs, consent, data export and erasure. */
  GuestPanels?: ComponentType<GuestPanelsProps>;
}

const SlotsContext = createContext<Slots>({});

export function SlotsProvider({ slots, children }: { slots: Slots; children: ReactNode }) {
  return <SlotsContext.Provider value={slots}>{children}</SlotsContext.Provider>;
}

export function useSlots(): Slots {
  return useContext(SlotsContext);
}
