import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type {
  AirbnbAuthorize,
  AirbnbListings,
  ChannelConnection,
  EmailConnectRequest,
  EmailTestResult,
  SmsConnectRequest,
  WhatsAppConnectRequest,
} from '@/lib/api-types';

export const channelKeys = {
  all: ['channels'] as const,
  airbnbListings: () => [...channelKeys.all, 'airbnb-listings'] as const,
};

export function getChannels(signal?: AbortSignal): Promise<ChannelConnection[]> {
  return api.get<ChannelConnection[]>('/channels', { signal });
}

export function useChannels() {
  return useQuery({ queryKey: channelKeys.all, queryFn: ({ signal }) => getChannels(signal) });
}

/** Puts the channel the server returned in the list at once, then refetches it. */
function useStoreChannel() {
  const queryClient = useQueryClient();
  return (channel: ChannelConnection) => {
    queryClient.setQueryData<ChannelConnection[]>(channelKeys.all, (list) =>
      list?.map((item) => (item.channel === channel.channel ? channel : item)),
    );
    void queryClient.invalidateQueries({ queryKey: channelKeys.all });
  };
}

export function connectWhatsApp(request: WhatsAppConnectRequest): Promise<ChannelConnection> {
  return api.put<ChannelConnection>('/channels/whatsapp', request);
}

/** The server checks the credentials with Meta before saving (422 provider_rejected otherwise). */
export function useConnectWhatsApp() {
  const store = useStoreChannel();
  return useMutation({ mutationFn: connectWhatsApp, onSuccess: store });
}

export function connectSms(request: SmsConnectRequest): Promise<ChannelConnection> {
  return api.put<ChannelConnection>('/channels/sms', request);
}

/** Checked against Twilio before it is saved. */
export function useConnectSms() {
  const store = useStoreChannel();
  return useMutation({ mutationFn: connectSms, onSuccess: store });
}

export function connectEmail(request: EmailConnectRequest): Promise<ChannelConnection> {
  return api.put<ChannelConnection>('/channels/email', request);
}

/** Checked (connect, TLS, login) before it is saved. */
export function useConnectEmail() {
  const store = useStoreChannel();
  return useMutation({ mutationFn: connectEmail, onSuccess: store });
}

export function sendTestEmail(to: string): Promise<EmailTestResult> {
  return api.post<EmailTestResult>('/channels/email/test', { to });
}

export function useSendTestEmail() {
  return useMutation({ mutationFn: sendTestEmail });
}

export function authorizeAirbnb(): Promise<AirbnbAuthorize> {
  return api.get<AirbnbAuthorize>('/channels/airbnb/authorize');
}

/** Where to send the browser to (re)authorise Airbnb; the server brings it back to /settings/channels. */
export function useAuthorizeAirbnb() {
  return useMutation({ mutationFn: authorizeAirbnb });
}

export function useAirbnbListings(enabled: boolean) {
  return useQuery({
    queryKey: channelKeys.airbnbListings(),
    queryFn: ({ signal }) => api.get<AirbnbListings>('/channels/airbnb/listings', { signal }),
    enabled,
  });
}

export function useMapAirbnbListings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (listingIds: string[]) => api.put<AirbnbListings>('/channels/airbnb/listings', { listing_ids: listingIds }),
    onSuccess: (listings) => {
      queryClient.setQueryData(channelKeys.airbnbListings(), listings);
      void queryClient.invalidateQueries({ queryKey: channelKeys.all });
    },
  });
}
