import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { API_BASE } from '@/lib/api-client';
import type { LiveEvent, LiveEventType } from '@/lib/api-types';
import { meQueryKey } from '@/lib/auth';
import { conversationKeys } from './keys';

const EVENT_TYPES: LiveEventType[] = ['message.created', 'message.status', 'conversation.updated'];

function parse(data: unknown): LiveEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const event = JSON.parse(data) as Partial<LiveEvent>;
    return typeof event.conversation_id === 'string' ? (event as LiveEvent) : null;
  } catch {
    return null;
  }
}

/**
 * One EventSource per signed-in property; every event just marks the affected
 * queries stale, and react-query refetches what is on screen.
 */
export function useLiveUpdates(propertyId: string | null) {
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!propertyId || typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let retryTimer: number | undefined;
    let failures = 0;
    let lostConnection = false;

    const onEvent = (message: MessageEvent) => {
      void queryClient.invalidateQueries({ queryKey: conversationKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: conversationKeys.unreadTotal() });
      const event = parse(message.data);
      if (!event) return;
      void queryClient.invalidateQueries({ queryKey: conversationKeys.detail(event.conversation_id) });
      void queryClient.invalidateQueries({ queryKey: conversationKeys.messages(event.conversation_id) });
    };

    const connect = () => {
      const current = new EventSource(`${API_BASE}/events`, { withCredentials: true });
      source = current;
      for (const type of EVENT_TYPES) current.addEventListener(type, onEvent);
      current.addEventListener('message', onEvent);
      current.addEventListener('open', () => {
        failures = 0;
        // Events sent while we were disconnected are lost: catch up once.
        if (lostConnection) void queryClient.invalidateQueries({ queryKey: conversationKeys.all });
        lostConnection = false;
      });
      current.addEventListener('error', () => {
        lostConnection = true;
        // The browser retries by itself, unless the server answered with an
        // error status (401, 502…): then check the session and retry later.
        if (current.readyState !== EventSource.CLOSED) return;
        current.close();
        void queryClient.invalidateQueries({ queryKey: meQueryKey });
        const delay = Math.min(30_000, 1_000 * 2 ** failures);
        failures += 1;
        retryTimer = window.setTimeout(connect, delay);
      });
    };

    connect();
    return () => {
      window.clearTimeout(retryTimer);
      source?.close();
    };
  }, [propertyId, queryClient]);
}
