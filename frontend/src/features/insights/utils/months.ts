import type { CostRow } from '@/lib/api-types';

export interface MonthTotal {
  month: string;
  amount: number;
  messages: number;
  /** Amount per channel, for the stacked bars. */
  byChannel: Record<string, number>;
}

/** Every month from `from` to `to` (YYYY-MM-DD), so months without messages still show. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const [endYear, endMonth] = to.split('-').map(Number) as [number, number];
  while (year < endYear || (year === endYear && month <= endMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
    if (months.length > 120) break; // ten years is plenty for a chart
  }
  return months;
}

export function totalsByMonth(rows: CostRow[], months: string[]): MonthTotal[] {
  const totals = new Map<string, MonthTotal>(
    months.map((month) => [month, { month, amount: 0, messages: 0, byChannel: {} }]),
  );
  for (const row of rows) {
    let total = totals.get(row.month);
    if (!total) {
      total = { month: row.month, amount: 0, messages: 0, byChannel: {} };
      totals.set(row.month, total);
    }
    const amount = Number(row.amount) || 0;
    total.amount += amount;
    total.messages += row.messages;
    total.byChannel[row.channel] = (total.byChannel[row.channel] ?? 0) + amount;
  }
  return [...totals.values()].sort((a, b) => a.month.localeCompare(b.month));
}

/** A round axis maximum above `value` (1, 2, 5 × 10^n). */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}
