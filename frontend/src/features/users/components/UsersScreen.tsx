import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '@/components/Dialog';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import { SecretShownOnce } from '@/components/SecretShownOnce';
import type { Role, StaffMember } from '@/lib/api-types';
import { useSession } from '@/lib/auth';
import { formatDateTime } from '@/lib/format';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useLocaleContext } from '@/lib/use-locale';
import {
  type InvitationCreated,
  useChangeRole,
  useInvitations,
  useInvite,
  useMembers,
  useRemoveMember,
  useWithdrawInvitation,
} from '../api/users';
import { UsersError } from './UsersError';

const ROLES: Role[] = ['owner', 'manager', 'agent'];

function RoleOptions() {
  const { t } = useTranslation();
  return (
    <>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {t(`roles.${role}`)}
        </option>
      ))}
    </>
  );
}

function RoleName({ role }: { role: string }) {
  const { t } = useTranslation();
  return <>{role === 'owner' || role === 'manager' || role === 'agent' ? t(`roles.${role}`) : role}</>;
}

/** The link, shown once: the server keeps only its hash. */
function NewInvitation({ created, onDone }: { created: InvitationCreated; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <SecretShownOnce
      title={t('users.invitedTitle', { email: created.email })}
      value={created.link}
      warning={created.emailed ? t('users.emailed') : t('users.notEmailed')}
      copyLabel={t('users.copyLink')}
      copiedLabel={t('users.copied')}
      dismissLabel={t('users.done')}
      onDismiss={onDone}
      testId="new-invitation"
      valueTestId="invitation-link"
    />
  );
}

function InviteDialog({ onClose, onInvited }: { onClose: () => void; onInvited: (created: InvitationCreated) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const invite = useInvite();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim()) return;
    invite.mutate({ email: email.trim(), role }, { onSuccess: onInvited });
  };
  return (
    <Dialog title={t('users.inviteTitle')} onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        {invite.isError && <UsersError error={invite.error} />}
        <div className="field">
          <label htmlFor={`${id}-email`}>{t('users.email')}</label>
          <input
            id={`${id}-email`}
            className="input"
            type="email"
            inputMode="email"
            autoComplete="off"
            required
            maxLength={320}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>{t('users.role')}</label>
          <select
            id={`${id}-role`}
            className="select"
            value={role}
            onChange={(event) => setRole(event.target.value as Role)}
          >
            <RoleOptions />
          </select>
          <p className="muted">{t(`users.roleHelp.${role}`)}</p>
        </div>
        <div className="actions">
          <button type="button" className="button button--ghost" onClick={onClose}>
            {t('app.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={invite.isPending || !email.trim()}>
            {t('users.sendInvitation')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function MemberRow({ member, isOwner, isMe }: { member: StaffMember; isOwner: boolean; isMe: boolean }) {
  const { t } = useTranslation();
  const changeRole = useChangeRole();
  const remove = useRemoveMember();
  const [confirming, setConfirming] = useState(false);
  const error = changeRole.error ?? remove.error;
  return (
    <tr data-testid="member-row">
      <td>
        {member.name}
        {isMe && <span className="badge">{t('users.you')}</span>}
        {error && <UsersError error={error} />}
      </td>
      <td>{member.email}</td>
      <td>
        {isOwner ? (
          <select
            className="select"
            aria-label={t('users.roleOf', { name: member.name })}
            value={member.role}
            disabled={changeRole.isPending}
            onChange={(event) => {
              remove.reset();
              changeRole.mutate({ id: member.id, role: event.target.value as Role });
            }}
          >
            <RoleOptions />
          </select>
        ) : (
          <RoleName role={member.role} />
        )}
      </td>
      {isOwner && (
        <td>
          {isMe ? null : confirming ? (
            <span className="confirm">
              <button
                type="button"
                className="button button--danger button--small"
                disabled={remove.isPending}
                onClick={() => {
                  changeRole.reset();
                  remove.mutate(member.id, { onSettled: () => setConfirming(false) });
                }}
              >
                {t('users.confirmRemove')}
              </button>
              <button type="button" className="button button--ghost button--small" onClick={() => setConfirming(false)}>
                {t('app.cancel')}
              </button>
            </span>
          ) : (
            <button
              type="button"
              className="button button--ghost button--small button--danger-text"
              onClick={() => setConfirming(true)}
              aria-label={t('users.removeNamed', { name: member.name })}
            >
              {t('users.remove')}
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

function PendingInvitations() {
  const { t } = useTranslation();
  const { locale, timeZone } = useLocaleContext();
  const invitations = useInvitations(true);
  const withdraw = useWithdrawInvitation();
  if (invitations.isPending) return <Spinner />;
  if (invitations.isError) return <QueryError error={invitations.error} onRetry={() => void invitations.refetch()} />;
  if (invitations.data.length === 0) return null;
  return (
    <section className="stack" aria-labelledby="pending-invitations">
      <h2 id="pending-invitations" className="card__title">
        {t('users.pending')}
      </h2>
      {withdraw.isError && <UsersError error={withdraw.error} />}
      <div className="table-wrap">
        <table className="table" aria-labelledby="pending-invitations">
          <thead>
            <tr>
              <th scope="col">{t('users.email')}</th>
              <th scope="col">{t('users.role')}</th>
              <th scope="col">{t('users.expires')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('users.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invitations.data.map((invitation) => (
              <tr key={invitation.id} data-testid="invitation-row">
                <td>{invitation.email}</td>
                <td>
                  <RoleName role={invitation.role} />
                </td>
                <td>{formatDateTime(invitation.expires_at, locale, timeZone)}</td>
                <td>
                  <button
                    type="button"
                    className="button button--ghost button--small button--danger-text"
                    disabled={withdraw.isPending}
                    onClick={() => withdraw.mutate(invitation.id)}
                    aria-label={t('users.withdrawNamed', { email: invitation.email })}
                  >
                    {t('users.withdraw')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function UsersScreen() {
  const { t } = useTranslation();
  const me = useSession();
  const isOwner = me.role === 'owner';
  const members = useMembers();
  const [inviting, setInviting] = useState(false);
  const [created, setCreated] = useState<InvitationCreated | null>(null);
  useDocumentTitle(t('users.title'));

  return (
    <div className="stack">
      <div className="page__header">
        <h1 className="page__title">{t('users.title')}</h1>
        {isOwner && (
          <button type="button" className="button button--primary" onClick={() => setInviting(true)}>
            {t('users.invite')}
          </button>
        )}
      </div>
      <p className="muted">{isOwner ? t('users.intro') : t('users.ownerOnly')}</p>

      {created && <NewInvitation created={created} onDone={() => setCreated(null)} />}
      {inviting && (
        <InviteDialog
          onClose={() => setInviting(false)}
          onInvited={(result) => {
            setCreated(result);
            setInviting(false);
          }}
        />
      )}

      {members.isPending ? (
        <Spinner />
      ) : members.isError ? (
        <QueryError error={members.error} onRetry={() => void members.refetch()} />
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label={t('users.members')}>
            <thead>
              <tr>
                <th scope="col">{t('users.name')}</th>
                <th scope="col">{t('users.email')}</th>
                <th scope="col">{t('users.role')}</th>
                {isOwner && (
                  <th scope="col">
                    <span className="visually-hidden">{t('users.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {members.data.map((member) => (
                <MemberRow key={member.id} member={member} isOwner={isOwner} isMe={member.id === me.user.id} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {isOwner && <PendingInvitations />}
    </div>
  );
}
