import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { ConsentRegister, ConsentRequest, EraseResult } from '@/lib/api-types';

export const consentKeys = {
  register: (guestId: string) => ['guests', guestId, 'consents'] as const,
};

const guestPath = (guestId: string) => `/guests/${encodeURIComponent(guestId)}`;

export function useConsents(guestId: string) {
  return useQuery({
    queryKey: consentKeys.register(guestId),
    queryFn: ({ signal }) => api.get<ConsentRegister>(`${guestPath(guestId)}/consents`, { signal }),
  });
}

export function useRecordConsent(guestId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: ConsentRequest) => api.post<ConsentRegister>(`${guestPath(guestId)}/consents`, request),
    onSuccess: (register) => queryClient.setQueryData(consentKeys.register(guestId), register),
  });
}

/** The guest's data as a JSON file, downloaded by the browser. */
export async function downloadGuestExport(guestId: string): Promise<void> {
  const data = await api.get<unknown>(`${guestPath(guestId)}/export`);
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `guest-${guestId}.json`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

export function useExportGuest(guestId: string) {
  return useMutation({ mutationFn: () => downloadGuestExport(guestId) });
}

export function useEraseGuest(guestId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (confirmation: string) => api.post<EraseResult>(`${guestPath(guestId)}/erase`, { confirmation }),
    // names, previews and bodies shown anywhere are stale now
    onSuccess: () => void queryClient.invalidateQueries(),
  });
}
