import { useTranslation } from 'react-i18next';
import { formatMonth, formatMoney } from '@/lib/format';
import { type MonthTotal, niceMax } from '../utils/months';

const CHANNEL_ORDER = ['whatsapp', 'sms', 'email', 'airbnb'];
const WIDTH = 640;
const HEIGHT = 240;
const PAD = { top: 12, right: 12, bottom: 36, left: 64 };

interface Props {
  months: MonthTotal[];
  currency: string;
  locale: string;
}

/** Cost per month, stacked by channel. Plain SVG; the table below carries the same data. */
export function CostChart({ months, currency, locale }: Props) {
  const { t } = useTranslation();
  const max = niceMax(Math.max(0, ...months.map((month) => month.amount)));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, months.length);
  const barW = Math.max(4, Math.min(48, slot * 0.6));
  const y = (value: number) => PAD.top + innerH - (value / max) * innerH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => share * max);
  const channels = CHANNEL_ORDER.filter((channel) => months.some((month) => month.byChannel[channel]));
  const extra = [...new Set(months.flatMap((month) => Object.keys(month.byChannel)))].filter(
    (channel) => !CHANNEL_ORDER.includes(channel),
  );
  const order = [...channels, ...extra];
  const money = (value: number) => formatMoney(value.toFixed(4), currency, locale);
  const labelEvery = Math.ceil(months.length / 12);

  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={t('insights.chartLabel')}
        className="chart__svg"
        data-testid="cost-chart"
      >
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} className="chart__grid" />
            <text x={PAD.left - 6} y={y(tick)} className="chart__axis" textAnchor="end" dominantBaseline="middle">
              {money(tick)}
            </text>
          </g>
        ))}
        {months.map((month, index) => {
          const x = PAD.left + slot * index + (slot - barW) / 2;
          let base = 0;
          return (
            <g key={month.month} data-testid="chart-bar" data-month={month.month}>
              <title>{`${formatMonth(month.month, locale)}: ${money(month.amount)}`}</title>
              {order.map((channel) => {
                const value = month.byChannel[channel] ?? 0;
                if (!value) return null;
                const top = y(base + value);
                const height = y(base) - top;
                base += value;
                return (
                  <rect
                    key={channel}
                    x={x}
                    y={top}
                    width={barW}
                    height={Math.max(0.5, height)}
                    className={`chart__bar chart__bar--${channel}`}
                  />
                );
              })}
              {index % labelEvery === 0 && (
                <text x={x + barW / 2} y={HEIGHT - PAD.bottom + 16} className="chart__axis" textAnchor="middle">
                  {formatMonth(month.month, locale)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      {order.length > 0 && (
        <figcaption className="chart__legend">
          {order.map((channel) => (
            <span key={channel} className="chart__key">
              <span className={`chart__swatch chart__bar--${channel}`} aria-hidden="true" />
              {t(`channels.${channel as 'whatsapp'}`, { defaultValue: channel })}
            </span>
          ))}
        </figcaption>
      )}
    </figure>
  );
}
