import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import type { CostReport } from '@/lib/api-types';
import { formatMonth, formatMoney, ymd } from '@/lib/format';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useLocaleContext } from '@/lib/use-locale';
import { useCosts } from '../api/costs';
import { monthsBetween, totalsByMonth } from '../utils/months';
import { CostChart } from './CostChart';

/** Today and the first day of the month five months back, in the property's timezone. */
function defaultRange(timeZone: string | undefined): { from: string; to: string } {
  const to = ymd(new Date(), timeZone);
  const [year, month] = to.split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(year, month - 1 - 5, 1));
  return { from: start.toISOString().slice(0, 10), to };
}

export function CostsTable({ report }: { report: CostReport }) {
  const { t } = useTranslation();
  const { locale } = useLocaleContext();
  const rows = [...report.rows].sort(
    (a, b) => b.month.localeCompare(a.month) || a.channel.localeCompare(b.channel) || a.category.localeCompare(b.category),
  );
  const channel = (name: string) => t(`channels.${name as 'whatsapp'}`, { defaultValue: name });
  const category = (name: string) => t(`insights.categories.${name as 'utility'}`, { defaultValue: name });
  const totalMessages = rows.reduce((sum, row) => sum + row.messages, 0);
  return (
    <div className="table-wrap">
      <table className="table" aria-label={t('insights.tableLabel')} data-testid="costs-table">
        <thead>
          <tr>
            <th scope="col">{t('insights.month')}</th>
            <th scope="col">{t('insights.channel')}</th>
            <th scope="col">{t('insights.category')}</th>
            <th scope="col" className="num">
              {t('insights.messages')}
            </th>
            <th scope="col" className="num">
              {t('insights.amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.month}-${row.channel}-${row.category}`}>
              <td>{formatMonth(row.month, locale)}</td>
              <td>{channel(row.channel)}</td>
              <td>{category(row.category)}</td>
              <td className="num">{new Intl.NumberFormat(locale).format(row.messages)}</td>
              <td className="num">{formatMoney(row.amount, row.currency, locale)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              {t('insights.total')}
            </th>
            <td className="num">{new Intl.NumberFormat(locale).format(totalMessages)}</td>
            <td className="num" data-testid="costs-total">
              {formatMoney(report.total.amount, report.total.currency, locale)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

export function InsightsScreen() {
  const { t } = useTranslation();
  const { locale, timeZone } = useLocaleContext();
  const id = useId();
  const [range, setRange] = useState(() => defaultRange(timeZone));
  const costs = useCosts(range.from, range.to);
  useDocumentTitle(t('insights.title'));
  const invalid = !range.from || !range.to || range.from > range.to;

  const months = useMemo(
    () => (costs.data && !invalid ? totalsByMonth(costs.data.rows, monthsBetween(range.from, range.to)) : []),
    [costs.data, range, invalid],
  );

  return (
    <main id="main" tabIndex={-1} className="page">
      <header className="page__header">
        <h1 className="page__title">{t('insights.title')}</h1>
      </header>
      <p className="muted page__intro">{t('insights.intro')}</p>
      <div className="field-row" role="group" aria-label={t('insights.range')}>
        <div className="field">
          <label htmlFor={`${id}-from`}>{t('insights.from')}</label>
          <input
            id={`${id}-from`}
            className="input"
            type="date"
            value={range.from}
            max={range.to}
            onChange={(event) => setRange((current) => ({ ...current, from: event.target.value }))}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>{t('insights.to')}</label>
          <input
            id={`${id}-to`}
            className="input"
            type="date"
            value={range.to}
            min={range.from}
            onChange={(event) => setRange((current) => ({ ...current, to: event.target.value }))}
          />
        </div>
      </div>
      {invalid ? (
        <p role="alert" className="alert alert--error">
          {t('insights.invalidRange')}
        </p>
      ) : costs.isPending ? (
        <Spinner />
      ) : costs.isError ? (
        <QueryError error={costs.error} onRetry={() => void costs.refetch()} />
      ) : (
        <div className="stack" aria-busy={costs.isFetching}>
          <p className="insights__total">
            {t('insights.totalFor', { amount: formatMoney(costs.data.total.amount, costs.data.total.currency, locale) })}
          </p>
          <CostChart months={months} currency={costs.data.total.currency} locale={locale} />
          {costs.data.rows.length === 0 ? <p className="muted">{t('insights.empty')}</p> : <CostsTable report={costs.data} />}
        </div>
      )}
    </main>
  );
}
