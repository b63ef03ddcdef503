import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { ChannelConnection, WhatsAppConnectRequest } from '@/lib/api-types';

export const channelKeys = { all: ['channels'] as const };

export function getChannels(signal?: AbortSignal): Promise<ChannelConnection[]> {
  return api.get<ChannelConnection[]>('/channels', { signal });
}

export function useChannels() {
  return useQuery({ queryKey: channelKeys.all, queryFn: ({ signal }) => getChannels(signal) });
}

export function connectWhatsApp(request: WhatsAppConnectRequest): Promise<ChannelConnection> {
  return api.put<ChannelConnection>('/channels/whatsapp', request);
}

/** The server checks the credentials with Meta before saving (422 provider_rejected otherwise). */
export function useConnectWhatsApp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: connectWhatsApp,
    onSuccess: (channel) => {
      queryClient.setQueryData<ChannelConnection[]>(channelKeys.all, (list) =>
        list?.map((item) => (item.channel === channel.channel ? channel : item)),
      );
      void queryClient.invalidateQueries({ queryKey: channelKeys.all });
    },
  });
}
