// Features never import each other. When one screen shows another feature's
// UI (the composer's template picker, the inbox's "New message" button), the
// app puts that component in this context and the host feature renders it.
import { type ComponentType, createContext, type ReactNode, useContext } from 'react';
import type { Message } from './api-types';

export interface TemplateComposerProps {
  conversationId: string;
  /** Called with the queued message once the template is accepted (202). */
  onSent: (message: Message) => void;
  onClose: () => void;
}

export interface Slots {
  TemplateComposer?: ComponentType<TemplateComposerProps>;
  /** Actions at the top of the inbox list (e.g. "New message"). */
  InboxActions?: ComponentType;
  /** Notices across the top of the inbox (e.g. a channel that needs reconnecting). */
  InboxNotices?: ComponentType;
}

const SlotsContext = createContext<Slots>({});

export function SlotsProvider({ slots, children }: { slots: Slots; children: ReactNode }) {
  return <SlotsContext.Provider value={slots}>{children}</SlotsContext.Provider>;
}

export function useSlots(): Slots {
  return useContext(SlotsContext);
}
