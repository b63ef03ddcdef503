import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { demoKeys } from './keys';

const SIMULATE_PATH = '/api/v1/demo/conversations/{conversation_id}/simulate-guest-message';

/** Whether this server runs the demo sandbox: its OpenAPI lists the demo action. */
export async function getDemoAvailable(signal?: AbortSignal): Promise<boolean> {
  try {
    const schema = await api.get<{ paths?: Record<string, unknown> }>('/openapi.json', { base: '', signal });
    return Boolean(schema?.paths && SIMULATE_PATH in schema.paths);
  } catch {
    return false;
  }
}

export function useDemoAvailable() {
  return useQuery({
    queryKey: demoKeys.available,
    queryFn: ({ signal }) => getDemoAvailable(signal),
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

export function simulateGuestMessage(conversationId: string, text: string): Promise<unknown> {
  return api.post(`/demo/conversations/${encodeURIComponent(conversationId)}/simulate-guest-message`, { text });
}

/** Demo only: the guest "answers" on WhatsApp; the message arrives through the live updates. */
export function useSimulateGuestMessage(conversationId: string) {
  return useMutation({ mutationFn: (text: string) => simulateGuestMessage(conversationId, text) });
}
