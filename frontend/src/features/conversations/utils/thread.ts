import type { Message } from '@/lib/api-types';
import { dayKey } from '@/lib/format';

export interface DayGroup {
  key: string;
  date: Date;
  messages: Message[];
}

/** Splits an oldest→newest list into runs of messages from the same day in `timeZone`. */
export function groupByDay(messages: Message[], timeZone?: string): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const message of messages) {
    const date = new Date(message.created_at);
    const key = dayKey(date, timeZone);
    const last = groups[groups.length - 1];
    if (last && last.key === key) last.messages.push(message);
    else groups.push({ key, date, messages: [message] });
  }
  return groups;
}
