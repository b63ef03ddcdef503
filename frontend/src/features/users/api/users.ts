import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from '@/lib/api-client';
import type { Me, Role, StaffMember } from '@/lib/api-types';
import { meQueryKey } from '@/lib/auth';

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  created_at: string;
  expires_at: string;
}

/** The single-use link is in this response only; it is never cached. */
export interface InvitationCreated extends Invitation {
  link: string;
  emailed: boolean;
}

export interface InvitationPreview {
  email: string;
  role: Role;
  property_name: string;
  expires_at: string;
  /** The e-mail already has an account: accept with its current password. */
  existing_account: boolean;
}

export const userKeys = {
  // Same key as the assignment picker's staff list, so both show a change at once.
  members: ['staff'] as const,
  invitations: ['staff', 'invitations'] as const,
  invitation: (token: string) => ['invitation', token] as const,
};

export function useMembers() {
  return useQuery({
    queryKey: userKeys.members,
    queryFn: ({ signal }) => api.get<StaffMember[]>('/users', { signal }),
  });
}

export function useInvitations(enabled: boolean) {
  return useQuery({
    queryKey: userKeys.invitations,
    queryFn: ({ signal }) => api.get<Invitation[]>('/users/invitations', { signal }),
    enabled,
  });
}

export function useInvite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: { email: string; role: Role }) =>
      api.post<InvitationCreated>('/users/invitations', request),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: userKeys.invitations }),
  });
}

export function useWithdrawInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/users/invitations/${encodeURIComponent(id)}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: userKeys.invitations }),
  });
}

export function useChangeRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) =>
      apiRequest<StaffMember>('PATCH', `/users/${encodeURIComponent(id)}`, { body: { role } }),
    onSuccess: (changed) => {
      queryClient.setQueryData<StaffMember[]>(userKeys.members, (list) =>
        list?.map((member) => (member.id === changed.id ? changed : member)),
      );
      // My own role may have changed: what I may do follows the session.
      void queryClient.invalidateQueries({ queryKey: meQueryKey });
    },
  });
}

export function useRemoveMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/users/${encodeURIComponent(id)}`),
    onSuccess: (_result, id) => {
      queryClient.setQueryData<StaffMember[]>(userKeys.members, (list) => list?.filter((member) => member.id !== id));
      void queryClient.invalidateQueries({ queryKey: userKeys.members });
    },
  });
}

export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: userKeys.invitation(token),
    queryFn: ({ signal }) => api.get<InvitationPreview>(`/invitations/${encodeURIComponent(token)}`, { signal }),
    retry: false,
  });
}

export function useAcceptInvitation(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: { name?: string; password: string }) =>
      api.post<Me>(`/invitations/${encodeURIComponent(token)}/accept`, request),
    onSuccess: (me) => {
      // A new session: nothing cached under a previous one may leak into it.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
      queryClient.setQueryData(meQueryKey, me);
    },
  });
}
