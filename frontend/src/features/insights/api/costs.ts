import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { CostReport } from '@/lib/api-types';

export function getCosts(from: string, to: string, signal?: AbortSignal): Promise<CostReport> {
  return api.get<CostReport>('/insights/costs', { query: { from, to }, signal });
}

export function useCosts(from: string, to: string) {
  return useQuery({
    queryKey: ['insights', 'costs', from, to],
    queryFn: ({ signal }) => getCosts(from, to, signal),
    enabled: Boolean(from && to && from <= to),
    placeholderData: keepPreviousData,
  });
}
