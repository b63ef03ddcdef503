import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorMessage } from '@/components/ErrorMessage';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import type { Rule } from '@/lib/api-types';
import { useSession } from '@/lib/auth';
import { languageName } from '@/lib/languages';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useLocaleContext } from '@/lib/use-locale';
import { useRules, useSaveRule } from '../api/rules';
import { normaliseRule, toRuleIn, triggerSummary } from '../utils/rule-draft';
import { ScheduledNav } from './ScheduledNav';
import '../scheduling.css';

function RuleCard({ rule, canEdit }: { rule: Rule; canEdit: boolean }) {
  const { t } = useTranslation();
  const { locale } = useLocaleContext();
  const save = useSaveRule();
  // While the request runs, show what was asked for.
  const active = save.isPending && save.variables ? save.variables.rule.active : rule.active;
  const conditions = [
    rule.conditions.sources?.length
      ? rule.conditions.sources.map((source) => t(`booking.source.${source as 'direct'}`, { defaultValue: source })).join(', ')
      : null,
    rule.conditions.min_nights ? t('scheduling.list.minNights', { count: rule.conditions.min_nights }) : null,
    rule.conditions.languages?.length
      ? rule.conditions.languages.map((language) => languageName(language, locale)).join(', ')
      : null,
  ].filter(Boolean);

  return (
    <li className={`card rule-card${active ? '' : ' rule-card--inactive'}`} data-testid="rule-row">
      <div className="card__line">
        <Link to={`/scheduled-messages/${encodeURIComponent(rule.id)}`} className="card__title">
          {rule.name}
        </Link>
        <label className="checkbox checkbox--switch">
          <input
            type="checkbox"
            checked={active}
            disabled={!canEdit || save.isPending}
            aria-label={t('scheduling.list.activeFor', { name: rule.name })}
            onChange={(event) => save.mutate({ id: rule.id, rule: normaliseRule({ ...toRuleIn(rule), active: event.target.checked }) })}
          />
          <span aria-hidden="true">{active ? t('scheduling.active') : t('scheduling.inactive')}</span>
        </label>
      </div>
      <p className="rule-card__summary" data-testid="rule-trigger">
        {triggerSummary(t, rule)}
      </p>
      <p className="rule-card__channels" aria-label={t('scheduling.list.channels')} data-testid="rule-channels">
        {rule.channel_order.map((channel, index) => (
          <span key={channel}>
            {index > 0 && (
              <span className="muted" aria-hidden="true">
                {' '}
                →{' '}
              </span>
            )}
            <span className={`badge badge--channel badge--${channel}`}>{t(`channels.${channel}`)}</span>
          </span>
        ))}
      </p>
      {conditions.length > 0 && <p className="card__meta muted">{t('scheduling.list.only', { conditions: conditions.join(' · ') })}</p>}
      {save.isError && <ErrorMessage error={save.error} />}
    </li>
  );
}

export function RulesList() {
  const { t } = useTranslation();
  const me = useSession();
  const rules = useRules();
  useDocumentTitle(t('scheduling.title'));
  const canEdit = me.role === 'owner' || me.role === 'manager';

  return (
    <main id="main" tabIndex={-1} className="page">
      <header className="page__header">
        <h1 className="page__title">{t('scheduling.title')}</h1>
        {canEdit && (
          <Link to="/scheduled-messages/new" className="button button--primary">
            {t('scheduling.new')}
          </Link>
        )}
      </header>
      <ScheduledNav />
      <p className="muted page__intro">{t('scheduling.intro')}</p>
      {rules.isPending ? (
        <Spinner />
      ) : rules.isError ? (
        <QueryError error={rules.error} onRetry={() => void rules.refetch()} />
      ) : rules.data.length === 0 ? (
        <div className="empty-state">
          <p>{t('scheduling.empty')}</p>
        </div>
      ) : (
        <ul className="card-list" aria-label={t('scheduling.rules')}>
          {[...rules.data]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((rule) => (
              <RuleCard key={rule.id} rule={rule} canEdit={canEdit} />
            ))}
        </ul>
      )}
    </main>
  );
}
