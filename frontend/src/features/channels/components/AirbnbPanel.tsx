import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ErrorMessage } from '@/components/ErrorMessage';
import { Spinner } from '@/components/LoadingScreen';
import type { ChannelConnection } from '@/lib/api-types';
import { codeMessage } from '@/lib/errors';
import { useAirbnbListings, useAuthorizeAirbnb, useMapAirbnbListings } from '../api/channels';

/** The browser leaves for Airbnb; tests replace this. */
export const navigation = {
  assign: (url: string) => window.location.assign(url),
};

/** What the OAuth callback said: /settings/channels?airbnb=connected, or ?airbnb=error&reason=code. */
export function AirbnbNotice() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const outcome = params.get('airbnb');
  if (outcome !== 'connected' && outcome !== 'error') return null;
  const reasonCode = params.get('reason');
  const dismiss = () => {
    const next = new URLSearchParams(params);
    next.delete('airbnb');
    next.delete('reason');
    setParams(next, { replace: true });
  };
  const connected = outcome === 'connected';
  const reason =
    (reasonCode === 'provider_rejected' ? t('channelsScreen.airbnb.refused') : codeMessage(t, reasonCode)) ??
    reasonCode ??
    t('errors.generic');
  return (
    <div role={connected ? 'status' : 'alert'} className={`alert ${connected ? 'alert--success' : 'alert--error'}`} data-testid="airbnb-notice">
      <span>{connected ? t('channelsScreen.airbnb.connectedNotice') : t('channelsScreen.airbnb.errorNotice', { reason })}</span>
      <button type="button" className="button button--ghost button--small" onClick={dismiss}>
        {t('channelsScreen.airbnb.dismiss')}
      </button>
    </div>
  );
}

function Listings() {
  const { t } = useTranslation();
  const id = useId();
  const listings = useAirbnbListings(true);
  const map = useMapAirbnbListings();
  const [chosen, setChosen] = useState<string[] | null>(null);
  if (listings.isPending) return <Spinner />;
  if (listings.isError) return <ErrorMessage error={listings.error} onRetry={() => void listings.refetch()} />;
  const selected = chosen ?? listings.data.listing_ids;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    map.mutate(selected, { onSuccess: () => setChosen(null) });
  };
  return (
    <form className="stack" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid="airbnb-listings">
      <h3 id={`${id}-title`} className="card__subtitle">
        {t('channelsScreen.airbnb.listings')}
      </h3>
      <p className="muted small">{t('channelsScreen.airbnb.listingsHint')}</p>
      {listings.data.listings_available.length === 0 ? (
        <p className="muted small">{t('channelsScreen.airbnb.noListings')}</p>
      ) : (
        <div className="field-row">
          {listings.data.listings_available.map((listing) => (
            <label key={listing.id} className="checkbox">
              <input
                type="checkbox"
                checked={selected.includes(listing.id)}
                onChange={(event) =>
                  setChosen(event.target.checked ? [...selected, listing.id] : selected.filter((item) => item !== listing.id))
                }
              />
              <span>
                {listing.name ?? listing.id} <span className="muted small">({listing.id})</span>
              </span>
            </label>
          ))}
        </div>
      )}
      {map.isError && <ErrorMessage error={map.error} />}
      {map.isSuccess && chosen === null && (
        <p role="status" className="alert alert--success">
          {t('channelsScreen.airbnb.listingsSaved')}
        </p>
      )}
      <div className="actions actions--start">
        <button type="submit" className="button" disabled={map.isPending || selected.length === 0}>
          {t('channelsScreen.airbnb.saveListings')}
        </button>
      </div>
    </form>
  );
}

/** Connect, or re-authorise, by OAuth: the server gives the URL, Airbnb sends the browser back. */
export function AirbnbPanel({ current }: { current: ChannelConnection | undefined }) {
  const { t } = useTranslation();
  const authorize = useAuthorizeAirbnb();
  const status = current?.status ?? 'disconnected';
  const connectedOnce = status !== 'disconnected';
  const start = () =>
    authorize.mutate(undefined, {
      onSuccess: ({ url }) => navigation.assign(url),
    });
  return (
    <section className="card stack" aria-label={t('channelsScreen.airbnb.title')} data-testid="airbnb-panel">
      <h2 className="card__title">{t('channelsScreen.airbnb.title')}</h2>
      <p className="muted small">{t('channelsScreen.airbnb.intro')}</p>
      {authorize.isError && <ErrorMessage error={authorize.error} />}
      <div className="actions actions--start">
        <button
          type="button"
          className={`button${status === 'needs_reauthorization' || !connectedOnce ? ' button--primary' : ''}`}
          disabled={authorize.isPending || authorize.isSuccess}
          aria-busy={authorize.isPending}
          onClick={start}
        >
          {authorize.isPending || authorize.isSuccess
            ? t('channelsScreen.airbnb.redirecting')
            : connectedOnce
              ? t('channelsScreen.airbnb.reauthorize')
              : t('channelsScreen.airbnb.connect')}
        </button>
      </div>
      {(status === 'needs_mapping' || status === 'connected') && <Listings />}
    </section>
  );
}
