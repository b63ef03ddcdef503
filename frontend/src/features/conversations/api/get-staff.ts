import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { StaffMember } from '@/lib/api-types';
import { staffKeys } from './keys';

export function getStaff(signal?: AbortSignal): Promise<StaffMember[]> {
  return api.get<StaffMember[]>('/users', { signal });
}

/** Everyone a conversation can be assigned to. */
export function useStaff() {
  return useQuery({
    queryKey: staffKeys.all,
    queryFn: ({ signal }) => getStaff(signal),
    staleTime: 5 * 60_000,
  });
}
