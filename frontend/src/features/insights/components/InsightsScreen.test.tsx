import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CostReport } from '@/lib/api-types';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { monthsBetween, niceMax, totalsByMonth } from '../utils/months';
import { CostsTable, InsightsScreen } from './InsightsScreen';

const report: CostReport = {
  rows: [
    { month: '2026-10', channel: 'whatsapp', category: 'marketing', messages: 3, amount: '0.1500', currency: 'USD' },
    { month: '2026-11', channel: 'whatsapp', category: 'utility', messages: 12, amount: '0.0408', currency: 'USD' },
    { month: '2026-11', channel: 'sms', category: 'sms', messages: 1200, amount: '9.6000', currency: 'USD' },
  ],
  total: { amount: '9.7908', currency: 'USD' },
};

const cells = (row: HTMLElement) => within(row).getAllByRole('cell').map((cell) => cell.textContent);

describe('CostsTable', () => {
  it('lists months newest first with channel, category, count and amount, and the total', () => {
    mockFetch({});
    renderWithProviders(<CostsTable report={report} />);
    const table = screen.getByRole('table', { name: 'Costs by month, channel and category' });
    const [, ...rows] = within(table).getAllByRole('row');
    expect(rows.slice(0, 3).map(cells)).toEqual([
      ['Nov 2026', 'SMS', 'SMS', '1,200', '$9.60'],
      ['Nov 2026', 'WhatsApp', 'Utility', '12', '$0.0408'],
      ['Oct 2026', 'WhatsApp', 'Marketing', '3', '$0.15'],
    ]);
    expect(screen.getByTestId('costs-total').textContent).toBe('$9.7908');
  });

  it('speaks French', () => {
    mockFetch({});
    renderWithProviders(<CostsTable report={report} />, { language: 'fr' });
    const [, first] = screen.getAllByRole('row');
    expect(cells(first!).map((text) => text?.replace(/\s/g, ' '))).toEqual(['nov. 2026', 'SMS', 'SMS', '1 200', '9,60 $US']);
  });
});

describe('InsightsScreen', () => {
  it('asks for the date range and draws one bar per month', async () => {
    const { requests } = mockFetch({ 'GET /api/v1/insights/costs': () => jsonResponse(200, report) });
    renderWithProviders(<InsightsScreen />);
    await screen.findByTestId('costs-table');
    const query = requests[0]!.url.searchParams;
    expect(query.get('from')).toMatch(/^\d{4}-\d{2}-01$/);
    expect(query.get('to')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(screen.getAllByTestId('chart-bar')).toHaveLength(monthsBetween(query.get('from')!, query.get('to')!).length);
  });

  it('says the screen is not available yet on a 404', async () => {
    mockFetch({});
    renderWithProviders(<InsightsScreen />);
    expect(await screen.findByTestId('not-available')).toBeTruthy();
  });
});

describe('month helpers', () => {
  it('fills months without messages and sums per channel', () => {
    const months = totalsByMonth(report.rows, monthsBetween('2026-09-15', '2026-11-26'));
    expect(months.map((month) => [month.month, Number(month.amount.toFixed(4))])).toEqual([
      ['2026-09', 0],
      ['2026-10', 0.15],
      ['2026-11', 9.6408],
    ]);
    expect(months[2]!.byChannel).toEqual({ whatsapp: 0.0408, sms: 9.6 });
    expect(monthsBetween('2026-12-01', '2027-01-31')).toEqual(['2026-12', '2027-01']);
    expect(niceMax(9.64)).toBe(10);
    expect(niceMax(0.15)).toBe(0.2);
  });
});
